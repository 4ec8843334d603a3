//! The command line: subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use digits_cnn::arch::{Arch, NOTEBOOK};
use digits_cnn::backend::BackendKind;
use digits_cnn::data::{Augmentation, BundledData, SplitKind};
use digits_cnn::prediction::InputScale;
use digits_cnn::sweep::DEFAULT_SEEDS;
use digits_cnn::training::{Optimizer, TrainConfig};

/// Train the course notebook's CNN, or any network written as a spec, on the UCI optical
/// digits, headless.
#[derive(Parser, Debug)]
#[command(name = "digits", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train on an 80/20 split, print one line per epoch and a final report.
    Train(TrainArgs),
    /// K-fold cross-validation: train each fold from scratch, report mean and std accuracy.
    Kfold(KfoldArgs),
    /// Print the model summary table (Keras' layers, output shapes and parameters).
    Summary(SummaryArgs),
    /// Train every combination of networks and learning rates from several seeds; one row
    /// per combination: mean ± std test accuracy, parameters, seconds per epoch.
    Sweep(SweepArgs),
    /// Write a Python file that rebuilds the network in Keras and trains it the notebook's
    /// way (Sequential, compile, fit on the CSV with the same epochs, batch and split).
    ExportKeras(ExportKerasArgs),
    /// Is a CNN needed? Train and test k-nearest neighbours (k = 3) and logistic regression
    /// on the same rows and inputs as `train`.
    Baselines(BaselinesArgs),
}

/// The data when `--data` is not given.
const DEFAULT_DATA: &str = "uci";

/// Where the rows come from: a bundled data set by name, or a CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataChoice {
    /// `uci` or `digits`.
    Bundled(BundledData),
    /// Any other value: a CSV file (write `./uci` for a file of that name).
    File(PathBuf),
}

/// Never fails: a value that is not a bundled data set's name is a path.
impl std::str::FromStr for DataChoice {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(BundledData::from_name(s)
            .map_or_else(|| DataChoice::File(s.into()), DataChoice::Bundled))
    }
}

/// Flags of every command that reads data: which rows, and how they are fed.
#[derive(Args, Debug)]
pub struct DataArgs {
    /// `uci` (5,620 rows), `digits` (1,797 rows), or a CSV with 64 pixel columns (0..16)
    /// and a label column (0..9).
    #[arg(long, value_name = "uci|digits|FILE", default_value = DEFAULT_DATA)]
    pub data: DataChoice,
    /// Seed of the split, weights, shuffles and dropout.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Input scaling: raw 0..16 (the notebook's) or unit (÷16).
    #[arg(long, default_value = "raw")]
    pub scale: InputScale,
    /// Print the last line as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// How the rows are divided into training and test rows (`train` and `baselines`).
#[derive(Args, Debug)]
pub struct SplitArgs {
    /// Share of rows held out for testing (random and stratified splits).
    #[arg(long, default_value_t = 0.2)]
    pub test_size: f64,
    /// random (seeded 80/20), stratified (class shares kept) or writers (`uci` only: train
    /// on 30 people's digits, test on 13 others').
    #[arg(
        long,
        value_name = "random|stratified|writers",
        conflicts_with = "stratify"
    )]
    pub split: Option<SplitKind>,
    /// The same as `--split stratified`.
    #[arg(long)]
    pub stratify: bool,
    /// Train on every row of `--data` and test on this CSV instead of splitting.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["split", "stratify", "test_size"])]
    pub test_data: Option<PathBuf>,
}

impl SplitArgs {
    /// The split asked for (`--stratify` is `--split stratified`).
    pub fn kind(&self) -> SplitKind {
        if self.stratify {
            SplitKind::Stratified
        } else {
            self.split.unwrap_or_default()
        }
    }
}

/// `digits baselines`.
#[derive(Args, Debug)]
pub struct BaselinesArgs {
    /// The data flags.
    #[command(flatten)]
    pub input: DataArgs,
    /// The split flags.
    #[command(flatten)]
    pub split: SplitArgs,
}

/// `digits summary`.
#[derive(Args, Debug)]
pub struct SummaryArgs {
    /// The network, as a spec (see the README's grammar).
    #[arg(long, value_name = "SPEC", default_value = NOTEBOOK)]
    pub arch: Arch,
}

