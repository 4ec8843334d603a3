//! The worker's state and logic, free of any browser API so it is tested natively.
//!
//! A [`Session`] owns the loaded data, the current run (a training run or a cross-validation)
//! and the network used for feature maps. The worker's glue (`worker.rs`) feeds it
//! [`Request`]s through [`Session::handle`] and, while [`Session::is_running`], gives it time
//! in short slices through [`Session::run_slice`], so requests are handled between batches.
//!
//! This file holds the session itself, its one dispatch of requests and the run's controls
//! (pause, resume, stop). Each concept has its own module, named like the page's section
//! that shows it: [`data`] (loading, samples, the train/test split), [`training`],
//! [`cross_validation`], [`feature_maps`] (and the network they are computed with),
//! [`explain`] (why the network answers as it does for one image), [`inside`] (a run's weight
//! histograms and projection, the "Inside the network" section),
//! [`evaluate`] (a network's metrics and per-row predictions), [`baselines`] (k-NN and
//! logistic regression after a training run), [`model_files`], [`sweep`] (the Sweep
//! panel's grid of trainings).

use std::time::Duration;

use digits_cnn::data::{BundledData, Dataset};
use digits_cnn::training::{TrainConfig, Trainer};
use rand::SeedableRng;
use rand::rngs::StdRng;
use web_time::Instant;

use crate::protocol::{ExplainTarget, ImageRef, Request, Response};

mod baselines;
mod cross_validation;
mod data;
mod evaluate;
mod explain;
mod feature_maps;
mod inside;
mod model_files;
mod sweep;
mod training;

use baselines::Baselines;
use cross_validation::CrossValidation;
use feature_maps::Viewer;
use inside::Inside;
use sweep::SweepRun;

/// The worker's whole state.
pub struct Session {
    /// The loaded data (the bundled set or the last accepted CSV).
    data: Option<Dataset>,
    /// The current run, going or paused.
    run: Option<ActiveRun>,
    /// Whether the run is held.
    paused: bool,
    /// The image whose feature maps are refreshed after every epoch.
    watched: Option<ImageRef>,
    /// The image (and class) the explain section shows, refreshed with the watched maps.
    explained: Option<ExplainTarget>,
    /// The network shown when no run is going: a fresh one, then the last one trained.
    viewer: Viewer,
    /// Draws the random samples.
    rng: StdRng,
    /// The bundled data set loaded, `None` for a CSV file (the `writers` split needs `uci`).
    bundled: Option<BundledData>,
    /// The test rows of a CSV file (its name and rows), which runs test on instead of
    /// splitting the loaded data.
    test_file: Option<(String, Dataset)>,
    /// The loaded data's name (for model files).
    source: String,
    /// The data rows held out by the last split (for the linked views).
    test_rows: Vec<usize>,
    /// The viewer's test accuracy, when known (for model files).
    accuracy: Option<f64>,
    /// The baselines to run once the current training run finishes, on its rows.
    baselines_due: Option<Box<Baselines>>,
    /// Epochs the network had before the current run trained it further.
    epochs_before: usize,
    /// When the watched maps last went out during the current run (see
    /// `feature_maps::MAPS_INTERVAL`).
    maps_sent: Option<Instant>,
    /// The current training run's weight histograms and projection (see [`inside`]).
    inside: Option<Inside>,
}

/// The run in progress, with its trainer (boxed: a trainer holds its data and weights).
/// (The page's view of it, without the trainer, is `app::state::RunProgress`.)
enum ActiveRun {
    /// A training run on the train/test split.
    Train(Box<Trainer>),
    /// K folds, one after another.
    CrossValidate(Box<CrossValidation>),
    /// The baselines of the training run that just finished, one model per slice.
    Baselines(Box<Baselines>),
    /// A sweep's trainings, one after another.
    Sweep(Box<SweepRun>),
}

impl Session {
    /// An idle session without data. `seed` drives the random samples only.
    pub fn new(seed: u64) -> Self {
        Self {
            data: None,
            run: None,
            paused: false,
            watched: None,
            explained: None,
            viewer: Viewer::fresh(&TrainConfig::default()),
            rng: StdRng::seed_from_u64(seed),
            bundled: None,
            test_file: None,
            source: String::new(),
            test_rows: Vec::new(),
            accuracy: None,
            baselines_due: None,
            epochs_before: 0,
            maps_sent: None,
            inside: None,
        }
    }

