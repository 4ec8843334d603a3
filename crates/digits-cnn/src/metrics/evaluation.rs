//! Everything measured on one set of predictions: loss, accuracy, confusion matrix,
//! per-class report and ROC curves.
//!
//! [`evaluate`] is what the trainer reports after each epoch, what the page's evaluate
//! section shows and what `digits train` prints at the end. Its tests check it against
//! scikit-learn's answers in `tests/fixtures/metrics/cases.json` (see `fixtures.rs`).

use serde::{Deserialize, Serialize};

use super::classification::ClassificationReport;
use super::confusion::ConfusionMatrix;
use super::roc::{RocCurve, auc_macro};
use crate::CLASSES;

/// The smallest probability the loss takes the logarithm of, as Keras clamps
/// (`epsilon()` = 1e-7): a sample given probability 0 for its class costs `-ln(1e-7)`
/// ≈ 16.1 instead of infinity.
pub const PROBABILITY_FLOOR: f64 = 1e-7;

/// The metrics of a model's class probabilities on labelled samples.
///
/// Every number is finite (so the value survives JSON and the Web Worker boundary). For
/// empty input the loss, accuracy and every rate are `0.0`, the matrix is all zeros, and
/// every ROC curve is the undefined chance diagonal with AUC 0.5 (see [`RocCurve`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Mean categorical cross-entropy, see [`cross_entropy`].
    pub loss: f64,
    /// Fraction of samples whose most probable class is the true one.
    pub accuracy: f64,
    /// Counts of (true class, predicted class).
    pub confusion: ConfusionMatrix,
    /// Per-class precision, recall and F1 with their macro averages.
    pub report: ClassificationReport,
    /// One-vs-rest ROC curve of every class, in class order 0..9.
    pub roc: Vec<RocCurve>,
    /// Mean AUC of the classes whose curve is defined (see [`auc_macro`]); 0.5 when none is.
    pub auc_macro: f64,
}

/// Evaluates class probabilities (one row per sample, as the network's softmax gives
/// them) against the true labels.
///
/// The prediction for a row is its [`predicted_class`]. See [`Evaluation`] for what an
/// empty input gives.
///
/// # Panics
///
/// If `probabilities` and `labels` differ in length, or a label is not below
/// [`CLASSES`].
pub fn evaluate(probabilities: &[[f32; CLASSES]], labels: &[u8]) -> Evaluation {
    let predicted: Vec<u8> = probabilities.iter().map(predicted_class).collect();
    let confusion = ConfusionMatrix::from_predictions(labels, &predicted);
    let report = ClassificationReport::from_confusion(&confusion);
    let roc = RocCurve::all_classes(probabilities, labels);
    Evaluation {
        loss: cross_entropy(probabilities, labels),
        accuracy: report.accuracy,
        auc_macro: auc_macro(&roc, labels),
        confusion,
        report,
        roc,
    }
}

/// The most probable class of a row: the index of its largest value, the lowest index
/// winning a tie (as `numpy.argmax`). NaN values never win; a row of NaNs gives 0.
pub fn predicted_class(row: &[f32; CLASSES]) -> u8 {
    let mut best: Option<(usize, f32)> = None;
    for (class, &p) in row.iter().enumerate() {
        if !p.is_nan() && best.is_none_or(|(_, top)| p > top) {
            best = Some((class, p));
        }
    }
    best.map_or(0, |(class, _)| class as u8)
}

