//! A sweep: every combination of some networks and learning rates, each trained from several
//! seeds, compared by the mean and standard deviation of their test accuracy.
//!
//! The grid and the summary of each combination live here; the front ends run the trainings:
//! `digits sweep` one after another, the page's Sweep panel in its workers.

use serde::{Deserialize, Serialize};

use crate::arch::Arch;
use crate::cross_validation::mean_std;
use crate::training::{ConfigError, TrainConfig, Trainer};

/// Most trainings one sweep may run (combinations × seeds): a grid is for a few candidates,
/// and each training takes the full epochs.
pub const MAX_RUNS: usize = 64;
/// Seeds per combination when not given.
pub const DEFAULT_SEEDS: usize = 3;

/// One combination of the grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The network.
    pub arch: Arch,
    /// The learning rate.
    pub learning_rate: f64,
}

/// The grid: every network with every learning rate (networks outermost), each from `seeds`
/// seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The combinations, in order.
    pub points: Vec<SweepPoint>,
    /// Seeds per combination: the base seed and the ones after it.
    pub seeds: usize,
}

impl Sweep {
    /// The grid of `archs` × `learning_rates`, refused when empty or over [`MAX_RUNS`].
    pub fn new(archs: &[Arch], learning_rates: &[f64], seeds: usize) -> Result<Self, ConfigError> {
        let fail = |setting: &str, message: String| {
            Err(ConfigError {
                setting: setting.into(),
                message,
            })
        };
        if archs.is_empty() || learning_rates.is_empty() || seeds == 0 {
            return fail(
                "sweep",
                "needs at least one arch, one learning rate and one seed".into(),
            );
        }
        let runs = archs.len() * learning_rates.len() * seeds;
        if runs > MAX_RUNS {
            return fail(
                "sweep",
                format!("{runs} trainings is more than the {MAX_RUNS} a sweep may run"),
            );
        }
        let points = archs
            .iter()
            .flat_map(|arch| {
                learning_rates.iter().map(|&learning_rate| SweepPoint {
                    arch: arch.clone(),
                    learning_rate,
                })
            })
            .collect();
        Ok(Self { points, seeds })
    }

    /// The settings of each training of combination `point`: `base` with the point's network
    /// and learning rate, seeded `base.seed`, `base.seed + 1`, ….
    pub fn configs(&self, point: &SweepPoint, base: &TrainConfig) -> Vec<TrainConfig> {
        (0..self.seeds as u64)
            .map(|offset| TrainConfig {
                arch: point.arch.clone(),
                learning_rate: point.learning_rate,
                seed: base.seed + offset,
                ..base.clone()
            })
            .collect()
    }
}

/// What one seed's training of a combination gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedRun {
    /// Test accuracy of the weights kept (the last epoch's, or the best with early stopping).
    pub test_accuracy: f64,
    /// Seconds per epoch run.
    pub seconds_per_epoch: f64,
}

impl SeedRun {
    /// The figures of a finished `trainer` (`None` before its first epoch).
    pub fn of(trainer: &Trainer) -> Option<Self> {
        let history = trainer.history();
        let last = history.last()?;
        Some(Self {
            test_accuracy: trainer.kept_report()?.test_accuracy,
            seconds_per_epoch: last.elapsed_seconds / history.len() as f64,
        })
    }
}

/// How one combination did across its seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// The network (its normalised spec when serialised).
    pub arch: Arch,
    /// The learning rate.
    pub learning_rate: f64,
    /// The network's parameters.
    pub parameters: usize,
    /// Each seed's final test accuracy, in seed order.
    pub accuracies: Vec<f64>,
    /// Their mean.
    pub mean_accuracy: f64,
    /// Their population standard deviation.
    pub std_accuracy: f64,
    /// Mean seconds per epoch over every seed's training.
    pub seconds_per_epoch: f64,
}

impl SweepResult {
    /// The summary of `point` from each seed's run.
    pub fn new(point: &SweepPoint, runs: &[SeedRun]) -> Self {
        let accuracies: Vec<f64> = runs.iter().map(|run| run.test_accuracy).collect();
        let (mean_accuracy, std_accuracy) = mean_std(&accuracies);
        let seconds: Vec<f64> = runs.iter().map(|run| run.seconds_per_epoch).collect();
        Self {
            arch: point.arch.clone(),
            learning_rate: point.learning_rate,
            parameters: point.arch.parameters(),
            accuracies,
            mean_accuracy,
            std_accuracy,
            seconds_per_epoch: mean_std(&seconds).0,
        }
    }
}

/// The index of the result with the highest mean accuracy (the first of equals).
pub fn best(results: &[SweepResult]) -> Option<usize> {
    (0..results.len()).reduce(|best, index| {
        if results[index].mean_accuracy > results[best].mean_accuracy {
            index
        } else {
            best
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_every_network_with_every_rate_from_consecutive_seeds() {
        let archs: Vec<Arch> = ["conv8", "dense16"].map(|s| s.parse().unwrap()).to_vec();
        let sweep = Sweep::new(&archs, &[1e-3, 1e-2], 2).unwrap();
        let points: Vec<(String, f64)> = sweep
            .points
            .iter()
            .map(|p| (p.arch.to_string(), p.learning_rate))
            .collect();
        assert_eq!(
            points,
            [
                ("conv8".to_string(), 1e-3),
                ("conv8".to_string(), 1e-2),
                ("dense16".to_string(), 1e-3),
                ("dense16".to_string(), 1e-2)
            ]
        );
        let base = TrainConfig {
            seed: 7,
            ..TrainConfig::default()
        };
        let configs = sweep.configs(&sweep.points[3], &base);
        let seeds: Vec<u64> = configs.iter().map(|c| c.seed).collect();
        assert_eq!(seeds, [7, 8]);
        assert_eq!(configs[0].arch, archs[1]);
        assert_eq!(configs[0].learning_rate, 1e-2);
        assert!(
            Sweep::new(&archs, &[1e-3; 11], 3)
                .unwrap_err()
                .message
                .contains("66 trainings")
        );
        assert!(Sweep::new(&[], &[1e-3], 3).is_err());
    }

    #[test]
    fn a_result_is_the_mean_and_std_over_seeds() {
        let point = SweepPoint {
            arch: Arch::notebook(),
            learning_rate: 1e-3,
        };
        let result = SweepResult::new(
            &point,
            &[
                SeedRun {
                    test_accuracy: 0.9,
                    seconds_per_epoch: 2.0,
                },
                SeedRun {
                    test_accuracy: 0.8,
                    seconds_per_epoch: 1.0,
                },
            ],
        );
        assert!((result.mean_accuracy - 0.85).abs() < 1e-12);
        assert!((result.std_accuracy - 0.05).abs() < 1e-12);
        assert!((result.seconds_per_epoch - 1.5).abs() < 1e-12);
        assert_eq!(result.parameters, 102_794);
        let worse = SweepResult {
            mean_accuracy: 0.5,
            ..result.clone()
        };
        assert_eq!(best(&[worse.clone(), result, worse]), Some(1));
        assert_eq!(best(&[]), None);
    }
}
