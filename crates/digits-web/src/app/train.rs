//! Section 3, training: the settings, Start / Pause-Resume / Stop, progress, and the live
//! loss and accuracy charts.
//!
//! The worker's side is `session/training.rs`; the settings' rules are `settings.rs`.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    HtmlProgressElement, HtmlSelectElement, HtmlTableSectionElement,
};

use digits_cnn::training::EpochReport;

use super::cross_validation::fold_position;
use super::state::{RunProgress, Status};
use super::{App, on_click};
use crate::charts::{self, Corner, Curve, PerEpochChart};
use crate::dom::{append_row, by_id, fill_rows, remove_attr, set_attr, set_text};
use crate::format::{self, decimal, percent, thousands};
use crate::i18n::{Key, t, tr};
use crate::protocol::Request;
use crate::settings::{PageSettings, Setting};

/// Section 3's elements (the settings form's fields are found by [`Setting::input_id`]) and memory.
pub(super) struct TrainSection {
    /// Invalid settings when starting.
    pub(super) settings_error: HtmlElement,
    /// Start training.
    pub(super) start: HtmlButtonElement,
    /// Pause or resume.
    pub(super) pause: HtmlButtonElement,
    /// Stop.
    pub(super) stop: HtmlButtonElement,
    /// Epochs done of the run.
    pub(super) progress: HtmlProgressElement,
    /// Epoch, elapsed, ETA, samples/s.
    pub(super) progress_text: HtmlElement,
    /// Loss per epoch.
    pub(super) chart_loss: HtmlCanvasElement,
    /// Accuracy per epoch.
    pub(super) chart_accuracy: HtmlCanvasElement,
    /// The per-epoch numbers (the charts' text alternative).
    pub(super) history_body: HtmlTableSectionElement,
    /// What the training section remembers.
    pub(super) state: RefCell<TrainState>,
}

impl TrainSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            settings_error: by_id("settings-error")?,
            start: by_id("train-start")?,
            pause: by_id("train-pause")?,
            stop: by_id("train-stop")?,
            progress: by_id("progress")?,
            progress_text: by_id("progress-text")?,
            chart_loss: by_id("chart-loss")?,
            chart_accuracy: by_id("chart-accuracy")?,
            history_body: by_id("history-body")?,
            state: RefCell::default(),
        })
    }
}

/// Least time between two redraws of the loss and accuracy charts during a run (ms).
const HISTORY_REDRAW_MS: f64 = 300.0;

/// Connects Start, Pause/Resume and Stop.
pub(super) fn wire(app: &Rc<App>) {
    on_click(app, &app.train.start, |app| app.start_training());
    on_click(app, &app.train.pause, |app| app.toggle_pause());
    on_click(app, &app.train.stop, |app| app.stop());
}

/// A settings field's current text (the form's fields are named by [`Setting::input_id`]).
/// A checkbox reads as its `value` when ticked, else as its `data-off` attribute.
fn form_field(setting: Setting) -> Result<String, String> {
    let element: Element = by_id(setting.input_id())?;
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        if input.type_() == "checkbox" && !input.checked() {
            return Ok(input.get_attribute("data-off").unwrap_or_default());
        }
        Ok(input.value())
    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        Ok(select.value())
    } else {
        Err(format!("#{} is not a form field", setting.input_id()))
    }
}

/// Puts `value` into a settings field (ticks a checkbox whose `value` it is).
pub(super) fn set_form_field(setting: Setting, value: &str) -> Result<(), String> {
    let element: Element = by_id(setting.input_id())?;
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        if input.type_() == "checkbox" {
            input.set_checked(input.value() == value);
        } else {
            input.set_value(value);
        }
    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
    }
    Ok(())
}

