//! The architecture: a network as one compact spec string, e.g. the notebook's
//! `conv16,pool,drop0.25,conv32,pool,drop0.25,conv64,pool,drop0.25,dense128:sigmoid,drop0.25,dense512:sigmoid,drop0.25`.
//!
//! The grammar (case-insensitive, comma-separated, no spaces):
//!
//! - `conv<F>[x<K>][:<act>]`: F filters (1..256), a K×K kernel (K odd, 1..7, default 3),
//!   'same' padding, stride 1, activation `relu` (default), `tanh`, `sigmoid` or `linear`;
//! - `pool` / `avgpool`: 2×2 max- / mean-pooling, stride 2 (sizes halve, rounding down);
//! - `bn`: batch normalization (Keras' defaults: momentum 0.99, epsilon 1e-3);
//! - `drop<R>`: dropout at rate R in [0, 0.9];
//! - `dense<U>[:<act>]`: U units (1..4096), activation as for conv (default `relu`); the flatten
//!   before the first dense layer is implicit.
//!
//! The output layer (dense 10, softmax) is always appended and never written. An [`Arch`] is
//! only made by parsing ([`Arch::from_str`]), so every `Arch` can be built: its shapes fit
//! (`arch/shapes.rs`) and its parameters stay under [`MAX_PARAMETERS`]. The model built from
//! it is `crate::model`; its Keras rebuild is `arch/keras.rs`; the page's preset menu and the
//! CLI's examples are [`PRESETS`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub mod keras;
mod parse;
mod presets;
mod shapes;

pub use presets::{PRESETS, Preset};
pub use shapes::{LayerShape, Shape};

/// Largest network accepted, in parameters (Keras' total, batch-norm statistics included):
/// about ten times the notebook's. It keeps the weights with Adam's two moments (and each
/// data-parallel helper's copy) within about 12 MB of a tab's wasm memory, a gradient message
/// between workers under 4 MB, and a model file (4 bytes per parameter) well under the 8 MB a
/// model file may take. It bounds memory, not time: wide convolutions are slow even under it
/// (`conv256,conv256`, 756,490 parameters, trains about 6 s per epoch of 1,437 rows natively,
/// against the notebook's 0.06 s), which the seconds per epoch of a run or sweep show.
pub const MAX_PARAMETERS: usize = 1_000_000;

/// An activation function of a conv or dense layer (serialised by its spec name, for the
/// explain section's conv arithmetic, which the page recomputes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// max(0, x): the default.
    Relu,
    /// The hyperbolic tangent.
    Tanh,
    /// The logistic function.
    Sigmoid,
    /// None (the identity).
    Linear,
}

impl Activation {
    /// Every activation, the default first.
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Linear,
    ];

    /// The name in a spec, as Keras spells it.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }
}

/// The pooling of a `pool` or `avgpool` layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pooling {
    /// The window's largest value (`pool`).
    Max,
    /// The window's mean (`avgpool`).
    Average,
}

/// One layer of a spec.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LayerSpec {
    /// `conv<F>[x<K>][:<act>]`.
    Conv {
        /// Filters (output channels).
        filters: usize,
        /// Side of the square kernel (odd).
        kernel: usize,
        /// Applied to the convolution's output.
        activation: Activation,
    },
    /// `pool` or `avgpool`: 2×2, stride 2.
    Pool(Pooling),
    /// `bn`: batch normalization over the channels (or the units after a dense layer).
    BatchNorm,
    /// `drop<R>`: dropout at this rate.
    Dropout(f64),
    /// `dense<U>[:<act>]`.
    Dense {
        /// Output units.
        units: usize,
        /// Applied to the layer's output.
        activation: Activation,
    },
}

impl fmt::Display for LayerSpec {
    /// The normalised token: defaults left out, lowercase.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suffix = |activation: Activation| match activation {
            Activation::Relu => String::new(),
            other => format!(":{}", other.name()),
        };
        match *self {
            LayerSpec::Conv {
                filters,
                kernel,
                activation,
            } => {
                let size = if kernel == 3 {
                    String::new()
                } else {
                    format!("x{kernel}")
                };
                write!(f, "conv{filters}{size}{}", suffix(activation))
            }
            LayerSpec::Pool(Pooling::Max) => f.write_str("pool"),
            LayerSpec::Pool(Pooling::Average) => f.write_str("avgpool"),
            LayerSpec::BatchNorm => f.write_str("bn"),
            LayerSpec::Dropout(rate) => write!(f, "drop{rate}"),
            LayerSpec::Dense { units, activation } => {
                write!(f, "dense{units}{}", suffix(activation))
            }
        }
    }
}

