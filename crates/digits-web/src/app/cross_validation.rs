//! Section 6, cross-validation: K folds trained from scratch, per-fold progress, each fold's
//! loss and accuracy with their mean ± standard deviation.
//!
//! The worker's side is `session/cross_validation.rs`, around the core's `cross_validation`.

use std::cell::RefCell;
use web_sys::{
    HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlProgressElement, HtmlTableSectionElement,
};

use digits_cnn::training::EpochReport;

use super::state::{RunProgress, Status};
use super::{App, on_click};
use crate::charts;
use crate::dom::{append_row, by_id, fill_rows, remove_attr, set_attr, set_text};
use crate::format::{self, decimal, percent, percent_digits, thousands};
use crate::i18n::{Key, t, tr};
use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult};
use std::rc::Rc;

use crate::notebook::{NOTEBOOK_CV_ACCURACY, follows_notebook_cross_validation};
use crate::protocol::Request;

/// Section 6's elements and memory.
pub(super) struct CrossValidationSection {
    /// Start cross-validation.
    pub(super) start: HtmlButtonElement,
    /// Epochs done over all folds.
    pub(super) progress: HtmlProgressElement,
    /// The current fold and epoch.
    pub(super) progress_text: HtmlElement,
    /// Mean fold accuracy.
    pub(super) mean: HtmlElement,
    /// Standard deviations and mean loss.
    pub(super) spread: HtmlElement,
    /// The notebook's own mean, shown when the run followed its protocol.
    pub(super) notebook: HtmlElement,
    /// Each fold's loss and accuracy.
    pub(super) chart: HtmlCanvasElement,
    /// One row per fold.
    pub(super) body: HtmlTableSectionElement,
    /// What the cross-validation section remembers.
    pub(super) state: RefCell<CrossValidationState>,
}

impl CrossValidationSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            start: by_id("kfold-start")?,
            progress: by_id("cv-progress")?,
            progress_text: by_id("cv-progress-text")?,
            mean: by_id("cv-mean")?,
            spread: by_id("cv-spread")?,
            notebook: by_id("cv-notebook")?,
            chart: by_id("chart-cv")?,
            body: by_id("cv-body")?,
            state: RefCell::default(),
        })
    }
}

/// Connects the cross-validation's Start.
pub(super) fn wire(app: &Rc<App>) {
    on_click(app, &app.cross_validation.start, |app| {
        app.start_cross_validation()
    });
}

impl App {
    /// Starts cross-validation with the form's settings and fold count.
    pub(super) fn start_cross_validation(&self) {
        if let Some(settings) = self.form_settings() {
            self.cross_validation.state.borrow_mut().notebook =
                follows_notebook_cross_validation(&settings);
            self.send(Request::CrossValidate {
                config: settings.config,
                folds: settings.folds,
            });
        }
    }

    /// Cross-validation began: reset its views.
    pub(super) fn on_cv_started(&self, folds: usize, epochs: usize) {
        {
            let mut state = self.state.borrow_mut();
            state.run = RunProgress::CrossValidate {
                folds,
                epochs,
                fold: 0,
                elapsed_before: 0.0,
                fold_elapsed: 0.0,
            };
        }
        self.cross_validation.state.borrow_mut().folds.clear();
        self.set_epoch(0);
        remove_attr(&self.cross_validation.mean, "data-value");
        set_text(&self.cross_validation.mean, t(Key::Running));
        set_text(&self.cross_validation.spread, "");
        self.cross_validation.notebook.set_hidden(true);
        fill_rows(&self.cross_validation.body, &[], true);
        self.cross_validation
            .progress
            .set_max((folds * epochs) as f64);
        self.cross_validation.progress.set_value(0.0);
        set_text(
            &self.cross_validation.progress_text,
            &tr(Key::CvStarting, &[("folds", &folds), ("epochs", &epochs)]),
        );
        self.draw_cv(false);
        self.show_status(
            Status::Training,
            &tr(Key::CvFirstFold, &[("folds", &folds)]),
        );
        self.announce(&tr(
            Key::CvStarted,
            &[("folds", &folds), ("epochs", &epochs)],
        ));
    }

    /// A fold's fresh network starts training.
    pub(super) fn on_fold_started(&self, fold: usize, train_rows: usize, test_rows: usize) {
        let folds = {
            let mut state = self.state.borrow_mut();
            let RunProgress::CrossValidate {
                folds,
                fold: current,
                fold_elapsed,
                ..
            } = &mut state.run
            else {
                return;
            };
            *current = fold;
            *fold_elapsed = 0.0;
            *folds
        };
        set_text(
            &self.cross_validation.progress_text,
            &tr(
                Key::FoldStarted,
                &[
                    ("fold", &fold),
                    ("folds", &folds),
                    ("train", &thousands(train_rows)),
                    ("test", &thousands(test_rows)),
                ],
            ),
        );
    }

