//! Section 5, evaluation: metrics, per-class table, confusion heatmap and ROC curves.

use digits_cnn::metrics::Evaluation;

use super::App;
use super::state::{Run, Status};
use crate::charts;
use crate::dom::{fill_rows, set_attr, set_text};
use crate::format::{decimal, percent};

impl App {
    /// The training run finished: show its evaluation on the test rows.
    pub(super) fn on_training_done(&self, evaluation: &Evaluation) {
        let ui = &self.ui;
        let accuracy = percent(evaluation.accuracy);
        set_text(&ui.test_accuracy, &accuracy);
        set_attr(
            &ui.test_accuracy,
            "data-value",
            &evaluation.accuracy.to_string(),
        );

        let report = &evaluation.report;
        let metrics = [
            ("Test loss", decimal(evaluation.loss)),
            (
                "Accuracy",
                format!("{} ({accuracy})", decimal(evaluation.accuracy)),
            ),
            ("Precision (macro)", decimal(report.precision_macro)),
            ("Recall (macro)", decimal(report.recall_macro)),
            ("F1 (macro)", decimal(report.f1_macro)),
            ("AUC (macro, one-vs-rest)", decimal(evaluation.auc_macro)),
        ];
        let rows: Vec<Vec<String>> = metrics
            .into_iter()
            .map(|(name, value)| vec![name.into(), value])
            .collect();
        fill_rows(&ui.metrics_body, &rows, true);

        let auc_of = |class: usize| {
            evaluation
                .roc
                .iter()
                .find(|c| usize::from(c.class) == class)
                .map_or(f64::NAN, |c| c.auc)
        };
        let rows: Vec<Vec<String>> = report
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
            .collect();
        fill_rows(&ui.class_body, &rows, true);

        let counts = &evaluation.confusion.counts;
        let rows: Vec<Vec<String>> = counts
            .iter()
            .enumerate()
            .map(|(truth, row)| {
                std::iter::once(truth.to_string())
                    .chain(row.iter().map(u32::to_string))
                    .collect()
            })
            .collect();
        fill_rows(&ui.confusion_body, &rows, true);
        self.draw(charts::confusion(&ui.chart_confusion, counts));
        let total: u32 = counts.iter().flatten().sum();
        let right: u32 = (0..counts.len()).map(|i| counts[i][i]).sum();
        set_attr(
            &ui.chart_confusion,
            "aria-label",
            &format!(
                "Confusion matrix heatmap: {right} of {total} test rows on the diagonal (right). \
                 Every count is in the confusion table."
            ),
        );

        self.draw(charts::roc(&ui.chart_roc, &evaluation.roc));
        let aucs: Vec<String> = evaluation
            .roc
            .iter()
            .map(|c| format!("{}: {}", c.class, decimal(c.auc)))
            .collect();
        set_attr(
            &ui.chart_roc,
            "aria-label",
            &format!(
                "One-vs-rest ROC curves. AUC per class: {}; macro AUC {}.",
                aucs.join(", "),
                decimal(evaluation.auc_macro)
            ),
        );

        let epochs = match self.state.borrow().run {
            Run::Train { epochs } => epochs,
            _ => 0,
        };
        self.show_status(
            Status::Done,
            &format!("Done · {epochs} epochs · test accuracy {accuracy}"),
        );
        self.announce(&format!(
            "Training done after {epochs} epochs: test accuracy {accuracy}, test loss {}.",
            decimal(evaluation.loss)
        ));
    }
}
