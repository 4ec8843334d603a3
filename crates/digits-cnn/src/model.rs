//! The course notebook's network, layer for layer, as a burn module.
//!
//! ```text
//! Conv 3×3 same, 16 + ReLU → MaxPool 2×2 → Dropout .25
//! Conv 3×3 same, 32 + ReLU → MaxPool 2×2 → Dropout .25
//! Conv 3×3 same, 64 + ReLU → MaxPool 2×2 → Dropout .25
//! Flatten(64) → Dense 128 + sigmoid → Dropout .25 → Dense 512 + sigmoid → Dropout .25
//! → Dense 10 (softmax)
//! ```
//!
//! The convolutions, ReLU + pooling and sigmoids run through custom burn ops
//! ([`crate::ops`]): they equal burn's own layers (the sigmoid to within a few ulps), faster.
//!
//! Weights start as Keras starts them (Glorot-uniform kernels, zero biases) and dropout masks
//! come from the caller's seeded generator, so a run depends on its seed alone, not on burn's
//! process-wide random state.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Initializer, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::ops::{conv3x3, relu_max_pool, sigmoid};
use crate::{CLASSES, SIDE};

/// Dropout rate after every pooling and hidden dense layer.
pub const DROPOUT: f64 = 0.25;
/// Trainable parameters of the network (the Keras summary's total).
pub const PARAMETERS: usize = 102_794;

/// The notebook's CNN.
#[derive(Module, Debug)]
pub struct DigitsCnn {
    conv1: Conv2d,
    conv2: Conv2d,
    conv3: Conv2d,
    pool: MaxPool2d,
    dense1: Linear,
    dense2: Linear,
    output: Linear,
}

