//! What each subcommand does.

use std::path::Path;

use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult, folds};
use digits_cnn::data::{BUNDLED_SOURCE, Dataset, bundled, parse_csv, train_test_split};
use digits_cnn::metrics::Evaluation;
use digits_cnn::model::DigitsCnn;
use digits_cnn::model_file::{ModelInfo, save_model};
use digits_cnn::training::{EpochReport, TrainConfig, Trainer};
use serde_json::json;

use crate::args::{Cli, Command, KfoldArgs, RunArgs, TrainArgs};
use crate::report;

/// Runs the parsed command; the error is the one-line message to print.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Train(args) => train(args),
        Command::Kfold(args) => kfold(args),
        Command::Summary => {
            let device = digits_cnn::backend::BackendKind::Flex.device();
            let model = DigitsCnn::seeded(&device, 0);
            print!("{}", report::summary_table(&model.summary()));
            Ok(())
        }
    }
}

fn load_data(run: &RunArgs) -> Result<(Dataset, String), String> {
    match &run.data {
        None => Ok((bundled(), BUNDLED_SOURCE.to_string())),
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let data = parse_csv(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((data, path.display().to_string()))
        }
    }
}

fn train(args: TrainArgs) -> Result<(), String> {
    let config = args.run.config(args.test_size, args.stratify);
    config.validate().map_err(|e| e.to_string())?;
    let (data, source) = load_data(&args.run)?;
    let split = train_test_split(&data.labels, config.test_size, config.seed, config.stratify)
        .map_err(|e| e.to_string())?;
    let (train_rows, test_rows) = (data.subset(&split.train), data.subset(&split.test));
    if !args.run.quiet {
        println!(
            "data: {source}, {} rows; train {} / test {}; backend {}",
            data.len(),
            train_rows.len(),
            test_rows.len(),
            config.backend
        );
    }
    let mut trainer =
        Trainer::new(config.clone(), &train_rows, &test_rows).map_err(|e| e.to_string())?;
    run_epochs(&mut trainer, &args, &train_rows)?;
    let evaluation = trainer.evaluate();
    if let Some(path) = &args.save {
        save(path, &trainer, &evaluation, &source)?;
        if !args.run.quiet {
            println!("saved the model to {}", path.display());
        }
    }
    print!("{}", report::evaluation_report(&evaluation));
    if args.run.json {
        let rows = (train_rows.len(), test_rows.len());
        println!(
            "{}",
            train_record(&trainer, &evaluation, rows, &source, args.workers)
        );
    }
    Ok(())
}

/// Trains every configured epoch, on `--workers` threads if more than one, printing a line
/// per epoch unless quiet.
fn run_epochs(trainer: &mut Trainer, args: &TrainArgs, train_rows: &Dataset) -> Result<(), String> {
    let config = trainer.config().clone();
    let print_epoch = |epoch: &EpochReport| {
        if !args.run.quiet {
            println!("{}", report::epoch_line(epoch, config.epochs));
        }
    };
    if args.workers > 1 {
        let workers = usize::from(args.workers);
        crate::data_parallel::train(trainer, workers, &config, train_rows, print_epoch)?;
    } else {
        while let Some(epoch) = trainer.run_epoch() {
            print_epoch(&epoch);
        }
    }
    Ok(())
}

/// Writes the trained model to `path` as a model file.
fn save(
    path: &Path,
    trainer: &Trainer,
    evaluation: &Evaluation,
    source: &str,
) -> Result<(), String> {
    let config = trainer.config();
    let mut info = ModelInfo::new(config.scale, config.epochs, source);
    info.test_accuracy = Some(evaluation.accuracy);
    std::fs::write(path, save_model(&trainer.model(), &info))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The JSON line of `train --json`; `rows` are the training and test rows.
fn train_record(
    trainer: &Trainer,
    evaluation: &Evaluation,
    (train_rows, test_rows): (usize, usize),
    source: &str,
    workers: u16,
) -> serde_json::Value {
    let config = trainer.config();
    let last = trainer.history().last().expect("at least one epoch ran");
    let seconds_per_epoch = last.elapsed_seconds / config.epochs as f64;
    json!({
        "test_accuracy": evaluation.accuracy,
        "test_loss": evaluation.loss,
        "precision_macro": evaluation.report.precision_macro,
        "recall_macro": evaluation.report.recall_macro,
        "f1_macro": evaluation.report.f1_macro,
        "auc_macro": evaluation.auc_macro,
        "confusion_matrix": evaluation.confusion.counts,
        "epochs": config.epochs,
        "seconds": last.elapsed_seconds,
        "seconds_per_epoch": seconds_per_epoch,
        "samples_per_second": train_rows as f64 / seconds_per_epoch,
        "train_rows": train_rows,
        "test_rows": test_rows,
        "config": config,
        "data_source": source,
        "workers": workers,
    })
}

fn kfold(args: KfoldArgs) -> Result<(), String> {
    let config: TrainConfig = args.run.config(0.2, false);
    config.validate().map_err(|e| e.to_string())?;
    let (data, source) = load_data(&args.run)?;
    let folds = folds(&data, args.folds, config.seed).map_err(|e| e.to_string())?;
    if !args.run.quiet {
        println!(
            "data: {source}, {} rows; {} folds; backend {}",
            data.len(),
            folds.len(),
            config.backend
        );
    }
    let mut results = Vec::with_capacity(folds.len());
    let mut seconds = 0.0;
    for (index, fold) in folds.iter().enumerate() {
        let mut trainer =
            Trainer::new(config.clone(), &fold.train, &fold.test).map_err(|e| e.to_string())?;
        while trainer.run_epoch().is_some() {}
        let last = trainer.history().last().expect("at least one epoch ran");
        seconds += last.elapsed_seconds;
        let result = FoldResult::from_report(index + 1, last);
        if !args.run.quiet {
            println!(
                "{}",
                report::fold_line(&result, folds.len(), last.elapsed_seconds)
            );
        }
        results.push(result);
    }
    let summary = CrossValidationSummary::new(results);
    println!("{}", report::cross_validation_line(&summary));
    if args.run.json {
        println!("{}", kfold_record(&summary, &config, seconds, &source));
    }
    Ok(())
}

/// The JSON line of `kfold --json`; `seconds` is the training time over all folds.
fn kfold_record(
    summary: &CrossValidationSummary,
    config: &TrainConfig,
    seconds: f64,
    source: &str,
) -> serde_json::Value {
    json!({
        "fold_accuracy": summary.folds.iter().map(|f| f.accuracy).collect::<Vec<_>>(),
        "fold_loss": summary.folds.iter().map(|f| f.loss).collect::<Vec<_>>(),
        "mean_accuracy": summary.mean_accuracy,
        "std_accuracy": summary.std_accuracy,
        "mean_loss": summary.mean_loss,
        "std_loss": summary.std_loss,
        "folds": summary.folds.len(),
        "epochs": config.epochs,
        "seconds": seconds,
        "config": config,
        "data_source": source,
    })
}
