//! Warms the training code up while the page waits for its first Start.
//!
//! A browser compiles WebAssembly twice: a quick baseline first, then optimised code for the
//! functions that turn out hot. Until that has happened the first epochs of a page's first
//! run are 2–3× slower (measured in headless Chromium: epochs 1–5 took 0.38 s each, later
//! ones 0.15 s; a second run in the same page had no slow start at all). So the idle worker
//! trains a throwaway network for a moment after the page is ready. Any request ends it at
//! once, and nothing of it is kept or shown: it only makes the engine compile the hot code.

use std::time::Duration;

use digits_cnn::data::{Dataset, bundled};
use digits_cnn::training::{TrainConfig, Trainer};
use web_time::Instant;

/// Training rows of the throwaway run.
const ROWS: usize = 384;
/// The most time the warm-up runs in all.
const LIMIT: Duration = Duration::from_millis(2_500);

/// A throwaway training run in progress.
pub struct WarmUp {
    trainer: Trainer,
    started: Instant,
}

impl WarmUp {
    /// A throwaway run on part of the bundled data, with the default settings.
    pub fn new() -> Option<Self> {
        let data = bundled();
        let rows = |range: std::ops::Range<usize>| Dataset {
            images: data.images[range.clone()].to_vec(),
            labels: data.labels[range].to_vec(),
        };
        let config = TrainConfig {
            epochs: 1_000,
            ..TrainConfig::default()
        };
        let trainer = Trainer::new(config, &rows(0..ROWS), &rows(ROWS..ROWS + 128)).ok()?;
        Some(Self {
            trainer,
            started: Instant::now(),
        })
    }

    /// The throwaway run's trainer (to make it data-parallel, so helpers warm up too).
    pub fn trainer_mut(&mut self) -> &mut Trainer {
        &mut self.trainer
    }

    /// Whether it waits for helpers' parts (see [`Trainer::is_waiting`]).
    pub fn is_waiting(&self) -> bool {
        self.trainer.is_waiting()
    }

    /// Trains for about `budget` (less while waiting for helpers); whether there is more
    /// to do.
    pub fn run_slice(&mut self, budget: Duration) -> bool {
        let slice = Instant::now();
        while slice.elapsed() < budget && !self.trainer.is_waiting() {
            if self.trainer.step().is_none() && self.trainer.is_finished() {
                return false;
            }
        }
        self.started.elapsed() < LIMIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trains_in_slices_until_its_limit() {
        let mut warm_up = WarmUp::new().expect("the bundled data trains");
        assert!(
            warm_up.run_slice(Duration::from_millis(20)),
            "more to do after one slice"
        );
        assert!(!warm_up.run_slice(LIMIT), "done once its time is up");
        assert!(warm_up.trainer.epochs_done() > 0, "it really trained");
    }
}