/// The activations of the conv and pool layers for a batch, in network order.
pub struct Activations {
    /// `(layer name, [batch, channels, height, width])` for conv1, pool1, … pool3.
    pub layers: Vec<(&'static str, Tensor<4>)>,
    /// The logits, `[batch, 10]`.
    pub logits: Tensor<2>,
}

impl DigitsCnn {
    /// A freshly initialised network on `device`, its weights drawn from `rng`.
    pub fn new(device: &Device, rng: &mut StdRng) -> Self {
        let conv = |input, filters, rng: &mut StdRng| {
            let mut layer = Conv2dConfig::new([input, filters], [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .with_initializer(Initializer::Zeros)
                .init(device);
            let fan_in = input * 9;
            let fan_out = filters * 9;
            layer.weight = glorot([filters, input, 3, 3], fan_in, fan_out, device, rng);
            layer
        };
        let dense = |input, output, rng: &mut StdRng| {
            let mut layer = LinearConfig::new(input, output)
                .with_initializer(Initializer::Zeros)
                .init(device);
            layer.weight = glorot([input, output], input, output, device, rng);
            layer
        };
        Self {
            conv1: conv(1, 16, rng),
            conv2: conv(16, 32, rng),
            conv3: conv(32, 64, rng),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            dense1: dense(64, 128, rng),
            dense2: dense(128, 512, rng),
            output: dense(512, CLASSES, rng),
        }
    }

    /// A freshly initialised network whose weights come from `seed` alone.
    pub fn seeded(device: &Device, seed: u64) -> Self {
        Self::new(device, &mut StdRng::seed_from_u64(seed))
    }

    /// Logits `[batch, 10]` for images `[batch, 1, 8, 8]`.
    ///
    /// With `dropout` set, each dropout layer zeroes units drawn from that generator and
    /// scales the rest by 1/(1 − rate), as in training; without it the network is
    /// deterministic, as in evaluation.
    pub fn forward(&self, images: Tensor<4>, mut dropout: Option<&mut StdRng>) -> Tensor<2> {
        let x = relu_max_pool(same_conv(&self.conv1, images));
        let x = drop(x, dropout.as_deref_mut());
        let x = relu_max_pool(same_conv(&self.conv2, x));
        let x = drop(x, dropout.as_deref_mut());
        let x = relu_max_pool(same_conv(&self.conv3, x));
        let x = drop(x, dropout.as_deref_mut());
        self.head(x.flatten(1, 3), dropout)
    }

    /// Evaluation-mode forward pass that also returns every conv and pool activation.
    pub fn forward_with_activations(&self, images: Tensor<4>) -> Activations {
        let mut layers = Vec::with_capacity(6);
        let mut x = images;
        for (index, conv) in [&self.conv1, &self.conv2, &self.conv3]
            .into_iter()
            .enumerate()
        {
            let activated = relu(same_conv(conv, x));
            layers.push((CONV_NAMES[index], activated.clone()));
            x = self.pool.forward(activated);
            layers.push((POOL_NAMES[index], x.clone()));
        }
        let logits = self.head(x.flatten(1, 3), None);
        Activations { layers, logits }
    }

    fn head(&self, flat: Tensor<2>, mut dropout: Option<&mut StdRng>) -> Tensor<2> {
        let x = sigmoid(self.dense1.forward(flat));
        let x = drop(x, dropout.as_deref_mut());
        let x = sigmoid(self.dense2.forward(x));
        let x = drop(x, dropout);
        self.output.forward(x)
    }

    /// The Keras-style summary: one row per layer with its output shape and parameters.
    pub fn summary(&self) -> Vec<SummaryRow> {
        let conv1 = self.conv1.num_params();
        let conv2 = self.conv2.num_params();
        let conv3 = self.conv3.num_params();
        let dense1 = self.dense1.num_params();
        let dense2 = self.dense2.num_params();
        let output = self.output.num_params();
        let row = |layer: &str, kind: &str, shape: &[usize], parameters: usize| SummaryRow {
            layer: format!("{layer} ({kind})"),
            output_shape: shape.to_vec(),
            parameters,
        };
        let s = SIDE;
        vec![
            row("conv2d", "Conv2D", &[s, s, 16], conv1),
            row("max_pooling2d", "MaxPooling2D", &[s / 2, s / 2, 16], 0),
            row("dropout", "Dropout", &[s / 2, s / 2, 16], 0),
            row("conv2d_1", "Conv2D", &[s / 2, s / 2, 32], conv2),
            row("max_pooling2d_1", "MaxPooling2D", &[s / 4, s / 4, 32], 0),
            row("dropout_1", "Dropout", &[s / 4, s / 4, 32], 0),
            row("conv2d_2", "Conv2D", &[s / 4, s / 4, 64], conv3),
            row("max_pooling2d_2", "MaxPooling2D", &[1, 1, 64], 0),
            row("dropout_2", "Dropout", &[1, 1, 64], 0),
            row("flatten", "Flatten", &[64], 0),
            row("dense", "Dense", &[128], dense1),
            row("dropout_3", "Dropout", &[128], 0),
            row("dense_1", "Dense", &[512], dense2),
            row("dropout_4", "Dropout", &[512], 0),
            row("dense_2", "Dense", &[CLASSES], output),
        ]
    }
}

/// Names of the conv layers' outputs, as the feature-map view labels them.
pub const CONV_NAMES: [&str; 3] = ["conv2d", "conv2d_1", "conv2d_2"];
/// Names of the pool layers' outputs.
pub const POOL_NAMES: [&str; 3] = ["max_pooling2d", "max_pooling2d_1", "max_pooling2d_2"];

/// One row of the model summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Layer name and type, e.g. `conv2d (Conv2D)`.
    pub layer: String,
    /// Output shape without the batch dimension, channels last as Keras prints it.
    pub output_shape: Vec<usize>,
    /// Trainable parameters.
    pub parameters: usize,
}

impl SummaryRow {
    /// The output shape as Keras prints it, e.g. `(None, 8, 8, 16)`.
    pub fn shape_text(&self) -> String {
        let dims: Vec<String> = self.output_shape.iter().map(|d| d.to_string()).collect();
        format!("(None, {})", dims.join(", "))
    }
}

/// A conv layer's 3×3 "same" convolution through the fast op (the layer only holds weights).
fn same_conv(layer: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let bias = layer.bias.as_ref().expect("every conv layer has a bias");
    conv3x3(x, layer.weight.val(), bias.val())
}

/// Glorot-uniform weights (Keras' default kernel initializer): U(±√(6 / (fan_in + fan_out))).
fn glorot<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    fan_out: usize,
    device: &Device,
    rng: &mut StdRng,
) -> Param<Tensor<D>> {
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt() as f32;
    let count = shape.iter().product();
    let values: Vec<f32> = (0..count)
        .map(|_| rng.random_range(-limit..limit))
        .collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// Inverted dropout at [`DROPOUT`] with a mask drawn from `rng`; identity without one.
fn drop<const D: usize>(x: Tensor<D>, rng: Option<&mut StdRng>) -> Tensor<D> {
    let Some(rng) = rng else { return x };
    let shape = x.shape();
    let mask = dropout_mask(shape.num_elements(), DROPOUT, rng);
    let mask = Tensor::<D>::from_data(TensorData::new(mask, shape), &x.device());
    x * mask
}

/// `count` values, each 0 with probability `rate` and 1/(1 − rate) otherwise.
///
/// Draws 16 bits per unit, four units per 64-bit draw: exact for rates that are multiples of
/// 1/65536 (0.25 is), and far cheaper than one float per unit.
pub fn dropout_mask(count: usize, rate: f64, rng: &mut impl Rng) -> Vec<f32> {
    let threshold = (rate * 65536.0).round() as u32;
    let keep = (1.0 / (1.0 - rate)) as f32;
    let mut mask = vec![0.0; count];
    for units in mask.chunks_mut(4) {
        let bits = rng.next_u64();
        for (lane, unit) in units.iter_mut().enumerate() {
            let draw = u32::from((bits >> (16 * lane)) as u16);
            *unit = if draw < threshold { 0.0 } else { keep };
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;

    fn model() -> DigitsCnn {
        DigitsCnn::new(&BackendKind::Flex.device(), &mut StdRng::seed_from_u64(1))
    }

    #[test]
    fn summary_matches_the_keras_table() {
        let summary = model().summary();
        let counts: Vec<usize> = summary.iter().map(|r| r.parameters).collect();
        assert_eq!(
            counts,
            [
                160, 0, 0, 4_640, 0, 0, 18_496, 0, 0, 0, 8_320, 0, 66_048, 0, 5_130
            ]
        );
        assert_eq!(counts.iter().sum::<usize>(), PARAMETERS);
        assert_eq!(model().num_params(), PARAMETERS);
        assert_eq!(summary[0].shape_text(), "(None, 8, 8, 16)");
        assert_eq!(summary[7].shape_text(), "(None, 1, 1, 64)");
        assert_eq!(summary[14].layer, "dense_2 (Dense)");
    }

    #[test]
    fn forward_gives_logits_per_image_and_activations_of_every_layer() {
        let model = model();
        let device = BackendKind::Flex.device();
        let images = Tensor::<4>::ones([3, 1, 8, 8], &device);
        assert_eq!(model.forward(images.clone(), None).dims(), [3, 10]);
        let activations = model.forward_with_activations(images);
        let shapes: Vec<[usize; 4]> = activations.layers.iter().map(|(_, t)| t.dims()).collect();
        assert_eq!(
            shapes,
            [
                [3, 16, 8, 8],
                [3, 16, 4, 4],
                [3, 32, 4, 4],
                [3, 32, 2, 2],
                [3, 64, 2, 2],
                [3, 64, 1, 1]
            ]
        );
    }

    #[test]
    fn same_seed_same_weights() {
        let logits = |seed| {
            let device = BackendKind::Flex.device();
            let model = DigitsCnn::new(&device, &mut StdRng::seed_from_u64(seed));
            let images = Tensor::<4>::ones([1, 1, 8, 8], &device);
            model
                .forward(images, None)
                .into_data()
                .try_into_vec::<f32>()
                .unwrap()
        };
        assert_eq!(logits(7), logits(7));
        assert_ne!(logits(7), logits(8));
    }

    #[test]
    fn dropout_mask_drops_about_a_quarter_and_rescales_the_rest() {
        let mask = dropout_mask(100_003, 0.25, &mut StdRng::seed_from_u64(3));
        assert_eq!(mask.len(), 100_003);
        let dropped = mask.iter().filter(|&&m| m == 0.0).count() as f64 / mask.len() as f64;
        assert!((dropped - 0.25).abs() < 0.01, "dropped {dropped}");
        assert!(
            mask.iter()
                .all(|&m| m == 0.0 || (m - 4.0 / 3.0).abs() < 1e-6)
        );
    }
}
