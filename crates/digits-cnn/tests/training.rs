//! Training on the bundled data, end to end, on both backends.

use digits_cnn::arch::Arch;
use digits_cnn::backend::BackendKind;
use digits_cnn::data::{Augmentation, Dataset, bundled, train_test_split};
use digits_cnn::metrics::predicted_class;
use digits_cnn::model_file::{ModelInfo, load_model, save_model};
use digits_cnn::prediction::{InputScale, probabilities};
use digits_cnn::training::{Optimizer, TrainConfig, Trainer};

fn split(config: &TrainConfig) -> (Dataset, Dataset) {
    let data = bundled();
    let split = train_test_split(&data.labels, config.test_size, config.seed, false).unwrap();
    (data.subset(&split.train), data.subset(&split.test))
}

fn config(backend: BackendKind, epochs: usize) -> TrainConfig {
    TrainConfig {
        epochs,
        backend,
        ..TrainConfig::default()
    }
}

#[test]
fn flex_test_accuracy_clearly_rises() {
    let config = config(BackendKind::Flex, 8);
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    let before = trainer.evaluate().accuracy;
    while trainer.run_epoch().is_some() {}
    let history = trainer.history();
    assert_eq!(history.len(), 8);
    let last = history.last().unwrap();
    assert!(
        last.test_accuracy > before + 0.4 && last.test_accuracy > 0.6,
        "test accuracy went from {before:.3} to {:.3}",
        last.test_accuracy
    );
    assert!(
        last.train_loss < history[0].train_loss,
        "training loss fell"
    );
    assert!(
        history
            .windows(2)
            .all(|w| w[1].elapsed_seconds >= w[0].elapsed_seconds)
    );
    let evaluation = trainer.evaluate();
    assert_eq!(evaluation.confusion.total() as usize, test.len());
    assert!((evaluation.accuracy - last.test_accuracy).abs() < 1e-12);
}

#[test]
fn ndarray_trains_too() {
    let config = config(BackendKind::NdArray, 8);
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    let before = trainer.evaluate().accuracy;
    while trainer.run_epoch().is_some() {}
    let after = trainer.history().last().unwrap().test_accuracy;
    assert!(
        after > before + 0.4 && after > 0.6,
        "ndarray test accuracy went from {before:.3} to {after:.3}"
    );
}

#[test]
fn a_seed_fixes_the_run() {
    let run = |seed| {
        let config = TrainConfig {
            seed,
            ..config(BackendKind::Flex, 1)
        };
        let (train, test) = split(&config);
        let mut trainer = Trainer::new(config, &train, &test).unwrap();
        let report = trainer.run_epoch().unwrap();
        let predicted: Vec<u8> = trainer
            .probabilities(&train.images)
            .iter()
            .map(predicted_class)
            .collect();
        (report.train_loss, report.test_loss, predicted)
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5).0, run(6).0);
}

#[test]
fn stepping_pauses_between_batches_and_resumes_where_it_stopped() {
    let config = TrainConfig {
        batch_size: 500,
        ..config(BackendKind::Flex, 2)
    };
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    assert_eq!(trainer.batches_per_epoch(), 3); // 1,437 rows in batches of 500
    assert!(trainer.step().is_none());
    assert!(trainer.step().is_none());
    // A pause is simply not calling step(); the state waits.
    assert_eq!(trainer.epochs_done(), 0);
    assert_eq!(trainer.step().map(|r| r.epoch), Some(1));
    assert!(trainer.run_epoch().is_some());
    assert!(trainer.is_finished());
    assert!(trainer.step().is_none() && trainer.run_epoch().is_none());
}

