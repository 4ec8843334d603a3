//! The worker's state and logic, free of any browser API so it is tested natively.
//!
//! A [`Session`] owns the loaded data, the current run (a training run or a cross-validation)
//! and the network used for feature maps. The worker's glue feeds it [`Request`]s through
//! [`Session::handle`] and, while [`Session::is_running`], gives it time in short slices
//! through [`Session::run_slice`], so requests are handled between batches.

use std::time::Duration;

use digits_cnn::backend::BackendKind;
use digits_cnn::data::{self, Dataset, Image, Split};
use digits_cnn::feature_maps::feature_maps;
use digits_cnn::model::{DigitsCnn, PARAMETERS};
use digits_cnn::prediction::InputScale;
use digits_cnn::training::{EpochReport, TrainConfig, Trainer};
use digits_cnn::{CLASSES, MAX_PIXEL, PIXELS};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use web_time::Instant;

use crate::protocol::{
    CvSummary, FeatureMapsView, FoldResult, ImageRef, Request, Response, SampleImage,
};
use digits_cnn::cross_validation::FOLDS;

mod features;

/// The worker's whole state.
pub struct Session {
    /// The loaded data (the bundled set or the last accepted CSV).
    data: Option<Dataset>,
    /// The current run, going or paused.
    run: Option<Run>,
    /// Whether the run is held.
    paused: bool,
    /// The image whose feature maps are refreshed after every epoch.
    watched: Option<ImageRef>,
    /// The network shown when no run is going: a fresh one, then the last one trained.
    viewer: Viewer,
    /// Draws the random samples.
    rng: StdRng,
    /// The loaded data's name (for model files).
    source: String,
    /// The data rows held out by the last split (for the linked views).
    test_rows: Vec<usize>,
    /// The viewer's test accuracy, when known (for model files).
    accuracy: Option<f64>,
    /// Epochs the network had before the current run trained it further.
    epochs_before: usize,
    /// When the watched maps last went out during the current run (see [`MAPS_INTERVAL`]).
    maps_sent: Option<Instant>,
}

/// During a run the watched feature maps go out after an epoch at most this often (and
/// always after the first and the last): at a few epochs a second, maps after every epoch
/// would cost the page's main thread more than they show.
const MAPS_INTERVAL: Duration = Duration::from_millis(400);

/// A network and how to feed it, for feature maps.
struct Viewer {
    /// The network, in evaluation mode.
    model: DigitsCnn,
    /// The input scaling it was trained with.
    scale: InputScale,
    /// The backend its weights live on.
    backend: BackendKind,
    /// Epochs it was trained for.
    epochs: usize,
}

impl Viewer {
    /// A freshly initialised network, as a run with `config` would start.
    fn fresh(config: &TrainConfig) -> Self {
        let device = config.backend.device();
        let model = DigitsCnn::new(&device, &mut StdRng::seed_from_u64(config.seed));
        Self {
            model,
            scale: config.scale,
            backend: config.backend,
            epochs: 0,
        }
    }

    /// The network a trainer has trained so far.
    fn of(trainer: &Trainer) -> Self {
        let config = trainer.config();
        Self {
            model: trainer.model(),
            scale: config.scale,
            backend: config.backend,
            epochs: trainer.epochs_done(),
        }
    }
}

/// The run in progress (boxed: a trainer holds its data and weights).
enum Run {
    /// A training run on the train/test split.
    Train(Box<Trainer>),
    /// K folds, one after another.
    CrossValidate(Box<CrossValidation>),
}

/// A K-fold cross-validation in progress: one fresh network per fold, one after another.
struct CrossValidation {
    /// Every fold's settings.
    config: TrainConfig,
    /// The data as it was when the run started.
    dataset: Dataset,
    /// Each fold's train and validation rows.
    splits: Vec<Split>,
    /// The latest fold (from 0) and its trainer; `None` before the first.
    current: Option<(usize, Trainer)>,
    /// The finished folds' results.
    results: Vec<FoldResult>,
}

impl Session {
    /// An idle session without data. `seed` drives the random samples only.
    pub fn new(seed: u64) -> Self {
        Self {
            data: None,
            run: None,
            paused: false,
            watched: None,
            viewer: Viewer::fresh(&TrainConfig::default()),
            rng: StdRng::seed_from_u64(seed),
            source: String::new(),
            test_rows: Vec::new(),
            accuracy: None,
            epochs_before: 0,
            maps_sent: None,
        }
    }

    /// The greeting the worker sends once it listens.
    pub fn ready(&self) -> Response {
        Response::Ready {
            summary: self.viewer.model.summary(),
            parameters: PARAMETERS,
        }
    }

    /// Whether a run wants time: one is going and it is not paused.
    pub fn is_running(&self) -> bool {
        self.run.is_some() && !self.paused
    }

