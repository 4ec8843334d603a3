//! Section 3, training: the settings, Start / Pause-Resume / Stop, progress, and the live
//! loss and accuracy charts.

use digits_cnn::training::EpochReport;

use super::App;
use super::state::{Run, Status};
use crate::charts::{self, Corner, Curve};
use crate::dom::{append_row, fill_rows, remove_attr, set_attr, set_text};
use crate::format::{self, decimal, percent, thousands};
use crate::protocol::Request;
use crate::settings::{PageSettings, Setting};

/// Least time between two redraws of the loss and accuracy charts during a run (ms).
const HISTORY_REDRAW_MS: f64 = 300.0;

impl App {
    /// The settings form's values, or `None` with the reasons shown in `#settings-error`.
    pub(super) fn form_settings(&self) -> Option<PageSettings> {
        let fields = Setting::ALL.map(|s| (s, self.ui.setting(s).unwrap_or_default()));
        match PageSettings::from_fields(fields) {
            Ok(settings) => {
                set_text(&self.ui.settings_error, "");
                Some(settings)
            }
            Err(errors) => {
                let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
                set_text(
                    &self.ui.settings_error,
                    &format!("Not started: {}.", reasons.join("; ")),
                );
                None
            }
        }
    }

    /// Start: a fresh training run with the form's settings (replacing any run).
    pub(super) fn start_training(&self) {
        if let Some(settings) = self.form_settings() {
            self.send(Request::Train {
                config: settings.config,
            });
        }
    }

    /// Pause when running, resume when paused. The state changes when the worker confirms,
    /// so no epoch message can arrive after "paused".
    pub(super) fn toggle_pause(&self) {
        match self.state.borrow().status {
            Status::Training => self.send(Request::Pause),
            Status::Paused => self.send(Request::Resume),
            _ => {}
        }
    }

    /// Stop the run.
    pub(super) fn stop(&self) {
        if self.state.borrow().status.has_run() {
            self.send(Request::Stop);
        }
    }

    /// Starts the run the URL asked for (`autostart=1`, `kfold=1`), once.
    pub(super) fn autostart(&self) {
        let kfold = {
            let mut state = self.state.borrow_mut();
            if !std::mem::take(&mut state.autostart) {
                return;
            }
            state.settings.kfold
        };
        if kfold {
            self.start_cross_validation()
        } else {
            self.start_training()
        }
    }

    /// The split's sizes in `#split-info` (text and `data-train` / `data-test`).
    pub(super) fn show_split(&self, train_rows: usize, test_rows: usize) {
        let info = &self.ui.split_info;
        set_attr(info, "data-train", &train_rows.to_string());
        set_attr(info, "data-test", &test_rows.to_string());
        set_text(
            info,
            &format!(
                "{} training rows, {} test rows",
                thousands(train_rows),
                thousands(test_rows)
            ),
        );
    }

    /// A training run began: reset the run's views.
    pub(super) fn on_training_started(&self, epochs: usize, train_rows: usize, test_rows: usize) {
        {
            let mut state = self.state.borrow_mut();
            state.run = Run::Train { epochs };
            state.history.clear();
        }
        self.set_epoch(0);
        self.show_split(train_rows, test_rows);
        let ui = &self.ui;
        remove_attr(&ui.test_accuracy, "data-value");
        set_text(&ui.test_accuracy, "training…");
        ui.progress.set_max(epochs as f64);
        ui.progress.set_value(0.0);
        set_text(
            &ui.progress_text,
            &format::progress(0, epochs, 0.0, f64::NAN),
        );
        fill_rows(&ui.history_body, &[], true);
        self.draw_history();
        self.show_status(Status::Training, &format!("Training · epoch 0 of {epochs}"));
        self.announce(&format!(
            "Training started: {epochs} epochs on {} rows.",
            thousands(train_rows)
        ));
    }

    /// A training epoch finished: progress, charts, table, status.
    pub(super) fn on_epoch(&self, report: EpochReport) {
        let (epochs, status) = {
            let mut state = self.state.borrow_mut();
            state.history.push(report.clone());
            let epochs = match state.run {
                Run::Train { epochs } => epochs,
                _ => report.epoch,
            };
            (epochs, state.status)
        };
        self.set_epoch(report.epoch);
        let ui = &self.ui;
        ui.progress.set_value(report.epoch as f64);
        set_text(
            &ui.progress_text,
            &format::progress(
                report.epoch,
                epochs,
                report.elapsed_seconds,
                report.samples_per_second,
            ),
        );
        append_row(
            &ui.history_body,
            &[
                report.epoch.to_string(),
                decimal(report.train_loss),
                decimal(report.test_loss),
                percent(report.train_accuracy),
                percent(report.test_accuracy),
            ],
            true,
        );
        self.draw_history_when_due();
        let position = format!("epoch {} of {epochs}", report.epoch);
        let accuracy = percent(report.test_accuracy);
        self.show_status(
            status,
            &format!("Training · {position} · test accuracy {accuracy}"),
        );
        self.announce_progress(&format!(
            "Epoch {} of {epochs}: test accuracy {accuracy}.",
            report.epoch
        ));
    }