#[test]
fn a_saved_model_predicts_exactly_as_the_trained_one_and_trains_on() {
    let config = TrainConfig {
        scale: InputScale::Unit,
        ..config(BackendKind::Flex, 1)
    };
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config.clone(), &train, &test).unwrap();
    trainer.run_epoch();
    let bytes = save_model(
        &trainer.model(),
        &ModelInfo::new(&config.arch, config.scale, 1, "bundled"),
    );
    let device = BackendKind::Flex.device();
    let (loaded, info) = load_model(&bytes, &device).unwrap();
    assert_eq!(info.scale, InputScale::Unit);
    assert_eq!(
        trainer.probabilities(&test.images),
        probabilities(&loaded, &test.images, info.scale, &device)
    );
    // The same file loads on the other backend with the same predictions, near enough.
    let other = BackendKind::NdArray.device();
    let (on_ndarray, _) = load_model(&bytes, &other).unwrap();
    let a = trainer.probabilities(&test.images[..20]);
    let b = probabilities(&on_ndarray, &test.images[..20], info.scale, &other);
    for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
        assert!((x - y).abs() < 1e-4);
    }
    // A loaded model trains further.
    let mut resumed = Trainer::from_model(config, loaded, &train, &test).unwrap();
    assert!(resumed.run_epoch().is_some());
}

#[test]
fn invalid_settings_are_refused_by_name() {
    let data = bundled();
    let refuse = |config: TrainConfig| Trainer::new(config, &data, &data).err().unwrap().setting;
    assert_eq!(
        refuse(TrainConfig {
            epochs: 0,
            ..Default::default()
        }),
        "epochs"
    );
    assert_eq!(
        refuse(TrainConfig {
            epochs: 1_000_000_000,
            ..Default::default()
        }),
        "epochs"
    );
    assert_eq!(
        refuse(TrainConfig {
            batch_size: 0,
            ..Default::default()
        }),
        "batch"
    );
    assert_eq!(
        refuse(TrainConfig {
            learning_rate: -1.0,
            ..Default::default()
        }),
        "lr"
    );
    assert_eq!(
        refuse(TrainConfig {
            learning_rate: f64::NAN,
            ..Default::default()
        }),
        "lr"
    );
    assert_eq!(
        refuse(TrainConfig {
            test_size: 1.0,
            ..Default::default()
        }),
        "test_size"
    );
}

#[test]
fn single_class_or_empty_training_rows_are_refused_with_a_message() {
    let data = bundled();
    let threes: Vec<usize> = (0..data.len())
        .filter(|&i| data.labels[i] == 3)
        .take(20)
        .collect();
    let single = data.subset(&threes);
    let config = TrainConfig {
        epochs: 1,
        ..TrainConfig::default()
    };
    let e = Trainer::new(config.clone(), &single, &single)
        .err()
        .unwrap();
    assert_eq!(e.setting, "data");
    assert_eq!(
        e.to_string(),
        "data: every training row is a 3; training needs at least two different digits"
    );
    let e = Trainer::new(config.clone(), &Dataset::default(), &single)
        .err()
        .unwrap();
    assert_eq!(e.to_string(), "data: there are no training rows");
    // Two classes are enough to start.
    let mut two = threes.clone();
    two.push((0..data.len()).find(|&i| data.labels[i] == 5).unwrap());
    assert!(Trainer::new(config, &data.subset(&two), &single).is_ok());
}

#[test]
fn augmentation_changes_the_run_and_repeats_per_seed() {
    let run = |augment| {
        let config = TrainConfig {
            augment,
            ..config(BackendKind::Flex, 2)
        };
        let (train, test) = split(&config);
        let mut trainer = Trainer::new(config, &train, &test).unwrap();
        while trainer.run_epoch().is_some() {}
        let losses: Vec<(f64, f64)> = trainer
            .history()
            .iter()
            .map(|r| (r.train_loss, r.test_loss))
            .collect();
        (losses, trainer.flat_weights())
    };
    let shifted = run(Augmentation::Shift);
    assert_eq!(shifted, run(Augmentation::Shift), "same seed, same run");
    let plain = run(Augmentation::None);
    assert_ne!(shifted.0, plain.0);
    assert_ne!(shifted.1, plain.1);
    // The first epoch's batches are the same rows in the same order, only moved.
    assert_ne!(shifted.0[0].0, plain.0[0].0);
}

