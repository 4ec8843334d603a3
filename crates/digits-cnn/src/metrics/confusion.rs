//! The confusion matrix: how often each true class was predicted as each class.

use serde::{Deserialize, Serialize};

use crate::CLASSES;

/// Counts of (true class, predicted class) pairs over a set of samples.
///
/// `counts[t][p]` is the number of samples whose true class is `t` and whose predicted
/// class is `p`: rows are true classes, columns are predictions, as in scikit-learn's
/// `confusion_matrix`. The diagonal holds the correct predictions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// `counts[true_class][predicted_class]`.
    pub counts: [[u32; CLASSES]; CLASSES],
}

impl ConfusionMatrix {
    /// Counts the pairs `(labels[i], predicted[i])`.
    ///
    /// Empty slices give the all-zero matrix.
    ///
    /// # Panics
    ///
    /// If the two slices differ in length, or a class is not below [`CLASSES`]: both are
    /// programming errors (the data module only yields labels 0..9).
    pub fn from_predictions(labels: &[u8], predicted: &[u8]) -> Self {
        assert_eq!(
            labels.len(),
            predicted.len(),
            "confusion matrix: {} labels but {} predictions",
            labels.len(),
            predicted.len()
        );
        let mut counts = [[0u32; CLASSES]; CLASSES];
        for (&truth, &guess) in labels.iter().zip(predicted) {
            let (t, p) = (usize::from(truth), usize::from(guess));
            assert!(
                t < CLASSES && p < CLASSES,
                "confusion matrix: class out of range (label {truth}, prediction {guess})"
            );
            counts[t][p] += 1;
        }
        ConfusionMatrix { counts }
    }

    /// Number of samples counted.
    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }

    /// Number of correct predictions (the diagonal's sum).
    pub fn correct(&self) -> u32 {
        (0..CLASSES).map(|c| self.counts[c][c]).sum()
    }

    /// Fraction of correct predictions, `correct / total`; `0.0` for an empty matrix.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// Samples whose true class is `class` (the row's sum): the class's support.
    ///
    /// # Panics
    ///
    /// If `class` is not below [`CLASSES`].
    pub fn support(&self, class: usize) -> u32 {
        self.counts[class].iter().sum()
    }

    /// Samples predicted as `class` (the column's sum).
    ///
    /// # Panics
    ///
    /// If `class` is not below [`CLASSES`].
    pub fn predicted_count(&self, class: usize) -> u32 {
        self.counts.iter().map(|row| row[class]).sum()
    }
}

/// `num / den` as `f64`, or `0.0` when `den` is zero (scikit-learn's `zero_division=0`).
pub(super) fn ratio(num: u32, den: u32) -> f64 {
    if den == 0 {
        0.0
    } else {
        f64::from(num) / f64::from(den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::cases;

    #[test]
    fn matches_scikit_learn_on_every_fixture() {
        for case in cases() {
            let m = ConfusionMatrix::from_predictions(&case.labels, &case.predicted);
            assert_eq!(m.counts, case.confusion, "{}", case.name);
            assert_eq!(m.total() as usize, case.labels.len(), "{}", case.name);
            assert!(
                (m.accuracy() - case.accuracy).abs() <= 1e-9,
                "{}: accuracy {} vs {}",
                case.name,
                m.accuracy(),
                case.accuracy
            );
            for c in 0..CLASSES {
                assert_eq!(m.support(c), case.support[c], "{} class {c}", case.name);
            }
        }
    }

    #[test]
    fn counts_rows_as_truth_and_columns_as_prediction() {
        let m = ConfusionMatrix::from_predictions(&[0, 0, 1, 9, 9, 9], &[0, 1, 1, 9, 9, 3]);
        assert_eq!(m.counts[0][0], 1);
        assert_eq!(m.counts[0][1], 1);
        assert_eq!(m.counts[1][1], 1);
        assert_eq!(m.counts[9][9], 2);
        assert_eq!(m.counts[9][3], 1);
        assert_eq!(m.total(), 6);
        assert_eq!(m.correct(), 4);
        assert_eq!(m.accuracy(), 4.0 / 6.0);
        assert_eq!(m.support(9), 3);
        assert_eq!(m.predicted_count(9), 2);
        assert_eq!(m.predicted_count(3), 1);
    }

    #[test]
    fn empty_input_is_the_zero_matrix() {
        let m = ConfusionMatrix::from_predictions(&[], &[]);
        assert_eq!(m, ConfusionMatrix::default());
        assert_eq!((m.total(), m.correct(), m.accuracy()), (0, 0, 0.0));
    }

    #[test]
    fn all_one_class() {
        let m = ConfusionMatrix::from_predictions(&[4; 5], &[4, 4, 2, 4, 4]);
        assert_eq!(m.counts[4][4], 4);
        assert_eq!(m.counts[4][2], 1);
        assert_eq!(m.accuracy(), 0.8);
    }

    #[test]
    #[should_panic(expected = "3 labels but 2 predictions")]
    fn mismatched_lengths_panic() {
        ConfusionMatrix::from_predictions(&[1, 2, 3], &[1, 2]);
    }

    #[test]
    #[should_panic(expected = "class out of range")]
    fn out_of_range_class_panics() {
        ConfusionMatrix::from_predictions(&[10], &[1]);
    }

    #[test]
    fn serde_round_trip() {
        let m = ConfusionMatrix::from_predictions(&[0, 5, 7], &[0, 5, 1]);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ConfusionMatrix>(&json).unwrap(), m);
    }
}
