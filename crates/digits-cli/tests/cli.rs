//! The `digits` binary against every malformed-CSV fixture in `tests/fixtures/csv/` (and a
//! 50 MB file made here): a refused file is one line on stderr and exit code 2, an accepted
//! one trains (or is refused by the split or the trainer, also with one line and exit 2);
//! nothing panics (a panic would exit with 101 and print a backtrace hint).

use std::path::Path;
use std::process::{Command, Output};

/// The fixtures' expected outcomes (`tests/fixtures/csv/EXPECTED.json`), read as the parser's
/// tests read them.
#[path = "../../../tests/fixtures/csv_expected.rs"]
mod csv_expected;

use csv_expected::{Expected, expected, fixtures_dir};

fn digits(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_digits"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the digits binary runs")
}

/// Checks the one-line, exit-2 refusal and returns the line.
fn refusal(what: &str, out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what}: exit {:?}, stderr {stderr:?}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{what} panicked: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: want one line, got {stderr:?}");
    assert!(lines[0].starts_with("digits: "), "{what}: {stderr:?}");
    lines[0].to_owned()
}

/// The training and test rows of a `train --json` run, from its JSON record (the last line).
fn rows_trained_on(out: &Output) -> usize {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let record: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let count = |key: &str| record[key].as_u64().unwrap() as usize;
    count("train_rows") + count("test_rows")
}

fn train(file: &Path, extra: &[&str]) -> Output {
    one_epoch("train", file, extra)
}

fn kfold(file: &Path, extra: &[&str]) -> Output {
    one_epoch("kfold", file, extra)
}

/// Runs `command` on `file` for one quiet epoch, with `extra` flags.
fn one_epoch(command: &str, file: &Path, extra: &[&str]) -> Output {
    let path = file.to_str().unwrap();
    let mut args = vec![command, "--data", path, "--epochs", "1", "--quiet"];
    args.extend_from_slice(extra);
    digits(&args)
}

#[test]
fn every_fixture_is_refused_in_one_line_or_trains() {
    let table = expected();
    assert!(table.len() >= 25, "{} fixtures", table.len());
    let mut refused_by_training = Vec::new();
    for (file, outcome) in &table {
        let out = train(&fixtures_dir().join(file), &["--json"]);
        match outcome {
            Expected::Error(what) => {
                let line = refusal(file, &out);
                assert!(
                    line.contains(what.as_str()),
                    "{file}: {line:?} lacks {what:?}"
                );
                assert!(
                    line.contains(file.as_str()),
                    "{file}: the message names the file: {line}"
                );
            }
            // Accepted by the parser: trains on all its rows, or the split/trainer refuses
            // too few rows or a single class, in one line.
            Expected::Rows(rows) => {
                if out.status.code() == Some(0) {
                    assert_eq!(rows_trained_on(&out), *rows, "{file}");
                } else {
                    let line = refusal(file, &out);
                    assert!(
                        line.contains("test split needs at least")
                            || line.contains("training needs at least two different digits"),
                        "{file}: {line}"
                    );
                    refused_by_training.push(file.as_str());
                }
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(!stderr.contains("panicked"), "{file}: {stderr}");
            }
        }
    }
    assert!(
        refused_by_training.contains(&"single_class.csv"),
        "{refused_by_training:?}"
    );
    assert!(
        refused_by_training.contains(&"one_row.csv"),
        "{refused_by_training:?}"
    );
}

#[test]
fn too_few_rows_and_a_single_class_give_clear_messages() {
    let dir = fixtures_dir();
    let line = refusal("one_row", &train(&dir.join("one_row.csv"), &[]));
    assert!(
        line.ends_with("the data has 1 row; a 0.2 test split needs at least 2 rows"),
        "{line}"
    );
    let line = refusal("single_class", &train(&dir.join("single_class.csv"), &[]));
    assert!(
        line.ends_with(
            "data: every training row is a 3; training needs at least two different digits"
        ),
        "{line}"
    );
    let out = kfold(&dir.join("three_rows.csv"), &[]);
    let line = refusal("three_rows kfold", &out);
    assert!(
        line.ends_with("5 folds need at least 5 rows; the data has 3"),
        "{line}"
    );
    let out = kfold(&dir.join("single_class.csv"), &["--folds", "2"]);
    let line = refusal("single_class kfold", &out);
    assert!(
        line.contains("training needs at least two different digits"),
        "{line}"
    );
}

