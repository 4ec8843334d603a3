//! Section 6, cross-validation, in the worker: K folds (the core's
//! `digits_cnn::cross_validation`), one fresh network per fold, one after another, each
//! fold's result, and their summary. Each fold trains data-parallel on the worker's helpers
//! like a training run ([`Session::training_mut`]), so a cross-validation uses every core.

use digits_cnn::cross_validation::{CrossValidationSummary, FOLDS, Fold, FoldResult, folds};
use digits_cnn::training::{TrainConfig, Trainer};

use super::{ActiveRun, Session, failed};
use crate::protocol::Response;

/// A K-fold cross-validation in progress: one fresh network per fold, one after another.
pub(super) struct CrossValidation {
    /// Every fold's settings.
    config: TrainConfig,
    /// Each fold's training and held-out rows.
    folds: Vec<Fold>,
    /// The latest fold (from 0) and its trainer; `None` before the first.
    current: Option<(usize, Trainer)>,
    /// The finished folds' results.
    results: Vec<FoldResult>,
}

impl Session {
    /// Starts a cross-validation of `k` folds with `config` on the loaded data.
    pub(super) fn start_cross_validation(&mut self, config: TrainConfig, k: usize) -> Response {
        if !FOLDS.contains(&k) {
            return failed(format!(
                "{k} folds is outside {}..{}",
                FOLDS.start(),
                FOLDS.end()
            ));
        }
        if let Err(error) = config.validate() {
            return failed(format!("cannot cross-validate: {error}"));
        }
        let folds = match self.loaded().map(|dataset| folds(dataset, k, config.seed)) {
            Ok(Ok(folds)) => folds,
            Ok(Err(error)) => return failed(format!("cannot make {k} folds: {}", error.message)),
            Err(message) => return failed(message),
        };
        let epochs = config.epochs;
        self.run = Some(ActiveRun::CrossValidate(Box::new(CrossValidation {
            config,
            folds,
            current: None,
            results: Vec::new(),
        })));
        self.paused = false;
        self.maps_sent = None;
        Response::CrossValidationStarted { folds: k, epochs }
    }

    /// After a cross-validation step: refresh maps after an epoch; finish after the last fold.
    pub(super) fn after_fold_step(&mut self, out: &mut Vec<Response>) {
        if out.iter().any(|r| matches!(r, Response::FoldEpoch { .. })) {
            let fold_done = out.iter().any(|r| matches!(r, Response::FoldDone { .. }));
            self.push_maps_when_due(out, fold_done);
        }
        let Some(ActiveRun::CrossValidate(cv)) = &self.run else {
            return;
        };
        if cv.results.len() == cv.folds.len() {
            let summary = CrossValidationSummary::new(cv.results.clone());
            self.run = None;
            out.push(Response::CrossValidationDone { summary });
        }
    }
}

impl CrossValidation {
    /// The current fold's trainer (the finished fold's until the next starts).
    pub(super) fn trainer(&self) -> Option<&Trainer> {
        self.current.as_ref().map(|(_, trainer)| trainer)
    }

    /// The current fold's trainer, to make it data-parallel or hand it helpers' parts.
    pub(super) fn trainer_mut(&mut self) -> Option<&mut Trainer> {
        self.current.as_mut().map(|(_, trainer)| trainer)
    }

    /// Runs one batch of the current fold, or starts the next fold once it has finished.
    /// (The finished fold's trainer stays current until then, so its feature maps show.)
    pub(super) fn step(&mut self) -> Result<Vec<Response>, String> {
        let (fold, trainer) = match &mut self.current {
            Some((fold, trainer)) if !trainer.is_finished() => (*fold + 1, trainer),
            _ => return self.start_fold().map(|started| vec![started]),
        };
        let Some(report) = trainer.step() else {
            return Ok(Vec::new());
        };
        let mut out = vec![Response::FoldEpoch {
            fold,
            report: report.clone(),
        }];
        if trainer.is_finished() {
            let result = FoldResult::from_report(fold, &report);
            self.results.push(result.clone());
            let rows = &self.folds[fold - 1];
            out.push(Response::FoldDone {
                result,
                train_rows: rows.train.len(),
                test_rows: rows.test.len(),
            });
        }
        Ok(out)
    }

