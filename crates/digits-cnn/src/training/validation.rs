//! Validation rows and early stopping, a lever against overfitting.
//!
//! With `validation` > 0, a seeded share of the training rows is carved off before training:
//! the network never trains on them, and every epoch reports its loss and accuracy on them
//! (`val_loss`, `val_accuracy`). The test rows stay untouched, so choosing the epoch by the
//! validation loss does not flatter the test figures.
//!
//! With `patience` > 0 as well, training stops as Keras'
//! `EarlyStopping(monitor="val_loss", patience=N, restore_best_weights=True)` does: once
//! the validation loss has not improved for `patience` epochs in a row, and at the end of
//! the run either way, the network gets back the weights of its best epoch.
//!
//! In a data-parallel run only the primary watches the validation loss: when it stops early,
//! its helpers have already been asked for the next step, whose parts it ignores.

use super::ConfigError;
use crate::data::{Dataset, train_test_split};
use crate::model::DigitsCnn;

/// Keeps the validation carve's shuffle apart from the train/test split's, which uses the
/// same seed.
const VALIDATION_STREAM: u64 = 0x7661_6c69_6461_7465;

/// `train` divided into the rows to train on and the `share` carved off for validation
/// (drawn with `seed`; both parts keep the rows' given order). A share of 0 keeps every
/// row for training, as given.
pub(super) fn carve(
    train: &Dataset,
    share: f64,
    seed: u64,
) -> Result<(Dataset, Dataset), ConfigError> {
    if share == 0.0 {
        return Ok((train.clone(), Dataset::default()));
    }
    let split =
        train_test_split(&train.labels, share, seed ^ VALIDATION_STREAM, false).map_err(|_| {
            ConfigError {
                setting: "validation".into(),
                message: format!(
                    "the training rows ({}) are too few to carve a {share} share off for \
                 validation and still train on some",
                    train.len()
                ),
            }
        })?;
    let sorted = |mut rows: Vec<usize>| {
        rows.sort_unstable();
        train.subset(&rows)
    };
    Ok((sorted(split.train), sorted(split.test)))
}

/// Keras' `EarlyStopping` on the validation loss, with `restore_best_weights`.
pub(super) struct EarlyStopping {
    /// Epochs without improvement after which training stops.
    patience: usize,
    /// The lowest validation loss so far (infinite before any finite one).
    best_loss: f64,
    /// The epoch (from 1) whose weights are kept.
    best_epoch: Option<usize>,
    /// Epochs since the last improvement.
    wait: usize,
    /// Whether training has stopped early.
    stopped: bool,
    /// The weights of `best_epoch`, in evaluation mode: a snapshot with its own batch-norm
    /// moving statistics (a plain clone would share them with the network still training).
    pub(super) best_weights: Option<DigitsCnn>,
}

impl EarlyStopping {
    pub(super) fn new(patience: usize) -> Self {
        Self {
            patience,
            best_loss: f64::INFINITY,
            best_epoch: None,
            wait: 0,
            stopped: false,
            best_weights: None,
        }
    }

    /// Counts in epoch `epoch`'s validation loss; returns whether that epoch's weights are
    /// now the ones to keep. As Keras: an improvement is a strictly lower loss; the first
    /// epoch's weights are kept even if its loss is not finite; no stop after the first.
    pub(super) fn observe(&mut self, epoch: usize, val_loss: f64) -> bool {
        self.wait += 1;
        if val_loss < self.best_loss {
            self.best_loss = val_loss;
            self.best_epoch = Some(epoch);
            self.wait = 0;
            return true;
        }
        let first = self.best_epoch.is_none();
        if first {
            self.best_epoch = Some(epoch);
        }
        if self.wait >= self.patience && epoch > 1 {
            self.stopped = true;
        }
        first
    }

    /// The epoch (from 1) whose weights are kept, once one has been observed.
    pub(super) fn best_epoch(&self) -> Option<usize> {
        self.best_epoch
    }

    /// Whether the validation loss has not improved for `patience` epochs.
    pub(super) fn stopped(&self) -> bool {
        self.stopped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bundled;

    /// The epochs kept after each loss, and the epoch the run stopped after (if it did).
    fn watch(patience: usize, losses: &[f64]) -> (Vec<bool>, Option<usize>, Option<usize>) {
        let mut stopping = EarlyStopping::new(patience);
        let mut kept = Vec::new();
        for (index, &loss) in losses.iter().enumerate() {
            kept.push(stopping.observe(index + 1, loss));
            if stopping.stopped() {
                return (kept, stopping.best_epoch(), Some(index + 1));
            }
        }
        (kept, stopping.best_epoch(), None)
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement_as_keras() {
        assert_eq!(
            watch(2, &[1.0, 0.8, 0.9, 0.85, 0.7]),
            (vec![true, true, false, false], Some(2), Some(4))
        );
        assert_eq!(
            watch(2, &[1.0, 0.8, 0.9, 0.7, 0.75, 0.6]),
            (vec![true, true, false, true, false, true], Some(6), None)
        );
        // An equal loss is no improvement.
        assert_eq!(watch(1, &[1.0, 1.0]), (vec![true, false], Some(1), Some(2)));
        // A first epoch that is not finite is kept until a finite loss comes, never stopped.
        assert_eq!(
            watch(1, &[f64::NAN, 0.5, 0.6]),
            (vec![true, true, false], Some(2), Some(3))
        );
        assert_eq!(watch(1, &[f64::NAN]), (vec![true], Some(1), None));
    }

    #[test]
    fn the_carve_is_seeded_disjoint_and_keeps_the_order() {
        let data = &bundled();
        let (train, validation) = carve(data, 0.2, 42).unwrap();
        assert_eq!((train.len(), validation.len()), (1437, 360));
        assert_eq!(carve(data, 0.2, 42).unwrap(), (train.clone(), validation));
        assert_ne!(carve(data, 0.2, 43).unwrap().0, train);
        let (all, none) = carve(data, 0.0, 42).unwrap();
        assert_eq!((&all, none.len()), (data, 0));
        let one = data.subset(&[0]);
        let e = carve(&one, 0.5, 42).map(|_| ()).unwrap_err();
        assert_eq!(e.setting, "validation");
        assert_eq!(carve(&data.subset(&[0, 1]), 0.5, 42).unwrap().1.len(), 1);
    }
}
