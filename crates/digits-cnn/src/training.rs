//! The training loop: settings, a step-wise trainer and its per-epoch reports.
//!
//! [`Trainer::step`] runs one mini-batch, so a caller can pause, resume or stop between any
//! two batches: the CLI loops over it, the Web Worker runs a few batches per task and yields
//! to its message queue in between. A batch's forward and backward pass is one function
//! (`Trainer::batch_gradients`), used by the plain step and by a data-parallel shard.
//!
//! Data-parallel training (one batch's gradient computed in shards by several identical
//! trainers) is `training/data_parallel.rs` here; the CLI runs it on threads (`digits train --workers`,
//! `crates/digits-cli/src/data_parallel.rs`) and the page on a pool of helper Web Workers
//! (`crates/digits-web/src/parallel.rs`).
//!
//! The levers against overfitting: data augmentation (`TrainConfig::augment`, the images
//! themselves are `data/augment.rs`) moves the training images anew each epoch; validation
//! rows and early stopping (`TrainConfig::validation` and `patience`) are
//! `training/validation.rs`.

use std::ops::Range;

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::CLASSES;
use crate::arch::Arch;
use crate::backend::BackendKind;
use crate::data::{Augmentation, Dataset, Image, SplitKind};
use crate::metrics::{Evaluation, evaluate, predicted_class};
use crate::model::{DigitsCnn, LayerValues};
use crate::ops::cross_entropy;
use crate::prediction::{InputScale, images_tensor, probabilities, read_logits};

mod data_parallel;
mod optimizer;
mod validation;
pub use data_parallel::{Peers, ShardPart};
pub use optimizer::{KERAS_EPSILON, Optimizer, RMSPROP_RHO, SGD_MOMENTUM};
use validation::EarlyStopping;

/// Everything that defines a training run. The defaults are the notebook's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// The network (records written before networks could be chosen hold the notebook's).
    pub arch: Arch,
    /// The update rule (records written before it could be chosen used Adam).
    pub optimizer: Optimizer,
    /// Passes over the training rows.
    pub epochs: usize,
    /// Rows per optimizer step.
    pub batch_size: usize,
    /// The optimizer's learning rate.
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
    /// How the rows are divided into training and test rows. Records written before the
    /// split had a name say `stratify: true|false` (stratified or random); they still read.
    #[serde(alias = "stratify", deserialize_with = "split_or_stratify")]
    pub split: SplitKind,
    /// What is done to the training images each epoch (`None`: the notebook's training).
    pub augment: Augmentation,
    /// Share of the training rows carved off (seeded) to measure the validation loss each
    /// epoch, in [0, 1); 0 (the default) carves nothing.
    pub validation: f64,
    /// Epochs without a lower validation loss after which training stops and the best
    /// epoch's weights come back (Keras' `EarlyStopping`); 0 (the default) never stops
    /// early. Needs `validation` > 0.
    pub patience: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            arch: Arch::notebook(),
            optimizer: Optimizer::Adam,
            epochs: 100,
            batch_size: 128,
            learning_rate: 1e-3,
            seed: 42,
            scale: InputScale::Raw,
            backend: BackendKind::Flex,
            test_size: 0.2,
            split: SplitKind::Random,
            augment: Augmentation::None,
            validation: 0.0,
            patience: 0,
        }
    }
}

