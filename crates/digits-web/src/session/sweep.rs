//! The Sweep panel's trainings in the worker: the core's grid (`digits_cnn::sweep`), every
//! network × learning rate from several seeds, one training after another, each to its last
//! epoch, then each combination's mean ± std of test accuracy and the best of them.

use digits_cnn::arch::Arch;
use digits_cnn::sweep::{SeedRun, Sweep, SweepResult, best};
use digits_cnn::training::{TrainConfig, Trainer};

use super::{ActiveRun, Session, failed};
use crate::protocol::Response;

/// A sweep in progress.
pub(super) struct SweepRun {
    /// The grid.
    sweep: Sweep,
    /// Every training's settings, in order, each with its combination's index.
    configs: Vec<(usize, TrainConfig)>,
    /// The training going on (the finished one's until the next starts).
    current: Option<Trainer>,
    /// Each combination's finished seeds.
    runs: Vec<Vec<SeedRun>>,
}

impl Session {
    /// Starts a sweep of `archs` × `learning_rates` from `seeds` seeds, with `config`'s
    /// other settings, on the loaded data.
    pub(super) fn start_sweep(
        &mut self,
        config: TrainConfig,
        archs: &[Arch],
        learning_rates: &[f64],
        seeds: usize,
    ) -> Response {
        if let Err(error) = config.validate() {
            return failed(format!("cannot sweep: {error}"));
        }
        let sweep = match Sweep::new(archs, learning_rates, seeds) {
            Ok(sweep) => sweep,
            Err(error) => return failed(format!("cannot sweep: {error}")),
        };
        if let Err(message) = self.loaded() {
            return failed(message);
        }
        let configs: Vec<(usize, TrainConfig)> = sweep
            .points
            .iter()
            .enumerate()
            .flat_map(|(index, point)| {
                let configs = sweep.configs(point, &config);
                configs.into_iter().map(move |config| (index, config))
            })
            .collect();
        let started = Response::SweepStarted {
            runs: configs.len(),
            epochs: config.epochs,
        };
        self.run = Some(ActiveRun::Sweep(Box::new(SweepRun {
            runs: vec![Vec::new(); sweep.points.len()],
            sweep,
            configs,
            current: None,
        })));
        self.paused = false;
        started
    }

    /// One batch of the sweep's current training; between trainings, the next one starts,
    /// or, after the last, the results go out and the sweep ends.
    pub(super) fn sweep_step(&mut self) -> Vec<Response> {
        let Some(ActiveRun::Sweep(sweep)) = self.run.as_mut() else {
            return Vec::new();
        };
        if sweep.current.as_ref().is_some_and(|t| !t.is_finished()) {
            return sweep.step().into_iter().collect();
        }
        let next = sweep.finished();
        let Some((_, config)) = sweep.configs.get(next).cloned() else {
            let results = sweep.results();
            let best = best(&results);
            self.run = None;
            return vec![Response::SweepDone { results, best }];
        };
        // The sweep's splits are its own: the linked views keep the last run's test rows.
        let test_rows = std::mem::take(&mut self.test_rows);
        let split = self.split(&config);
        self.test_rows = test_rows;
        let trainer = split.and_then(|(train, test)| {
            Trainer::new(config, &train, &test).map_err(|error| error.to_string())
        });
        match trainer {
            Ok(trainer) => {
                if let Some(ActiveRun::Sweep(sweep)) = self.run.as_mut() {
                    sweep.current = Some(trainer);
                }
                Vec::new()
            }
            Err(message) => {
                self.run = None;
                vec![failed(format!(
                    "cannot train sweep run {}: {message}",
                    next + 1
                ))]
            }
        }
    }
}

impl SweepRun {
    /// The current training's trainer.
    pub(super) fn trainer(&self) -> Option<&Trainer> {
        self.current.as_ref()
    }

    /// Trainings finished.
    fn finished(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    /// One batch of the current training: its progress after an epoch, and its figures
    /// kept once it has finished.
    fn step(&mut self) -> Option<Response> {
        let run = self.finished() + 1;
        let trainer = self.current.as_mut()?;
        let report = trainer.step()?;
        if trainer.is_finished() {
            let (point, _) = self.configs[run - 1];
            self.runs[point].extend(SeedRun::of(trainer));
        }
        Some(Response::SweepProgress {
            run,
            epoch: report.epoch,
        })
    }

    /// Each combination's summary.
    fn results(&self) -> Vec<SweepResult> {
        self.sweep
            .points
            .iter()
            .zip(&self.runs)
            .map(|(point, runs)| SweepResult::new(point, runs))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::protocol::Request;

    #[test]
    fn a_sweep_trains_every_combination_and_names_the_best() {
        let mut session = loaded_session();
        let archs: Vec<Arch> = ["conv4,pool,dense16", "conv8,pool,dense16"]
            .iter()
            .map(|spec| spec.parse().unwrap())
            .collect();
        let answer = session.handle(Request::Sweep {
            config: quick(2),
            archs,
            learning_rates: vec![0.01],
            seeds: 2,
        });
        assert_eq!(answer, [Response::SweepStarted { runs: 4, epochs: 2 }]);
        let out = run_to_end(&mut session);
        let progress: Vec<(usize, usize)> = out
            .iter()
            .filter_map(|r| match r {
                Response::SweepProgress { run, epoch } => Some((*run, *epoch)),
                _ => None,
            })
            .collect();
        assert_eq!(
            progress,
            [
                (1, 1),
                (1, 2),
                (2, 1),
                (2, 2),
                (3, 1),
                (3, 2),
                (4, 1),
                (4, 2)
            ]
        );
        let Some(Response::SweepDone { results, best }) = out.last() else {
            panic!("{out:?}")
        };
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(|r| r.accuracies.len() == 2));
        assert_eq!(results[0].arch.to_string(), "conv4,pool,dense16");
        assert!(best.is_some());
        assert!(!session.is_running());
    }

    #[test]
    fn a_sweep_pauses_resumes_and_stops_like_any_run() {
        let mut session = loaded_session();
        session.handle(Request::Sweep {
            config: quick(3),
            archs: vec!["conv4,pool,dense16".parse().unwrap()],
            learning_rates: vec![0.01],
            seeds: 2,
        });
        session.run_slice(std::time::Duration::ZERO);
        assert!(matches!(
            &session.handle(Request::Pause)[..],
            [Response::Paused { .. }]
        ));
        assert!(
            session
                .run_slice(std::time::Duration::from_millis(50))
                .is_empty()
        );
        assert!(matches!(
            &session.handle(Request::Resume)[..],
            [Response::Resumed]
        ));
        assert_eq!(session.handle(Request::Stop), [Response::Stopped]);
        assert!(!session.is_running());
    }

    #[test]
    fn a_sweep_over_the_cap_is_refused() {
        let mut session = loaded_session();
        let answer = session.handle(Request::Sweep {
            config: quick(1),
            archs: vec![Arch::notebook()],
            learning_rates: vec![0.001; 65],
            seeds: 1,
        });
        assert!(
            matches!(&answer[..], [Response::Failed { message }] if message.contains("64")),
            "{answer:?}"
        );
        assert!(!session.is_running());
    }
}
