//! Section 2, the model: the Keras-style summary table.
//!
//! The summary comes with the worker's greeting (`Session::ready`).

use web_sys::{HtmlElement, HtmlTableSectionElement};

use digits_cnn::arch::SummaryRow;

use super::App;
use crate::dom::{by_id, fill_rows, set_text};
use crate::format::thousands;

/// Section 2's elements.
pub(super) struct ModelSection {
    /// The model summary's rows.
    pub(super) summary_body: HtmlTableSectionElement,
    /// The model summary's total.
    pub(super) summary_total: HtmlElement,
}

impl ModelSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            summary_body: by_id("summary-body")?,
            summary_total: by_id("summary-total")?,
        })
    }
}

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
        fill_rows(&self.model.summary_body, &rows, true);
        set_text(&self.model.summary_total, &thousands(parameters));
    }
}