impl App {
    /// The settings form's values for the loaded data, or `None` with the reasons shown
    /// in `#settings-error` (a bad field, or a split the loaded data cannot make).
    pub(super) fn form_settings(&self) -> Option<PageSettings> {
        let fields = Setting::ALL.map(|s| (s, form_field(s).unwrap_or_default()));
        let reasons = match PageSettings::from_fields(fields) {
            Ok(mut settings) => {
                let (data, rows, test_file) = {
                    let state = self.data.state.borrow();
                    (state.bundled, state.rows, state.test_file.is_some())
                };
                settings.data = data;
                // With a test file the data is not split: any split will do.
                let checked = if test_file {
                    Ok(())
                } else {
                    settings.config.split.check(data, rows)
                };
                match checked {
                    Ok(()) => {
                        set_text(&self.train.settings_error, "");
                        return Some(settings);
                    }
                    Err(error) => vec![format!("{}: {error}", Setting::Split.label())],
                }
            }
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        set_text(
            &self.train.settings_error,
            &tr(Key::NotStarted, &[("reasons", &reasons.join("; "))]),
        );
        None
    }

    /// Start: a fresh training run with the form's settings (replacing any run).
    pub(super) fn start_training(&self) {
        if let Some(settings) = self.form_settings() {
            self.remember_run_settings(&settings, false);
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
        let info = &self.data.split_info;
        set_attr(info, "data-train", &train_rows.to_string());
        set_attr(info, "data-test", &test_rows.to_string());
        set_text(
            info,
            &tr(
                Key::SplitInfo,
                &[
                    ("train", &thousands(train_rows)),
                    ("test", &thousands(test_rows)),
                ],
            ),
        );
    }

    /// A training run began: reset the run's views.
    pub(super) fn on_training_started(&self, epochs: usize, train_rows: usize, test_rows: usize) {
        {
            self.state.borrow_mut().run = RunProgress::Train { epochs };
            let mut state = self.train.state.borrow_mut();
            state.history.clear();
            state.kept_epoch = None;
        }
        self.set_epoch(0);
        self.show_split(train_rows, test_rows);
        remove_attr(&self.evaluate.test_accuracy, "data-value");
        set_text(&self.evaluate.test_accuracy, t(Key::TrainingEllipsis));
        self.train.progress.set_max(epochs as f64);
        self.train.progress.set_value(0.0);
        set_text(
            &self.train.progress_text,
            &format::progress(0, epochs, 0.0, f64::NAN),
        );
        fill_rows(&self.train.history_body, &[], true);
        self.draw_history();
        let position = tr(Key::EpochOf, &[("epoch", &0), ("epochs", &epochs)]);
        self.show_status(
            Status::Training,
            &tr(Key::TrainingStatus, &[("position", &position)]),
        );
        self.announce(&tr(
            Key::TrainingStarted,
            &[("epochs", &epochs), ("rows", &thousands(train_rows))],
        ));
    }

    /// A training epoch finished: progress, charts, table, status.
    pub(super) fn on_epoch(&self, report: EpochReport) {
        let (epochs, status) = {
            self.train.state.borrow_mut().history.push(report.clone());
            let state = self.state.borrow();
            let epochs = state.run.training_epochs().unwrap_or(report.epoch);
            (epochs, state.status)
        };
        self.set_epoch(report.epoch);
        self.train.progress.set_value(report.epoch as f64);
        set_text(
            &self.train.progress_text,
            &format::progress(
                report.epoch,
                epochs,
                report.elapsed_seconds,
                report.samples_per_second,
            ),
        );
        append_row(
            &self.train.history_body,
            &[
                report.epoch.to_string(),
                decimal(report.train_loss),
                decimal(report.test_loss),
                percent(report.train_accuracy),
                percent(report.test_accuracy),
                // `–` without a validation share.
                decimal(report.val_loss.unwrap_or(f64::NAN)),
                percent(report.val_accuracy.unwrap_or(f64::NAN)),
            ],
            true,
        );
        self.draw_history_when_due();
        let position = tr(
            Key::EpochOf,
            &[("epoch", &report.epoch), ("epochs", &epochs)],
        );
        let accuracy = percent(report.test_accuracy);
        self.show_status(
            status,
            &tr(
                Key::TrainingEpochStatus,
                &[("position", &position), ("accuracy", &accuracy)],
            ),
        );
        self.announce_progress(&tr(
            Key::EpochAnnounce,
            &[
                ("epoch", &report.epoch),
                ("epochs", &epochs),
                ("accuracy", &accuracy),
            ],
        ));
    }

    /// Draws the loss and accuracy charts if [`HISTORY_REDRAW_MS`] have passed since they
    /// were last drawn; else leaves them for a later epoch or the end of the run
    /// ([`draw_stale_history`](Self::draw_stale_history)). At several epochs a second the
    /// charts need not redraw for each: that main-thread time is the workers' on two cores.
    fn draw_history_when_due(&self) {
        let due = {
            let mut state = self.train.state.borrow_mut();
            state.stale = true;
            crate::dom::now_ms() - state.drawn_at >= HISTORY_REDRAW_MS
        };
        if due {
            self.draw_history();
        }
    }

    /// Draws the charts if epochs arrived since they were drawn and no training is going.
    pub(super) fn draw_stale_history(&self) {
        let stale =
            { self.train.state.borrow().stale && self.state.borrow().status != Status::Training };
        if stale {
            self.draw_history();
        }
    }

    /// Draws the loss and accuracy charts from the epochs so far, and describes them.
    pub(super) fn draw_history(&self) {
        {
            let mut state = self.train.state.borrow_mut();
            state.drawn_at = crate::dom::now_ms();
            state.stale = false;
        }
        let state = self.train.state.borrow();
        let history = &state.history;
        let epochs = (self.state.borrow().run)
            .training_epochs()
            .unwrap_or(history.len());
        self.draw_loss_chart(history, epochs, state.kept_epoch);
        self.draw_accuracy_chart(history, epochs, state.kept_epoch);
        self.label_history_charts(history.last(), state.kept_epoch);
    }

    /// Early stopping kept `kept_epoch`'s weights (`None`: it was off): the charts mark it.
    pub(super) fn show_kept_epoch(&self, kept_epoch: Option<usize>) {
        self.train.state.borrow_mut().kept_epoch = kept_epoch;
        match kept_epoch {
            Some(epoch) => set_attr(
                &self.train.chart_loss,
                "data-kept-epoch",
                &epoch.to_string(),
            ),
            None => remove_attr(&self.train.chart_loss, "data-kept-epoch"),
        }
        self.draw_history();
    }

    /// Train, test (and validation) loss per epoch, from 0 to the highest loss.
    fn draw_loss_chart(&self, history: &[EpochReport], epochs: usize, kept: Option<usize>) {
        let mut loss = epoch_curves(history, |r| r.train_loss, |r| r.test_loss, |r| r.val_loss);
        let loss_range =
            charts::zero_to_max(loss.iter().flat_map(|c| c.points.iter().map(|p| p.1)));
        loss.extend(kept.map(|epoch| Curve::kept_epoch(epoch, &loss_range)));
        let chart = PerEpochChart {
            caption: t(Key::ChartLossTitle).into(),
            y_desc: t(Key::ChartLossAxis).into(),
            epochs,
            y_range: loss_range,
            curves: loss,
            legend_at: Corner::UpperRight,
        };
        self.draw_per_epoch(&self.train.chart_loss, chart);
    }

    /// Train, test (and validation) accuracy per epoch, from 0 to 1.
    fn draw_accuracy_chart(&self, history: &[EpochReport], epochs: usize, kept: Option<usize>) {
        let mut accuracy = epoch_curves(
            history,
            |r| r.train_accuracy,
            |r| r.test_accuracy,
            |r| r.val_accuracy,
        );
        accuracy.extend(kept.map(|epoch| Curve::kept_epoch(epoch, &(0.0..1.0))));
        let chart = PerEpochChart {
            caption: t(Key::ChartAccuracyTitle).into(),
            y_desc: t(Key::ChartAccuracyAxis).into(),
            epochs,
            y_range: 0.0..1.0,
            curves: accuracy,
            legend_at: Corner::LowerRight,
        };
        self.draw_per_epoch(&self.train.chart_accuracy, chart);
    }

    /// The charts' labels for screen readers: the `last` epoch's numbers, the epoch early
    /// stopping kept, and where every epoch's are.
    fn label_history_charts(&self, last: Option<&EpochReport>, kept: Option<usize>) {
        let (loss_text, accuracy_text) = match last {
            None => (
                t(Key::NoEpochYet).to_string(),
                t(Key::NoEpochYet).to_string(),
            ),
            Some(r) => {
                let after = |train: String, test: String| {
                    tr(
                        Key::AfterEpoch,
                        &[("epoch", &r.epoch), ("train", &train), ("test", &test)],
                    )
                };
                (
                    after(decimal(r.train_loss), decimal(r.test_loss)),
                    after(percent(r.train_accuracy), percent(r.test_accuracy)),
                )
            }
        };
        let see = match kept {
            Some(epoch) => tr(Key::KeptEpochSee, &[("epoch", &epoch)]),
            None => t(Key::SeeTable).into(),
        };
        set_attr(
            &self.train.chart_loss,
            "aria-label",
            &tr(Key::LossLabel, &[("last", &loss_text), ("see", &see)]),
        );
        set_attr(
            &self.train.chart_accuracy,
            "aria-label",
            &tr(
                Key::AccuracyLabel,
                &[("last", &accuracy_text), ("see", &see)],
            ),
        );
    }

    /// Where the run is, for status sentences: `epoch 3 of 100`, `fold 2 of 5, epoch 3 of 10`
    /// or `training 2 of 4, epoch 1 of 2`.
    pub(super) fn run_position(&self) -> String {
        let state = self.state.borrow();
        match state.run {
            RunProgress::None => String::new(),
            RunProgress::Train { epochs } => tr(
                Key::EpochOf,
                &[("epoch", &state.epoch), ("epochs", &epochs)],
            ),
            RunProgress::CrossValidate {
                folds,
                epochs,
                fold,
                ..
            } => {
                let in_fold = state.epoch.saturating_sub(fold.saturating_sub(1) * epochs);
                fold_position(fold, folds, in_fold, epochs)
            }
            RunProgress::Sweep {
                runs,
                epochs,
                run,
                epoch,
            } => tr(
                Key::SweepPosition,
                &[
                    ("run", &run),
                    ("runs", &runs),
                    ("epoch", &epoch),
                    ("epochs", &epochs),
                ],
            ),
        }
    }

    /// The worker holds the run.
    pub(super) fn on_paused(&self) {
        let position = self.run_position();
        self.show_status(
            Status::Paused,
            &tr(Key::PausedStatus, &[("position", &position)]),
        );
        self.announce(&tr(Key::PausedAnnounce, &[("position", &position)]));
    }

    /// The worker continues the run.
    pub(super) fn on_resumed(&self) {
        let position = self.run_position();
        self.show_status(
            Status::Training,
            &tr(Key::TrainingStatus, &[("position", &position)]),
        );
        self.announce(t(Key::ResumedAnnounce));
    }

    /// The worker abandoned the run.
    pub(super) fn on_stopped(&self) {
        let position = self.run_position();
        self.show_status(
            Status::Idle,
            &tr(Key::StoppedStatus, &[("position", &position)]),
        );
        self.announce(&tr(Key::StoppedAnnounce, &[("position", &position)]));
    }
}

/// A train curve (solid) and a test curve (dashed) of one value per epoch of `history`,
/// and a validation curve when the run measured one.
fn epoch_curves(
    history: &[EpochReport],
    train: fn(&EpochReport) -> f64,
    test: fn(&EpochReport) -> f64,
    validation: fn(&EpochReport) -> Option<f64>,
) -> Vec<Curve> {
    let mut curves = vec![
        Curve::per_epoch(t(Key::CurveTrain), history, train, false),
        Curve::per_epoch(t(Key::CurveTest), history, test, true),
    ];
    if history.iter().any(|r| validation(r).is_some()) {
        curves.push(Curve::validation(history, validation));
    }
    curves
}

/// What the training section remembers.
pub(super) struct TrainState {
    /// Every epoch of the current training run.
    pub(super) history: Vec<EpochReport>,
    /// When the loss and accuracy charts were last drawn (ms since load).
    pub(super) drawn_at: f64,
    /// Whether epochs arrived since the charts were last drawn.
    pub(super) stale: bool,
    /// The epoch whose weights early stopping kept, once the run finished with it on.
    pub(super) kept_epoch: Option<usize>,
}

impl Default for TrainState {
    fn default() -> Self {
        Self {
            history: Vec::new(),
            drawn_at: f64::NEG_INFINITY,
            stale: false,
            kept_epoch: None,
        }
    }
}
