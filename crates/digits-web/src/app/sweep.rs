//! Section 2's Sweep panel: networks (one spec per line) × learning rates × seeds, the core's
//! grid (`digits_cnn::sweep`, capped at its `MAX_RUNS`) trained in the worker
//! (`session/sweep.rs`) with section 3's other settings; the results table marks the best
//! row, and each row's Load button puts its network into the editor.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    Element, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlTableSectionElement,
    HtmlTextAreaElement, MouseEvent,
};

use digits_cnn::arch::{Arch, NOTEBOOK, Preset};
use digits_cnn::sweep::{Sweep, SweepResult};

use super::state::{RunProgress, Status};
use super::{App, on_click};
use crate::dom::{by_id, create, on, set_attr, set_text};
use crate::format::{decimal, percent, thousands};
use crate::i18n::{Key, t, tr};
use crate::protocol::Request;
use crate::settings::Setting;

/// The Sweep panel's elements.
pub(super) struct SweepSection {
    /// The networks, one spec per line.
    pub(super) archs: HtmlTextAreaElement,
    /// The learning rates, comma-separated.
    pub(super) learning_rates: HtmlInputElement,
    /// Seeds per combination.
    pub(super) seeds: HtmlInputElement,
    /// Runs the sweep.
    pub(super) start: HtmlButtonElement,
    /// Why a sweep was not started (role=alert).
    pub(super) error: HtmlElement,
    /// Which training is going.
    pub(super) progress: HtmlElement,
    /// One row per combination.
    pub(super) body: HtmlTableSectionElement,
}

impl SweepSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            archs: by_id("sweep-archs")?,
            learning_rates: by_id("sweep-lrs")?,
            seeds: by_id("sweep-seeds")?,
            start: by_id("sweep-start")?,
            error: by_id("sweep-error")?,
            progress: by_id("sweep-progress")?,
            body: by_id("sweep-body")?,
        })
    }
}

/// Connects the start button and the rows' Load buttons; starts with the notebook's network
/// against the small preset.
pub(super) fn wire(app: &Rc<App>) {
    let small = Preset::named("small").map_or("", |preset| preset.spec);
    app.sweep.archs.set_value(&format!("{NOTEBOOK}\n{small}"));
    on_click(app, &app.sweep.start, |app| app.start_sweep());
    let a = app.clone();
    on::<MouseEvent>(&app.sweep.body, "click", move |event| {
        let spec = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|button| button.get_attribute("data-spec"));
        if let Some(arch) = spec.and_then(|spec| spec.parse::<Arch>().ok()) {
            a.set_arch(&arch);
            let _ = a.model.spec.focus();
        }
    });
}

