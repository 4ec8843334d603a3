//! Section 5's baselines in the worker: after a training run finishes, k-nearest
//! neighbours and logistic regression (the core's `digits_cnn::baselines`) are fitted on the
//! run's training rows and tested on its test rows, so the page can show whether the CNN
//! was needed. They run after [`Response::TrainingDone`] has gone out, one model per slice,
//! so the run's end is not delayed and requests are still answered between them.

use digits_cnn::baselines::BaselineKind;
use digits_cnn::data::Dataset;
use digits_cnn::prediction::InputScale;

use crate::protocol::Response;

/// The baselines still to run on one training run's split.
pub(super) struct Baselines {
    /// The run's training rows (before any validation share is carved off).
    train: Dataset,
    /// The run's test rows.
    test: Dataset,
    /// The run's input scaling.
    scale: InputScale,
    /// The models not run yet, in reverse order of [`BaselineKind::ALL`].
    left: Vec<BaselineKind>,
}

impl Baselines {
    /// Every baseline, to run on `train` and `test` as a network with `scale` was.
    pub(super) fn new(train: Dataset, test: Dataset, scale: InputScale) -> Self {
        Self {
            train,
            test,
            scale,
            left: BaselineKind::ALL.into_iter().rev().collect(),
        }
    }

    /// Fits and tests the next model; `None` once every model has run.
    pub(super) fn step(&mut self) -> Option<Response> {
        let kind = self.left.pop()?;
        let scale = inputs(kind, self.scale);
        Some(Response::Baseline {
            result: Box::new(kind.run(&self.train, &self.test, scale)),
            scale,
        })
    }
}

/// The inputs `kind` fits on when the network had `run_scale`'s. k-NN takes the network's
/// own (scaling every pixel alike changes no neighbour). Logistic regression always takes
/// unit inputs (0..1): on raw pixels (0..16) its solver needs far more iterations to
/// converge (measured natively on `uci`: 19–36 s to fit against 0.77 s), which would hold
/// the worker for half a minute, for nearly the same accuracy.
fn inputs(kind: BaselineKind, run_scale: InputScale) -> InputScale {
    match kind {
        BaselineKind::Knn => run_scale,
        BaselineKind::Logistic => InputScale::Unit,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::protocol::{Request, Response};
    use digits_cnn::baselines::BaselineKind;
    use digits_cnn::prediction::InputScale;

    #[test]
    fn every_baseline_follows_the_run_on_its_split() {
        let (_, out) = trained();
        let done = out
            .iter()
            .position(|r| matches!(r, Response::TrainingDone { .. }))
            .expect("the run finished");
        let baselines: Vec<_> = out[done + 1..]
            .iter()
            .map(|r| match r {
                Response::Baseline { result, scale } => (result.model, *scale, result),
                other => panic!("{other:?} after the run's end"),
            })
            .collect();
        let models: Vec<_> = baselines
            .iter()
            .map(|(model, scale, _)| (*model, *scale))
            .collect();
        assert_eq!(
            models,
            [
                (BaselineKind::Knn, InputScale::Raw),
                (BaselineKind::Logistic, InputScale::Unit)
            ]
        );
        for (model, _, result) in baselines {
            let tested: u32 = result.evaluation.confusion.counts.iter().flatten().sum();
            assert_eq!(tested, 360, "{model:?} is tested on the run's test rows");
            assert!(result.evaluation.accuracy > 0.9, "{model:?}: {result:?}");
            assert!(result.seconds >= 0.0);
        }
    }

    #[test]
    fn a_new_run_drops_the_baselines_still_to_come() {
        let mut session = loaded_session();
        session.handle(Request::Train { config: quick(1) });
        while !session
            .run_slice(std::time::Duration::from_millis(40))
            .iter()
            .any(|r| matches!(r, Response::TrainingDone { .. }))
        {}
        assert!(session.is_running(), "the baselines are due");
        session.handle(Request::Train { config: quick(1) });
        let out = run_to_end(&mut session);
        let baselines = out
            .iter()
            .filter(|r| matches!(r, Response::Baseline { .. }))
            .count();
        assert_eq!(baselines, 2, "only the second run's");
    }
}
