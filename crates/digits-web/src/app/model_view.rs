//! Section 2, the model: the Keras-style summary table.

use digits_cnn::model::SummaryRow;

use super::App;
use crate::dom::{fill_rows, set_text};
use crate::format::thousands;

impl App {
    /// Fills `#summary-table` with one row per layer and the total.
    pub(super) fn show_summary(&self, summary: &[SummaryRow], parameters: usize) {
        let rows: Vec<Vec<String>> = summary
            .iter()
            .map(|row| {
                vec![
                    row.layer.clone(),
                    row.shape_text(),
                    thousands(row.parameters),
                ]
            })
            .collect();
        fill_rows(&self.ui.summary_body, &rows, true);
        set_text(&self.ui.summary_total, &thousands(parameters));
    }
}