impl App {
    /// Reads the panel (and section 3's settings for everything else), checks the grid with
    /// the core's `Sweep::new`, and asks the worker to run it.
    fn start_sweep(&self) {
        let Some(mut settings) = self.form_settings() else {
            set_text(&self.sweep.error, t(Key::NotStartedSettings));
            return;
        };
        let archs: Result<Vec<Arch>, String> = self
            .sweep
            .archs
            .value()
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                line.trim().parse::<Arch>().map_err(|error| {
                    tr(Key::SweepLine, &[("line", &(index + 1)), ("error", &error)])
                })
            })
            .collect();
        // Each rate is checked as the form's learning rate is.
        let learning_rates: Result<Vec<f64>, String> = self
            .sweep
            .learning_rates
            .value()
            .split(',')
            .filter(|rate| !rate.trim().is_empty())
            .map(|rate| {
                settings
                    .set(Setting::Lr, rate)
                    .map(|()| settings.config.learning_rate)
                    .map_err(|reason| {
                        tr(
                            Key::SweepRate,
                            &[("rate", &rate.trim()), ("reason", &reason)],
                        )
                    })
            })
            .collect();
        let seeds = self
            .sweep
            .seeds
            .value()
            .trim()
            .parse::<usize>()
            .map_err(|_| {
                tr(
                    Key::SweepSeedsNotWhole,
                    &[("value", &self.sweep.seeds.value())],
                )
            });
        let checked = archs.and_then(|archs| {
            let learning_rates = learning_rates?;
            let seeds = seeds?;
            Sweep::new(&archs, &learning_rates, seeds)
                .map_err(|error| error.message)
                .map(|_| (archs, learning_rates, seeds))
        });
        match checked {
            Ok((archs, learning_rates, seeds)) => {
                set_text(&self.sweep.error, "");
                self.send(Request::Sweep {
                    config: settings.config,
                    archs,
                    learning_rates,
                    seeds,
                });
            }
            Err(message) => set_text(
                &self.sweep.error,
                &tr(Key::NotStarted, &[("reasons", &message)]),
            ),
        }
    }

    /// The worker began the sweep: clear the table, show the run.
    pub(super) fn on_sweep_started(&self, runs: usize, epochs: usize) {
        self.state.borrow_mut().run = RunProgress::Sweep {
            runs,
            epochs,
            run: 1,
            epoch: 0,
        };
        self.set_epoch(0);
        set_attr(&self.sweep.body, "data-state", "running");
        self.sweep.body.set_inner_html("");
        self.show_sweep_position();
        self.announce(&tr(Key::SweepStarted, &[("runs", &runs)]));
    }

    /// An epoch of one of the sweep's trainings finished.
    pub(super) fn on_sweep_progress(&self, run: usize, epoch: usize) {
        if let RunProgress::Sweep {
            run: current,
            epoch: current_epoch,
            ..
        } = &mut self.state.borrow_mut().run
        {
            (*current, *current_epoch) = (run, epoch);
        }
        self.show_sweep_position();
    }

    fn show_sweep_position(&self) {
        let position = self.run_position();
        set_text(
            &self.sweep.progress,
            &tr(Key::SweepProgress, &[("position", &position)]),
        );
        self.show_status(
            Status::Training,
            &tr(Key::SweepStatus, &[("position", &position)]),
        );
    }

    /// Every training finished: one row per combination, the best marked `data-best`.
    pub(super) fn on_sweep_done(&self, results: &[SweepResult], best: Option<usize>) {
        let body = &self.sweep.body;
        body.set_inner_html("");
        for (index, result) in results.iter().enumerate() {
            let row = result_row(result);
            if Some(index) == best {
                set_attr(&row, "data-best", "true");
            }
            let _ = body.append_child(&row);
        }
        set_attr(body, "data-state", "done");
        let text = match best.map(|index| &results[index]) {
            Some(result) => tr(
                Key::SweepBest,
                &[
                    ("arch", &result.arch),
                    ("rate", &result.learning_rate),
                    ("accuracy", &percent(result.mean_accuracy)),
                ],
            ),
            None => t(Key::SweepDone).into(),
        };
        set_text(&self.sweep.progress, &text);
        self.show_status(Status::Done, &text);
        self.announce(&text);
    }
}

/// A results row: network, learning rate, parameters, mean ± std, seconds per epoch, Load.
fn result_row(result: &SweepResult) -> Element {
    let row: Element = create("tr");
    let spec = result.arch.to_string();
    let header: Element = create("th");
    set_attr(&header, "scope", "row");
    set_text(&header, &spec);
    let _ = row.append_child(&header);
    for text in [
        result.learning_rate.to_string(),
        thousands(result.parameters),
        format!(
            "{} ± {}",
            percent(result.mean_accuracy),
            percent(result.std_accuracy)
        ),
        decimal(result.seconds_per_epoch),
    ] {
        let cell: Element = create("td");
        set_text(&cell, &text);
        let _ = row.append_child(&cell);
    }
    let cell: Element = create("td");
    let load: Element = create("button");
    set_attr(&load, "type", "button");
    set_attr(&load, "data-spec", &spec);
    set_attr(
        &load,
        "aria-label",
        &tr(Key::SweepLoadLabel, &[("spec", &spec)]),
    );
    set_text(&load, t(Key::SweepLoad));
    let _ = cell.append_child(&load);
    let _ = row.append_child(&cell);
    row
}