    /// An epoch of the current fold finished.
    pub(super) fn on_fold_epoch(&self, fold: usize, report: &EpochReport) {
        let (folds, epochs, elapsed, status) = {
            let mut state = self.state.borrow_mut();
            let status = state.status;
            let RunProgress::CrossValidate {
                folds,
                epochs,
                elapsed_before,
                fold_elapsed,
                ..
            } = &mut state.run
            else {
                return;
            };
            *fold_elapsed = report.elapsed_seconds;
            (
                *folds,
                *epochs,
                *elapsed_before + report.elapsed_seconds,
                status,
            )
        };
        let done = (fold - 1) * epochs + report.epoch;
        self.set_epoch(done);
        self.cross_validation.progress.set_value(done as f64);
        let progress = format::progress(done, folds * epochs, elapsed, report.samples_per_second);
        set_text(
            &self.cross_validation.progress_text,
            &tr(
                Key::FoldProgress,
                &[("fold", &fold), ("folds", &folds), ("progress", &progress)],
            ),
        );
        let position = fold_position(fold, folds, report.epoch, epochs);
        self.show_status(status, &tr(Key::CvStatus, &[("position", &position)]));
        self.announce_progress(&tr(Key::CvAnnounce, &[("position", &position)]));
    }

    /// A fold finished: add its row and point.
    pub(super) fn on_fold_done(&self, result: FoldResult, train_rows: usize, test_rows: usize) {
        {
            let mut state = self.state.borrow_mut();
            if let RunProgress::CrossValidate {
                elapsed_before,
                fold_elapsed,
                ..
            } = &mut state.run
            {
                *elapsed_before += std::mem::take(fold_elapsed);
            }
        }
        self.cross_validation
            .state
            .borrow_mut()
            .folds
            .push(result.clone());
        append_row(
            &self.cross_validation.body,
            &[
                result.fold.to_string(),
                thousands(train_rows),
                thousands(test_rows),
                decimal(result.loss),
                percent(result.accuracy),
            ],
            true,
        );
        self.draw_cv(false);
    }

    /// Every fold finished: means, spreads, the chart's mean lines, done.
    pub(super) fn on_cv_done(&self, summary: &CrossValidationSummary) {
        let k = summary.folds.len();
        let mean = format!(
            "{} ± {}",
            percent(summary.mean_accuracy),
            percent(summary.std_accuracy)
        );
        set_text(&self.cross_validation.mean, &mean);
        let notebook = self.cross_validation.state.borrow().notebook;
        self.cross_validation.notebook.set_hidden(!notebook);
        set_text(
            &self.cross_validation.notebook,
            &tr(
                Key::CvNotebook,
                &[("accuracy", &percent_digits(NOTEBOOK_CV_ACCURACY, 2))],
            ),
        );
        set_attr(
            &self.cross_validation.mean,
            "data-value",
            &summary.mean_accuracy.to_string(),
        );
        set_text(
            &self.cross_validation.spread,
            &tr(
                Key::CvSpread,
                &[
                    ("folds", &k),
                    ("loss", &decimal(summary.mean_loss)),
                    ("std", &decimal(summary.std_loss)),
                ],
            ),
        );
        set_text(
            &self.cross_validation.progress_text,
            &tr(Key::CvAllDone, &[("folds", &k)]),
        );
        self.draw_cv(true);
        self.show_status(
            Status::Done,
            &tr(Key::CvDoneStatus, &[("folds", &k), ("mean", &mean)]),
        );
        self.announce(&tr(Key::CvDoneAnnounce, &[("folds", &k), ("mean", &mean)]));
    }

    /// Redraws the folds chart and its text alternative.
    pub(super) fn draw_cv(&self, finished: bool) {
        let state = self.cross_validation.state.borrow();
        let folds = match self.state.borrow().run {
            RunProgress::CrossValidate { folds, .. } => folds,
            _ => state.folds.len(),
        };
        let (canvas, results) = (self.cross_validation.chart.clone(), state.folds.clone());
        self.draw_chart(&canvas.clone(), move || {
            charts::cross_validation(&canvas, &results, folds, finished)
        });
        let points: Vec<String> = state
            .folds
            .iter()
            .map(|f| {
                tr(
                    Key::CvPoint,
                    &[
                        ("fold", &f.fold),
                        ("loss", &decimal(f.loss)),
                        ("accuracy", &percent(f.accuracy)),
                    ],
                )
            })
            .collect();
        let text = if points.is_empty() {
            t(Key::CvChartEmpty).to_string()
        } else {
            tr(Key::CvChartLabel, &[("folds", &points.join("; "))])
        };
        set_attr(&self.cross_validation.chart, "aria-label", &text);
    }
}

/// What the cross-validation section remembers.
#[derive(Default)]
pub(super) struct CrossValidationState {
    /// Finished folds of the current cross-validation.
    pub(super) folds: Vec<FoldResult>,
    /// Whether it follows the notebook's protocol (its mean is shown beside ours).
    pub(super) notebook: bool,
}

/// Where a cross-validation is: `fold 2 of 5, epoch 3 of 10` (also the pause and stop
/// messages').
pub(super) fn fold_position(fold: usize, folds: usize, epoch: usize, epochs: usize) -> String {
    tr(
        Key::FoldPosition,
        &[
            ("fold", &fold),
            ("folds", &folds),
            ("epoch", &epoch),
            ("epochs", &epochs),
        ],
    )
}
