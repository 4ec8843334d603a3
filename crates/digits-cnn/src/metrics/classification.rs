//! Per-class precision, recall and F1, and their macro averages.

use serde::{Deserialize, Serialize};

use super::confusion::{ConfusionMatrix, ratio};
use crate::CLASSES;

/// Precision, recall, F1 and support of one class (one-vs-rest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// The class, 0..9.
    pub class: u8,
    /// Of the samples predicted as this class, the fraction truly of it; `0.0` when the
    /// class is never predicted.
    pub precision: f64,
    /// Of the samples truly of this class, the fraction predicted as it; `0.0` when the
    /// class has no samples.
    pub recall: f64,
    /// Harmonic mean of precision and recall, `2·tp / (2·tp + fp + fn)`; `0.0` when the
    /// class is neither present nor predicted, or has no true positives.
    pub f1: f64,
    /// Samples truly of this class.
    pub support: u32,
}

/// Accuracy and per-class metrics of a set of predictions, with their macro averages.
///
/// Matches scikit-learn's `precision_recall_fscore_support(labels=range(10),
/// zero_division=0)` with `average=None` (the per-class values) and `average='macro'`:
/// every undefined ratio counts as `0.0`, and the macro averages are the unweighted means
/// over all ten classes, including classes absent from both truth and predictions. The
/// macro F1 is the mean of the per-class F1 scores, not the F1 of the macro precision and
/// recall. Every number is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassificationReport {
    /// Fraction of correct predictions; `0.0` when there are no samples.
    pub accuracy: f64,
    /// One entry per class, in class order 0..9.
    pub per_class: Vec<ClassMetrics>,
    /// Mean of the ten per-class precisions.
    pub precision_macro: f64,
    /// Mean of the ten per-class recalls.
    pub recall_macro: f64,
    /// Mean of the ten per-class F1 scores.
    pub f1_macro: f64,
}

impl ClassificationReport {
    /// The report of the predictions counted in `confusion`.
    ///
    /// An empty matrix gives a report of zeros (with zero supports).
    pub fn from_confusion(confusion: &ConfusionMatrix) -> Self {
        let per_class: Vec<ClassMetrics> = (0..CLASSES)
            .map(|c| {
                let tp = confusion.counts[c][c];
                let support = confusion.support(c);
                let predicted = confusion.predicted_count(c);
                ClassMetrics {
                    class: c as u8,
                    precision: ratio(tp, predicted),
                    recall: ratio(tp, support),
                    f1: ratio(2 * tp, support + predicted),
                    support,
                }
            })
            .collect();
        let mean =
            |f: fn(&ClassMetrics) -> f64| per_class.iter().map(f).sum::<f64>() / CLASSES as f64;
        ClassificationReport {
            accuracy: confusion.accuracy(),
            precision_macro: mean(|m| m.precision),
            recall_macro: mean(|m| m.recall),
            f1_macro: mean(|m| m.f1),
            per_class,
        }
    }
}

impl From<&ConfusionMatrix> for ClassificationReport {
    fn from(confusion: &ConfusionMatrix) -> Self {
        ClassificationReport::from_confusion(confusion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::cases;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9
    }

    #[test]
    fn matches_scikit_learn_on_every_fixture() {
        for case in cases() {
            let m = ConfusionMatrix::from_predictions(&case.labels, &case.predicted);
            let r = ClassificationReport::from_confusion(&m);
            let name = &case.name;
            assert!(close(r.accuracy, case.accuracy), "{name}: accuracy");
            assert_eq!(r.per_class.len(), CLASSES);
            for (c, m) in r.per_class.iter().enumerate() {
                assert_eq!(usize::from(m.class), c);
                assert!(close(m.precision, case.precision[c]), "{name} {c}: {m:?}");
                assert!(close(m.recall, case.recall[c]), "{name} {c}: {m:?}");
                assert!(close(m.f1, case.f1[c]), "{name} {c}: {m:?}");
                assert_eq!(m.support, case.support[c], "{name} {c}");
            }
            assert!(close(r.precision_macro, case.precision_macro), "{name}");
            assert!(close(r.recall_macro, case.recall_macro), "{name}");
            assert!(close(r.f1_macro, case.f1_macro), "{name}");
        }
    }

    #[test]
    fn never_predicted_class_has_zero_precision_and_counts_in_the_macro() {
        // Class 2 is present but never predicted; classes 3..9 are absent altogether.
        let m = ConfusionMatrix::from_predictions(&[0, 1, 2, 2], &[0, 1, 0, 1]);
        let r = ClassificationReport::from(&m);
        assert_eq!(r.per_class[2].precision, 0.0);
        assert_eq!(r.per_class[2].recall, 0.0);
        assert_eq!(r.per_class[2].f1, 0.0);
        assert_eq!(r.per_class[2].support, 2);
        assert_eq!(r.per_class[0].precision, 0.5);
        assert_eq!(r.per_class[0].recall, 1.0);
        assert!(close(r.per_class[0].f1, 2.0 / 3.0));
        assert!(close(r.precision_macro, 1.0 / 10.0));
        assert!(close(r.recall_macro, 2.0 / 10.0));
        assert!(close(r.f1_macro, 4.0 / 3.0 / 10.0));
    }

    #[test]
    fn empty_input_gives_zeros() {
        let r = ClassificationReport::from_confusion(&ConfusionMatrix::default());
        assert_eq!(r.accuracy, 0.0);
        assert_eq!(r.per_class.len(), CLASSES);
        for m in &r.per_class {
            assert_eq!((m.precision, m.recall, m.f1, m.support), (0.0, 0.0, 0.0, 0));
        }
        assert_eq!(
            (r.precision_macro, r.recall_macro, r.f1_macro),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn perfect_single_class() {
        let m = ConfusionMatrix::from_predictions(&[7; 4], &[7; 4]);
        let r = ClassificationReport::from_confusion(&m);
        assert_eq!(r.accuracy, 1.0);
        assert_eq!(r.per_class[7].f1, 1.0);
        assert!(close(r.f1_macro, 0.1));
    }

    #[test]
    fn serde_round_trip() {
        let m = ConfusionMatrix::from_predictions(&[0, 5, 7], &[0, 5, 1]);
        let r = ClassificationReport::from_confusion(&m);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            serde_json::from_str::<ClassificationReport>(&json).unwrap(),
            r
        );
    }
}
