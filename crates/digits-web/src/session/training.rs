//! Section 3, training, in the worker: a run on the train/test split (a fresh network, or
//! the current one trained further), its epochs, and its end (the evaluation and the test
//! rows' predictions, then the baselines on the same rows). Data-parallel steps are the trainer's (`digits_cnn::training`); the
//! worker's helper pool (`crate::parallel`) brings the other shards' parts through
//! [`Session::deliver`].

use digits_cnn::data::Dataset;
use digits_cnn::training::{ShardPart, TrainConfig, Trainer};

use super::{ActiveRun, Baselines, Inside, Session, Viewer, failed};
use crate::protocol::{Response, Workers};

impl Session {
    /// Splits the loaded data and starts training a fresh network (replacing any run).
    pub(super) fn start_training(&mut self, config: TrainConfig) -> Response {
        let (train, test) = match self.split(&config) {
            Ok(parts) => parts,
            Err(message) => return failed(message),
        };
        match Trainer::new(config, &train, &test) {
            Ok(trainer) => self.begin_training(trainer, 0, train, test),
            Err(error) => failed(format!("cannot train: {error}")),
        }
    }

    /// Trains the current network (e.g. a loaded one) further with `config`, on its split.
    pub(super) fn train_further(&mut self, mut config: TrainConfig) -> Response {
        // The network was trained on inputs scaled one way; it must keep them.
        config.scale = self.viewer.scale;
        let base = {
            let current = self.current();
            self.viewer = current;
            self.epochs_before + self.viewer.epochs
        };
        let (train, test) = match self.split(&config) {
            Ok(parts) => parts,
            Err(message) => return failed(message),
        };
        match Trainer::from_model(config, self.viewer.model.clone(), &train, &test) {
            Ok(trainer) => self.begin_training(trainer, base, train, test),
            Err(error) => failed(format!("cannot train: {error}")),
        }
    }

    /// Makes `trainer` (on the `train` and `test` rows) the running training, on top of
    /// `epochs_before` epochs the network already had, and says so. The rows are kept for
    /// the baselines that follow the run.
    fn begin_training(
        &mut self,
        trainer: Trainer,
        epochs_before: usize,
        train: Dataset,
        test: Dataset,
    ) -> Response {
        let answer = Response::TrainingStarted {
            epochs: trainer.config().epochs,
            train_rows: train.len(),
            test_rows: test.len(),
            workers: Workers::alone(),
        };
        self.inside = Some(Inside::new(test.clone(), self.test_rows.clone()));
        self.baselines_due = Some(Box::new(Baselines::new(
            train,
            test,
            trainer.config().scale,
        )));
        self.run = Some(ActiveRun::Train(Box::new(trainer)));
        self.paused = false;
        self.epochs_before = epochs_before;
        self.maps_sent = None;
        answer
    }

    /// Whether the run waits for its helper workers' parts of a step (see `crate::parallel`):
    /// slices do nothing until [`deliver`](Self::deliver) has brought them.
    pub fn is_waiting(&self) -> bool {
        self.trainer().is_some_and(Trainer::is_waiting)
    }

    /// Hands a helper's part of the current step to the training run.
    pub fn deliver(&mut self, shard: usize, part: ShardPart) {
        if let Some(trainer) = self.training_mut() {
            trainer.deliver(shard, part);
        }
    }