    /// Redraws the loss and accuracy charts and their text alternatives.
    /// Draws the loss and accuracy charts if [`HISTORY_REDRAW_MS`] have passed since they
    /// were last drawn; else leaves them for a later epoch or the end of the run
    /// ([`draw_stale_history`](Self::draw_stale_history)). At several epochs a second the
    /// charts need not redraw for each: that main-thread time is the workers' on two cores.
    fn draw_history_when_due(&self) {
        let due = {
            let mut state = self.state.borrow_mut();
            state.history_stale = true;
            crate::dom::now_ms() - state.history_drawn_at >= HISTORY_REDRAW_MS
        };
        if due {
            self.draw_history();
        }
    }

    /// Draws the charts if epochs arrived since they were drawn and no training is going.
    pub(super) fn draw_stale_history(&self) {
        let stale = {
            let state = self.state.borrow();
            state.history_stale && state.status != Status::Training
        };
        if stale {
            self.draw_history();
        }
    }

    pub(super) fn draw_history(&self) {
        {
            let mut state = self.state.borrow_mut();
            state.history_drawn_at = crate::dom::now_ms();
            state.history_stale = false;
        }
        let state = self.state.borrow();
        let history = &state.history;
        let epochs = match state.run {
            Run::Train { epochs } => epochs,
            _ => history.len(),
        };
        let series = |value: fn(&EpochReport) -> f64| -> Vec<(f64, f64)> {
            history.iter().map(|r| (r.epoch as f64, value(r))).collect()
        };
        let curves = |train: fn(&EpochReport) -> f64, test: fn(&EpochReport) -> f64| {
            [
                Curve {
                    label: "train",
                    points: series(train),
                    dashed: false,
                },
                Curve {
                    label: "test",
                    points: series(test),
                    dashed: true,
                },
            ]
        };
        let loss = curves(|r| r.train_loss, |r| r.test_loss);
        let loss_range =
            charts::zero_to_max(loss.iter().flat_map(|c| c.points.iter().map(|p| p.1)));
        let ui = &self.ui;
        self.draw(charts::per_epoch(
            &ui.chart_loss,
            "Loss per epoch",
            "cross-entropy loss",
            epochs,
            loss_range,
            &loss,
            Corner::UpperRight,
        ));
        let accuracy = curves(|r| r.train_accuracy, |r| r.test_accuracy);
        self.draw(charts::per_epoch(
            &ui.chart_accuracy,
            "Accuracy per epoch",
            "accuracy",
            epochs,
            0.0..1.0,
            &accuracy,
            Corner::LowerRight,
        ));
        let (loss_text, accuracy_text) = match history.last() {
            None => ("no epoch yet".to_string(), "no epoch yet".to_string()),
            Some(r) => (
                format!(
                    "after epoch {}: train {}, test {}",
                    r.epoch,
                    decimal(r.train_loss),
                    decimal(r.test_loss)
                ),
                format!(
                    "after epoch {}: train {}, test {}",
                    r.epoch,
                    percent(r.train_accuracy),
                    percent(r.test_accuracy)
                ),
            ),
        };
        let see = "Every epoch's numbers are in the per-epoch table.";
        set_attr(
            &ui.chart_loss,
            "aria-label",
            &format!("Loss per epoch, train and test; {loss_text}. {see}"),
        );
        set_attr(
            &ui.chart_accuracy,
            "aria-label",
            &format!("Accuracy per epoch, train and test; {accuracy_text}. {see}"),
        );
    }

    /// Where the run is, for status sentences: `epoch 3 of 100` or `fold 2 of 5, epoch 3 of 10`.
    pub(super) fn run_position(&self) -> String {
        let state = self.state.borrow();
        match state.run {
            Run::None => String::new(),
            Run::Train { epochs } => format!("epoch {} of {epochs}", state.epoch),
            Run::CrossValidate {
                folds,
                epochs,
                fold,
                ..
            } => {
                let in_fold = state.epoch.saturating_sub(fold.saturating_sub(1) * epochs);
                format!("fold {fold} of {folds}, epoch {in_fold} of {epochs}")
            }
        }
    }

    /// The worker holds the run.
    pub(super) fn on_paused(&self) {
        let position = self.run_position();
        self.show_status(
            Status::Paused,
            &format!("Paused · {position} · press Resume to continue"),
        );
        self.announce(&format!("Paused at {position}."));
    }

    /// The worker continues the run.
    pub(super) fn on_resumed(&self) {
        let position = self.run_position();
        self.show_status(Status::Training, &format!("Training · {position}"));
        self.announce("Resumed.");
    }

    /// The worker abandoned the run.
    pub(super) fn on_stopped(&self) {
        let position = self.run_position();
        self.show_status(
            Status::Idle,
            &format!("Stopped at {position} · press Start to train again"),
        );
        self.announce(&format!("Stopped at {position}."));
    }
}