#[test]
fn early_stopping_keeps_the_best_epochs_weights() {
    let config = TrainConfig {
        epochs: 60,
        batch_size: 16,
        learning_rate: 0.003,
        validation: 0.2,
        patience: 2,
        ..TrainConfig::default()
    };
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    assert_eq!(trainer.validation_rows().len(), 288); // ceil(0.2 × 1,437)
    while trainer.run_epoch().is_some() {}
    assert!(trainer.is_finished() && trainer.step().is_none());
    let history = trainer.history();
    let best = trainer.best_epoch().expect("early stopping keeps an epoch");
    // Stopped after `patience` epochs without improvement, well before the 60 configured
    // (on this machine: best epoch 9, stopped after 11).
    assert_eq!(
        history.len(),
        best + 2,
        "stopped {} epochs after the best",
        2
    );
    assert!(
        history.len() < 60 && best > 1,
        "best {best} of {}",
        history.len()
    );
    let val_loss = |epoch: usize| history[epoch - 1].val_loss.unwrap();
    assert!(
        history
            .iter()
            .all(|r| r.val_loss.unwrap() >= val_loss(best))
    );
    assert!(val_loss(history.len()) > val_loss(best));
    // The weights are the best epoch's again: the validation and test rows score exactly
    // as they did then, not as after the last epoch.
    let validation = trainer.evaluate_on(trainer.validation_rows());
    assert_eq!(validation.loss, val_loss(best));
    assert_eq!(Some(validation.accuracy), history[best - 1].val_accuracy);
    let kept = trainer.kept_report().unwrap();
    assert_eq!(kept.epoch, best);
    assert_eq!(trainer.evaluate().loss, kept.test_loss);
    // Validation rows are never trained on: with the 288 carved off, 1,149 remain.
    assert_eq!(trainer.batches_per_epoch(), 1149_usize.div_ceil(16));
}

