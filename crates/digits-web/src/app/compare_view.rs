//! Section 9, compare runs: every finished training run of this tab (and, if asked, of
//! earlier visits, kept in localStorage), two of them overlaid on one chart.
//!
//! localStorage is optional and guarded: a sandboxed iframe throws on any use of it, and
//! then the history simply lives as long as the tab.

use std::rc::Rc;

use digits_cnn::metrics::Evaluation;
use digits_cnn::training::EpochReport;
use web_sys::{Element, Event, MouseEvent, Storage};

use super::App;
use crate::charts::{self, Corner, Curve};
use crate::dom::{create, fill_rows, on, set_attr, set_text};
use crate::format::percent;
use crate::run_record::RunRecord;

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
    let ui = &app.extra.ui;
    for select in [&ui.compare_a, &ui.compare_b, &ui.compare_metric] {
        let a = app.clone();
        on::<Event>(select, "change", move |_| a.draw_compare());
    }
    let a = app.clone();
    on::<Event>(&ui.compare_persist, "change", move |_| a.persist_runs());
    let a = app.clone();
    on::<MouseEvent>(&ui.compare_clear, "click", move |_| {
        a.extra.state.borrow_mut().runs.clear();
        a.persist_runs();
        a.refresh_runs();
    });
    match storage().map(|s| s.get_item(KEY)) {
        Some(Ok(Some(json))) => match serde_json::from_str::<Vec<RunRecord>>(&json) {
            Ok(runs) => {
                app.extra.state.borrow_mut().runs = runs;
                ui.compare_persist.set_checked(true);
            }
            Err(_) => set_text(
                &ui.compare_error,
                "The runs kept in this browser could not be read; they are ignored.",
            ),
        },
        Some(Ok(None)) => {}
        Some(Err(_)) | None => {
            ui.compare_persist.set_disabled(true);
            set_attr(
                &ui.compare_persist,
                "title",
                "This page may not use the browser's storage here (e.g. in a sandboxed frame).",
            );
        }
    }
    app.refresh_runs();
}

impl App {
    /// A training run finished: keep it.
    pub(super) fn record_run(&self, _evaluation: &Evaluation) {
        let record = self.current_record();
        {
            let mut state = self.extra.state.borrow_mut();
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
        let ui = &self.extra.ui;
        let Some(storage) = storage() else {
            return;
        };
        let outcome = if ui.compare_persist.checked() {
            let json = serde_json::to_string(&self.extra.state.borrow().runs).unwrap_or_default();
            storage.set_item(KEY, &json)
        } else {
            storage.remove_item(KEY)
        };
        let message = match outcome {
            Ok(()) => "",
            Err(_) => "The browser refused to keep the runs (storage full or not allowed).",
        };
        set_text(&ui.compare_error, message);
    }

    fn refresh_runs(&self) {
        let a = self.extra.ui.compare_a.selected_index();
        let b = self.extra.ui.compare_b.selected_index();
        let n = self.extra.state.borrow().runs.len();
        let keep = |i: i32| (i >= 0 && (i as usize) < n).then_some(i as usize);
        let (a, b) = match (keep(a), keep(b)) {
            (Some(a), Some(b)) => (Some(a), Some(b)),
            _ => (n.checked_sub(2), n.checked_sub(1)),
        };
        self.refresh_runs_selecting(a, b);
    }

    /// Refills the table and the selects (choosing `a` and `b`), then redraws.
    fn refresh_runs_selecting(&self, a: Option<usize>, b: Option<usize>) {
        let ui = &self.extra.ui;
        let state = self.extra.state.borrow();
        let rows: Vec<Vec<String>> = state
            .runs
            .iter()
            .map(|r| {
                let s = &r.settings;
                vec![
                    format!("Run {}", r.run),
                    s.seed.to_string(),
                    s.scale.clone(),
                    s.lr.to_string(),
                    s.batch.to_string(),
                    r.history.len().to_string(),
                    r.metrics
                        .as_ref()
                        .map_or("–".into(), |m| percent(m.test_accuracy)),
                ]
            })
            .collect();
        fill_rows(&ui.runs_body, &rows, true);
        set_attr(&ui.runs_body, "data-count", &rows.len().to_string());
        for (select, chosen) in [(&ui.compare_a, a), (&ui.compare_b, b)] {
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
        let ui = &self.extra.ui;
        let metric = ui.compare_metric.value();
        let value: fn(&EpochReport) -> f64 = match metric.as_str() {
            "test_loss" => |r| r.test_loss,
            "train_accuracy" => |r| r.train_accuracy,
            "train_loss" => |r| r.train_loss,
            _ => |r| r.test_accuracy,
        };
        let state = self.extra.state.borrow();
        let pick = |i: i32| (i >= 0).then(|| state.runs.get(i as usize)).flatten();
        let chosen = [
            ("run A", pick(ui.compare_a.selected_index()), false),
            ("run B", pick(ui.compare_b.selected_index()), true),
        ];
        let curves: Vec<Curve> = chosen
            .iter()
            .filter_map(|(label, run, dashed)| {
                run.map(|r| Curve {
                    label,
                    points: r
                        .history
                        .iter()
                        .map(|e| (e.epoch as f64, value(e)))
                        .collect(),
                    dashed: *dashed,
                })
            })
            .collect();
        let epochs = chosen
            .iter()
            .filter_map(|(_, r, _)| r.map(|r| r.history.len()))
            .max()
            .unwrap_or(0);
        let loss = metric.ends_with("loss");
        let range = if loss {
            charts::zero_to_max(curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)))
        } else {
            0.0..1.0
        };
        let name = metric.replace('_', " ");
        let corner = if loss {
            Corner::UpperRight
        } else {
            Corner::LowerRight
        };
        self.draw(charts::per_epoch(
            &ui.chart_compare,
            &format!("Two runs compared: {name}"),
            &name,
            epochs,
            range,
            &curves,
            corner,
        ));
        let described: Vec<String> = chosen
            .iter()
            .filter_map(|(label, run, _)| {
                let r = (*run)?;
                let last = r.history.last().map(value).unwrap_or(f64::NAN);
                Some(format!(
                    "{label} ({}, solid/dashed as in the legend) ends at {last:.3}",
                    r.label()
                ))
            })
            .collect();
        let text = if described.is_empty() {
            "Two runs compared: no runs yet".to_string()
        } else {
            format!(
                "Two runs compared, {name} per epoch: {}. Each run's settings are in the runs table.",
                described.join("; ")
            )
        };
        set_attr(&ui.chart_compare, "aria-label", &text);
    }
}