/// Reads a [`SplitKind`] by name, or the `stratify` flag old records hold in its place.
fn split_or_stratify<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<SplitKind, D::Error> {
    /// The two forms the field has had.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum SplitField {
        Named(SplitKind),
        Stratify(bool),
    }
    Ok(match SplitField::deserialize(deserializer)? {
        SplitField::Named(kind) => kind,
        SplitField::Stratify(true) => SplitKind::Stratified,
        SplitField::Stratify(false) => SplitKind::Random,
    })
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
            Err(ConfigError {
                setting: setting.into(),
                message,
            })
        };
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return fail(
                "epochs",
                format!("{} is outside 1..{MAX_EPOCHS}", self.epochs),
            );
        }
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return fail(
                "batch",
                format!("{} is outside 1..{MAX_BATCH}", self.batch_size),
            );
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 1.0)
        {
            return fail("lr", format!("{} is not in (0, 1]", self.learning_rate));
        }
        if !(self.test_size > 0.0 && self.test_size < 1.0) {
            return fail(
                "test_size",
                format!("{} is not strictly between 0 and 1", self.test_size),
            );
        }
        if !(0.0..1.0).contains(&self.validation) {
            return fail(
                "validation",
                format!("{} is not in [0, 1)", self.validation),
            );
        }
        if self.patience > MAX_EPOCHS {
            return fail(
                "patience",
                format!("{} is outside 0..{MAX_EPOCHS}", self.patience),
            );
        }
        if self.patience > 0 && self.validation == 0.0 {
            return fail(
                "patience",
                "early stopping watches the validation loss: set validation above 0".into(),
            );
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
    /// Loss on the validation rows after the epoch (`None`: no validation rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val_loss: Option<f64>,
    /// Accuracy on the validation rows after the epoch (`None`: no validation rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val_accuracy: Option<f64>,
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

    /// Feeds epoch `epoch`'s (from 0) augmented images instead: rebuilt once per epoch,
    /// from the images as given, so each epoch's moves stand alone.
    fn augment(&mut self, config: &TrainConfig, epoch: usize, device: &Device) {
        let images = config.augment.apply(&self.raw, config.seed, epoch);
        self.images = images_tensor(&images, config.scale, device);
    }
}

/// The network being trained and its optimizer.
///
/// burn's optimizer step takes the module by value and returns the updated one, so the model
/// sits in an `Option` that only [`update`](Self::update) empties, and refills before it
/// returns: every other reader sees `Some`.
struct Network {
    model: Option<DigitsCnn>,
    optimizer: ModuleOptimizer,
}

impl Network {
    fn new(model: DigitsCnn, optimizer: Optimizer) -> Self {
        Self {
            model: Some(model),
            optimizer: optimizer.init(),
        }
    }

    /// The model in training mode.
    fn model(&self) -> &DigitsCnn {
        self.model.as_ref().expect("update puts the model back")
    }

    /// One optimizer step with `grads`.
    fn update(&mut self, learning_rate: f64, grads: GradientsParams) {
        let model = self.model.take().expect("update puts the model back");
        self.model = Some(self.optimizer.step(learning_rate, model, grads));
    }
}

/// Where the trainer is in the current epoch: the epoch's shuffled row order and the first
/// row of the next batch.
struct Batches {
    order: Vec<usize>,
    cursor: usize,
}

impl Batches {
    /// Rows per epoch.
    fn rows(&self) -> usize {
        self.order.len()
    }

    /// Whether no batch of the current epoch has run yet.
    fn at_epoch_start(&self) -> bool {
        self.cursor == 0
    }

    /// The positions (in the epoch's order) of the next batch of `batch_size` rows.
    fn next(&self, batch_size: usize) -> Range<usize> {
        self.cursor..(self.cursor + batch_size).min(self.order.len())
    }

    /// The next batch, shuffling the order first when a new epoch starts.
    fn start_next(&mut self, batch_size: usize, rng: &mut StdRng) -> Range<usize> {
        if self.at_epoch_start() {
            self.order.shuffle(rng);
        }
        self.next(batch_size)
    }
}

/// What the current epoch's batches have added up so far.
#[derive(Debug, Default)]
struct EpochTally {
    /// Each batch's mean loss times its rows.
    loss_sum: f64,
    /// Rows classified right (before each batch's step).
    correct: usize,
    /// Seconds spent on the batches.
    seconds: f64,
}

impl EpochTally {
    /// Counts a batch in.
    fn add(&mut self, loss_sum: f64, correct: usize, seconds: f64) {
        self.loss_sum += loss_sum;
        self.correct += correct;
        self.seconds += seconds;
    }

    /// The finished epoch's tally, leaving a fresh one for the next epoch.
    fn reset(&mut self) -> EpochTally {
        std::mem::take(self)
    }
}

/// One forward and backward pass over some training rows.
struct BatchGradients {
    /// The gradient of the rows' mean loss.
    grads: GradientsParams,
    /// The rows' mean loss times their count.
    loss_sum: f64,
    /// Rows the network classified right (before any step).
    correct: usize,
}

