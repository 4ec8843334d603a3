//! The network's convolution, ReLU + pooling, flatten, dense layers, sigmoid and dropout,
//! the training loss, and the optimizer's Adam step, as burn backend extensions
//! (`#[backend_extension]`): a fused kernel on flex where one pays, burn's own ops on
//! ndarray, and (for the network's ops) a handwritten backward step under autodiff. Each
//! equals the burn ops it replaces (see its tests); the model stays a burn model. The
//! fallbacks to burn's ops (each op's `composed`) are never inlined, by LLVM nor (through
//! `index.html`) by wasm-opt, so that the flex kernels the browser optimises stay small.

mod adam;
mod conv3x3;
mod cross_entropy;
mod dense;
mod dropout;
mod flatten;
#[cfg(feature = "flex")]
mod gemm;
mod layer_autodiff;
mod relu_max_pool;
mod sigmoid;
#[cfg(feature = "flex")]
mod storage;

pub use adam::{AdamBackend, AdamFactors, adam_step};
pub use conv3x3::{Conv3x3Backend, conv3x3};
pub use cross_entropy::{CrossEntropyBackend, cross_entropy};
pub use dense::{DenseBackend, dense};
pub use dropout::{DropoutBackend, dropout};
pub use flatten::{FlattenBackend, flatten};
pub use relu_max_pool::{ReluMaxPoolBackend, relu_max_pool};
pub use sigmoid::{SigmoidBackend, sigmoid};

/// `f`'s output for `x`, and `x`'s gradient of `Σ weights · f(x)` (weights broadcast): what
/// the ops' tests compare with burn's own ops.
#[cfg(test)]
pub(crate) fn output_and_grad<const D: usize, const E: usize>(
    x: burn::tensor::Tensor<D>,
    weights: burn::tensor::Tensor<E>,
    f: impl FnOnce(burn::tensor::Tensor<D>) -> burn::tensor::Tensor<E>,
) -> (burn::tensor::TensorData, burn::tensor::TensorData) {
    let x = x.require_grad();
    let y = f(x.clone());
    let grads = (y.clone() * weights).sum().backward();
    let grad = x.grad(&grads).expect("the input has a gradient");
    (y.into_data(), grad.into_data())
}

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