/// The network and its learning rate (`train`, `kfold`, `export-keras`).
#[derive(Args, Debug)]
pub struct NetworkArgs {
    /// The network, as a spec: e.g. `conv16,pool,dense64`; the default is the notebook's.
    #[arg(long, value_name = "SPEC", default_value = NOTEBOOK, hide_default_value = true)]
    pub arch: Arch,
    /// The optimizer's learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
}

/// Flags shared by `train`, `kfold`, `sweep` and `export-keras`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The data flags.
    #[command(flatten)]
    pub input: DataArgs,
    /// Epochs to train.
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// Batch size.
    #[arg(long, default_value_t = 128)]
    pub batch: usize,
    /// The optimizer, with Keras' defaults apart from the learning rate (sgd: momentum 0.9).
    #[arg(long, value_name = "adam|sgd|rmsprop", default_value = "adam")]
    pub optimizer: Optimizer,
    /// burn backend.
    #[arg(long, default_value = "flex")]
    pub backend: BackendKind,
    /// Data augmentation: none, or shift (each training image moved by up to one cell in
    /// each direction, drawn per image per epoch from the seed).
    #[arg(long, value_name = "none|shift", default_value = "none")]
    pub augment: Augmentation,
    /// Share of the training rows carved off (seeded) for a validation loss each epoch;
    /// 0 carves nothing.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub validation: f64,
    /// Early stopping: stop once the validation loss has not improved for N epochs and
    /// keep the best epoch's weights (Keras' EarlyStopping); 0 never stops early. Needs
    /// --validation.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub patience: usize,
    /// Print nothing per epoch.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `digits train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The shared flags.
    #[command(flatten)]
    pub run: RunArgs,
    /// The network flags.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// The split flags.
    #[command(flatten)]
    pub split: SplitArgs,
    /// Save the trained model to this file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Threads training data-parallel (each computes the gradient of its share of every
    /// batch; one optimizer step from their sum). A run depends on its seed and this count.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub workers: u16,
}

/// `digits kfold`.
#[derive(Args, Debug)]
pub struct KfoldArgs {
    /// The shared flags.
    #[command(flatten)]
    pub run: RunArgs,
    /// The network flags.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
}

/// `digits sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The shared flags (`--seed` is the first seed of each combination).
    #[command(flatten)]
    pub run: RunArgs,
    /// The split flags.
    #[command(flatten)]
    pub split: SplitArgs,
    /// A network to try, as a spec; repeat for several.
    #[arg(long = "arch", value_name = "SPEC", required = true)]
    pub archs: Vec<Arch>,
    /// A learning rate to try; repeat for several.
    #[arg(long = "lr", value_name = "LR", default_values_t = [1e-3])]
    pub lrs: Vec<f64>,
    /// Seeds per combination (--seed, --seed + 1, ...).
    #[arg(long, default_value_t = DEFAULT_SEEDS)]
    pub seeds: usize,
}

/// `digits export-keras`: the run these flags describe, as a Keras file.
#[derive(Args, Debug)]
pub struct ExportKerasArgs {
    /// The shared flags: `--data FILE` is the CSV the file loads (a bundled set becomes its
    /// file's name, `BundledData::file_name`); epochs, batch, optimizer, seed and scale are
    /// the run's.
    #[command(flatten)]
    pub run: RunArgs,
    /// The network flags.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// The split flags (`--test-size` and `--stratify` carry over).
    #[command(flatten)]
    pub split: SplitArgs,
    /// Write the file here instead of printing it.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl RunArgs {
    /// The training settings these flags describe, for `arch` at `learning_rate`.
    pub fn config(
        &self,
        arch: &Arch,
        learning_rate: f64,
        test_size: f64,
        split: SplitKind,
    ) -> TrainConfig {
        TrainConfig {
            arch: arch.clone(),
            optimizer: self.optimizer,
            epochs: self.epochs,
            batch_size: self.batch,
            learning_rate,
            seed: self.input.seed,
            scale: self.input.scale,
            backend: self.backend,
            test_size,
            split,
            augment: self.augment,
            validation: self.validation,
            patience: self.patience,
        }
    }
}
