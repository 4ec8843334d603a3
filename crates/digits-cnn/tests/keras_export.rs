//! The Keras file (`arch::keras`): its layers are the spec's, and where Python with Keras is
//! installed, Keras counts the spec's parameters (skipped with a message otherwise).

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::Command;

use digits_cnn::arch::keras::{TRAINING_MARKER, script};
use digits_cnn::arch::{Arch, PRESETS};
use digits_cnn::training::{Optimizer, TrainConfig};

/// Specs covering every layer kind, kernel and activation, and the presets.
fn specs() -> Vec<String> {
    let mut specs: Vec<String> = [
        "conv8x5:tanh,avgpool,bn,dense32:linear",
        "conv4x1,conv6x7:sigmoid,pool,pool,pool",
        "dense64,bn,drop0.5,dense16:tanh",
        "bn,conv32,conv32x5:linear,avgpool,drop0.1",
    ]
    .map(String::from)
    .to_vec();
    specs.extend(PRESETS.iter().map(|p| p.spec.to_string()));
    specs
}

fn config(spec: &str) -> TrainConfig {
    TrainConfig {
        arch: spec.parse().unwrap(),
        ..TrainConfig::default()
    }
}

/// The Keras classes of the `layers.X(...)` lines of a script, in order.
fn script_classes(script: &str) -> Vec<String> {
    script
        .lines()
        .filter_map(|line| line.trim().strip_prefix("layers."))
        .map(|call| call.split('(').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_scripts_layers_are_the_specs() {
    for spec in specs() {
        let arch: Arch = spec.parse().unwrap();
        let text = script(&config(&spec), "digits.csv");
        let classes: Vec<String> = arch
            .summary()
            .iter()
            .map(|row| row.layer.split(['(', ')']).nth(1).unwrap().to_string())
            .collect();
        assert_eq!(script_classes(&text), classes, "{spec}");
        assert!(text.contains(&format!("`{spec}` ({} parameters)", arch.parameters())));
    }
    let notebook = script(&config(digits_cnn::arch::NOTEBOOK), "optdigits.csv");
    for line in [
        "layers.Conv2D(16, (3, 3), padding=\"same\", activation=\"relu\"),",
        "layers.MaxPooling2D((2, 2)),",
        "layers.Dropout(0.25),",
        "layers.Dense(512, activation=\"sigmoid\"),",
        "layers.Dense(10, activation=\"softmax\"),",
        "optimizer=keras.optimizers.Adam(learning_rate=0.001),",
        "X_train, y_train, epochs=100, batch_size=128, validation_data=(X_test, y_test)",
        "X, y, test_size=0.2, random_state=42",
        "CSV = \"optdigits.csv\"",
    ] {
        assert!(notebook.contains(line), "{line}\n{notebook}");
    }
}

#[test]
fn the_script_names_the_settings_it_does_not_reproduce() {
    assert!(!script(&TrainConfig::default(), "x.csv").contains("Not reproduced"));
    let config = TrainConfig {
        augment: digits_cnn::data::Augmentation::Shift,
        validation: 0.1,
        patience: 3,
        ..TrainConfig::default()
    };
    assert!(script(&config, "x.csv").contains(
        "# Not reproduced here from the Digit Lab run: augment shift, validation 0.1, patience 3."
    ));
}

#[test]
fn the_script_compiles_the_runs_optimizer() {
    let run = |optimizer, learning_rate| {
        let config = TrainConfig {
            optimizer,
            learning_rate,
            ..TrainConfig::default()
        };
        script(&config, "x.csv")
    };
    assert!(
        run(Optimizer::Sgd, 0.01)
            .contains("keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)")
    );
    assert!(
        run(Optimizer::RmsProp, 0.002)
            .contains("keras.optimizers.RMSprop(learning_rate=0.002, rho=0.9)")
    );
}

/// A Keras backend Python can import here, if any (`KERAS_BACKEND` as set, else jax, torch
/// or tensorflow).
fn keras_backend() -> Option<Option<&'static str>> {
    let works = |backend: Option<&str>| {
        let mut python = Command::new("python3");
        python.args(["-c", "import keras"]);
        if let Some(backend) = backend {
            python.env("KERAS_BACKEND", backend);
        }
        python.output().is_ok_and(|out| out.status.success())
    };
    [None, Some("jax"), Some("torch"), Some("tensorflow")]
        .into_iter()
        .find(|&backend| works(backend))
}

#[test]
fn keras_counts_the_specs_parameters_where_it_is_installed() {
    let Some(backend) = keras_backend() else {
        // Written to the process's stderr itself, which the test harness does not capture
        // (it captures the print macros), so the skip shows in every log, never silently.
        writeln!(
            std::io::stderr(),
            "SKIPPED: Python cannot import keras here; the Keras parameter counts are unchecked"
        )
        .expect("stderr is writable");
        return;
    };
    // One Python process (importing Keras takes seconds) defines and counts every network.
    let mut program = String::new();
    for spec in specs() {
        let text = script(&config(&spec), "unused.csv");
        let model_part = text.split(TRAINING_MARKER).next().unwrap();
        let quoted = serde_json::to_string(model_part).unwrap();
        program += &format!("exec({quoted})\nprint(build_model().count_params())\n");
    }
    let mut python = Command::new("python3");
    python.args(["-c", &program]);
    if let Some(backend) = backend {
        python.env("KERAS_BACKEND", backend);
    }
    let out = python.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counted: Vec<usize> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect();
    let expected: Vec<usize> = specs()
        .iter()
        .map(|spec| spec.parse::<Arch>().unwrap().parameters())
        .collect();
    assert_eq!(
        counted,
        expected,
        "Keras' counts, in the order of {:?}",
        specs()
    );
}
