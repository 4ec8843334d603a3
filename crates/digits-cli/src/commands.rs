//! What each subcommand does.

use std::path::Path;

use digits_cnn::arch::{Arch, keras};
use digits_cnn::baselines::{BaselineResult, run_baselines};
use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult, folds};
use digits_cnn::data::{Dataset, SplitKind, parse_csv};
use digits_cnn::metrics::Evaluation;
use digits_cnn::model_file::{ModelInfo, save_model};
use digits_cnn::sweep::{SeedRun, Sweep, SweepPoint, SweepResult, best};
use digits_cnn::training::{EpochReport, TrainConfig, Trainer};
use serde_json::json;

use crate::args::{
    BaselinesArgs, Cli, Command, DataArgs, DataChoice, ExportKerasArgs, KfoldArgs, RunArgs,
    SplitArgs, SweepArgs, TrainArgs,
};
use crate::report;

/// Runs the parsed command; the error is the one-line message to print.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Train(args) => train(args),
        Command::Kfold(args) => kfold(args),
        Command::Summary(args) => {
            print!("{}", report::summary_table(&args.arch));
            Ok(())
        }
        Command::Sweep(args) => sweep(args),
        Command::ExportKeras(args) => export_keras(args),
        Command::Baselines(args) => baselines(args),
    }
}

/// The rows `--data` names, and a description of them.
fn load_data(input: &DataArgs) -> Result<(Dataset, String), String> {
    match &input.data {
        DataChoice::Bundled(data) => Ok((data.dataset().clone(), data.source().to_string())),
        DataChoice::File(path) => load_file(path),
    }
}

fn load_file(path: &Path) -> Result<(Dataset, String), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let data = parse_csv(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((data, path.display().to_string()))
}

/// The training and test rows the flags describe.
struct Rows {
    train: Dataset,
    test: Dataset,
    /// What the data is, e.g. `UCI optdigits, ...` or a file's path.
    source: String,
    /// The split's name, or `test file` for `--test-data`.
    split: String,
}

impl Rows {
    /// Loads `--data` and splits it as `--split` says with `seed`, or tests on `--test-data`.
    fn load(input: &DataArgs, split: &SplitArgs, seed: u64) -> Result<Rows, String> {
        let (data, source) = load_data(input)?;
        if let Some(path) = &split.test_data {
            let (test, test_source) = load_file(path)?;
            let source = format!("{source}, tested on {test_source}");
            return Ok(Rows {
                train: data,
                test,
                source,
                split: "test file".into(),
            });
        }
        let bundled = match &input.data {
            DataChoice::Bundled(bundled) => Some(*bundled),
            DataChoice::File(_) => None,
        };
        let kind = split.kind();
        let rows = kind
            .split(bundled, &data.labels, split.test_size, seed)
            .map_err(|e| e.to_string())?;
        Ok(Rows {
            train: data.subset(&rows.train),
            test: data.subset(&rows.test),
            source,
            split: kind.name().into(),
        })
    }

    /// One line: the data, the split and the row counts.
    fn line(&self) -> String {
        format!(
            "data: {}; split {}: train {} / test {}",
            self.source,
            self.split,
            self.train.len(),
            self.test.len()
        )
    }
}

/// The settings of a run on `arch` at `learning_rate`, split as `split` says.
fn run_config(run: &RunArgs, split: &SplitArgs, arch: &Arch, learning_rate: f64) -> TrainConfig {
    run.config(arch, learning_rate, split.test_size, split.kind())
}