    /// Whether a run wants time: one is going and it is not paused.
    pub fn is_running(&self) -> bool {
        self.run.is_some() && !self.paused
    }

    /// Handles one request, returning its answers in order. Every variant has its arm, so a
    /// new one does not compile until the session answers it.
    pub fn handle(&mut self, request: Request) -> Vec<Response> {
        match request {
            Request::UseBundled { data } => vec![self.use_bundled(data)],
            Request::LoadCsv { name, bytes } => vec![self.load_csv(name, &bytes)],
            Request::LoadTestCsv { name, bytes } => vec![self.load_test_csv(name, &bytes)],
            Request::DropTestCsv => {
                self.test_file = None;
                vec![Response::TestData { file: None }]
            }
            Request::NewSample => vec![Response::Sample {
                sample: self.sample(),
            }],
            // Test only (the page sends it with `debug-crash=1`): a real panic, which aborts
            // the worker's wasm like any bug would.
            Request::Crash => panic!("the worker was asked to crash (debug-crash=1)"),
            Request::Train { config } => vec![self.start_training(config)],
            Request::CrossValidate { config, folds } => {
                vec![self.start_cross_validation(config, folds)]
            }
            Request::Pause => self.pause(),
            Request::Resume => self.unpause(),
            Request::Stop => vec![self.stop()],
            Request::FeatureMaps { image } => vec![self.watch(image)],
            Request::Inspect { inspector, image } => vec![self.inspect(inspector, &image)],
            Request::SaveModel => vec![self.save_current()],
            Request::LoadModel { name, bytes } => self.load_file(name, &bytes),
            Request::Evaluate { config } => self.evaluate_current(&config),
            Request::TrainFurther { config } => vec![self.train_further(config)],
            Request::Sweep {
                config,
                archs,
                learning_rates,
                seeds,
            } => vec![self.start_sweep(config, &archs, &learning_rates, seeds)],
            Request::Explain { target } => vec![self.explain(target)],
        }
    }

    /// Runs batches of the current run for about `budget` (at least one batch), stopping
    /// early after an epoch so its report goes out at once.
    pub fn run_slice(&mut self, budget: Duration) -> Vec<Response> {
        let started = Instant::now();
        let mut out = Vec::new();
        while self.is_running()
            && !self.is_waiting()
            && out.is_empty()
            && started.elapsed() < budget
        {
            match self.run.as_mut() {
                Some(ActiveRun::Train(trainer)) => {
                    if let Some(report) = trainer.step() {
                        out.push(Response::Epoch { report });
                        self.after_epoch(&mut out);
                    }
                }
                Some(ActiveRun::CrossValidate(cv)) => {
                    match cv.step() {
                        Ok(answers) => out.extend(answers),
                        Err(message) => {
                            self.run = None;
                            out.push(Response::Failed { message });
                        }
                    }
                    self.after_fold_step(&mut out);
                }
                Some(ActiveRun::Baselines(baselines)) => match baselines.step() {
                    Some(answer) => out.push(answer),
                    None => self.run = None,
                },
                Some(ActiveRun::Sweep(_)) => out.extend(self.sweep_step()),
                None => {}
            }
        }
        out
    }

    /// Holds a going run (nothing to hold: no answer).
    fn pause(&mut self) -> Vec<Response> {
        if !self.is_running() {
            return Vec::new();
        }
        self.paused = true;
        vec![Response::Paused {
            epoch: self.epochs_done(),
        }]
    }

    /// Continues a held run (nothing held: no answer).
    fn unpause(&mut self) -> Vec<Response> {
        if self.run.is_none() || !self.paused {
            return Vec::new();
        }
        self.paused = false;
        vec![Response::Resumed]
    }

    /// Abandons the run; its network so far serves the feature maps.
    fn stop(&mut self) -> Response {
        if let Some(trainer) = self.trainer() {
            self.viewer = Viewer::of(trainer);
        }
        self.run = None;
        self.baselines_due = None;
        self.paused = false;
        Response::Stopped
    }

    /// Whether a network is being trained (a training run or a cross-validation, going or
    /// held; not the baselines that follow a run).
    fn is_training(&self) -> bool {
        matches!(
            self.run,
            Some(ActiveRun::Train(_) | ActiveRun::CrossValidate(_) | ActiveRun::Sweep(_))
        )
    }

