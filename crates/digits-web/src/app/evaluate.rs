//! Section 5, evaluation: metrics (with the notebook's own beside them when the run
//! followed its protocol), per-class table, confusion heatmap and ROC curves. The baselines
//! table is `baselines.rs`.
//!
//! The worker's side is `session/evaluate.rs`; the metrics are the core's `metrics`.

use std::cell::RefCell;
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlTableSectionElement};

use digits_cnn::metrics::{ConfusionMatrix, Evaluation};

use super::App;
use super::state::Status;
use crate::charts;
use crate::dom::{by_id, fill_rows, set_attr, set_text};
use crate::format::{decimal, decimal_digits, percent, percent_digits};
use crate::i18n::{Key, list, t, tr};
use crate::notebook::{NOTEBOOK_TEST, follows_notebook_test};

/// Section 5's elements and memory.
pub(super) struct EvaluateSection {
    /// Final test accuracy.
    pub(super) test_accuracy: HtmlElement,
    /// Overall metrics.
    pub(super) metrics_body: HtmlTableSectionElement,
    /// The heading of the notebook's column, shown when the run followed its protocol.
    pub(super) notebook_header: HtmlElement,
    /// Per-class metrics.
    pub(super) class_body: HtmlTableSectionElement,
    /// The confusion heatmap.
    pub(super) chart_confusion: HtmlCanvasElement,
    /// The confusion matrix's counts.
    pub(super) confusion_body: HtmlTableSectionElement,
    /// ROC curves.
    pub(super) chart_roc: HtmlCanvasElement,
    /// What the evaluation section remembers.
    pub(super) state: RefCell<EvaluateState>,
}

impl EvaluateSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            test_accuracy: by_id("test-accuracy")?,
            metrics_body: by_id("metrics-body")?,
            notebook_header: by_id("metrics-notebook")?,
            class_body: by_id("class-body")?,
            chart_confusion: by_id("chart-confusion")?,
            confusion_body: by_id("confusion-body")?,
            chart_roc: by_id("chart-roc")?,
            state: RefCell::default(),
        })
    }
}

impl App {
    /// The training run finished (early stopping kept `kept_epoch`'s weights, if it was
    /// on): its evaluation on the test rows, the notebook's figures beside it when the run
    /// followed the notebook's protocol, and the CNN's row of the baselines table.
    pub(super) fn on_training_done(&self, evaluation: &Evaluation, kept_epoch: Option<usize>) {
        let (settings, continued) = self
            .export
            .state
            .borrow()
            .run_settings
            .clone()
            .unwrap_or_default();
        let split = self.data.state.borrow().test_file.is_none();
        let notebook = split && !continued && follows_notebook_test(&settings);
        self.show_evaluation(evaluation, notebook);
        let seconds = self
            .train
            .state
            .borrow()
            .history
            .last()
            .map_or(0.0, |r| r.elapsed_seconds);
        self.show_cnn_row(evaluation, settings.config.scale, seconds);
        self.show_kept_epoch(kept_epoch);
        self.report_done(&percent(evaluation.accuracy), evaluation.loss, kept_epoch);
    }

    /// Shows `evaluation` (of a run, or of a loaded network); with `notebook`, the
    /// notebook's own figures in a column beside the metrics.
    pub(super) fn show_evaluation(&self, evaluation: &Evaluation, notebook: bool) {
        set_text(&self.evaluate.test_accuracy, &percent(evaluation.accuracy));
        set_attr(
            &self.evaluate.test_accuracy,
            "data-value",
            &evaluation.accuracy.to_string(),
        );
        self.evaluate.notebook_header.set_hidden(!notebook);
        fill_rows(
            &self.evaluate.metrics_body,
            &metric_rows(evaluation, notebook),
            true,
        );
        fill_rows(&self.evaluate.class_body, &class_rows(evaluation), true);
        self.show_confusion(&evaluation.confusion);
        self.show_roc(evaluation);
    }

    /// Fills the confusion table and draws its heatmap, whose label sums it up.
    fn show_confusion(&self, confusion: &ConfusionMatrix) {
        let counts = &confusion.counts;
        fill_rows(
            &self.evaluate.confusion_body,
            &confusion_rows(confusion),
            true,
        );
        let (canvas, drawn) = (self.evaluate.chart_confusion.clone(), *counts);
        self.draw_chart(&canvas.clone(), move || charts::confusion(&canvas, &drawn));
        let total: u32 = counts.iter().flatten().sum();
        let right: u32 = (0..counts.len()).map(|i| counts[i][i]).sum();
        set_attr(
            &self.evaluate.chart_confusion,
            "aria-label",
            &tr(Key::ConfusionLabel, &[("right", &right), ("total", &total)]),
        );
    }

