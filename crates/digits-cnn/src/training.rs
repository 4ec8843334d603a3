//! The training loop: settings, a step-wise trainer and its per-epoch reports.
//!
//! [`Trainer::step`] runs one mini-batch, so a caller can pause, resume or stop between any
//! two batches: the CLI loops over it, the Web Worker runs a few batches per task and yields
//! to its message queue in between.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::loss::cross_entropy_with_logits;
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::backend::BackendKind;
use crate::data::{Dataset, Image};
use crate::metrics::{Evaluation, evaluate, predicted_class};
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, images_tensor, probabilities};
use crate::CLASSES;

mod shards;
pub use shards::{Peers, ShardPart};

/// Keras' Adam epsilon (burn's default is 1e-5).
pub const ADAM_EPSILON: f32 = 1e-7;

/// Everything that defines a training run. The defaults are the notebook's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// Passes over the training rows.
    pub epochs: usize,
    /// Rows per optimizer step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Seeds the split, the initial weights, the shuffles and the dropout masks.
    pub seed: u64,
    /// How pixels are fed to the network.
    pub scale: InputScale,
    /// Which burn backend computes.
    pub backend: BackendKind,
    /// Share of rows held out for testing (scikit-learn's `test_size`; records written
    /// before this name was chosen call it `test_fraction`).
    #[serde(alias = "test_fraction")]
    pub test_size: f64,
    /// Keep each class's share equal in both parts of the split.
    pub stratify: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 100,
            batch_size: 128,
            learning_rate: 1e-3,
            seed: 42,
            scale: InputScale::Raw,
            backend: BackendKind::Flex,
            test_size: 0.2,
            stratify: false,
        }
    }
}

/// Largest accepted epoch count.
pub const MAX_EPOCHS: usize = 10_000;
/// Largest accepted batch size.
pub const MAX_BATCH: usize = 8_192;

/// A setting outside its accepted range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigError {
    /// The setting, e.g. `epochs`.
    pub setting: String,
    /// What is wrong with it, in plain words.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.setting, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl TrainConfig {
    /// Checks every setting's range, naming the first one that is out of it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |setting: &str, message: String| {
            Err(ConfigError { setting: setting.into(), message })
        };
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return fail("epochs", format!("{} is outside 1..{MAX_EPOCHS}", self.epochs));
        }
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return fail("batch", format!("{} is outside 1..{MAX_BATCH}", self.batch_size));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0 && self.learning_rate <= 1.0)
        {
            return fail("lr", format!("{} is not in (0, 1]", self.learning_rate));
        }
        if !(self.test_size > 0.0 && self.test_size < 1.0) {
            return fail("test_size", format!("{} is not strictly between 0 and 1", self.test_size));
        }
        Ok(())
    }
}

/// Refuses training rows that hold a single class: a classifier learns nothing from them
/// (every row's answer would be the same digit), so the run is refused with a message
/// instead of reporting a meaningless 100% accuracy.
fn check_classes(labels: &[u8]) -> Result<(), ConfigError> {
    let first = labels.first().copied();
    match first {
        Some(only) if labels.iter().all(|&l| l == only) => Err(ConfigError {
            setting: "data".into(),
            message: format!(
                "every training row is a {only}; training needs at least two different digits"
            ),
        }),
        _ => Ok(()),
    }
}

/// What one finished epoch measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// The epoch just finished, from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (with dropout, as Keras reports it).
    pub train_loss: f64,
    /// Training accuracy over the epoch's batches.
    pub train_accuracy: f64,
    /// Loss on the held-out rows after the epoch.
    pub test_loss: f64,
    /// Accuracy on the held-out rows after the epoch.
    pub test_accuracy: f64,
    /// Seconds spent training so far (pauses excluded).
    pub elapsed_seconds: f64,
    /// Training rows per second during this epoch.
    pub samples_per_second: f64,
}

/// Rows prepared once as tensors on a device.
struct PreparedRows {
    images: Tensor<4>,
    one_hot: Tensor<2>,
    labels: Vec<u8>,
    raw: Vec<Image>,
}

impl PreparedRows {
    fn new(data: &Dataset, scale: InputScale, device: &Device) -> Self {
        let mut one_hot = vec![0.0f32; data.len() * CLASSES];
        for (row, &label) in data.labels.iter().enumerate() {
            one_hot[row * CLASSES + label as usize] = 1.0;
        }
        Self {
            images: images_tensor(&data.images, scale, device),
            one_hot: Tensor::from_data(TensorData::new(one_hot, [data.len(), CLASSES]), device),
            labels: data.labels.clone(),
            raw: data.images.clone(),
        }
    }
}

/// Trains the notebook's CNN one mini-batch at a time.
pub struct Trainer {
    config: TrainConfig,
    device: Device,
    model: Option<DigitsCnn>,
    optimizer: ModuleOptimizer,
    train: PreparedRows,
    test: Dataset,
    rng: StdRng,
    order: Vec<usize>,
    cursor: usize,
    epochs_done: usize,
    epoch_loss: f64,
    epoch_correct: usize,
    epoch_seconds: f64,
    elapsed_seconds: f64,
    history: Vec<EpochReport>,
    /// Data-parallel state (`None`: plain training; see [`shards`]).
    parallel: Option<Box<shards::Parallel>>,
    /// Whether the weights and generator come from the seed alone (not a resumed model), so
    /// helper trainers can start in step with this one.
    from_seed: bool,
}

impl Trainer {
    /// A fresh network, initialised from `config.seed`, ready to train on `train` and report
    /// on `test`.
    pub fn new(config: TrainConfig, train: &Dataset, test: &Dataset) -> Result<Self, ConfigError> {
        let mut rng = StdRng::seed_from_u64(config.seed);
        let device = config.backend.training_device();
        let model = DigitsCnn::new(&device, &mut rng);
        let mut trainer = Self::with_model(config, model, rng, train, test)?;
        trainer.from_seed = true;
        Ok(trainer)
    }

