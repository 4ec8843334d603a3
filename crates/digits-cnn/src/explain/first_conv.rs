//! The first convolution laid open: its kernels (what the filters are), the input it sees
//! and the maps it makes of one image, as plain numbers the page can draw and recompute.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::arch::Activation;
use crate::data::Image;
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, images_tensor, tensor_values};

/// The network's first convolution and what it computes for one image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstConv {
    /// Keras' name of the layer, e.g. `conv2d`.
    pub layer: String,
    /// Filters (maps).
    pub filters: usize,
    /// Side of each square kernel.
    pub kernel: usize,
    /// Height of the input and of each map ('same' padding keeps it).
    pub height: usize,
    /// Width of the input and of each map.
    pub width: usize,
    /// The layer's activation.
    pub activation: Activation,
    /// What the layer sees, `height × width`, row-major: the scaled image, or what the
    /// layers before it made of it.
    pub input: Vec<f32>,
    /// The kernels, `filters × kernel × kernel`, filter-major, row-major within a kernel.
    pub weights: Vec<f32>,
    /// One bias per filter.
    pub biases: Vec<f32>,
    /// The maps after the activation, `filters × height × width`: the values the feature
    /// maps section normalises for display.
    pub maps: Vec<f32>,
}

impl FirstConv {
    /// The first convolution of `model` applied to `image`; `None` without a convolution.
    pub fn of(
        model: &DigitsCnn,
        image: &Image,
        scale: InputScale,
        device: &Device,
    ) -> Option<Self> {
        let pass =
            model.first_conv_pass(images_tensor(std::slice::from_ref(image), scale, device))?;
        let [filters, _, kernel, _] = pass.weights.dims();
        let [_, _, height, width] = pass.input.dims();
        Some(Self {
            layer: pass.layer,
            filters,
            kernel,
            height,
            width,
            activation: pass.activation,
            input: tensor_values(pass.input),
            weights: tensor_values(pass.weights),
            biases: tensor_values(pass.biases),
            maps: tensor_values(pass.output),
        })
    }

    /// The kernel of `filter`, row-major.
    pub fn kernel_of(&self, filter: usize) -> &[f32] {
        let size = self.kernel * self.kernel;
        &self.weights[filter * size..(filter + 1) * size]
    }

    /// The map of `filter`, row-major.
    pub fn map(&self, filter: usize) -> &[f32] {
        let size = self.height * self.width;
        &self.maps[filter * size..(filter + 1) * size]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;
    use crate::feature_maps::{feature_maps, normalise};

    #[test]
    fn its_maps_are_the_feature_maps_of_its_layer() {
        let device = BackendKind::Flex.device();
        for spec in [
            "conv16,pool,dense8",
            "pool,bn,conv5x5:tanh,dense4",
            "dense8",
        ] {
            let arch: Arch = spec.parse().unwrap();
            let model = DigitsCnn::seeded(&arch, &device, 2);
            let image = bundled().images[9];
            let Some(first) = FirstConv::of(&model, &image, InputScale::Raw, &device) else {
                assert_eq!(
                    spec, "dense8",
                    "only a network without convolution has none"
                );
                continue;
            };
            let shown = feature_maps(&model, &image, InputScale::Raw, &device);
            let layer = shown
                .layers
                .iter()
                .find(|l| l.layer == first.layer)
                .unwrap();
            assert_eq!(
                (layer.channels, layer.height, layer.width),
                (first.filters, first.height, first.width)
            );
            for filter in 0..first.filters {
                assert_eq!(normalise(first.map(filter)), layer.map(filter), "{spec}");
                assert_eq!(first.kernel_of(filter).len(), first.kernel * first.kernel);
            }
            assert_eq!(first.input.len(), first.height * first.width);
            assert_eq!(first.biases.len(), first.filters);
        }
    }
}
