//! Section 9, compare runs: every finished training run of this tab (and, if asked, of
//! earlier visits, kept in localStorage), two of them overlaid on one chart.
//!
//! localStorage is optional and guarded: a sandboxed iframe throws on any use of it, and
//! then the history simply lives as long as the tab.
//!
//! A run is kept as the record of `run_record.rs`, the same as the JSON export.

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::training::EpochReport;
use web_sys::{
    Element, Event, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    HtmlSelectElement, HtmlTableSectionElement, MouseEvent, Storage,
};

use super::App;
use crate::charts::{self, Corner, Curve, PerEpochChart};
use crate::dom::{by_id, create, fill_rows, on, set_attr, set_text};
use crate::format::{decimal, percent, thousands};
use crate::i18n::{Key, t, tr};
use crate::run_record::RunRecord;

/// Section 9's elements and memory.
pub(super) struct CompareSection {
    /// The first run overlaid.
    pub(super) a: HtmlSelectElement,
    /// The second run overlaid.
    pub(super) b: HtmlSelectElement,
    /// The curve shown.
    pub(super) metric: HtmlSelectElement,
    /// Keep the runs in localStorage.
    pub(super) persist: HtmlInputElement,
    /// Forget the runs.
    pub(super) clear: HtmlButtonElement,
    /// Why kept runs could not be read.
    pub(super) error: HtmlElement,
    /// The two runs' curves.
    pub(super) chart: HtmlCanvasElement,
    /// One row per finished run.
    pub(super) runs_body: HtmlTableSectionElement,
    /// What the compare section remembers.
    pub(super) state: RefCell<CompareState>,
}

impl CompareSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            a: by_id("compare-a")?,
            b: by_id("compare-b")?,
            metric: by_id("compare-metric")?,
            persist: by_id("compare-persist")?,
            clear: by_id("compare-clear")?,
            error: by_id("compare-error")?,
            chart: by_id("chart-compare")?,
            runs_body: by_id("runs-body")?,
            state: RefCell::default(),
        })
    }
}

/// The localStorage key of the kept runs.
const KEY: &str = "digit-lab-runs";
/// Runs kept at most (the oldest go first).
const MAX_RUNS: usize = 50;

/// The page's localStorage, if it may be used here.
fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Connects the selects, the checkbox and the button; loads kept runs.
pub(super) fn wire(app: &Rc<App>) {
    for select in [&app.compare.a, &app.compare.b, &app.compare.metric] {
        let a = app.clone();
        on::<Event>(select, "change", move |_| a.draw_compare());
    }
    let a = app.clone();
    on::<Event>(&app.compare.persist, "change", move |_| a.persist_runs());
    let a = app.clone();
    on::<MouseEvent>(&app.compare.clear, "click", move |_| {
        a.compare.state.borrow_mut().runs.clear();
        a.persist_runs();
        a.refresh_runs();
    });
    match storage().map(|s| s.get_item(KEY)) {
        Some(Ok(Some(json))) => match serde_json::from_str::<Vec<RunRecord>>(&json) {
            Ok(runs) => {
                app.compare.state.borrow_mut().runs = runs;
                app.compare.persist.set_checked(true);
            }
            Err(_) => set_text(&app.compare.error, t(Key::RunsUnreadable)),
        },
        Some(Ok(None)) => {}
        Some(Err(_)) | None => {
            app.compare.persist.set_disabled(true);
            set_attr(&app.compare.persist, "title", t(Key::StorageNotAllowed));
        }
    }
    app.refresh_runs();
}

impl App {
    /// A training run finished: keep it.
    pub(super) fn record_run(&self) {
        let record = self.current_record();
        {
            let mut state = self.compare.state.borrow_mut();
            state.runs.push(record);
            let excess = state.runs.len().saturating_sub(MAX_RUNS);
            state.runs.drain(..excess);
            let n = state.runs.len();
            // The newest against the one before it.
            drop(state);
            self.refresh_runs_selecting(n.checked_sub(2), n.checked_sub(1));
        }
        self.persist_runs();
    }

    /// Writes the runs to localStorage when the box is ticked, else removes them.
    fn persist_runs(&self) {
        let Some(storage) = storage() else {
            return;
        };
        let outcome = if self.compare.persist.checked() {
            let json = serde_json::to_string(&self.compare.state.borrow().runs).unwrap_or_default();
            storage.set_item(KEY, &json)
        } else {
            storage.remove_item(KEY)
        };
        let message = match outcome {
            Ok(()) => "",
            Err(_) => t(Key::StorageRefused),
        };
        set_text(&self.compare.error, message);
    }

    fn refresh_runs(&self) {
        let a = self.compare.a.selected_index();
        let b = self.compare.b.selected_index();
        let n = self.compare.state.borrow().runs.len();
        let keep = |i: i32| (i >= 0 && (i as usize) < n).then_some(i as usize);
        let (a, b) = match (keep(a), keep(b)) {
            (Some(a), Some(b)) => (Some(a), Some(b)),
            _ => (n.checked_sub(2), n.checked_sub(1)),
        };
        self.refresh_runs_selecting(a, b);
    }