    /// Continues training `model` (e.g. one loaded from a file) with a fresh optimizer.
    pub fn from_model(
        config: TrainConfig,
        model: DigitsCnn,
        train: &Dataset,
        test: &Dataset,
    ) -> Result<Self, ConfigError> {
        let rng = StdRng::seed_from_u64(config.seed);
        let device = config.backend.training_device();
        Self::with_model(config, model.fork(&device).train(), rng, train, test)
    }

    fn with_model(
        config: TrainConfig,
        model: DigitsCnn,
        rng: StdRng,
        train: &Dataset,
        test: &Dataset,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        if train.is_empty() {
            return Err(ConfigError {
                setting: "data".into(),
                message: "there are no training rows".into(),
            });
        }
        check_classes(&train.labels)?;
        let device = config.backend.training_device();
        let optimizer = AdamConfig::new().with_epsilon(ADAM_EPSILON).init();
        Ok(Self {
            train: PreparedRows::new(train, config.scale, &device),
            test: test.clone(),
            order: (0..train.len()).collect(),
            config,
            device,
            model: Some(model),
            optimizer,
            rng,
            cursor: 0,
            epochs_done: 0,
            epoch_loss: 0.0,
            epoch_correct: 0,
            epoch_seconds: 0.0,
            elapsed_seconds: 0.0,
            history: Vec::new(),
            parallel: None,
            from_seed: false,
        })
    }

    /// The run's settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Epochs finished so far.
    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }

    /// Whether every configured epoch has run.
    pub fn is_finished(&self) -> bool {
        self.epochs_done >= self.config.epochs
    }

    /// Mini-batches in one epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.order.len().div_ceil(self.config.batch_size)
    }

    /// Every finished epoch's report, in order.
    pub fn history(&self) -> &[EpochReport] {
        &self.history
    }

    /// Runs one mini-batch; returns the epoch's report when that batch finished an epoch.
    /// Does nothing once [`is_finished`](Self::is_finished).
    pub fn step(&mut self) -> Option<EpochReport> {
        if self.is_finished() {
            return None;
        }
        if self.parallel.is_some() {
            return self.parallel_step();
        }
        let started = Instant::now();
        if self.cursor == 0 {
            self.order.shuffle(&mut self.rng);
        }
        let end = (self.cursor + self.config.batch_size).min(self.order.len());
        let rows = &self.order[self.cursor..end];
        let indices: Vec<i64> = rows.iter().map(|&i| i as i64).collect();
        let indices =
            Tensor::<1, Int>::from_data(TensorData::new(indices, [rows.len()]), &self.device);
        let images = self.train.images.clone().select(0, indices.clone());
        let targets = self.train.one_hot.clone().select(0, indices);

        let model = self.model.take().expect("the model is always put back");
        let logits = model.forward(images, Some(&mut self.rng));
        let loss = cross_entropy_with_logits(logits.clone(), targets);
        let batch_loss: f32 = loss.clone().into_scalar();
        let predicted = logits.detach().argmax(1).into_data();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        self.model = Some(self.optimizer.step(self.config.learning_rate, model, grads));

        let predicted = predicted.try_into_vec_as::<i64>().expect("argmax gives integers");
        self.epoch_correct += rows
            .iter()
            .zip(&predicted)
            .filter(|&(&row, &class)| i64::from(self.train.labels[row]) == class)
            .count();
        self.epoch_loss += f64::from(batch_loss) * rows.len() as f64;
        self.cursor = end;
        self.epoch_seconds += started.elapsed().as_secs_f64();
        (self.cursor == self.order.len()).then(|| self.finish_epoch())
    }

    /// Runs batches until the current epoch ends; `None` once finished.
    pub fn run_epoch(&mut self) -> Option<EpochReport> {
        while !self.is_finished() {
            if let Some(report) = self.step() {
                return Some(report);
            }
        }
        None
    }

    fn finish_epoch(&mut self) -> EpochReport {
        let rows = self.order.len() as f64;
        let started = Instant::now();
        let test = self.evaluate();
        let seconds = self.epoch_seconds + started.elapsed().as_secs_f64();
        self.elapsed_seconds += seconds;
        self.epochs_done += 1;
        let report = EpochReport {
            epoch: self.epochs_done,
            train_loss: self.epoch_loss / rows,
            train_accuracy: self.epoch_correct as f64 / rows,
            test_loss: test.loss,
            test_accuracy: test.accuracy,
            elapsed_seconds: self.elapsed_seconds,
            samples_per_second: rows / self.epoch_seconds.max(1e-9),
        };
        self.cursor = 0;
        self.epoch_loss = 0.0;
        self.epoch_correct = 0;
        self.epoch_seconds = 0.0;
        self.history.push(report.clone());
        report
    }

    /// The model in evaluation mode (no dropout, no autodiff).
    pub fn model(&self) -> DigitsCnn {
        self.model.as_ref().expect("the model is always put back").valid()
    }

    /// Full metrics on the held-out rows with the current weights.
    pub fn evaluate(&self) -> Evaluation {
        self.evaluate_on(&self.test)
    }

    /// Full metrics on any rows with the current weights.
    pub fn evaluate_on(&self, data: &Dataset) -> Evaluation {
        let probabilities = self.probabilities(&data.images);
        evaluate(&probabilities, &data.labels)
    }

    /// Class probabilities for `images` with the current weights.
    pub fn probabilities(&self, images: &[Image]) -> Vec<[f32; CLASSES]> {
        let device = self.config.backend.device();
        probabilities(&self.model(), images, self.config.scale, &device)
    }
}
