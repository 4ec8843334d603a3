//! K-fold cross-validation: the folds' data and the summary of their results.
//!
//! The one implementation for every front end: `digits kfold` and the page's
//! cross-validation section build on it (the fold indices themselves come from
//! `data/split.rs`).

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, SplitError, k_fold};
use crate::training::EpochReport;

/// Fold counts accepted, everywhere (core, CLI, page): every fold needs a held-out part,
/// and more than 20 folds only multiplies the training time.
pub const FOLDS: RangeInclusive<usize> = 2..=20;
/// The notebook's fold count.
pub const DEFAULT_FOLDS: usize = 5;

/// One fold: the rows to train on and the rows it is validated on.
#[derive(Clone, Debug, PartialEq)]
pub struct Fold {
    /// Training rows (every row not in `test`).
    pub train: Dataset,
    /// This fold's held-out rows.
    pub test: Dataset,
}

/// The `k` folds of `data`, shuffled with `seed`; every row is held out exactly once.
pub fn folds(data: &Dataset, k: usize, seed: u64) -> Result<Vec<Fold>, SplitError> {
    if k > *FOLDS.end() {
        return Err(SplitError {
            message: format!("{k} folds is more than the {} allowed", FOLDS.end()),
        });
    }
    Ok(k_fold(data.len(), k, seed)?
        .into_iter()
        .map(|split| Fold {
            train: data.subset(&split.train),
            test: data.subset(&split.test),
        })
        .collect())
}

/// How one fold's model did on its held-out rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// The fold, from 1.
    pub fold: usize,
    /// Loss on the held-out rows.
    pub loss: f64,
    /// Accuracy on the held-out rows.
    pub accuracy: f64,
}

impl FoldResult {
    /// Fold `fold`'s result: its last epoch's held-out loss and accuracy.
    pub fn from_report(fold: usize, last: &EpochReport) -> Self {
        Self {
            fold,
            loss: last.test_loss,
            accuracy: last.test_accuracy,
        }
    }
}

/// Every fold's result with the mean and (population) standard deviation across folds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossValidationSummary {
    /// Each fold's result, in order.
    pub folds: Vec<FoldResult>,
    /// Mean held-out accuracy.
    pub mean_accuracy: f64,
    /// Standard deviation of the held-out accuracy (numpy's `std`, ddof 0).
    pub std_accuracy: f64,
    /// Mean held-out loss.
    pub mean_loss: f64,
    /// Standard deviation of the held-out loss.
    pub std_loss: f64,
}

impl CrossValidationSummary {
    /// Summarises the folds' results.
    pub fn new(folds: Vec<FoldResult>) -> Self {
        let accuracy: Vec<f64> = folds.iter().map(|f| f.accuracy).collect();
        let loss: Vec<f64> = folds.iter().map(|f| f.loss).collect();
        let (mean_accuracy, std_accuracy) = mean_std(&accuracy);
        let (mean_loss, std_loss) = mean_std(&loss);
        Self {
            folds,
            mean_accuracy,
            std_accuracy,
            mean_loss,
            std_loss,
        }
    }
}

/// Mean and population standard deviation; (0, 0) for no values.
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bundled;

    #[test]
    fn every_row_is_held_out_once() {
        let data = bundled();
        let folds = folds(&data, 5, 42).unwrap();
        assert_eq!(folds.len(), 5);
        let held_out: usize = folds.iter().map(|f| f.test.len()).sum();
        assert_eq!(held_out, data.len());
        for fold in &folds {
            assert_eq!(fold.train.len() + fold.test.len(), data.len());
        }
        let mut counts = [0usize; 10];
        for fold in &folds {
            for (c, n) in fold.test.class_counts().iter().enumerate() {
                counts[c] += n;
            }
        }
        assert_eq!(counts, data.class_counts());
    }

    #[test]
    fn too_many_folds_are_refused() {
        assert!(
            folds(&bundled(), 21, 1)
                .unwrap_err()
                .message
                .contains("21 folds")
        );
    }

    #[test]
    fn mean_and_std_match_numpy() {
        let (mean, std) = mean_std(&[0.98, 0.99, 1.0, 0.97]);
        assert!((mean - 0.985).abs() < 1e-12);
        assert!((std - 0.011_180_339_887_498_96).abs() < 1e-12);
        assert_eq!(mean_std(&[]), (0.0, 0.0));
    }
}