/// Where a run is across epochs.
#[derive(Default)]
struct Progress {
    epochs_done: usize,
    /// Seconds spent training so far (pauses excluded).
    elapsed_seconds: f64,
    /// Every finished epoch's report (the primary's; helpers report nothing).
    history: Vec<EpochReport>,
    /// The gradients of every weighted layer at the last finished epoch's last step (the
    /// primary's summed ones when data-parallel), for the weight histograms: copied once
    /// per epoch, which costs far less than a step.
    epoch_gradients: Vec<LayerValues>,
}

/// The rows besides those trained on.
struct HeldOut {
    /// The training rows as given, validation rows included (helpers carve them alike).
    given: Dataset,
    /// The rows carved off the given training rows (empty: no validation).
    validation: Dataset,
    /// The rows reported on as `test`.
    test: Dataset,
}

/// Trains a network one mini-batch at a time.
pub struct Trainer {
    config: TrainConfig,
    device: Device,
    network: Network,
    train: PreparedRows,
    held_out: HeldOut,
    /// Watches the validation loss (`None`: `patience` is 0).
    early_stopping: Option<EarlyStopping>,
    /// Draws the shuffles and the dropout masks (a shard of several has its own for those).
    rng: StdRng,
    batches: Batches,
    tally: EpochTally,
    progress: Progress,
    /// Data-parallel state (`None`: plain training; see `data_parallel`).
    parallel: Option<Box<data_parallel::Parallel>>,
    /// Whether the weights and generator come from the seed alone (not a resumed model), so
    /// helper trainers can start in step with this one.
    from_seed: bool,
}

impl Trainer {
    /// A fresh `config.arch` network, initialised from `config.seed`, ready to train on `train` (less the
    /// `config.validation` share carved off it) and report on `test`.
    pub fn new(config: TrainConfig, train: &Dataset, test: &Dataset) -> Result<Self, ConfigError> {
        let mut rng = StdRng::seed_from_u64(config.seed);
        let device = config.backend.training_device();
        let model = DigitsCnn::new(&config.arch, &device, &mut rng);
        let mut trainer = Self::with_model(config, model, rng, train, test)?;
        trainer.from_seed = true;
        Ok(trainer)
    }

