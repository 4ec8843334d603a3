//! The network's first convolution laid open, for the explain section
//! ([`crate::explain::FirstConv`]): what it sees, its weights and what it computes.

use burn::tensor::Tensor;

use super::{DigitsCnn, Flow, Layer, activate};
use crate::arch::Activation;

/// One evaluation-mode pass up to the first convolution, with that layer's weights.
pub struct FirstConvPass {
    /// Keras' name of the layer, e.g. `conv2d`.
    pub layer: String,
    /// What the layer sees, `[batch, 1, height, width]`: the image, or what the pooling,
    /// batch-norm or dropout layers before it made of it.
    pub input: Tensor<4>,
    /// Its kernels, `[filters, 1, kernel, kernel]`.
    pub weights: Tensor<4>,
    /// Its biases, `[filters]`.
    pub biases: Tensor<1>,
    /// Its activation.
    pub activation: Activation,
    /// Its output after the activation, `[batch, filters, height, width]`: the maps the
    /// feature-maps section shows for this layer.
    pub output: Tensor<4>,
}

impl DigitsCnn {
    /// The first convolution's pass over `images` (in evaluation mode); `None` when the
    /// network has no convolution. Only pooling, batch-norm and dropout can come before it,
    /// so its input always has one channel.
    pub fn first_conv_pass(&self, images: Tensor<4>) -> Option<FirstConvPass> {
        let index = self
            .layers
            .iter()
            .position(|layer| matches!(layer, Layer::Conv(_)))?;
        let mut flow = Flow::Maps(images);
        for layer in &self.layers[..index] {
            flow = layer.forward(flow, None);
        }
        let Layer::Conv(conv) = &self.layers[index] else {
            unreachable!("the position found a convolution")
        };
        let input = flow.maps();
        let [filters, ..] = conv.conv.weight.dims();
        let biases = match &conv.conv.bias {
            Some(bias) => bias.val(),
            None => Tensor::zeros([filters], &input.device()),
        };
        Some(FirstConvPass {
            layer: self.layer_names().swap_remove(index),
            output: activate(conv.convolve(input.clone()), conv.activation),
            input,
            weights: conv.conv.weight.val(),
            biases,
            activation: conv.activation,
        })
    }
}