    fn start_fold(&mut self) -> Result<Response, String> {
        let fold = self.results.len();
        let Fold { train, test } = &self.folds[fold];
        let trainer = Trainer::new(self.config.clone(), train, test)
            .map_err(|error| format!("cannot train fold {}: {error}", fold + 1))?;
        let started = Response::FoldStarted {
            fold: fold + 1,
            train_rows: train.len(),
            test_rows: test.len(),
        };
        self.current = Some((fold, trainer));
        Ok(started)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::protocol::Request;
    use digits_cnn::data::Dataset;
    use digits_cnn::training::Peers;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    #[test]
    fn cross_validation_trains_each_fold() {
        let mut session = loaded_session();
        let started = session.handle(Request::CrossValidate {
            config: quick(1),
            folds: 2,
        });
        assert!(matches!(
            &started[..],
            [Response::CrossValidationStarted {
                folds: 2,
                epochs: 1
            }]
        ));
        let out = run_to_end(&mut session);
        let folds: Vec<usize> = out
            .iter()
            .filter_map(|r| match r {
                Response::FoldDone { result, .. } => Some(result.fold),
                _ => None,
            })
            .collect();
        assert_eq!(folds, [1, 2]);
        let Some(Response::CrossValidationDone { summary }) = out.last() else {
            panic!()
        };
        // Every row is held out by exactly one fold.
        let held_out: usize = out
            .iter()
            .filter_map(|r| match r {
                Response::FoldDone { test_rows, .. } => Some(test_rows),
                _ => None,
            })
            .sum();
        assert_eq!(held_out, 1797);
        assert_eq!(summary.folds.len(), 2);
        assert!(summary.mean_accuracy > 0.0 && summary.mean_accuracy <= 1.0);
    }

    /// Helpers that only record what the primary asked them (the worker's pool posts it).
    struct Mailbox(Rc<RefCell<Vec<Option<Vec<f32>>>>>);
    impl Peers for Mailbox {
        fn begin_step(&mut self, previous: Option<&[f32]>) {
            self.0.borrow_mut().push(previous.map(<[f32]>::to_vec));
        }
    }

    /// Cross-validates `folds` folds of one epoch, every fold on two shards as the worker
    /// runs it (a helper driven in process); returns each fold's accuracy and the parts the
    /// helper gave.
    fn data_parallel_cross_validation(folds: usize) -> (Vec<f64>, usize) {
        let mut session = loaded_session();
        session.handle(Request::CrossValidate {
            config: quick(1),
            folds,
        });
        let asks = Rc::new(RefCell::new(Vec::new()));
        let mut helper = None;
        let (mut accuracies, mut parts) = (Vec::new(), 0);
        while session.is_running() {
            let out = session.run_slice(Duration::from_millis(40));
            if out
                .iter()
                .any(|r| matches!(r, Response::FoldStarted { .. }))
            {
                let trainer = session.training_mut().expect("the fold's network");
                assert!(trainer.can_shard(), "a fold starts fresh");
                let rows = trainer.train_rows();
                let mut shard = Trainer::new(trainer.config().clone(), &rows, &Dataset::default())
                    .expect("the helper's network");
                shard.set_shard(1, 2);
                helper = Some(shard);
                trainer.set_peers(2, Box::new(Mailbox(asks.clone())));
            }
            for answer in &out {
                if let Response::FoldDone { result, .. } = answer {
                    accuracies.push(result.accuracy);
                }
            }
            let asked: Vec<_> = asks.borrow_mut().drain(..).collect();
            for previous in asked {
                let shard = helper.as_mut().expect("a helper for the fold");
                if let Some(part) = shard.helper_step(previous.as_deref()) {
                    session.deliver(1, part);
                    parts += 1;
                }
            }
        }
        (accuracies, parts)
    }

    #[test]
    fn each_fold_trains_data_parallel_and_repeats_exactly() {
        let (first, parts) = data_parallel_cross_validation(2);
        assert_eq!(first.len(), 2, "both folds finished");
        assert!(first.iter().all(|a| (0.0..=1.0).contains(a)), "{first:?}");
        // 2 folds of 899 and 898 rows, batch 256: 4 steps each, every one shared.
        assert_eq!(parts, 8, "the helper computed its part of every step");
        let (again, _) = data_parallel_cross_validation(2);
        assert_eq!(again, first, "same seed and shards, same folds");
    }

    #[test]
    fn cv_summary_uses_the_population_std() {
        let fold = |fold, loss, accuracy| FoldResult {
            fold,
            loss,
            accuracy,
        };
        let summary = CrossValidationSummary::new(vec![fold(1, 1.0, 0.9), fold(2, 3.0, 0.7)]);
        assert_eq!(summary.mean_loss, 2.0);
        assert_eq!(summary.std_loss, 1.0);
        assert!((summary.mean_accuracy - 0.8).abs() < 1e-12);
        assert!((summary.std_accuracy - 0.1).abs() < 1e-12);
    }
}
