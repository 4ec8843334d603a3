//! The metric tests' cases, with answers computed offline by scikit-learn and NumPy.
//!
//! The numbers are data, `tests/fixtures/metrics/cases.json`, written by
//! `tests/fixtures/metrics/make_fixtures.py` (which names the library versions in the file);
//! this module only reads them. They are compiled in with `include_str!`, so the tests need
//! no file system and run on wasm32 as well.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::CLASSES;

/// A ROC curve as `(fpr, tpr)` points.
type Points = Vec<(f64, f64)>;

/// One case: inputs and the expected results.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Case {
    /// What the case exercises.
    pub name: String,
    /// Class probabilities, one row per sample (float32, as the network gives them).
    pub probabilities: Vec<[f32; CLASSES]>,
    /// True classes.
    pub labels: Vec<u8>,
    /// `numpy.argmax` of each row (the lowest index wins a tie).
    pub predicted: Vec<u8>,
    /// `confusion_matrix(labels, predicted, labels=range(10))`.
    pub confusion: [[u32; CLASSES]; CLASSES],
    /// `accuracy_score`.
    pub accuracy: f64,
    /// `precision_recall_fscore_support(average=None, zero_division=0)`.
    pub precision: [f64; CLASSES],
    /// As `precision`.
    pub recall: [f64; CLASSES],
    /// As `precision`.
    pub f1: [f64; CLASSES],
    /// As `precision`.
    pub support: [u32; CLASSES],
    /// `precision_recall_fscore_support(average='macro', zero_division=0)`.
    pub precision_macro: f64,
    /// As `precision_macro`.
    pub recall_macro: f64,
    /// As `precision_macro`.
    pub f1_macro: f64,
    /// Mean of `-ln(clip(p_true, 1e-7, 1))` in float64.
    pub loss: f64,
    /// `log_loss`, where no true-class probability needs clamping.
    pub sklearn_log_loss: Option<f64>,
    /// Per class, `roc_curve(drop_intermediate=False)`; `None` when undefined.
    pub roc: [Option<Points>; CLASSES],
    /// Per class, `roc_auc_score`; `None` when undefined.
    pub auc: [Option<f64>; CLASSES],
    /// `roc_auc_score(multi_class='ovr', average='macro')` when every class is present,
    /// else the mean of the defined classes' AUCs; `None` when no class is defined.
    pub auc_macro: Option<f64>,
}

/// The file's cases (its other fields say who wrote it, with which library versions).
#[derive(Deserialize)]
struct Fixtures {
    cases: Vec<Case>,
}

/// Every case, parsed once.
pub(super) fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let text = include_str!("../../../../tests/fixtures/metrics/cases.json");
        let fixtures: Fixtures = serde_json::from_str(text).expect("cases.json is valid");
        fixtures.cases
    })
}