    /// Handles one request, returning its answers in order.
    pub fn handle(&mut self, request: Request) -> Vec<Response> {
        match request {
            Request::UseBundled => vec![self.load(data::BUNDLED_SOURCE.into(), data::bundled())],
            Request::LoadCsv { name, bytes } => match data::parse_csv(&bytes) {
                Ok(dataset) => vec![self.load(name, dataset)],
                Err(error) => vec![Response::DataRefused {
                    error: error.to_string(),
                }],
            },
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
            Request::Pause if self.is_running() => {
                self.paused = true;
                vec![Response::Paused {
                    epoch: self.epochs_done(),
                }]
            }
            Request::Resume if self.run.is_some() && self.paused => {
                self.paused = false;
                vec![Response::Resumed]
            }
            Request::Pause | Request::Resume => Vec::new(),
            Request::Stop => {
                if let Some(trainer) = self.trainer() {
                    self.viewer = Viewer::of(trainer);
                }
                self.run = None;
                self.paused = false;
                vec![Response::Stopped]
            }
            Request::FeatureMaps { image } => {
                let answer = self.feature_maps(&image);
                if matches!(answer, Response::FeatureMaps(_)) {
                    self.watched = Some(image);
                }
                vec![answer]
            }
            request => self.handle_features(request),
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
                Some(Run::Train(trainer)) => {
                    if let Some(report) = trainer.step() {
                        out.push(Response::Epoch { report });
                        self.after_epoch(&mut out);
                    }
                }
                Some(Run::CrossValidate(cv)) => {
                    let step = cv.step();
                    match step {
                        Ok(answers) => out.extend(answers),
                        Err(message) => {
                            self.run = None;
                            out.push(Response::Failed { message });
                        }
                    }
                    self.after_fold_step(&mut out);
                }
                None => {}
            }
        }
        out
    }

    fn load(&mut self, source: String, dataset: Dataset) -> Response {
        if dataset.is_empty() {
            return Response::DataRefused {
                error: "the file has no rows".into(),
            };
        }
        let rows = dataset.len();
        if matches!(self.watched, Some(ImageRef::Row(row)) if row >= rows) {
            self.watched = Some(ImageRef::Row(0));
        }
        let class_counts = dataset.class_counts();
        self.data = Some(dataset);
        self.source = source.clone();
        Response::DataLoaded {
            source,
            rows,
            class_counts,
            sample: self.sample(),
        }
    }

    /// One random row of each class present.
    fn sample(&mut self) -> Vec<SampleImage> {
        let Some(dataset) = &self.data else {
            return Vec::new();
        };
        let mut rows_of: [Vec<usize>; CLASSES] = Default::default();
        for (row, &label) in dataset.labels.iter().enumerate() {
            rows_of[usize::from(label)].push(row);
        }
        rows_of
            .iter()
            .filter(|rows| !rows.is_empty())
            .map(|rows| {
                let index = rows[self.rng.random_range(0..rows.len())];
                SampleImage {
                    index,
                    label: dataset.labels[index],
                    pixels: dataset.images[index].to_vec(),
                }
            })
            .collect()
    }

    /// The answer to a run requested before any data is loaded.
    fn no_data() -> Response {
        failed("no data is loaded".into())
    }

    fn start_training(&mut self, config: TrainConfig) -> Response {
        let Some(dataset) = &self.data else {
            return Self::no_data();
        };
        let split = match data::train_test_split(
            &dataset.labels,
            config.test_size,
            config.seed,
            config.stratify,
        ) {
            Ok(split) => split,
            Err(error) => return failed(format!("cannot split the data: {}", error.message)),
        };
        let (train, test) = (dataset.subset(&split.train), dataset.subset(&split.test));
        let epochs = config.epochs;
        match Trainer::new(config, &train, &test) {
            Ok(trainer) => {
                self.test_rows = split.test;
                self.begin_training(trainer, 0, epochs, (train.len(), test.len()))
            }
            Err(error) => failed(format!("cannot train: {error}")),
        }
    }

    /// Makes `trainer` (of `epochs` epochs on `rows` = (training, test) rows) the running
    /// training, on top of `epochs_before` epochs the network already had, and says so.
    fn begin_training(
        &mut self,
        trainer: Trainer,
        epochs_before: usize,
        epochs: usize,
        (train_rows, test_rows): (usize, usize),
    ) -> Response {
        self.run = Some(Run::Train(Box::new(trainer)));
        self.paused = false;
        self.epochs_before = epochs_before;
        self.maps_sent = None;
        Response::TrainingStarted {
            epochs,
            train_rows,
            test_rows,
        }
    }

    fn start_cross_validation(&mut self, config: TrainConfig, folds: usize) -> Response {
        if !FOLDS.contains(&folds) {
            return failed(format!(
                "{folds} folds is outside {}..{}",
                FOLDS.start(),
                FOLDS.end()
            ));
        }
        if let Err(error) = config.validate() {
            return failed(format!("cannot cross-validate: {error}"));
        }
        let Some(dataset) = self.data.clone() else {
            return Self::no_data();
        };
        let splits = match data::k_fold(dataset.len(), folds, config.seed) {
            Ok(splits) => splits,
            Err(error) => return failed(format!("cannot make {folds} folds: {}", error.message)),
        };
        let epochs = config.epochs;
        self.run = Some(Run::CrossValidate(Box::new(CrossValidation {
            config,
            dataset,
            splits,
            current: None,
            results: Vec::new(),
        })));
        self.paused = false;
        self.maps_sent = None;
        Response::CrossValidationStarted { folds, epochs }
    }

    /// The trainer of a training run (not a cross-validation), e.g. to make it data-parallel.
    pub fn training_mut(&mut self) -> Option<&mut Trainer> {
        match self.run.as_mut()? {
            Run::Train(trainer) => Some(trainer),
            Run::CrossValidate(_) => None,
        }
    }

    /// Whether the run waits for its helper workers' parts of a step (see `crate::helpers`):
    /// slices do nothing until [`deliver`](Self::deliver) has brought them.
    pub fn is_waiting(&self) -> bool {
        self.trainer().is_some_and(Trainer::is_waiting)
    }

    /// Hands a helper's part of the current step to the training run.
    pub fn deliver(&mut self, shard: usize, part: digits_cnn::training::ShardPart) {
        if let Some(trainer) = self.training_mut() {
            trainer.deliver(shard, part);
        }
    }

    /// The trainer of the current run (the current fold's during cross-validation).
    fn trainer(&self) -> Option<&Trainer> {
        match self.run.as_ref()? {
            Run::Train(trainer) => Some(trainer),
            Run::CrossValidate(cv) => cv.current.as_ref().map(|(_, trainer)| trainer),
        }
    }

    fn epochs_done(&self) -> usize {
        self.trainer().map_or(0, Trainer::epochs_done)
    }

    /// After a training epoch: refresh the watched maps (when due); finish the run after its
    /// last epoch.
    fn after_epoch(&mut self, out: &mut Vec<Response>) {
        let Some(Run::Train(trainer)) = &self.run else {
            return;
        };
        let finished = trainer.is_finished();
        self.push_maps_when_due(out, finished);
        let Some(Run::Train(trainer)) = &self.run else {
            return;
        };
        if finished {
            let evaluation = Box::new(trainer.evaluate());
            self.viewer = Viewer::of(trainer);
            self.run = None;
            self.accuracy = Some(evaluation.accuracy);
            out.push(self.test_predictions());
            out.push(Response::TrainingDone { evaluation });
        }
    }

    /// After a cross-validation step: refresh maps after an epoch; finish after the last fold.
    fn after_fold_step(&mut self, out: &mut Vec<Response>) {
        if out.iter().any(|r| matches!(r, Response::FoldEpoch { .. })) {
            let fold_done = out.iter().any(|r| matches!(r, Response::FoldDone { .. }));
            self.push_maps_when_due(out, fold_done);
        }
        let Some(Run::CrossValidate(cv)) = &self.run else {
            return;
        };
        if cv.results.len() == cv.splits.len() {
            let summary = CvSummary::new(cv.results.clone());
            self.run = None;
            out.push(Response::CrossValidationDone { summary });
        }
    }

    /// Pushes the watched maps if `now` or [`MAPS_INTERVAL`] after the last push of the run.
    fn push_maps_when_due(&mut self, out: &mut Vec<Response>, now: bool) {
        let due = self
            .maps_sent
            .is_none_or(|sent| sent.elapsed() >= MAPS_INTERVAL);
        if now || due {
            self.push_watched_maps(out);
            self.maps_sent = Some(Instant::now());
        }
    }

    fn push_watched_maps(&self, out: &mut Vec<Response>) {
        if let Some(image) = &self.watched {
            out.push(self.feature_maps(image));
        }
    }

    /// The maps of `image` through the running network, or else the viewer's.
    fn feature_maps(&self, image: &ImageRef) -> Response {
        let (pixels, label) = match self.resolve(image) {
            Ok(found) => found,
            Err(message) => return Response::FeatureMapsRefused { message },
        };
        let running;
        let viewer = match self.trainer() {
            Some(trainer) => {
                running = Viewer::of(trainer);
                &running
            }
            None => &self.viewer,
        };
        let maps = feature_maps(
            &viewer.model,
            &pixels,
            viewer.scale,
            &viewer.backend.device(),
        );
        Response::FeatureMaps(FeatureMapsView {
            image: image.clone(),
            pixels: pixels.to_vec(),
            label,
            epoch: viewer.epochs,
            maps,
        })
    }

    /// The pixels and label (for a data row) of `image`, or why there are none.
    fn resolve(&self, image: &ImageRef) -> Result<(Image, Option<u8>), String> {
        match image {
            ImageRef::Row(row) => {
                let dataset = self.data.as_ref().ok_or("no data is loaded")?;
                let rows = dataset.len();
                if *row >= rows {
                    return Err(format!(
                        "there is no row {row}: the data has rows 0 to {}",
                        rows - 1
                    ));
                }
                Ok((dataset.images[*row], Some(dataset.labels[*row])))
            }
            ImageRef::Pixels(pixels) => {
                let image: Image = pixels
                    .as_slice()
                    .try_into()
                    .map_err(|_| format!("an image has {PIXELS} pixels, not {}", pixels.len()))?;
                if image.iter().any(|&p| p > MAX_PIXEL) {
                    return Err(format!("pixels go from 0 to {MAX_PIXEL}"));
                }
                Ok((image, None))
            }
        }
    }
}