fn train(args: TrainArgs) -> Result<(), String> {
    let config = run_config(&args.run, &args.split, &args.network.arch, args.network.lr);
    config.validate().map_err(|e| e.to_string())?;
    let rows = Rows::load(&args.run.input, &args.split, config.seed)?;
    if !args.run.quiet {
        println!("{}; backend {}", rows.line(), config.backend);
        println!(
            "{}",
            report::network_line(&config.arch, config.optimizer, config.learning_rate)
        );
    }
    let mut trainer =
        Trainer::new(config.clone(), &rows.train, &rows.test).map_err(|e| e.to_string())?;
    run_epochs(&mut trainer, &args, &rows.train)?;
    if let (Some(best), false) = (trainer.best_epoch(), args.run.quiet) {
        println!("{}", report::early_stopping_line(trainer.history(), best));
    }
    let evaluation = trainer.evaluate();
    if let Some(path) = &args.save {
        save(path, &trainer, &evaluation, &rows.source)?;
        if !args.run.quiet {
            println!("saved the model to {}", path.display());
        }
    }
    print!("{}", report::evaluation_report(&evaluation));
    if args.run.input.json {
        println!(
            "{}",
            train_record(&trainer, &evaluation, &rows, args.workers)
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
    let epochs = trainer
        .kept_report()
        .map_or(config.epochs, |kept| kept.epoch);
    let mut info = ModelInfo::new(&config.arch, config.scale, epochs, source);
    info.test_accuracy = Some(evaluation.accuracy);
    std::fs::write(path, save_model(&trainer.model(), &info))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The JSON line of `train --json`.
fn train_record(
    trainer: &Trainer,
    evaluation: &Evaluation,
    rows: &Rows,
    workers: u16,
) -> serde_json::Value {
    let config = trainer.config();
    let history = trainer.history();
    let last = history.last().expect("at least one epoch ran");
    let seconds_per_epoch = last.elapsed_seconds / history.len() as f64;
    json!({
        "arch": config.arch,
        "parameters": config.arch.parameters(),
        "test_accuracy": evaluation.accuracy,
        "test_loss": evaluation.loss,
        "precision_macro": evaluation.report.precision_macro,
        "recall_macro": evaluation.report.recall_macro,
        "f1_macro": evaluation.report.f1_macro,
        "auc_macro": evaluation.auc_macro,
        "confusion_matrix": evaluation.confusion.counts,
        "epochs": config.epochs,
        "epochs_run": history.len(),
        "best_epoch": trainer.best_epoch(),
        "seconds": last.elapsed_seconds,
        "seconds_per_epoch": seconds_per_epoch,
        "samples_per_second": rows.train.len() as f64 / seconds_per_epoch,
        "train_rows": rows.train.len(),
        "test_rows": rows.test.len(),
        "split": rows.split,
        "config": config,
        "data_source": rows.source,
        "workers": workers,
    })
}

fn kfold(args: KfoldArgs) -> Result<(), String> {
    let config: TrainConfig =
        args.run
            .config(&args.network.arch, args.network.lr, 0.2, SplitKind::Random);
    config.validate().map_err(|e| e.to_string())?;
    let (data, source) = load_data(&args.run.input)?;
    let folds = folds(&data, args.folds, config.seed).map_err(|e| e.to_string())?;
    if !args.run.quiet {
        println!(
            "data: {source}, {} rows; {} folds; backend {}",
            data.len(),
            folds.len(),
            config.backend
        );
        println!(
            "{}",
            report::network_line(&config.arch, config.optimizer, config.learning_rate)
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
        // With early stopping, the fold scores the weights kept, the best epoch's.
        let kept = trainer.kept_report().expect("at least one epoch ran");
        let result = FoldResult::from_report(index + 1, kept);
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
    if args.run.input.json {
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
        "arch": config.arch,
        "parameters": config.arch.parameters(),
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

fn baselines(args: BaselinesArgs) -> Result<(), String> {
    let rows = Rows::load(&args.input, &args.split, args.input.seed)?;
    println!("{}; scale {}", rows.line(), args.input.scale.name());
    let results = run_baselines(&rows.train, &rows.test, args.input.scale);
    for result in &results {
        println!("{}", report::baseline_line(result));
    }
    if args.input.json {
        let mut record = json!({
            "train_rows": rows.train.len(),
            "test_rows": rows.test.len(),
            "split": rows.split,
            "scale": args.input.scale,
            "seed": args.input.seed,
            "data_source": rows.source,
        });
        for result in &results {
            record[result.model.name()] = baseline_record(result);
        }
        println!("{record}");
    }
    Ok(())
}

/// One baseline's figures for the JSON line.
fn baseline_record(result: &BaselineResult) -> serde_json::Value {
    let e = &result.evaluation;
    json!({
        "test_accuracy": e.accuracy,
        "precision_macro": e.report.precision_macro,
        "recall_macro": e.report.recall_macro,
        "f1_macro": e.report.f1_macro,
        "confusion_matrix": e.confusion.counts,
        "seconds": result.seconds,
        "predict_seconds": result.predict_seconds,
    })
}

fn sweep(args: SweepArgs) -> Result<(), String> {
    let sweep = Sweep::new(&args.archs, &args.lrs, args.seeds).map_err(|e| e.to_string())?;
    let base = run_config(&args.run, &args.split, &args.archs[0], args.lrs[0]);
    let mut results = Vec::with_capacity(sweep.points.len());
    for point in &sweep.points {
        let result = sweep_point(&sweep, point, &base, &args)?;
        if !args.run.quiet {
            println!("{}", report::sweep_line(&result, false));
        }
        results.push(result);
    }
    let best = best(&results);
    println!("best first:");
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| {
        results[b]
            .mean_accuracy
            .total_cmp(&results[a].mean_accuracy)
    });
    for index in order {
        println!(
            "{}",
            report::sweep_line(&results[index], Some(index) == best)
        );
    }
    if args.run.input.json {
        println!(
            "{}",
            json!({
                "results": results,
                "best": best,
                "seeds": sweep.seeds,
                "config": base,
            })
        );
    }
    Ok(())
}

/// Trains one combination from each of the sweep's seeds.
fn sweep_point(
    sweep: &Sweep,
    point: &SweepPoint,
    base: &TrainConfig,
    args: &SweepArgs,
) -> Result<SweepResult, String> {
    let mut runs = Vec::with_capacity(sweep.seeds);
    for config in sweep.configs(point, base) {
        config.validate().map_err(|e| e.to_string())?;
        let rows = Rows::load(&args.run.input, &args.split, config.seed)?;
        let mut trainer =
            Trainer::new(config, &rows.train, &rows.test).map_err(|e| e.to_string())?;
        while trainer.run_epoch().is_some() {}
        runs.push(SeedRun::of(&trainer).expect("at least one epoch ran"));
    }
    Ok(SweepResult::new(point, &runs))
}

fn export_keras(args: ExportKerasArgs) -> Result<(), String> {
    let config = run_config(&args.run, &args.split, &args.network.arch, args.network.lr);
    config.validate().map_err(|e| e.to_string())?;
    let csv = match &args.run.input.data {
        DataChoice::Bundled(data) => data.file_name().to_string(),
        DataChoice::File(path) => path.display().to_string(),
    };
    let script = keras::script(&config, &csv);
    match &args.output {
        Some(path) => std::fs::write(path, script).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            print!("{script}");
            Ok(())
        }
    }
}
