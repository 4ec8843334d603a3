//! Section 5, evaluation: metrics, per-class table, confusion heatmap and ROC curves.
//!
//! The worker's side is `session/evaluate.rs`; the metrics are the core's `metrics`.

use std::cell::RefCell;
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlTableSectionElement};

use digits_cnn::metrics::{ConfusionMatrix, Evaluation};

use super::App;
use super::state::Status;
use crate::charts;
use crate::dom::{by_id, fill_rows, set_attr, set_text};
use crate::format::{decimal, percent};

/// Section 5's elements and memory.
pub(super) struct EvaluateSection {
    /// Final test accuracy.
    pub(super) test_accuracy: HtmlElement,
    /// Overall metrics.
    pub(super) metrics_body: HtmlTableSectionElement,
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
            class_body: by_id("class-body")?,
            chart_confusion: by_id("chart-confusion")?,
            confusion_body: by_id("confusion-body")?,
            chart_roc: by_id("chart-roc")?,
            state: RefCell::default(),
        })
    }
}

impl App {
    /// The training run finished: show its evaluation on the test rows.
    pub(super) fn on_training_done(&self, evaluation: &Evaluation) {
        let accuracy = percent(evaluation.accuracy);
        set_text(&self.evaluate.test_accuracy, &accuracy);
        set_attr(
            &self.evaluate.test_accuracy,
            "data-value",
            &evaluation.accuracy.to_string(),
        );
        fill_rows(&self.evaluate.metrics_body, &metric_rows(evaluation), true);
        fill_rows(&self.evaluate.class_body, &class_rows(evaluation), true);
        self.show_confusion(&evaluation.confusion);
        self.show_roc(evaluation);
        self.report_done(&accuracy, evaluation.loss);
    }

    /// Fills the confusion table and draws its heatmap, whose label sums it up.
    fn show_confusion(&self, confusion: &ConfusionMatrix) {
        let counts = &confusion.counts;
        fill_rows(
            &self.evaluate.confusion_body,
            &confusion_rows(confusion),
            true,
        );
        self.draw(charts::confusion(&self.evaluate.chart_confusion, counts));
        let total: u32 = counts.iter().flatten().sum();
        let right: u32 = (0..counts.len()).map(|i| counts[i][i]).sum();
        set_attr(
            &self.evaluate.chart_confusion,
            "aria-label",
            &format!(
                "Confusion matrix heatmap: {right} of {total} test rows on the diagonal (right). \
                 Every count is in the confusion table."
            ),
        );
    }

    /// Draws the ROC curves, with each class's AUC in the chart's label.
    fn show_roc(&self, evaluation: &Evaluation) {
        self.draw(charts::roc(&self.evaluate.chart_roc, &evaluation.roc));
        let aucs: Vec<String> = evaluation
            .roc
            .iter()
            .map(|c| format!("{}: {}", c.class, decimal(c.auc)))
            .collect();
        set_attr(
            &self.evaluate.chart_roc,
            "aria-label",
            &format!(
                "One-vs-rest ROC curves. AUC per class: {}; macro AUC {}.",
                aucs.join(", "),
                decimal(evaluation.auc_macro)
            ),
        );
    }

    /// Says that the run is done, in the status line and to screen readers.
    fn report_done(&self, accuracy: &str, loss: f64) {
        let epochs = self.state.borrow().run.training_epochs().unwrap_or(0);
        self.show_status(
            Status::Done,
            &format!("Done · {epochs} epochs · test accuracy {accuracy}"),
        );
        self.announce(&format!(
            "Training done after {epochs} epochs: test accuracy {accuracy}, test loss {}.",
            decimal(loss)
        ));
    }
}

/// The overall metrics table: one row per metric, its name then its value.
fn metric_rows(evaluation: &Evaluation) -> Vec<Vec<String>> {
    let report = &evaluation.report;
    let metrics = [
        ("Test loss", decimal(evaluation.loss)),
        (
            "Accuracy",
            format!(
                "{} ({})",
                decimal(evaluation.accuracy),
                percent(evaluation.accuracy)
            ),
        ),
        ("Precision (macro)", decimal(report.precision_macro)),
        ("Recall (macro)", decimal(report.recall_macro)),
        ("F1 (macro)", decimal(report.f1_macro)),
        ("AUC (macro, one-vs-rest)", decimal(evaluation.auc_macro)),
    ];
    metrics
        .into_iter()
        .map(|(name, value)| vec![name.into(), value])
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