#[test]
fn a_50_mb_file_is_refused_for_its_size() {
    let path = std::env::temp_dir().join(format!("digits-cli-50mb-{}.csv", std::process::id()));
    let row = "0,".repeat(64) + "1\n";
    let mut bytes = Vec::with_capacity(50_000_000 + row.len());
    while bytes.len() < 50_000_000 {
        bytes.extend_from_slice(row.as_bytes());
    }
    std::fs::write(&path, &bytes).unwrap();
    let out = train(&path, &[]);
    std::fs::remove_file(&path).ok();
    let line = refusal("50 MB", &out);
    assert!(
        line.contains("the file is too large (47.7 MiB); the limit is 10 MiB"),
        "{line}"
    );
}

#[test]
fn bad_flags_and_missing_files_are_one_line() {
    for args in [
        &["train", "--epochs", "0"][..],
        &["train", "--epochs", "1000000000"],
        &["train", "--batch", "0"],
        &["train", "--lr", "-1"],
        &["kfold", "--folds", "1"],
        &["train", "--epochs", "abc"],
        &["train", "--data", "/nonexistent/file.csv"],
        &["frobnicate"],
    ] {
        refusal(&args.join(" "), &digits(args));
    }
}

/// Runs a command that succeeds and returns its last line, parsed as JSON.
fn json_line(args: &[&str]) -> serde_json::Value {
    let out = digits(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

#[test]
fn baselines_on_the_writers_split_match_scikit_learn() {
    let record = json_line(&["baselines", "--data", "uci", "--split", "writers", "--json"]);
    assert_eq!(
        (record["train_rows"].as_u64(), record["test_rows"].as_u64()),
        (Some(3823), Some(1797))
    );
    assert_eq!(record["split"], "writers");
    // scikit-learn 1.9.1 on the same rows: KNeighborsClassifier(3) 1,758 of 1,797 right;
    // LogisticRegression solved to convergence (newton-cholesky) 1,705.
    let correct = |model: &str| (record[model]["test_accuracy"].as_f64().unwrap() * 1797.0).round();
    assert_eq!(correct("knn"), 1758.0);
    assert_eq!(correct("logistic"), 1705.0);
    for model in ["knn", "logistic"] {
        let f1 = record[model]["f1_macro"].as_f64().unwrap();
        assert!((0.9..1.0).contains(&f1), "{model}: {f1}");
        assert!(record[model]["seconds"].as_f64().unwrap() >= 0.0, "{model}");
    }
}

#[test]
fn baselines_split_randomly_by_default_and_test_on_a_file() {
    let record = json_line(&["baselines", "--data", "digits", "--scale", "unit", "--json"]);
    assert_eq!(
        (record["train_rows"].as_u64(), record["test_rows"].as_u64()),
        (Some(1437), Some(360))
    );
    assert_eq!(
        (&record["split"], &record["scale"]),
        (&"random".into(), &"unit".into())
    );
    assert!(
        record["knn"]["test_accuracy"].as_f64().unwrap() > 0.97,
        "{record}"
    );
    assert!(
        record["logistic"]["test_accuracy"].as_f64().unwrap() > 0.9,
        "{record}"
    );
    let test_file = fixtures_dir().join("plain_valid.csv");
    let args = [
        "baselines",
        "--data",
        "digits",
        "--test-data",
        test_file.to_str().unwrap(),
        "--json",
    ];
    let record = json_line(&args);
    assert_eq!(record["train_rows"].as_u64(), Some(1797));
    assert_eq!(record["split"], "test file");
    assert!(
        record["data_source"]
            .as_str()
            .unwrap()
            .ends_with("plain_valid.csv"),
        "{record}"
    );
}

#[test]
fn train_takes_data_names_and_splits() {
    let run = |extra: &[&str]| {
        let mut args = vec!["train", "--epochs", "1", "--quiet", "--json"];
        args.extend_from_slice(extra);
        json_line(&args)
    };
    let record = run(&["--data", "uci", "--split", "writers"]);
    assert_eq!(
        (record["train_rows"].as_u64(), record["test_rows"].as_u64()),
        (Some(3823), Some(1797))
    );
    assert_eq!(record["split"], "writers");
    for flags in [&["--stratify"][..], &["--split", "stratified"]] {
        let record = run(flags);
        assert_eq!(record["split"], "stratified", "{flags:?}");
        assert_eq!(record["config"]["split"], "stratified", "{flags:?}");
        // The default data is `uci`: 1,124 of its 5,620 rows held out.
        assert_eq!(record["test_rows"].as_u64(), Some(1124), "{flags:?}");
    }
    let record = run(&["--data", "digits"]);
    assert_eq!(
        (record["split"].as_str(), record["train_rows"].as_u64()),
        (Some("random"), Some(1437))
    );
    let out = digits(&[
        "kfold", "--data", "digits", "--folds", "2", "--epochs", "1", "--quiet", "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_data_split_and_test_data_flags_are_one_line() {
    let line = refusal(
        "writers on digits",
        &digits(&["baselines", "--data", "digits", "--split", "writers"]),
    );
    assert!(
        line.contains("the writers split is offered for the `uci` data only"),
        "{line}"
    );
    assert!(
        line.ends_with("the `digits` data holds one partition of UCI's writers"),
        "{line}"
    );
    let file = fixtures_dir().join("plain_valid.csv");
    let file = file.to_str().unwrap();
    let line = refusal(
        "writers on a file",
        &digits(&["train", "--data", file, "--split", "writers"]),
    );
    assert!(
        line.ends_with("a file does not say who wrote which rows"),
        "{line}"
    );
    for args in [
        &["baselines", "--split", "folds"][..],
        &["train", "--split", "writer"],
        &["baselines", "--data", "mnist"],
        &["baselines", "--scale", "big"],
        &["train", "--stratify", "--split", "random"],
        &["baselines", "--test-data", file, "--split", "random"],
        &["train", "--test-data", file, "--test-size", "0.3"],
        &["baselines", "--test-data", "/nonexistent/test.csv"],
    ] {
        refusal(&args.join(" "), &digits(args));
    }
    let line = refusal("unknown split", &digits(&["baselines", "--split", "folds"]));
    assert!(
        line.contains("unknown split `folds` (expected random, stratified or writers)"),
        "{line}"
    );
}

#[test]
fn train_takes_the_levers_against_overfitting() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "train", "--data", "digits", "--epochs", "2", "--batch", "256", "--quiet", "--json",
        ];
        args.extend_from_slice(extra);
        json_line(&args)
    };
    let plain = run(&[]);
    assert_eq!(plain["best_epoch"], serde_json::Value::Null);
    assert_eq!(plain["epochs_run"], 2);
    assert_eq!(
        (
            &plain["config"]["augment"],
            &plain["config"]["validation"],
            &plain["config"]["patience"]
        ),
        (&"none".into(), &0.0.into(), &0.into())
    );
    let shifted = run(&["--augment", "shift"]);
    assert_eq!(shifted["config"]["augment"], "shift");
    assert_ne!(shifted["test_loss"], plain["test_loss"]);
    assert_eq!(
        shifted["test_loss"],
        run(&["--augment", "shift"])["test_loss"]
    );
    let stopping = run(&["--validation", "0.2", "--patience", "1"]);
    assert_eq!(stopping["train_rows"], 1437, "the split is unchanged");
    assert_eq!(
        (
            &stopping["config"]["validation"],
            &stopping["config"]["patience"]
        ),
        (&0.2.into(), &1.into())
    );
    let best = stopping["best_epoch"].as_u64().unwrap();
    assert!((1..=2).contains(&best), "{stopping}");
    let record = json_line(&[
        "kfold",
        "--data",
        "digits",
        "--folds",
        "2",
        "--epochs",
        "1",
        "--quiet",
        "--json",
        "--augment",
        "shift",
        "--validation",
        "0.1",
        "--patience",
        "1",
    ]);
    assert_eq!(record["config"]["augment"], "shift");
    assert_eq!(record["fold_accuracy"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_lever_flags_are_one_line() {
    for (args, expected) in [
        (
            &["train", "--augment", "flip"][..],
            "unknown augmentation `flip`",
        ),
        (
            &["train", "--validation", "1"],
            "validation: 1 is not in [0, 1)",
        ),
        (
            &["kfold", "--validation=-0.5"],
            "validation: -0.5 is not in [0, 1)",
        ),
        (&["train", "--patience=-1"], "--patience"),
        (
            &["train", "--patience", "3"],
            "patience: early stopping watches the validation loss",
        ),
    ] {
        let line = refusal(&args.join(" "), &digits(args));
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

/// `digits summary --arch SPEC`'s stdout.
fn summary(spec: &str) -> String {
    let out = digits(&["summary", "--arch", spec]);
    assert_eq!(out.status.code(), Some(0), "{spec}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn summary_prints_keras_counts_for_any_spec() {
    // Totals by hand (see crates/digits-cnn/src/arch/tests.rs), checked against Keras there.
    for (spec, total) in [
        (digits_cnn::arch::NOTEBOOK, 102_794),
        ("conv8x5:tanh,avgpool,bn,dense32:linear", 4_698),
        ("conv4x1,conv6x7:sigmoid,pool,pool,pool", 1_260),
        ("dense64,bn,drop0.5,dense16:tanh", 5_626),
        ("bn,conv32,conv32x5:linear,avgpool,drop0.1", 31_086),
    ] {
        let text = summary(spec);
        assert!(text.contains(&format!("Total params: {total}\n")), "{text}");
        assert!(text.contains(&format!("Spec: {spec}\n")), "{text}");
    }
    let text = summary("CONV8X5:TANH,AVGPOOL,BN,DENSE32:LINEAR");
    assert!(text.contains("conv2d (Conv2D)"));
    assert!(text.contains("(None, 4, 4, 8)"));
    assert!(text.contains("Non-trainable params: 16\n"));
    assert!(text.contains("Spec: conv8x5:tanh,avgpool,bn,dense32:linear"));
    assert_eq!(summary(digits_cnn::arch::NOTEBOOK), {
        let out = digits(&["summary"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    });
}

#[test]
fn bad_specs_and_optimizers_are_one_line() {
    for (args, says) in [
        (
            &["summary", "--arch", "convx"][..],
            "expected a filter count after conv",
        ),
        (
            &["train", "--arch", "conv16,pool,pool,pool,pool"],
            "layer 5 (pool): its input is 1×1, too small to pool",
        ),
        (
            &["kfold", "--arch", "dense"],
            "expected a unit count after dense",
        ),
        (
            &["sweep", "--arch", "conv8", "--arch", "lstm"],
            "layer 1 (lstm): unknown layer",
        ),
        (
            &["export-keras", "--arch", "conv16x4"],
            "kernel 4 must be odd",
        ),
        (
            &["train", "--arch", "conv256,conv256,dense4096"],
            "over the cap of 1000000",
        ),
        (&["train", "--optimizer", "adagrad"], "adagrad"),
        (&["sweep"], "--arch"),
    ] {
        let line = refusal(&args.join(" "), &digits(args));
        assert!(line.contains(says), "{args:?}: {line}");
    }
}

#[test]
fn train_and_kfold_report_their_network_and_optimizer() {
    let spec = "conv8x5:tanh,avgpool,bn,dense32";
    let record = json_line(&[
        "train",
        "--arch",
        "CONV8x5:tanh,avgpool,BN,dense32:relu",
        "--optimizer",
        "rmsprop",
        "--epochs",
        "2",
        "--quiet",
        "--json",
    ]);
    assert_eq!(record["arch"], spec);
    assert_eq!(record["parameters"], 4_698);
    assert_eq!(record["config"]["arch"], spec);
    assert_eq!(record["config"]["optimizer"], "rmsprop");
    assert!(record["test_accuracy"].as_f64().unwrap() > 0.3, "{record}");
    let record = json_line(&[
        "kfold",
        "--arch",
        "dense16",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--folds",
        "2",
        "--epochs",
        "1",
        "--quiet",
        "--json",
    ]);
    assert_eq!(record["arch"], "dense16");
    assert_eq!(record["parameters"], 64 * 16 + 16 + 170);
    assert_eq!(record["config"]["optimizer"], "sgd");
    let record = json_line(&["train", "--epochs", "1", "--quiet", "--json"]);
    assert_eq!(record["arch"], digits_cnn::arch::NOTEBOOK);
    assert_eq!(record["parameters"], 102_794);
    assert_eq!(record["config"]["optimizer"], "adam");
}

#[test]
fn sweep_reports_every_combination_over_its_seeds() {
    let record = json_line(&[
        "sweep",
        "--arch",
        "dense16",
        "--arch",
        "conv4,pool,dense8",
        "--lr",
        "0.001",
        "--lr",
        "0.01",
        "--seeds",
        "2",
        "--epochs",
        "1",
        "--quiet",
        "--json",
    ]);
    let results = record["results"].as_array().unwrap();
    let grid: Vec<(&str, f64, usize)> = results
        .iter()
        .map(|r| {
            (
                r["arch"].as_str().unwrap(),
                r["learning_rate"].as_f64().unwrap(),
                r["accuracies"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        grid,
        [
            ("dense16", 0.001, 2),
            ("dense16", 0.01, 2),
            ("conv4,pool,dense8", 0.001, 2),
            ("conv4,pool,dense8", 0.01, 2)
        ]
    );
    assert_eq!(results[0]["parameters"], 1_210);
    assert!(
        results
            .iter()
            .all(|r| r["seconds_per_epoch"].as_f64().unwrap() > 0.0)
    );
    let best = record["best"].as_u64().unwrap() as usize;
    let top = results[best]["mean_accuracy"].as_f64().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["mean_accuracy"].as_f64().unwrap() <= top)
    );
    assert_eq!(record["seeds"], 2);
}

#[test]
fn export_keras_writes_the_network_and_the_run() {
    let dir = std::env::temp_dir().join(format!("digits-cli-keras-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("model.py");
    let out = digits(&[
        "export-keras",
        "--arch",
        "conv8x5:tanh,bn,avgpool,drop0.2,dense32",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--epochs",
        "30",
        "--batch",
        "64",
        "--data",
        "my digits.csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "layers.Conv2D(8, (5, 5), padding=\"same\", activation=\"tanh\"),",
        "layers.BatchNormalization(momentum=0.99, epsilon=1e-3),",
        "layers.AveragePooling2D((2, 2)),",
        "layers.Dropout(0.2),",
        "layers.Flatten(),",
        "layers.Dense(32, activation=\"relu\"),",
        "layers.Dense(10, activation=\"softmax\"),",
        "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)",
        "epochs=30, batch_size=64",
        "CSV = \"my digits.csv\"",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let printed = digits(&["export-keras"]);
    assert!(String::from_utf8_lossy(&printed.stdout).contains("CSV = \"optdigits-uci.csv\""));
    std::fs::remove_dir_all(&dir).unwrap();
}
