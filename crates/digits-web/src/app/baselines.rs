//! Section 5's baselines table (`#baselines-table`): is a CNN needed? After every finished
//! training run, the CNN's row, then k-nearest neighbours' and logistic regression's as the
//! worker fits them on the same training rows and tests them on the same test rows.
//!
//! The worker's side is `session/baselines.rs`; the models are the core's `baselines`.

use web_sys::{Element, HtmlElement, HtmlTableSectionElement};

use digits_cnn::baselines::{BaselineKind, BaselineResult};
use digits_cnn::metrics::Evaluation;
use digits_cnn::prediction::InputScale;

use super::App;
use crate::dom::{append_row, by_id, fill_rows, set_attr, set_text};
use crate::format::{decimal, decimal_digits, percent};
use crate::i18n::{Key, t};

/// The baselines table's elements.
pub(super) struct BaselinesSection {
    /// One row per model.
    pub(super) body: HtmlTableSectionElement,
    /// What the table holds now, in words.
    pub(super) note: HtmlElement,
}

impl BaselinesSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            body: by_id("baselines-body")?,
            note: by_id("baselines-note")?,
        })
    }
}

/// One model's row: what `data-model` names it, how people read it, and its numbers.
struct ModelRow<'a> {
    /// `cnn`, `knn` or `logistic`.
    model: &'a str,
    /// Its title.
    title: &'a str,
    /// The inputs it fitted on.
    scale: InputScale,
    /// Its metrics on the test rows.
    evaluation: &'a Evaluation,
    /// Seconds it took to fit.
    seconds: f64,
}

impl App {
    /// A training run started: its baselines come after it.
    pub(super) fn clear_baselines(&self) {
        fill_rows(&self.baselines.body, &[], true);
        set_text(&self.baselines.note, t(Key::BaselinesPending));
    }

    /// The run finished: the CNN's row, trained for `seconds` on `scale`'s inputs.
    pub(super) fn show_cnn_row(&self, evaluation: &Evaluation, scale: InputScale, seconds: f64) {
        self.append_model_row(&ModelRow {
            model: "cnn",
            title: t(Key::BaselineCnn),
            scale,
            evaluation,
            seconds,
        });
        set_text(&self.baselines.note, t(Key::BaselinesFitting));
    }

    /// A baseline finished (answers the run's end, see [`crate::protocol::Response::Baseline`]).
    pub(super) fn show_baseline(&self, result: &BaselineResult, scale: InputScale) {
        self.append_model_row(&ModelRow {
            model: result.model.name(),
            title: title(result.model),
            scale,
            evaluation: &result.evaluation,
            seconds: result.seconds,
        });
        set_text(&self.baselines.note, t(Key::BaselinesDone));
    }

    /// Appends `row` with its numbers as `data-*` attributes for scripts.
    fn append_model_row(&self, row: &ModelRow) {
        let evaluation = row.evaluation;
        append_row(
            &self.baselines.body,
            &[
                row.title.into(),
                inputs(row.scale).into(),
                percent(evaluation.accuracy),
                decimal(evaluation.report.f1_macro),
                decimal_digits(row.seconds, 2),
            ],
            true,
        );
        if let Some(tr) = self.baselines.body.last_element_child() {
            let tr: &Element = &tr;
            set_attr(tr, "data-model", row.model);
            set_attr(tr, "data-accuracy", &evaluation.accuracy.to_string());
            set_attr(tr, "data-f1", &evaluation.report.f1_macro.to_string());
            set_attr(tr, "data-seconds", &row.seconds.to_string());
        }
    }
}

/// The inputs' name in the table.
fn inputs(scale: InputScale) -> &'static str {
    t(match scale {
        InputScale::Raw => Key::InputsRaw,
        InputScale::Unit => Key::InputsUnit,
    })
}

/// A baseline's name in the table (the core's [`BaselineKind::title`], in the page's language).
fn title(model: BaselineKind) -> &'static str {
    t(match model {
        BaselineKind::Knn => Key::BaselineKnn,
        BaselineKind::Logistic => Key::BaselineLogistic,
    })
}