/// A network that can be built: its layers (the output layer not included), checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Arch {
    layers: Vec<LayerSpec>,
}

/// Why a spec cannot be built: one message naming the layer (from 1) and its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchError {
    /// The layer at fault, from 1 (`None`: the spec as a whole, e.g. over the cap).
    pub layer: Option<usize>,
    /// The whole message, e.g. `layer 10 (pool): its input is 1×1, too small to pool`.
    pub message: String,
}

impl ArchError {
    /// The error of layer `index` (from 0), written `token` in the spec.
    fn at(index: usize, token: &str, problem: impl fmt::Display) -> Self {
        Self {
            layer: Some(index + 1),
            message: format!("layer {} ({token}): {problem}", index + 1),
        }
    }
}

impl fmt::Display for ArchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArchError {}

/// One row of the model summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Layer name and type, e.g. `conv2d (Conv2D)`.
    pub layer: String,
    /// Output shape without the batch dimension, channels last as Keras prints it.
    pub output_shape: Vec<usize>,
    /// Parameters as Keras counts them.
    pub parameters: usize,
}

impl SummaryRow {
    /// The output shape as Keras prints it, e.g. `(None, 8, 8, 16)`.
    pub fn shape_text(&self) -> String {
        let dims: Vec<String> = self.output_shape.iter().map(|d| d.to_string()).collect();
        format!("(None, {})", dims.join(", "))
    }
}

/// The notebook's network, the default and the reference.
pub const NOTEBOOK: &str = "conv16,pool,drop0.25,conv32,pool,drop0.25,conv64,pool,drop0.25,dense128:sigmoid,drop0.25,dense512:sigmoid,drop0.25";

impl Arch {
    /// The notebook's network ([`NOTEBOOK`], 102,794 parameters).
    pub fn notebook() -> Self {
        NOTEBOOK.parse().expect("the notebook's spec builds")
    }

    /// The layers as written (the output layer not included).
    pub fn layers(&self) -> &[LayerSpec] {
        &self.layers
    }

    /// Each layer's output shape and parameters, then the output layer's (see `arch/shapes.rs`).
    pub fn shapes(&self) -> Vec<LayerShape> {
        shapes::infer(&self.layers).expect("an Arch's shapes were checked when it was parsed")
    }

    /// The Keras-style summary: one row per layer (the flatten and output layer included)
    /// with its output shape and parameters.
    pub fn summary(&self) -> Vec<SummaryRow> {
        let row = |layer: LayerShape| SummaryRow {
            layer: format!("{} ({})", layer.name, layer.class),
            output_shape: layer.shape.keras_dims(),
            parameters: layer.parameters,
        };
        self.shapes().into_iter().map(row).collect()
    }

    /// The parameters no gradient trains: batch normalization's moving mean and variance
    /// (half of its count), as Keras' summary lists them apart.
    pub fn non_trainable_parameters(&self) -> usize {
        let shapes = self.shapes();
        let is_batch_norm = |shape: &&LayerShape| {
            shape
                .spec_index
                .is_some_and(|index| self.layers[index] == LayerSpec::BatchNorm)
        };
        shapes
            .iter()
            .filter(is_batch_norm)
            .map(|shape| shape.parameters / 2)
            .sum()
    }

    /// Parameters as Keras' `model.summary()` totals them (batch norm's moving mean and
    /// variance included).
    pub fn parameters(&self) -> usize {
        self.shapes().iter().map(|layer| layer.parameters).sum()
    }
}

impl Default for Arch {
    fn default() -> Self {
        Self::notebook()
    }
}

impl FromStr for Arch {
    type Err = ArchError;

    /// Parses a spec and checks that it can be built (shapes and the parameter cap).
    fn from_str(spec: &str) -> Result<Self, ArchError> {
        let layers = parse::layers(spec)?;
        let shapes = shapes::infer(&layers)?;
        let parameters: usize = shapes.iter().map(|layer| layer.parameters).sum();
        if parameters > MAX_PARAMETERS {
            return Err(ArchError {
                layer: None,
                message: format!(
                    "the network has {parameters} parameters, over the cap of {MAX_PARAMETERS}"
                ),
            });
        }
        Ok(Self { layers })
    }
}

impl fmt::Display for Arch {
    /// The normalised spec: lowercase, defaults left out; it parses back to the same `Arch`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens: Vec<String> = self.layers.iter().map(ToString::to_string).collect();
        f.write_str(&tokens.join(","))
    }
}

/// Written and read as the spec string (in run records, model files and page messages).
impl Serialize for Arch {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Arch {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = String::deserialize(deserializer)?;
        spec.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
