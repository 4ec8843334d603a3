//! Section 6, cross-validation: K folds trained from scratch, per-fold progress, each fold's
//! loss and accuracy with their mean ± standard deviation.

use digits_cnn::training::EpochReport;

use super::App;
use super::state::{Run, Status};
use crate::charts;
use crate::dom::{append_row, fill_rows, remove_attr, set_attr, set_text};
use crate::format::{self, decimal, percent, thousands};
use crate::protocol::{CvSummary, FoldResult, Request};

impl App {
    /// Starts cross-validation with the form's settings and fold count.
    pub(super) fn start_cross_validation(&self) {
        if let Some(settings) = self.form_settings() {
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
            state.run = Run::CrossValidate {
                folds,
                epochs,
                fold: 0,
                elapsed_before: 0.0,
                fold_elapsed: 0.0,
            };
            state.folds.clear();
        }
        self.set_epoch(0);
        let ui = &self.ui;
        remove_attr(&ui.cv_mean, "data-value");
        set_text(&ui.cv_mean, "running…");
        set_text(&ui.cv_spread, "");
        fill_rows(&ui.cv_body, &[], true);
        ui.cv_progress.set_max((folds * epochs) as f64);
        ui.cv_progress.set_value(0.0);
        set_text(
            &ui.cv_progress_text,
            &format!("Starting {folds} folds of {epochs} epochs each"),
        );
        self.draw_cv(false);
        self.show_status(
            Status::Training,
            &format!("Cross-validating · fold 1 of {folds}"),
        );
        self.announce(&format!(
            "Cross-validation started: {folds} folds of {epochs} epochs."
        ));
    }

    /// A fold's fresh network starts training.
    pub(super) fn on_fold_started(&self, fold: usize, train_rows: usize, test_rows: usize) {
        let folds = {
            let mut state = self.state.borrow_mut();
            let Run::CrossValidate {
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
            &self.ui.cv_progress_text,
            &format!(
                "Fold {fold} of {folds}: training on {} rows, validating on {}",
                thousands(train_rows),
                thousands(test_rows)
            ),
        );
    }

    /// An epoch of the current fold finished.
    pub(super) fn on_fold_epoch(&self, fold: usize, report: &EpochReport) {
        let (folds, epochs, elapsed, status) = {
            let mut state = self.state.borrow_mut();
            let status = state.status;
            let Run::CrossValidate {
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
        let ui = &self.ui;
        ui.cv_progress.set_value(done as f64);
        let progress = format::progress(done, folds * epochs, elapsed, report.samples_per_second);
        set_text(
            &ui.cv_progress_text,
            &format!("Fold {fold} of {folds} · {progress}"),
        );
        let position = format!("fold {fold} of {folds}, epoch {} of {epochs}", report.epoch);
        self.show_status(status, &format!("Cross-validating · {position}"));
        self.announce_progress(&format!("Cross-validation {position}."));
    }

    /// A fold finished: add its row and point.
    pub(super) fn on_fold_done(&self, result: FoldResult) {
        {
            let mut state = self.state.borrow_mut();
            if let Run::CrossValidate {
                elapsed_before,
                fold_elapsed,
                ..
            } = &mut state.run
            {
                *elapsed_before += std::mem::take(fold_elapsed);
            }
            state.folds.push(result.clone());
        }
        append_row(
            &self.ui.cv_body,
            &[
                result.fold.to_string(),
                thousands(result.train_rows),
                thousands(result.test_rows),
                decimal(result.loss),
                percent(result.accuracy),
            ],
            true,
        );
        self.draw_cv(false);
    }

    /// Every fold finished: means, spreads, the chart's mean lines, done.
    pub(super) fn on_cv_done(&self, summary: &CvSummary) {
        let ui = &self.ui;
        let k = summary.folds.len();
        let mean = format!(
            "{} ± {}",
            percent(summary.mean_accuracy),
            percent(summary.std_accuracy)
        );
        set_text(&ui.cv_mean, &mean);
        set_attr(
            &ui.cv_mean,
            "data-value",
            &summary.mean_accuracy.to_string(),
        );
        set_text(
            &ui.cv_spread,
            &format!(
                "over {k} folds; mean validation loss {} ± {} (± is the standard deviation)",
                decimal(summary.mean_loss),
                decimal(summary.std_loss)
            ),
        );
        set_text(&ui.cv_progress_text, &format!("All {k} folds done"));
        self.draw_cv(true);
        self.show_status(
            Status::Done,
            &format!("Done · {k}-fold cross-validation · mean accuracy {mean}"),
        );
        self.announce(&format!(
            "Cross-validation done: mean accuracy {mean} over {k} folds."
        ));
    }

    /// Redraws the folds chart and its text alternative.
    pub(super) fn draw_cv(&self, finished: bool) {
        let state = self.state.borrow();
        let folds = match state.run {
            Run::CrossValidate { folds, .. } => folds,
            _ => state.folds.len(),
        };
        self.draw(charts::cross_validation(
            &self.ui.chart_cv,
            &state.folds,
            folds,
            finished,
        ));
        let points: Vec<String> = state
            .folds
            .iter()
            .map(|f| {
                format!(
                    "fold {}: loss {}, accuracy {}",
                    f.fold,
                    decimal(f.loss),
                    percent(f.accuracy)
                )
            })
            .collect();
        let text = if points.is_empty() {
            "Validation loss and accuracy per fold: no fold finished yet.".to_string()
        } else {
            format!(
                "Validation loss and accuracy per fold: {}.",
                points.join("; ")
            )
        };
        set_attr(&self.ui.chart_cv, "aria-label", &text);
    }
}