    /// Refills the table and the selects (choosing `a` and `b`), then redraws.
    fn refresh_runs_selecting(&self, a: Option<usize>, b: Option<usize>) {
        let state = self.compare.state.borrow();
        let rows: Vec<Vec<String>> = state
            .runs
            .iter()
            .map(|r| {
                let s = &r.settings;
                vec![
                    tr(Key::RunNumber, &[("run", &r.run)]),
                    s.arch.to_string(),
                    thousands(s.arch.parameters()),
                    s.optimizer.name().into(),
                    s.seed.to_string(),
                    s.scale.clone(),
                    s.lr.to_string(),
                    s.batch.to_string(),
                    r.history.len().to_string(),
                    s.data_name().into(),
                    s.split.name().into(),
                    s.augment.name().into(),
                    s.val.to_string(),
                    s.patience.to_string(),
                    r.metrics
                        .as_ref()
                        .map_or("–".into(), |m| percent(m.test_accuracy)),
                ]
            })
            .collect();
        fill_rows(&self.compare.runs_body, &rows, true);
        set_attr(
            &self.compare.runs_body,
            "data-count",
            &rows.len().to_string(),
        );
        for (select, chosen) in [(&self.compare.a, a), (&self.compare.b, b)] {
            select.set_inner_html("");
            for (i, run) in state.runs.iter().enumerate() {
                let option: Element = create("option");
                set_attr(&option, "value", &i.to_string());
                set_text(&option, &run.label());
                let _ = select.append_child(&option);
            }
            select.set_selected_index(chosen.map_or(-1, |i| i as i32));
        }
        drop(state);
        self.draw_compare();
    }

    /// Overlays the chosen curve of runs A and B.
    fn draw_compare(&self) {
        let metric = self.compare.metric.value();
        let (value, name) = metric_value(&metric);
        let name = t(name);
        let state = self.compare.state.borrow();
        let chosen = self.chosen_runs(&state.runs);
        self.draw_compared_curves(&chosen, value, name, metric.ends_with("loss"));
        set_attr(
            &self.compare.chart,
            "aria-label",
            &compare_label(&chosen, value, name),
        );
    }

    /// Runs A and B as their menus choose them among `runs`.
    fn chosen_runs<'a>(&self, runs: &'a [RunRecord]) -> [ChosenRun<'a>; 2] {
        let pick = |i: i32| (i >= 0).then(|| runs.get(i as usize)).flatten();
        [
            (
                t(Key::CurveRunA),
                pick(self.compare.a.selected_index()),
                false,
            ),
            (
                t(Key::CurveRunB),
                pick(self.compare.b.selected_index()),
                true,
            ),
        ]
    }

    /// Draws the chosen runs' `value` per epoch, from 0 to the highest for a `loss`, else
    /// from 0 to 1.
    fn draw_compared_curves(
        &self,
        chosen: &[ChosenRun],
        value: fn(&EpochReport) -> f64,
        name: &str,
        loss: bool,
    ) {
        let curves: Vec<Curve> = chosen
            .iter()
            .filter_map(|&(label, run, dashed)| {
                run.map(|r| Curve::per_epoch(label, &r.history, value, dashed))
            })
            .collect();
        let epochs = chosen
            .iter()
            .filter_map(|(_, r, _)| r.map(|r| r.history.len()))
            .max()
            .unwrap_or(0);
        let (range, corner) = if loss {
            let values = curves.iter().flat_map(|c| c.points.iter().map(|p| p.1));
            (charts::zero_to_max(values), Corner::UpperRight)
        } else {
            (0.0..1.0, Corner::LowerRight)
        };
        let chart = PerEpochChart {
            caption: tr(Key::CompareTitle, &[("curve", &name)]),
            y_desc: name.to_string(),
            epochs,
            y_range: range,
            curves,
            legend_at: corner,
        };
        self.draw_per_epoch(&self.compare.chart, chart);
    }
}

/// A run overlaid on the compare chart: its legend label, the run if one is chosen, and
/// whether its curve is dashed.
type ChosenRun<'a> = (&'static str, Option<&'a RunRecord>, bool);

/// The per-epoch value the curve menu names (`test_accuracy` when it names none other), and
/// its name for people.
fn metric_value(metric: &str) -> (fn(&EpochReport) -> f64, Key) {
    match metric {
        "test_loss" => (|r| r.test_loss, Key::CurveTestLoss),
        "train_accuracy" => (|r| r.train_accuracy, Key::CurveTrainAccuracy),
        "train_loss" => (|r| r.train_loss, Key::CurveTrainLoss),
        _ => (|r| r.test_accuracy, Key::CurveTestAccuracy),
    }
}

/// The compare chart's label for screen readers: where each chosen run's curve ends.
fn compare_label(chosen: &[ChosenRun], value: fn(&EpochReport) -> f64, name: &str) -> String {
    let described: Vec<String> = chosen
        .iter()
        .filter_map(|(label, run, _)| {
            let r = (*run)?;
            let last = r.history.last().map(value).unwrap_or(f64::NAN);
            Some(tr(
                Key::CompareRunEnds,
                &[
                    ("run", label),
                    ("label", &r.label()),
                    ("last", &decimal(last)),
                ],
            ))
        })
        .collect();
    if described.is_empty() {
        t(Key::CompareNone).to_string()
    } else {
        tr(
            Key::CompareLabel,
            &[("curve", &name), ("runs", &described.join("; "))],
        )
    }
}

/// What the compare section remembers.
#[derive(Default)]
pub(super) struct CompareState {
    /// This tab's finished runs (and the kept ones of earlier visits).
    pub(super) runs: Vec<RunRecord>,
}
