//! Feature maps: what every conv and pool layer computes for one image, as small images.
//!
//! The activations come from [`DigitsCnn::forward_with_activations`](crate::model::DigitsCnn::forward_with_activations);
//! the page's feature-maps section draws what this module returns.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::CLASSES;
use crate::data::Image;
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, images_tensor, read_probabilities, tensor_values};

/// One layer's activations for one image, each channel normalised to 0..255 (a layer of
/// 1×1 maps across the layer: see [`LayerMaps::is_strip`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerMaps {
    /// Keras' layer name, e.g. `conv2d_1`.
    pub layer: String,
    /// Number of maps (filters).
    pub channels: usize,
    /// Height of each map.
    pub height: usize,
    /// Width of each map.
    pub width: usize,
    /// `channels × height × width` grey levels, channel-major, row-major within a map.
    pub pixels: Vec<u8>,
}

impl LayerMaps {
    /// Whether the maps are 1×1, so the layer is one strip of values normalised across the
    /// layer: normalised on its own, as the notebook does, every 1×1 map sits at the same
    /// mid level and tells nothing.
    pub fn is_strip(&self) -> bool {
        self.height * self.width == 1
    }

    /// The grey levels of map `channel`, row-major.
    pub fn map(&self, channel: usize) -> &[u8] {
        let size = self.height * self.width;
        &self.pixels[channel * size..(channel + 1) * size]
    }
}

/// An image's feature maps together with the network's answer for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureMaps {
    /// Every conv and pool layer (Keras' names: conv2d, max_pooling2d, conv2d_1, …), in
    /// network order.
    pub layers: Vec<LayerMaps>,
    /// Class probabilities for the image.
    pub probabilities: [f32; CLASSES],
}

/// The feature maps of `image` through `model` (in evaluation mode, on `device`).
pub fn feature_maps(
    model: &DigitsCnn,
    image: &Image,
    scale: InputScale,
    device: &Device,
) -> FeatureMaps {
    let activations =
        model.forward_with_activations(images_tensor(std::slice::from_ref(image), scale, device));
    let layers = activations
        .layers
        .into_iter()
        .map(|(layer, tensor)| {
            let [_, channels, height, width] = tensor.dims();
            let values = tensor_values(tensor);
            let mut maps = LayerMaps {
                layer: layer.to_string(),
                channels,
                height,
                width,
                pixels: Vec::new(),
            };
            maps.pixels = if maps.is_strip() {
                normalise(&values)
            } else {
                values.chunks(height * width).flat_map(normalise).collect()
            };
            maps
        })
        .collect();
    let probabilities = read_probabilities(activations.logits)[0];
    FeatureMaps {
        layers,
        probabilities,
    }
}

/// The notebook's display normalisation of one map: subtract the mean, divide by the
/// standard deviation when it is positive, ×64, +128, clip to 0..255.
pub fn normalise(map: &[f32]) -> Vec<u8> {
    let n = map.len() as f32;
    let mean = map.iter().sum::<f32>() / n;
    let std = (map.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n).sqrt();
    map.iter()
        .map(|&v| {
            let centred = v - mean;
            let scaled = if std > 0.0 { centred / std } else { centred };
            (scaled * 64.0 + 128.0).clamp(0.0, 255.0) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;

    #[test]
    fn normalise_matches_the_notebook_formula() {
        // mean 2.5, population std √1.25 ≈ 1.118: (v − 2.5)/1.118·64 + 128.
        assert_eq!(normalise(&[1.0, 2.0, 3.0, 4.0]), vec![42, 99, 156, 213]);
        // A constant map has std 0: only centred, so every pixel sits at 128.
        assert_eq!(normalise(&[5.0; 4]), vec![128; 4]);
        // Far outliers clip.
        let clipped = normalise(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0]);
        assert_eq!(clipped[9], 255);
    }

    #[test]
    fn every_conv_and_pool_layer_has_a_map_per_filter() {
        let device = BackendKind::Flex.device();
        let model = DigitsCnn::seeded(&Arch::notebook(), &device, 0);
        let maps = feature_maps(&model, &bundled().images[0], InputScale::Raw, &device);
        let shapes: Vec<(&str, usize, usize)> = maps
            .layers
            .iter()
            .map(|l| (l.layer.as_str(), l.channels, l.height))
            .collect();
        assert_eq!(
            shapes,
            [
                ("conv2d", 16, 8),
                ("max_pooling2d", 16, 4),
                ("conv2d_1", 32, 4),
                ("max_pooling2d_1", 32, 2),
                ("conv2d_2", 64, 2),
                ("max_pooling2d_2", 64, 1),
            ]
        );
        for layer in &maps.layers {
            assert_eq!(
                layer.pixels.len(),
                layer.channels * layer.height * layer.width
            );
            assert_eq!(
                layer.map(layer.channels - 1).len(),
                layer.height * layer.width
            );
        }
        // The last pool's 1×1 maps are one strip normalised across the layer: not all flat.
        let strip = &maps.layers[5];
        assert!(strip.is_strip() && !maps.layers[4].is_strip());
        assert!(strip.pixels.iter().any(|&level| level != strip.pixels[0]));
        let total: f32 = maps.probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-5);
    }
}
