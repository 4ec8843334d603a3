//! The "Inside the network" section in the worker (the core's `digits_cnn::explain`):
//! during a training run, every weighted layer's weight and gradient histograms and the test
//! rows' projection on the last hidden layer's principal axes.
//!
//! They go out after a run's first and last epoch, and in between no more often than every
//! [`INTERVAL`] and than [`COST_SHARE`] times their own cost allows, so they take at most
//! about 1/[`COST_SHARE`] of the training time whatever the network and the data (a wide
//! last hidden layer makes the projection slower; it is then simply sent less often).

use std::time::Duration;

use digits_cnn::data::Dataset;
use digits_cnn::explain::projection::{Axes, project};
use digits_cnn::explain::weight_histograms::weight_histograms;
use digits_cnn::training::Trainer;
use web_time::Instant;

use super::{ActiveRun, Session};
use crate::protocol::{ProjectionView, Response};

/// Explanations go out at most this often during a run: every few epochs at the speeds the
/// page trains at, enough to watch the classes pull apart.
const INTERVAL: Duration = Duration::from_secs(1);
/// The time between two explanations is at least this many times what computing the last
/// one took (at most 1/40 = 2.5% of the training time between a run's first and last epoch).
const COST_SHARE: u32 = 40;

/// A training run's inside views: its test rows, and what the last ones left.
pub(super) struct Inside {
    /// The run's test rows.
    test: Dataset,
    /// Their rows in the loaded data (empty for a test file's rows).
    rows: Vec<usize>,
    /// The last projection's axes: the next one's warm start (and signs).
    axes: Option<Axes>,
    /// When the last explanations went out.
    sent: Option<Instant>,
    /// What computing them took.
    cost: Duration,
}

impl Inside {
    /// A run's inside views for its `test` rows, which are the loaded data's `rows` (if any).
    pub(super) fn new(test: Dataset, rows: Vec<usize>) -> Self {
        Self {
            test,
            rows,
            axes: None,
            sent: None,
            cost: Duration::ZERO,
        }
    }

    /// Whether explanations are due (always with `now`).
    fn is_due(&self, now: bool) -> bool {
        let wait = INTERVAL.max(self.cost * COST_SHARE);
        now || self.sent.is_none_or(|sent| sent.elapsed() >= wait)
    }

    /// The histograms and the projection of `trainer`'s network after its last epoch.
    fn send(&mut self, trainer: &Trainer, out: &mut Vec<Response>) {
        let started = Instant::now();
        let epoch = trainer.epochs_done();
        let model = trainer.model();
        out.push(Response::WeightHistograms {
            epoch,
            layers: weight_histograms(&model, trainer.epoch_gradients()),
        });
        let config = trainer.config();
        let (projection, axes) = project(
            &model,
            &self.test.images,
            &self.test.labels,
            config.scale,
            &config.backend.device(),
            self.axes.as_ref(),
        );
        self.axes = Some(axes);
        out.push(Response::Projection(ProjectionView {
            epoch,
            projection,
            rows: self.rows.clone(),
        }));
        self.cost = started.elapsed();
        self.sent = Some(Instant::now());
    }
}

impl Session {
    /// After a training epoch: the explanations, if due (always with `now`).
    pub(super) fn send_inside_when_due(&mut self, out: &mut Vec<Response>, now: bool) {
        let (Some(ActiveRun::Train(trainer)), Some(inside)) = (&self.run, &mut self.inside) else {
            return;
        };
        if inside.is_due(now) {
            inside.send(trainer, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::protocol::{Request, Response};

    #[test]
    fn a_run_sends_its_inside_views_after_its_first_and_last_epoch_for_any_network() {
        for (spec, dims) in [("", 512), ("conv8,pool,dense16:tanh", 16)] {
            let mut session = loaded_session();
            let mut config = quick(3);
            if !spec.is_empty() {
                config.arch = spec.parse().unwrap();
            }
            session.handle(Request::Train { config });
            let out = run_to_end(&mut session);
            let histograms: Vec<usize> = out
                .iter()
                .filter_map(|r| match r {
                    Response::WeightHistograms { epoch, layers } => {
                        assert!(layers.iter().all(|l| l.gradients.is_some()));
                        Some(*epoch)
                    }
                    _ => None,
                })
                .collect();
            let projections: Vec<usize> = out
                .iter()
                .filter_map(|r| match r {
                    Response::Projection(view) => {
                        assert_eq!(view.projection.points.len(), 360);
                        assert_eq!(view.rows.len(), 360);
                        assert_eq!(view.projection.dims, dims);
                        Some(view.epoch)
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(histograms.first(), Some(&1), "{spec}");
            assert_eq!(histograms.last(), Some(&3), "{spec}");
            assert_eq!(histograms, projections);
        }
    }
}
