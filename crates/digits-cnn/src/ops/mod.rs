//! The network's convolution, ReLU + pooling, dense layers and sigmoid, and the optimizer's
//! Adam step, as burn backend extensions (`#[backend_extension]`): a fused kernel on flex,
//! burn's own ops on ndarray, and (for the layers) a handwritten backward step under
//! autodiff. Each equals the burn ops it replaces (see its tests); the model stays a burn
//! model.

mod adam;
mod conv3x3;
mod dense;
#[cfg(feature = "flex")]
mod gemm;
mod layer_autodiff;
mod relu_max_pool;
mod sigmoid;
#[cfg(feature = "flex")]
mod storage;

pub use adam::{AdamBackend, AdamFactors, adam_step};
pub use conv3x3::{Conv3x3Backend, conv3x3};
pub use dense::{DenseBackend, dense};
pub use relu_max_pool::{ReluMaxPoolBackend, relu_max_pool};
pub use sigmoid::{SigmoidBackend, sigmoid};

/// Deterministic values in [−1.5, 1.5], different for each `salt`: the ops' tests' inputs.
#[cfg(test)]
pub(crate) fn varied<const D: usize>(
    shape: [usize; D],
    salt: usize,
    device: &burn::tensor::Device,
) -> burn::tensor::Tensor<D> {
    let count: usize = shape.iter().product();
    let values: Vec<f32> = (0..count)
        .map(|i| (((i * 7919 + salt * 104_729) % 97) as f32 - 48.0) / 32.0)
        .collect();
    burn::tensor::Tensor::from_data(burn::tensor::TensorData::new(values, shape), device)
}