impl CrossValidation {
    /// Runs one batch of the current fold, or starts the next fold once it has finished.
    /// (The finished fold's trainer stays current until then, so its feature maps show.)
    fn step(&mut self) -> Result<Vec<Response>, String> {
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
            let result = fold_result(fold, &self.splits[fold - 1], &report);
            self.results.push(result.clone());
            out.push(Response::FoldDone { result });
        }
        Ok(out)
    }

    fn start_fold(&mut self) -> Result<Response, String> {
        let fold = self.results.len();
        let split = &self.splits[fold];
        let train = self.dataset.subset(&split.train);
        let test = self.dataset.subset(&split.test);
        let trainer = Trainer::new(self.config.clone(), &train, &test)
            .map_err(|error| format!("cannot train fold {}: {error}", fold + 1))?;
        self.current = Some((fold, trainer));
        Ok(Response::FoldStarted {
            fold: fold + 1,
            train_rows: train.len(),
            test_rows: test.len(),
        })
    }
}

fn fold_result(fold: usize, split: &Split, last: &EpochReport) -> FoldResult {
    FoldResult {
        fold,
        train_rows: split.train.len(),
        test_rows: split.test.len(),
        loss: last.test_loss,
        accuracy: last.test_accuracy,
    }
}

fn failed(message: String) -> Response {
    Response::Failed { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs slices until the session is idle, collecting every answer.
    fn run_to_end(session: &mut Session) -> Vec<Response> {
        let mut out = Vec::new();
        while session.is_running() {
            out.extend(session.run_slice(Duration::from_millis(40)));
        }
        out
    }

    fn quick(epochs: usize) -> TrainConfig {
        TrainConfig {
            epochs,
            batch_size: 256,
            ..TrainConfig::default()
        }
    }

    fn loaded_session() -> Session {
        let mut session = Session::new(1);
        let answers = session.handle(Request::UseBundled);
        assert!(
            matches!(&answers[..], [Response::DataLoaded { rows: 1797, sample, .. }] if sample.len() == 10)
        );
        session
    }

    #[test]
    #[should_panic(expected = "asked to crash")]
    fn the_test_only_crash_request_panics() {
        loaded_session().handle(Request::Crash);
    }

    #[test]
    fn greets_with_the_summary() {
        let Response::Ready {
            summary,
            parameters,
        } = Session::new(0).ready()
        else {
            panic!()
        };
        assert_eq!(summary.len(), 15);
        assert_eq!(parameters, 102_794);
    }

    #[test]
    fn a_bad_csv_is_refused_and_the_old_data_stays() {
        let mut session = loaded_session();
        let answers = session.handle(Request::LoadCsv {
            name: "bad.csv".into(),
            bytes: b"1,2,3\n".to_vec(),
        });
        assert!(matches!(&answers[..], [Response::DataRefused { error }] if !error.is_empty()));
        let answers = session.handle(Request::FeatureMaps {
            image: ImageRef::Row(1796),
        });
        assert!(matches!(&answers[..], [Response::FeatureMaps(view)] if view.label.is_some()));
    }

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
        let Some(Response::TrainingDone { evaluation }) = out.last() else {
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
                Response::FoldDone { result } => Some(result.fold),
                _ => None,
            })
            .collect();
        assert_eq!(folds, [1, 2]);
        let Some(Response::CrossValidationDone { summary }) = out.last() else {
            panic!()
        };
        assert_eq!(
            summary.folds.iter().map(|f| f.test_rows).sum::<usize>(),
            1797
        );
        assert!(summary.mean_accuracy > 0.0 && summary.mean_accuracy <= 1.0);
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