    /// Continues training `model` (e.g. one loaded from a file) with a fresh optimizer; the
    /// run's `arch` is the model's.
    pub fn from_model(
        config: TrainConfig,
        model: DigitsCnn,
        train: &Dataset,
        test: &Dataset,
    ) -> Result<Self, ConfigError> {
        let config = TrainConfig {
            arch: model.arch().clone(),
            ..config
        };
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
        let (rows, validation) = validation::carve(train, config.validation, config.seed)?;
        check_classes(&rows.labels)?;
        let device = config.backend.training_device();
        let optimizer = config.optimizer;
        Ok(Self {
            train: PreparedRows::new(&rows, config.scale, &device),
            held_out: HeldOut {
                given: train.clone(),
                validation,
                test: test.clone(),
            },
            early_stopping: (config.patience > 0).then(|| EarlyStopping::new(config.patience)),
            batches: Batches {
                order: (0..rows.len()).collect(),
                cursor: 0,
            },
            config,
            device,
            network: Network::new(model, optimizer),
            rng,
            tally: EpochTally::default(),
            progress: Progress::default(),
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
        self.progress.epochs_done
    }

    /// Whether every configured epoch has run, or early stopping ended the run.
    pub fn is_finished(&self) -> bool {
        self.progress.epochs_done >= self.config.epochs
            || self
                .early_stopping
                .as_ref()
                .is_some_and(EarlyStopping::stopped)
    }

    /// With early stopping (`patience` > 0): the epoch (from 1) with the lowest validation
    /// loss so far, whose weights the finished run holds. `None` without early stopping or
    /// before the first epoch.
    pub fn best_epoch(&self) -> Option<usize> {
        self.early_stopping.as_ref()?.best_epoch()
    }

    /// The report of the epoch whose weights a finished run holds: the best epoch's with
    /// early stopping, else the last one's. `None` before the first epoch.
    pub fn kept_report(&self) -> Option<&EpochReport> {
        let history = &self.progress.history;
        match self.best_epoch() {
            Some(epoch) => history.get(epoch - 1),
            None => history.last(),
        }
    }

    /// The rows carved off the training rows for validation (empty when `validation` is 0).
    pub fn validation_rows(&self) -> &Dataset {
        &self.held_out.validation
    }

    /// Mini-batches in one epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.batches.rows().div_ceil(self.config.batch_size)
    }

    /// Every finished epoch's report, in order.
    pub fn history(&self) -> &[EpochReport] {
        &self.progress.history
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
        let batch = self.next_batch();
        let BatchGradients {
            grads,
            loss_sum,
            correct,
        } = self.batch_gradients(batch.clone());
        self.keep_epoch_gradients(batch.end, &grads);
        self.network.update(self.config.learning_rate, grads);
        self.close_batch(batch.end, loss_sum, correct, Some(started))
            .then(|| self.finish_epoch())
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

    /// The positions of the next batch. At an epoch's start, shuffles the order and, with
    /// augmentation, moves the images for the new epoch (before the shuffle, which draws
    /// from the trainer's generator: the moves do not, so they leave the shuffles alone).
    fn next_batch(&mut self) -> Range<usize> {
        if self.batches.at_epoch_start() && self.config.augment != Augmentation::None {
            let epoch = self.progress.epochs_done;
            self.train.augment(&self.config, epoch, &self.device);
        }
        self.batches
            .start_next(self.config.batch_size, &mut self.rng)
    }

    /// The forward and backward pass over the rows at `positions` of the epoch's order: the
    /// one computation of a plain step and of a data-parallel shard. Dropout masks come from
    /// the shard's generator when data-parallel with several shards, else the trainer's own.
    fn batch_gradients(&mut self, positions: Range<usize>) -> BatchGradients {
        let rows = &self.batches.order[positions];
        // i32, flex's own integer type: i64 indices went through burn's general dtype
        // conversion on every step, one of the largest functions the browser optimises.
        let indices: Vec<i32> = rows
            .iter()
            .map(|&i| i32::try_from(i).expect("row positions fit an i32"))
            .collect();
        let indices =
            Tensor::<1, Int>::from_data(TensorData::new(indices, [rows.len()]), &self.device);
        let images = self.train.images.clone().select(0, indices.clone());
        let targets = self.train.one_hot.clone().select(0, indices);
        let dropout = match self.parallel.as_mut().and_then(|p| p.dropout.as_mut()) {
            Some(rng) => rng,
            None => &mut self.rng,
        };
        let model = self.network.model();
        let logits = model.forward(images, Some(dropout));
        let loss = cross_entropy(logits.clone(), targets);
        let mean_loss: f32 = loss.clone().into_scalar();
        let predicted = read_logits(logits.detach());
        let grads = GradientsParams::from_grads(loss.backward(), model);
        let correct = rows
            .iter()
            .zip(&predicted)
            .filter(|&(&row, logits)| self.train.labels[row] == predicted_class(logits))
            .count();
        BatchGradients {
            grads,
            loss_sum: f64::from(mean_loss) * rows.len() as f64,
            correct,
        }
    }

    /// Keeps `grads` for [`epoch_gradients`](Self::epoch_gradients) when the batch ending at
    /// position `end` is the epoch's last.
    fn keep_epoch_gradients(&mut self, end: usize, grads: &GradientsParams) {
        if end == self.batches.rows() {
            self.progress.epoch_gradients = self.network.model().layer_gradients(grads);
        }
    }

    /// The gradients of every weighted layer's weights at the last finished epoch's last
    /// step (as [`DigitsCnn::layer_gradients`] names them); empty before the first epoch.
    pub fn epoch_gradients(&self) -> &[LayerValues] {
        &self.progress.epoch_gradients
    }

    /// Counts a stepped batch (ending at position `end`) into the epoch's tally, with the time
    /// since `started`; returns whether it ended the epoch.
    fn close_batch(
        &mut self,
        end: usize,
        loss_sum: f64,
        correct: usize,
        started: Option<Instant>,
    ) -> bool {
        let seconds = started.map_or(0.0, |started| started.elapsed().as_secs_f64());
        self.tally.add(loss_sum, correct, seconds);
        self.batches.cursor = end;
        self.batches.cursor == self.batches.rows()
    }

    /// Starts the next epoch, returning the tally of the one that ended.
    fn end_epoch(&mut self) -> EpochTally {
        self.batches.cursor = 0;
        self.progress.epochs_done += 1;
        self.tally.reset()
    }

    /// Ends the epoch with an evaluation on the test rows (and the validation rows, if any)
    /// and its report; early stopping then watches the validation loss.
    fn finish_epoch(&mut self) -> EpochReport {
        let started = Instant::now();
        let probabilities = self.held_out_probabilities(0..self.held_out_rows());
        let tally = self.end_epoch();
        self.report_epoch(tally, &probabilities, started.elapsed().as_secs_f64())
    }

    /// The rows evaluated after each epoch: the test rows, then the validation rows.
    fn held_out_rows(&self) -> usize {
        self.held_out.test.len() + self.held_out.validation.len()
    }

    /// The class probabilities of the held-out rows `rows` (numbered as
    /// [`held_out_rows`](Self::held_out_rows) counts them) with the current weights.
    fn held_out_probabilities(&self, rows: Range<usize>) -> Vec<[f32; CLASSES]> {
        let tests = self.held_out.test.len();
        let test = rows.start.min(tests)..rows.end.min(tests);
        let validation = rows.start.max(tests) - tests..rows.end.max(tests) - tests;
        let mut probabilities = self.probabilities(&self.held_out.test.images[test]);
        probabilities.extend(self.probabilities(&self.held_out.validation.images[validation]));
        probabilities
    }

    /// The report of the epoch `tally` counted, from every held-out row's `probabilities`
    /// and the `evaluation_seconds` they took; early stopping then watches the validation
    /// loss.
    fn report_epoch(
        &mut self,
        tally: EpochTally,
        probabilities: &[[f32; CLASSES]],
        evaluation_seconds: f64,
    ) -> EpochReport {
        let (test, validation) = probabilities.split_at(self.held_out.test.len());
        let test = evaluate(test, &self.held_out.test.labels);
        let validation = (!self.held_out.validation.is_empty())
            .then(|| evaluate(validation, &self.held_out.validation.labels));
        let rows = self.batches.rows() as f64;
        let progress = &mut self.progress;
        progress.elapsed_seconds += tally.seconds + evaluation_seconds;
        let report = EpochReport {
            epoch: progress.epochs_done,
            train_loss: tally.loss_sum / rows,
            train_accuracy: tally.correct as f64 / rows,
            test_loss: test.loss,
            test_accuracy: test.accuracy,
            elapsed_seconds: progress.elapsed_seconds,
            samples_per_second: rows / tally.seconds.max(1e-9),
            val_loss: validation.as_ref().map(|v| v.loss),
            val_accuracy: validation.as_ref().map(|v| v.accuracy),
        };
        progress.history.push(report.clone());
        if let Some(val_loss) = report.val_loss {
            self.watch(report.epoch, val_loss);
        }
        report
    }

    /// Early stopping's turn after epoch `epoch`: keeps its weights if they are the best so
    /// far, and once the run is finished (stopped early or not), brings the best back.
    fn watch(&mut self, epoch: usize, val_loss: f64) {
        let Some(stopping) = &mut self.early_stopping else {
            return;
        };
        if stopping.observe(epoch, val_loss) {
            stopping.best_weights = Some(self.network.model().valid());
        }
        if self.is_finished()
            && let Some(best) = self
                .early_stopping
                .as_ref()
                .and_then(|s| s.best_weights.clone())
        {
            self.network.model = Some(best);
        }
    }

    /// The model in evaluation mode (no dropout, no autodiff).
    pub fn model(&self) -> DigitsCnn {
        self.network.model().valid()
    }

    /// Full metrics on the held-out rows with the current weights.
    pub fn evaluate(&self) -> Evaluation {
        self.evaluate_on(&self.held_out.test)
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