    /// After a training epoch: refresh the watched maps (when due); finish the run after its
    /// last epoch, its baselines becoming the run.
    pub(super) fn after_epoch(&mut self, out: &mut Vec<Response>) {
        let Some(ActiveRun::Train(trainer)) = &self.run else {
            return;
        };
        let finished = trainer.is_finished();
        self.push_maps_when_due(out, finished);
        self.send_inside_when_due(out, finished);
        let Some(ActiveRun::Train(trainer)) = &self.run else {
            return;
        };
        if finished {
            let evaluation = Box::new(trainer.evaluate());
            let kept_epoch = trainer.best_epoch();
            self.viewer = Viewer::of(trainer);
            self.run = self.baselines_due.take().map(ActiveRun::Baselines);
            self.accuracy = Some(evaluation.accuracy);
            out.push(self.test_predictions());
            out.push(Response::TrainingDone {
                evaluation,
                kept_epoch,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Session;
    use super::super::test_support::*;
    use crate::protocol::{ImageRef, Request, Response};
    use digits_cnn::data::{Augmentation, BundledData, SplitKind};
    use digits_cnn::training::TrainConfig;
    use std::time::Duration;

    #[test]
    fn training_reports_every_epoch_then_its_evaluation() {
        let mut session = loaded_session();
        session.handle(Request::FeatureMaps {
            image: ImageRef::Row(0),
        });
        let started = session.handle(Request::Train { config: quick(2) });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted {
                epochs: 2,
                test_rows: 360,
                ..
            }]
        ));
        let out = run_to_end(&mut session);
        let epochs: Vec<usize> = out
            .iter()
            .filter_map(|r| match r {
                Response::Epoch { report } => Some(report.epoch),
                _ => None,
            })
            .collect();
        assert_eq!(epochs, [1, 2]);
        let maps = out
            .iter()
            .filter(|r| matches!(r, Response::FeatureMaps(_)))
            .count();
        assert_eq!(maps, 2);
        let Some(Response::TrainingDone { evaluation, .. }) = out
            .iter()
            .rfind(|r| matches!(r, Response::TrainingDone { .. }))
        else {
            panic!("{out:?}")
        };
        let total: u32 = evaluation.confusion.counts.iter().flatten().sum();
        assert_eq!(total, 360);
        // The trained network now serves the feature maps.
        let answers = session.handle(Request::FeatureMaps {
            image: ImageRef::Row(0),
        });
        assert!(matches!(&answers[..], [Response::FeatureMaps(view)] if view.epoch == 2));
    }

    #[test]
    fn the_split_is_the_configs_and_writers_needs_uci() {
        let mut session = Session::new(1);
        session.handle(Request::UseBundled {
            data: BundledData::Uci,
        });
        let writers = TrainConfig {
            split: SplitKind::Writers,
            ..quick(1)
        };
        let started = session.handle(Request::Train {
            config: writers.clone(),
        });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted {
                train_rows: 3823,
                test_rows: 1797,
                ..
            }]
        ));
        session.handle(DIGITS);
        let refused = session.handle(Request::Train { config: writers });
        assert!(
            matches!(&refused[..], [Response::Failed { message }]
                if message.contains("the writers split is offered for the `uci` data only")),
            "{refused:?}"
        );
        let stratified = TrainConfig {
            split: SplitKind::Stratified,
            ..quick(1)
        };
        let started = session.handle(Request::Train { config: stratified });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted { test_rows: 360, .. }]
        ));
    }

    #[test]
    fn early_stopping_says_which_epoch_it_kept() {
        let mut session = loaded_session();
        let config = TrainConfig {
            validation: 0.2,
            patience: 1,
            augment: Augmentation::Shift,
            ..quick(3)
        };
        session.handle(Request::Train { config });
        let out = run_to_end(&mut session);
        let validated = out
            .iter()
            .filter(|r| matches!(r, Response::Epoch { report } if report.val_loss.is_some()))
            .count();
        assert!(validated >= 1, "{out:?}");
        let kept = out.iter().find_map(|r| match r {
            Response::TrainingDone { kept_epoch, .. } => Some(*kept_epoch),
            _ => None,
        });
        assert!(matches!(kept, Some(Some(1..=3))), "{kept:?}");
        let (_, plain) = trained();
        assert!(plain.iter().any(|r| matches!(
            r,
            Response::TrainingDone {
                kept_epoch: None,
                ..
            }
        )));
    }

    #[test]
    fn starting_again_replaces_the_run() {
        let mut session = loaded_session();
        session.handle(Request::Train { config: quick(50) });
        session.run_slice(Duration::ZERO);
        session.handle(Request::Train { config: quick(1) });
        let out = run_to_end(&mut session);
        let epochs = out
            .iter()
            .filter(|r| matches!(r, Response::Epoch { .. }))
            .count();
        assert_eq!(epochs, 1);
    }
}