/// Mean categorical cross-entropy: the mean over samples of `-ln(p)`, where `p` is the
/// probability given to the true class, clamped to `[PROBABILITY_FLOOR, 1]` as Keras
/// does (rows are not renormalised). A NaN probability counts as the floor. Computed in
/// `f64`; `0.0` for no samples.
///
/// # Panics
///
/// If `probabilities` and `labels` differ in length, or a label is not below
/// [`CLASSES`].
pub fn cross_entropy(probabilities: &[[f32; CLASSES]], labels: &[u8]) -> f64 {
    assert_eq!(
        probabilities.len(),
        labels.len(),
        "loss: {} probability rows but {} labels",
        probabilities.len(),
        labels.len()
    );
    if labels.is_empty() {
        return 0.0;
    }
    let total: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(row, &label)| {
            let class = usize::from(label);
            assert!(class < CLASSES, "loss: label {label} out of range");
            let p = f64::from(row[class]);
            let p = if p.is_nan() {
                PROBABILITY_FLOOR
            } else {
                p.clamp(PROBABILITY_FLOOR, 1.0)
            };
            -p.ln()
        })
        .sum();
    total / labels.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::cases;
    use crate::metrics::roc::UNDEFINED_AUC;

    /// Every number in the JSON form, failing on `null` (serde_json's NaN/infinity).
    fn all_numbers_finite(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Null => false,
            serde_json::Value::Array(items) => items.iter().all(all_numbers_finite),
            serde_json::Value::Object(fields) => fields.values().all(all_numbers_finite),
            serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
            _ => true,
        }
    }

    #[test]
    fn matches_scikit_learn_on_every_fixture() {
        for case in cases() {
            let name = &case.name;
            let predicted: Vec<u8> = case.probabilities.iter().map(predicted_class).collect();
            assert_eq!(predicted, case.predicted, "{name}");
            let e = evaluate(&case.probabilities, &case.labels);
            assert!(
                (e.loss - case.loss).abs() <= 1e-6,
                "{name}: loss {}",
                e.loss
            );
            if let Some(sklearn) = case.sklearn_log_loss {
                assert!(
                    (e.loss - sklearn).abs() <= 1e-6,
                    "{name}: log_loss {sklearn}"
                );
            }
            assert!((e.accuracy - case.accuracy).abs() <= 1e-9, "{name}");
            assert_eq!(e.confusion.counts, case.confusion, "{name}");
            assert!((e.report.f1_macro - case.f1_macro).abs() <= 1e-9, "{name}");
            assert_eq!(e.roc.len(), CLASSES);
            for (c, curve) in e.roc.iter().enumerate() {
                let expected = case.auc[c].unwrap_or(UNDEFINED_AUC);
                assert!((curve.auc - expected).abs() <= 1e-9, "{name} class {c}");
            }
            let expected = case.auc_macro.unwrap_or(UNDEFINED_AUC);
            assert!(
                (e.auc_macro - expected).abs() <= 1e-9,
                "{name}: {}",
                e.auc_macro
            );
            assert!(
                all_numbers_finite(&serde_json::to_value(&e).unwrap()),
                "{name}"
            );
        }
    }

    #[test]
    fn argmax_ties_go_to_the_lowest_index() {
        let mut row = [0.1f32; CLASSES];
        assert_eq!(predicted_class(&row), 0);
        row[4] = 0.3;
        row[7] = 0.3;
        assert_eq!(predicted_class(&row), 4);
        row[0] = f32::NAN;
        row[9] = f32::NAN;
        assert_eq!(predicted_class(&row), 4);
        assert_eq!(predicted_class(&[f32::NAN; CLASSES]), 0);
    }

    #[test]
    fn loss_clamps_like_keras() {
        let mut row = [0.0f32; CLASSES];
        row[1] = 1.0;
        assert_eq!(cross_entropy(&[row], &[1]), 0.0);
        let expected = -(1e-7f64).ln();
        assert!((cross_entropy(&[row], &[0]) - expected).abs() < 1e-12);
        row[2] = f32::NAN;
        assert!((cross_entropy(&[row], &[2]) - expected).abs() < 1e-12);
        row[3] = f32::INFINITY;
        assert_eq!(cross_entropy(&[row], &[3]), 0.0);
        let half = [[0.5f32; CLASSES]; 2];
        assert!((cross_entropy(&half, &[3, 8]) - 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn empty_input_is_defined() {
        let e = evaluate(&[], &[]);
        assert_eq!(e.loss, 0.0);
        assert_eq!(e.accuracy, 0.0);
        assert_eq!(e.confusion, ConfusionMatrix::default());
        assert_eq!(e.report.per_class.len(), CLASSES);
        assert_eq!(e.report.f1_macro, 0.0);
        assert_eq!(e.roc.len(), CLASSES);
        assert!(
            e.roc
                .iter()
                .all(|c| c.auc == 0.5 && c.points == [(0.0, 0.0), (1.0, 1.0)])
        );
        assert_eq!(e.auc_macro, 0.5);
        assert!(all_numbers_finite(&serde_json::to_value(&e).unwrap()));
    }

    #[test]
    fn all_one_class() {
        let mut rows = [[0.05f32; CLASSES]; 4];
        rows[0][6] = 0.55;
        rows[1][6] = 0.55;
        rows[2][6] = 0.55;
        rows[3][1] = 0.55;
        let e = evaluate(&rows, &[6; 4]);
        assert_eq!(e.accuracy, 0.75);
        assert_eq!(e.confusion.counts[6][6], 3);
        assert_eq!(e.confusion.counts[6][1], 1);
        assert_eq!(e.report.per_class[6].precision, 1.0);
        assert_eq!(e.report.per_class[6].recall, 0.75);
        assert_eq!(e.report.per_class[1].precision, 0.0);
        assert!(e.roc.iter().all(|c| c.auc == UNDEFINED_AUC));
        assert_eq!(e.auc_macro, UNDEFINED_AUC);
        let expected = -(3.0 * 0.55f32.ln() as f64 + 0.05f32.ln() as f64) / 4.0;
        assert!((e.loss - expected).abs() < 1e-6);
    }

    #[test]
    fn nan_probabilities_stay_finite() {
        let mut rows = [[0.1f32; CLASSES]; 3];
        rows[0] = [f32::NAN; CLASSES];
        rows[1][2] = f32::NAN;
        let e = evaluate(&rows, &[0, 2, 5]);
        assert!(e.loss.is_finite());
        assert!(all_numbers_finite(&serde_json::to_value(&e).unwrap()));
    }

    #[test]
    fn survives_a_json_round_trip() {
        let case = &cases()[0];
        let e = evaluate(&case.probabilities, &case.labels);
        let back: Evaluation = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back.confusion, e.confusion);
        assert_eq!(back.roc.len(), e.roc.len());
        assert!((back.loss - e.loss).abs() < 1e-15);
        assert!((back.auc_macro - e.auc_macro).abs() < 1e-15);
    }

    #[test]
    #[should_panic(expected = "2 labels but 1 predictions")]
    fn mismatched_lengths_panic() {
        evaluate(&[[0.1; CLASSES]], &[1, 2]);
    }
}
