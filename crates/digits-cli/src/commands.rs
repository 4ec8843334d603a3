//! What each subcommand does.

use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult, folds};
use digits_cnn::data::{BUNDLED_SOURCE, Dataset, bundled, parse_csv, train_test_split};
use digits_cnn::model::DigitsCnn;
use digits_cnn::model_file::{ModelInfo, save_model};
use digits_cnn::training::{TrainConfig, Trainer};
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
    let mut trainer = Trainer::new(config.clone(), &train_rows, &test_rows).map_err(|e| e.to_string())?;
    let print_epoch = |epoch: &digits_cnn::training::EpochReport| {
        if !args.run.quiet {
            println!("{}", report::epoch_line(epoch, config.epochs));
        }
    };
    if args.workers > 1 {
        crate::parallel::train(&mut trainer, usize::from(args.workers), &config, &train_rows, print_epoch)?;
    } else {
        while let Some(epoch) = trainer.run_epoch() {
            print_epoch(&epoch);
        }
    }
    let evaluation = trainer.evaluate();
    let last = trainer.history().last().expect("at least one epoch ran").clone();
    if let Some(path) = &args.save {
        let mut info = ModelInfo::new(config.scale, config.epochs, &source);
        info.test_accuracy = Some(evaluation.accuracy);
        std::fs::write(path, save_model(&trainer.model(), &info))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !args.run.quiet {
            println!("saved the model to {}", path.display());
        }
    }
    print!("{}", report::evaluation_report(&evaluation));
    if args.run.json {
        let seconds_per_epoch = last.elapsed_seconds / config.epochs as f64;
        let record = json!({
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
            "samples_per_second": train_rows.len() as f64 / seconds_per_epoch,
            "train_rows": train_rows.len(),
            "test_rows": test_rows.len(),
            "config": config,
            "data_source": source,
            "workers": args.workers,
        });
        println!("{record}");
    }
    Ok(())
}

fn kfold(args: KfoldArgs) -> Result<(), String> {
    let config: TrainConfig = args.run.config(0.2, false);
    config.validate().map_err(|e| e.to_string())?;
    let (data, source) = load_data(&args.run)?;
    let folds = folds(&data, args.folds, config.seed).map_err(|e| e.to_string())?;
    if !args.run.quiet {
        println!("data: {source}, {} rows; {} folds; backend {}", data.len(), folds.len(), config.backend);
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
            println!("{}", report::fold_line(&result, folds.len(), last.elapsed_seconds));
        }
        results.push(result);
    }
    let summary = CrossValidationSummary::new(results);
    println!("{}", report::cross_validation_line(&summary));
    if args.run.json {
        let record = json!({
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
        });
        println!("{record}");
    }
    Ok(())
}
