//! A Python file that rebuilds a run's network in Keras and trains it the notebook's way:
//! `Sequential`, the same layers in the same order (Glorot-uniform kernels, zero biases),
//! compiled with the run's optimizer and learning rate, fitted on a CSV of Digit Lab's
//! format with the run's epochs, batch and split. `digits export-keras` writes it; the page's
//! "Export as Keras" downloads the same text.

use super::{Activation, Arch, LayerSpec, Pooling};
use crate::data::{Augmentation, BundledData, SplitKind};
use crate::prediction::InputScale;
use crate::training::{Optimizer, RMSPROP_RHO, SGD_MOMENTUM, TrainConfig};
use crate::{CLASSES, SIDE};

/// The line that separates the model's definition from its training: everything before it
/// defines `build_model()` and nothing else (the tests run just that part).
pub const TRAINING_MARKER: &str = "# --- training ---";

/// The Python file for `config`'s network and run, reading its rows from `csv`.
pub fn script(config: &TrainConfig, csv: &str) -> String {
    let arch = &config.arch;
    let layers: String = layer_calls(arch)
        .iter()
        .map(|call| format!("        layers.{call},\n"))
        .collect();
    format!(
        r#"# Digit Lab's network `{arch}` ({parameters} parameters), rebuilt in Keras.
# Run it where Keras and scikit-learn are installed (e.g. a Colab cell).{left_out}
import numpy as np
import keras
from keras import layers


def build_model():
    """The network, layer for layer: Glorot-uniform kernels and zero biases (Keras' defaults)."""
    return keras.Sequential([
        keras.Input(shape=({SIDE}, {SIDE}, 1)),
{layers}    ])


{TRAINING_MARKER}
CSV = {csv}  # 64 pixel columns (0..16), then the label (0..9); a header row is skipped
data = np.genfromtxt(CSV, delimiter=",")
data = data[~np.isnan(data).any(axis=1)]
X = data[:, :{pixels}].reshape(-1, {SIDE}, {SIDE}, 1){scale}
y = keras.utils.to_categorical(data[:, {pixels}].astype(int), {CLASSES})
{split}

keras.utils.set_random_seed({seed})
model = build_model()
model.compile(
    optimizer={optimizer},
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()
history = model.fit(
    X_train, y_train, epochs={epochs}, batch_size={batch}, validation_data=(X_test, y_test)
)
loss, accuracy = model.evaluate(X_test, y_test)
print(f"Test accuracy: {{accuracy:.4f}}")
"#,
        // A JSON string is a valid Python string literal (the same escapes).
        csv = serde_json::to_string(csv).expect("a string serialises"),
        parameters = arch.parameters(),
        left_out = left_out(config),
        pixels = crate::PIXELS,
        scale = match config.scale {
            InputScale::Raw => "",
            InputScale::Unit => " / 16.0",
        },
        split = split_lines(config),
        seed = config.seed,
        optimizer = optimizer_call(config.optimizer, config.learning_rate),
        epochs = config.epochs,
        batch = config.batch_size,
    )
}

/// The lines that split `X` and `y` as the run does: scikit-learn's `train_test_split` for
/// `random` and `stratified`, UCI's own partition (its first 3,823 rows) for `writers`.
fn split_lines(config: &TrainConfig) -> String {
    let random = |stratify: &str| {
        format!(
            "from sklearn.model_selection import train_test_split\n\n\
             X_train, X_test, y_train, y_test = train_test_split(\n    \
             X, y, test_size={}, random_state={}{stratify}\n)",
            config.test_size, config.seed
        )
    };
    match config.split {
        SplitKind::Random => random(""),
        SplitKind::Stratified => random(", stratify=y"),
        SplitKind::Writers => {
            let boundary = BundledData::Uci
                .writers_boundary()
                .expect("uci has a writers partition");
            format!(
                "# UCI's own partition: 30 writers' rows first, then 13 other writers'.\n\
                 X_train, X_test = X[:{boundary}], X[{boundary}:]\n\
                 y_train, y_test = y[:{boundary}], y[{boundary}:]"
            )
        }
    }
}

/// A comment naming the run's settings this file does not reproduce (empty if none).
fn left_out(config: &TrainConfig) -> String {
    let mut settings = Vec::new();
    if config.augment != Augmentation::None {
        settings.push(format!("augment {}", config.augment.name()));
    }
    if config.validation > 0.0 {
        settings.push(format!("validation {}", config.validation));
    }
    if config.patience > 0 {
        settings.push(format!("patience {}", config.patience));
    }
    match settings.is_empty() {
        true => String::new(),
        false => format!(
            "\n# Not reproduced here from the Digit Lab run: {}.",
            settings.join(", ")
        ),
    }
}

/// The Keras layer constructors of `arch`, in order, the implicit flatten and the output
/// layer included, e.g. `Conv2D(16, (3, 3), padding="same", activation="relu")`.
pub fn layer_calls(arch: &Arch) -> Vec<String> {
    let mut calls = Vec::new();
    let mut flat = false;
    for layer in arch.layers() {
        if matches!(layer, LayerSpec::Dense { .. }) && !flat {
            calls.push("Flatten()".to_string());
            flat = true;
        }
        calls.push(layer_call(layer));
    }
    if !flat {
        calls.push("Flatten()".to_string());
    }
    calls.push(format!("Dense({CLASSES}, activation=\"softmax\")"));
    calls
}

/// One layer's Keras constructor.
fn layer_call(layer: &LayerSpec) -> String {
    match *layer {
        LayerSpec::Conv {
            filters,
            kernel,
            activation,
        } => format!(
            "Conv2D({filters}, ({kernel}, {kernel}), padding=\"same\", activation={})",
            quoted(activation)
        ),
        LayerSpec::Pool(Pooling::Max) => "MaxPooling2D((2, 2))".into(),
        LayerSpec::Pool(Pooling::Average) => "AveragePooling2D((2, 2))".into(),
        LayerSpec::BatchNorm => "BatchNormalization(momentum=0.99, epsilon=1e-3)".into(),
        LayerSpec::Dropout(rate) => format!("Dropout({rate})"),
        LayerSpec::Dense { units, activation } => {
            format!("Dense({units}, activation={})", quoted(activation))
        }
    }
}

fn quoted(activation: Activation) -> String {
    format!("\"{}\"", activation.name())
}

/// The Keras optimizer, its defaults apart from the learning rate (and SGD's momentum).
fn optimizer_call(optimizer: Optimizer, learning_rate: f64) -> String {
    match optimizer {
        Optimizer::Adam => format!("keras.optimizers.Adam(learning_rate={learning_rate})"),
        Optimizer::Sgd => {
            format!("keras.optimizers.SGD(learning_rate={learning_rate}, momentum={SGD_MOMENTUM})")
        }
        Optimizer::RmsProp => {
            format!("keras.optimizers.RMSprop(learning_rate={learning_rate}, rho={RMSPROP_RHO})")
        }
    }
}