    /// Draws the ROC curves, with each class's AUC in the chart's label.
    fn show_roc(&self, evaluation: &Evaluation) {
        let (canvas, curves) = (self.evaluate.chart_roc.clone(), evaluation.roc.clone());
        self.draw_chart(&canvas.clone(), move || charts::roc(&canvas, &curves));
        let aucs: Vec<String> = evaluation
            .roc
            .iter()
            .map(|c| format!("{}: {}", c.class, decimal(c.auc)))
            .collect();
        set_attr(
            &self.evaluate.chart_roc,
            "aria-label",
            &tr(
                Key::RocLabel,
                &[
                    ("aucs", &list(&aucs)),
                    ("macro", &decimal(evaluation.auc_macro)),
                ],
            ),
        );
    }

    /// Says that the run is done, in the status line and to screen readers (with the
    /// epoch early stopping kept, if it was on).
    fn report_done(&self, accuracy: &str, loss: f64, kept_epoch: Option<usize>) {
        let epochs = self.state.borrow().epoch;
        let kept = kept_epoch.map_or(String::new(), |epoch| {
            format!(" · {}", tr(Key::KeptEpoch, &[("epoch", &epoch)]))
        });
        self.show_status(
            Status::Done,
            &tr(
                Key::TrainingDoneStatus,
                &[
                    ("epochs", &epochs),
                    ("kept", &kept),
                    ("accuracy", &accuracy),
                ],
            ),
        );
        self.announce(&tr(
            Key::TrainingDoneAnnounce,
            &[
                ("epochs", &epochs),
                ("kept", &kept),
                ("accuracy", &accuracy),
                ("loss", &decimal(loss)),
            ],
        ));
    }
}

/// The overall metrics table: one row per metric, its name then its value, then with
/// `notebook` the notebook's own figure (blank where the notebook printed none).
fn metric_rows(evaluation: &Evaluation, notebook: bool) -> Vec<Vec<String>> {
    let report = &evaluation.report;
    let n = &NOTEBOOK_TEST;
    let with_percent = |share: f64| format!("{} ({})", decimal(share), percent(share));
    // The notebook's figures to the digits it printed (99.11% is 0.9911).
    let figure = |share: f64| decimal_digits(share, 4);
    let metrics = [
        (Key::ColTestLoss, decimal(evaluation.loss), None),
        (
            Key::ColAccuracy,
            with_percent(evaluation.accuracy),
            Some(format!(
                "{} ({})",
                figure(n.accuracy),
                percent_digits(n.accuracy, 2)
            )),
        ),
        (
            Key::PrecisionMacro,
            decimal(report.precision_macro),
            Some(figure(n.precision_macro)),
        ),
        (
            Key::RecallMacro,
            decimal(report.recall_macro),
            Some(figure(n.recall_macro)),
        ),
        (
            Key::ColF1Macro,
            decimal(report.f1_macro),
            Some(figure(n.f1_macro)),
        ),
        (Key::AucMacro, decimal(evaluation.auc_macro), None),
    ];
    metrics
        .into_iter()
        .map(|(name, value, figure)| {
            let mut row = vec![t(name).into(), value];
            if notebook {
                row.push(figure.unwrap_or_default());
            }
            row
        })
        .collect()
}

/// The per-class table: class, precision, recall, F1, support and one-vs-rest AUC.
fn class_rows(evaluation: &Evaluation) -> Vec<Vec<String>> {
    let auc_of = |class: usize| {
        evaluation
            .roc
            .iter()
            .find(|c| usize::from(c.class) == class)
            .map_or(f64::NAN, |c| c.auc)
    };
    evaluation
        .report
        .per_class
        .iter()
        .map(|m| {
            let class = usize::from(m.class);
            vec![
                class.to_string(),
                decimal(m.precision),
                decimal(m.recall),
                decimal(m.f1),
                m.support.to_string(),
                decimal(auc_of(class)),
            ]
        })
        .collect()
}

/// The confusion table: each true class, then how often it was predicted as each class.
fn confusion_rows(confusion: &ConfusionMatrix) -> Vec<Vec<String>> {
    confusion
        .counts
        .iter()
        .enumerate()
        .map(|(truth, row)| {
            std::iter::once(truth.to_string())
                .chain(row.iter().map(u32::to_string))
                .collect()
        })
        .collect()
}

/// What the evaluation section remembers.
#[derive(Default)]
pub(super) struct EvaluateState {
    /// The last evaluation on the test rows (of a finished run or a loaded network).
    pub(super) evaluation: Option<Evaluation>,
}