    /// The trainer of the current run (the current fold's during cross-validation).
    fn trainer(&self) -> Option<&Trainer> {
        match self.run.as_ref()? {
            ActiveRun::Train(trainer) => Some(trainer),
            ActiveRun::CrossValidate(cv) => cv.trainer(),
            ActiveRun::Sweep(sweep) => sweep.trainer(),
            ActiveRun::Baselines(_) => None,
        }
    }

    /// The network being trained: a training run's, or the current fold's during a
    /// cross-validation. The worker makes it data-parallel when it starts fresh (see
    /// `crate::parallel`), and the helpers' parts go to it.
    pub fn training_mut(&mut self) -> Option<&mut Trainer> {
        match self.run.as_mut()? {
            ActiveRun::Train(trainer) => Some(trainer),
            ActiveRun::CrossValidate(cv) => cv.trainer_mut(),
            ActiveRun::Baselines(_) | ActiveRun::Sweep(_) => None,
        }
    }

    fn epochs_done(&self) -> usize {
        self.trainer().map_or(0, Trainer::epochs_done)
    }
}

fn failed(message: String) -> Response {
    Response::Failed { message }
}

/// What the tests of every session module share.
#[cfg(test)]
mod test_support {
    use super::*;

    /// Runs slices until the session is idle, collecting every answer.
    pub fn run_to_end(session: &mut Session) -> Vec<Response> {
        let mut out = Vec::new();
        while session.is_running() {
            out.extend(session.run_slice(Duration::from_millis(40)));
        }
        out
    }

    /// A quick run's settings.
    pub fn quick(epochs: usize) -> TrainConfig {
        TrainConfig {
            epochs,
            batch_size: 256,
            ..TrainConfig::default()
        }
    }

    /// Loads the quick `digits` data (1,797 rows).
    pub const DIGITS: Request = Request::UseBundled {
        data: BundledData::Digits,
    };

    /// A session with the bundled `digits` data loaded.
    pub fn loaded_session() -> Session {
        let mut session = Session::new(1);
        let answers = session.handle(DIGITS);
        assert!(
            matches!(&answers[..], [Response::DataLoaded { rows: 1797, sample, .. }] if sample.len() == 10)
        );
        session
    }

    /// A session that trained one epoch, and every answer of that run.
    pub fn trained() -> (Session, Vec<Response>) {
        let mut session = Session::new(1);
        session.handle(DIGITS);
        session.handle(Request::Train { config: quick(1) });
        let out = run_to_end(&mut session);
        (session, out)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    #[should_panic(expected = "asked to crash")]
    fn the_test_only_crash_request_panics() {
        loaded_session().handle(Request::Crash);
    }

    #[test]
    fn pause_holds_resume_continues_stop_idles() {
        let mut session = loaded_session();
        session.handle(Request::Train { config: quick(50) });
        session.run_slice(Duration::ZERO);
        assert!(matches!(
            &session.handle(Request::Pause)[..],
            [Response::Paused { epoch: 0 }]
        ));
        assert!(!session.is_running());
        assert!(session.run_slice(Duration::from_secs(1)).is_empty());
        assert!(matches!(
            &session.handle(Request::Resume)[..],
            [Response::Resumed]
        ));
        assert!(session.is_running());
        assert!(matches!(
            &session.handle(Request::Stop)[..],
            [Response::Stopped]
        ));
        assert!(!session.is_running());
        assert!(session.handle(Request::Resume).is_empty());
    }

    #[test]
    fn bad_requests_are_refused_not_panicked() {
        let mut session = Session::new(0);
        assert!(matches!(
            &session.handle(Request::Train { config: quick(1) })[..],
            [Response::Failed { .. }]
        ));
        assert!(session.handle(Request::Pause).is_empty());
        let mut session = loaded_session();
        let images = [
            ImageRef::Row(5000),
            ImageRef::Pixels(vec![0; 3]),
            ImageRef::Pixels(vec![17; 64]),
        ];
        for image in images {
            let answers = session.handle(Request::FeatureMaps { image });
            assert!(matches!(
                &answers[..],
                [Response::FeatureMapsRefused { .. }]
            ));
        }
        let bad = TrainConfig {
            epochs: 0,
            ..TrainConfig::default()
        };
        assert!(matches!(
            &session.handle(Request::Train { config: bad })[..],
            [Response::Failed { .. }]
        ));
        let answers = session.handle(Request::CrossValidate {
            config: quick(1),
            folds: 1,
        });
        assert!(matches!(&answers[..], [Response::Failed { .. }]));
    }
}
