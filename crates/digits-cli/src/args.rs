//! The command line: subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use digits_cnn::backend::BackendKind;
use digits_cnn::prediction::InputScale;
use digits_cnn::training::TrainConfig;

/// Train the course notebook's CNN on the UCI optical digits, headless.
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
    /// Print the model summary table.
    Summary,
}

/// Flags shared by `train` and `kfold`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// CSV with 64 pixel columns (0..16) and a label column (0..9); default: the bundled data.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Epochs to train.
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// Batch size.
    #[arg(long, default_value_t = 128)]
    pub batch: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Seed of the split, weights, shuffles and dropout.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Input scaling: raw 0..16 (the notebook's) or unit (÷16).
    #[arg(long, default_value = "raw")]
    pub scale: InputScale,
    /// burn backend.
    #[arg(long, default_value = "flex")]
    pub backend: BackendKind,
    /// Print the last line as one JSON object.
    #[arg(long)]
    pub json: bool,
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
    /// Share of rows held out for testing.
    #[arg(long, default_value_t = 0.2)]
    pub test_size: f64,
    /// Keep class proportions equal in both parts.
    #[arg(long)]
    pub stratify: bool,
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
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
}

impl RunArgs {
    /// The training settings these flags describe.
    pub fn config(&self, test_size: f64, stratify: bool) -> TrainConfig {
        TrainConfig {
            epochs: self.epochs,
            batch_size: self.batch,
            learning_rate: self.lr,
            seed: self.seed,
            scale: self.scale,
            backend: self.backend,
            test_size,
            stratify,
        }
    }
}