#[test]
fn the_defaults_train_as_before_the_levers() {
    // A record saved before the levers existed reads as the defaults: off.
    let old: TrainConfig = serde_json::from_str(r#"{"epochs": 2, "test_size": 0.2}"#).unwrap();
    assert_eq!(
        (old.augment, old.validation, old.patience),
        (Augmentation::None, 0.0, 0)
    );
    let config = config(BackendKind::Flex, 2);
    assert_eq!(
        old,
        TrainConfig {
            epochs: 2,
            ..TrainConfig::default()
        }
    );
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    while trainer.run_epoch().is_some() {}
    assert_eq!(trainer.best_epoch(), None);
    assert!(trainer.validation_rows().is_empty());
    let last = trainer.history().last().unwrap();
    assert_eq!(trainer.kept_report(), Some(last));
    assert_eq!((last.val_loss, last.val_accuracy), (None, None));
    let json = serde_json::to_value(last).unwrap();
    assert!(json.get("val_loss").is_none() && json.get("val_accuracy").is_none());
    // The test loss `digits train --data digits --epochs 2` reports (2.302181567334575 on
    // x86-64; the tolerance covers other platforms' rounding). Before the training loss and
    // the softmax became single passes (ops/cross_entropy.rs, prediction.rs), which round
    // differently in the last bits, it was 2.3021804474368235, levers or not.
    assert!(
        (last.test_loss - 2.302_181_567_334_575).abs() < 1e-6,
        "test loss {}",
        last.test_loss
    );
}

#[test]
fn the_levers_settings_are_refused_by_name() {
    let data = bundled();
    let refuse = |config: TrainConfig| Trainer::new(config, &data, &data).err().unwrap();
    for validation in [-0.1, 1.0, f64::NAN] {
        let e = refuse(TrainConfig {
            validation,
            ..Default::default()
        });
        assert_eq!(e.setting, "validation", "{validation}");
    }
    let e = refuse(TrainConfig {
        patience: 3,
        ..Default::default()
    });
    assert_eq!(
        e.to_string(),
        "patience: early stopping watches the validation loss: set validation above 0"
    );
    let e = refuse(TrainConfig {
        patience: 1_000_000,
        validation: 0.2,
        ..Default::default()
    });
    assert_eq!(e.setting, "patience");
    let one_row = data.subset(&[0]);
    let config = TrainConfig {
        validation: 0.5,
        ..Default::default()
    };
    let e = Trainer::new(config, &one_row, &data).err().unwrap();
    assert_eq!(
        e.to_string(),
        "validation: the training rows (1) are too few to carve a 0.5 share off for \
         validation and still train on some"
    );
}

#[test]
fn the_split_reads_by_name_and_from_the_stratify_flag_of_old_records() {
    use digits_cnn::data::SplitKind;
    let cases = [
        (r#"{"split": "writers"}"#, SplitKind::Writers),
        (r#"{"stratify": true}"#, SplitKind::Stratified),
        (r#"{"stratify": false}"#, SplitKind::Random),
        ("{}", SplitKind::Random),
    ];
    for (json, split) in cases {
        let config: TrainConfig = serde_json::from_str(json).unwrap();
        assert_eq!(config.split, split, "{json}");
    }
    let written = serde_json::to_value(TrainConfig::default()).unwrap();
    assert_eq!(written["split"], "random");
    assert!(written.get("stratify").is_none());
    assert!(serde_json::from_str::<TrainConfig>(r#"{"split": "folds"}"#).is_err());
}

#[test]
fn every_optimizer_lowers_the_loss_of_a_non_default_network() {
    for (optimizer, learning_rate) in [
        (Optimizer::Adam, 1e-3),
        (Optimizer::Sgd, 1e-2),
        (Optimizer::RmsProp, 1e-3),
    ] {
        let config = TrainConfig {
            arch: "conv8x5:tanh,avgpool,bn,dense32".parse().unwrap(),
            optimizer,
            learning_rate,
            ..config(BackendKind::Flex, 4)
        };
        let (train, test) = split(&config);
        let mut trainer = Trainer::new(config, &train, &test).unwrap();
        while trainer.run_epoch().is_some() {}
        let history = trainer.history();
        assert!(
            history[3].train_loss < 0.8 * history[0].train_loss,
            "{optimizer}: {history:?}"
        );
        assert!(history[3].test_accuracy > 0.5, "{optimizer}: {history:?}");
    }
}

#[test]
fn records_from_before_networks_could_be_chosen_train_the_notebooks_with_adam() {
    let old: TrainConfig = serde_json::from_str(r#"{"epochs": 2}"#).unwrap();
    assert_eq!(
        (old.arch, old.optimizer),
        (Arch::notebook(), Optimizer::Adam)
    );
    let json = serde_json::to_value(TrainConfig::default()).unwrap();
    assert_eq!(json["arch"], digits_cnn::arch::NOTEBOOK);
    assert_eq!(json["optimizer"], "adam");
    let bad = serde_json::from_str::<TrainConfig>(r#"{"arch": "convx"}"#).unwrap_err();
    assert!(
        bad.to_string()
            .contains("expected a filter count after conv")
    );
}

#[test]
fn early_stopping_keeps_the_best_epochs_batch_norm_statistics_too() {
    let config = TrainConfig {
        arch: "conv8,bn,pool,dense32,bn".parse().unwrap(),
        epochs: 40,
        batch_size: 32,
        learning_rate: 0.003,
        validation: 0.2,
        patience: 2,
        ..TrainConfig::default()
    };
    let (train, test) = split(&config);
    let mut trainer = Trainer::new(config, &train, &test).unwrap();
    while trainer.run_epoch().is_some() {}
    let kept = trainer.kept_report().unwrap().clone();
    assert!(
        trainer.history().len() > kept.epoch,
        "stopped after its best epoch"
    );
    // Scored with the best epoch's moving statistics, not the last epoch's.
    let validation = trainer.evaluate_on(trainer.validation_rows());
    assert_eq!(Some(validation.loss), kept.val_loss);
    assert_eq!(trainer.evaluate().loss, kept.test_loss);
}
