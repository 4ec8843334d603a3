//! The gradient saliency map: |∂ logit / ∂ input| for each pixel, through burn's autodiff.
//!
//! The gradient is taken with respect to the network's input (the pixel as fed, i.e. after
//! [`InputScale`]), of the class's logit (before the softmax), in evaluation mode: no
//! dropout, batch normalization with its moving statistics.

use burn::module::Module;

use crate::PIXELS;
use crate::backend::BackendKind;
use crate::data::Image;
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, images_tensor, tensor_values};

/// For each pixel, row-major: how strongly `class`'s logit for `image` responds to a small
/// change of that pixel, |∂ logit / ∂ input|. A copy of `model` in evaluation mode, on
/// `backend`'s autodiff device runs one forward and one backward pass.
pub fn saliency(
    model: &DigitsCnn,
    image: &Image,
    scale: InputScale,
    backend: BackendKind,
    class: u8,
) -> [f32; PIXELS] {
    let device = backend.training_device();
    // `valid` first: batch normalization must keep its moving statistics on this device.
    let model = model.valid().fork(&device);
    let input = images_tensor(std::slice::from_ref(image), scale, &device).require_grad();
    let class = usize::from(class);
    let logit = model
        .forward(input.clone(), None)
        .slice([0..1, class..class + 1])
        .sum();
    let gradients = logit.backward();
    let gradient = input
        .grad(&gradients)
        .expect("the input requires its gradient");
    tensor_values(gradient.abs())
        .try_into()
        .expect("one image of 64 pixels")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::data::bundled;
    use burn::tensor::{Tensor, TensorData};

    /// The logits of one input given as 64 floats (already scaled), in evaluation mode: the
    /// finite differences that check [`saliency`] need inputs between the integer pixels.
    fn logits_of(model: &DigitsCnn, input: &[f32; PIXELS], backend: BackendKind) -> Vec<f32> {
        let device = backend.device();
        let input = Tensor::<4>::from_data(
            TensorData::new(input.to_vec(), [1, 1, crate::SIDE, crate::SIDE]),
            &device,
        );
        tensor_values(model.forward(input, None))
    }

    /// Central differences of the logit agree with the autodiff gradient: on a smooth
    /// network (tanh, sigmoid, average pooling, so no kink sits between the two probes), with
    /// a 3×3 convolution (the custom op), a 5×5 one (burn's), batch normalization and
    /// dropout (both in evaluation mode), on both input scales. (A fresh network's batch
    /// normalization is in training mode: saliency must switch it to its moving statistics.)
    #[test]
    fn saliency_equals_finite_differences() {
        let arch: Arch = "conv4x5:tanh,bn,conv6:sigmoid,avgpool,drop0.5,dense12:tanh"
            .parse()
            .unwrap();
        let backend = BackendKind::Flex;
        let model = DigitsCnn::seeded(&arch, &backend.device(), 7);
        let image = bundled().images[5];
        for (scale, step) in [(InputScale::Raw, 0.05), (InputScale::Unit, 0.005)] {
            for class in [0u8, 4, 9] {
                let map = saliency(&model, &image, scale, backend, class);
                let input: [f32; PIXELS] = image.map(|p| f32::from(p) * scale.factor());
                for pixel in 0..PIXELS {
                    let logit = |delta: f32| {
                        let mut moved = input;
                        moved[pixel] += delta;
                        logits_of(&model, &moved, backend)[usize::from(class)]
                    };
                    let numeric = ((logit(step) - logit(-step)) / (2.0 * step)).abs();
                    let tolerance = 1e-4 + 0.01 * numeric;
                    assert!(
                        (map[pixel] - numeric).abs() < tolerance,
                        "{scale:?}, class {class}, pixel {pixel}: autodiff {} vs finite differences {numeric}",
                        map[pixel]
                    );
                }
            }
        }
    }

    #[test]
    fn the_notebooks_network_has_a_saliency_map() {
        let backend = BackendKind::Flex;
        let model = DigitsCnn::seeded(&Arch::notebook(), &backend.device(), 1);
        let map = saliency(&model, &bundled().images[0], InputScale::Raw, backend, 2);
        assert!(map.iter().all(|v| v.is_finite() && *v >= 0.0));
        assert!(map.iter().any(|&v| v > 0.0));
    }
}
