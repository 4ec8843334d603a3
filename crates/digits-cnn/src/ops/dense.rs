//! A dense layer's product, `x · weight + bias`, as a burn backend extension.
//!
//! burn's `Linear` runs burn-flex's matmul, which zero-fills a `Vec<u8>` and copies it into an
//! aligned allocation for every product, then adds the bias in a broadcasting pass; under
//! autodiff the bias' gradient is a `sum_dim` that scatters every element through burn-flex's
//! general kernel. On flex this op is one GEMM with the bias as its starting rows (the
//! convolution's, [`super::gemm`]), and its backward pass two GEMMs and a column sum. On
//! ndarray, and as the reference in the tests, the default bodies compose burn's own ops.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops};
#[cfg(feature = "flex")]
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, TensorMetadata, backend_extension};
use burn::tensor::{Shape, Tensor};

use super::layer_autodiff;

/// `x · weight + bias`: `x` is `[batch, in]`, `weight` `[in, out]` (burn's `Linear` layout),
/// `bias` `[out]`; the result is `[batch, out]`. Differentiable on every backend.
pub fn dense(x: Tensor<2>, weight: Tensor<2>, bias: Tensor<1>) -> Tensor<2> {
    Tensor::from_dispatch(<burn::backend::Dispatch as DenseBackend>::dense(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    ))
}

/// The backend extension behind [`dense`]. The default bodies compose burn's own ops.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait DenseBackend: Backend {
    /// The layer's output.
    fn dense(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        composed::output::<Self>(x, weight, bias)
    }

    /// The input's gradient from the output's: `output_grad · weightᵀ`.
    fn dense_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        composed::input_grad::<Self>(weight, output_grad)
    }

    /// The weight's and the bias' gradients from the input and the output's gradient:
    /// `xᵀ · output_grad` and the column sums of `output_grad`.
    fn dense_parameter_grads(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        composed::parameter_grads::<Self>(x, output_grad)
    }
}

/// The op composed of burn's own ops, on any backend: the default bodies, and flex's path
/// for dtypes other than f32.
mod composed {
    use super::*;

    #[inline(never)]
    pub fn output<B: Backend>(
        x: FloatTensor<B>,
        weight: FloatTensor<B>,
        bias: FloatTensor<B>,
    ) -> FloatTensor<B> {
        let out = bias.shape()[0];
        B::float_add(
            B::float_matmul(x, weight),
            B::float_reshape(bias, Shape::new([1, out])),
        )
    }

    #[inline(never)]
    pub fn input_grad<B: Backend>(
        weight: FloatTensor<B>,
        output_grad: FloatTensor<B>,
    ) -> FloatTensor<B> {
        B::float_matmul(output_grad, B::float_transpose(weight))
    }

    #[inline(never)]
    pub fn parameter_grads<B: Backend>(
        x: FloatTensor<B>,
        output_grad: FloatTensor<B>,
    ) -> (FloatTensor<B>, FloatTensor<B>) {
        let out = output_grad.shape()[1];
        let weight_grad = B::float_matmul(B::float_transpose(x), output_grad.clone());
        let bias_grad = B::float_reshape(B::float_sum_dim(output_grad, 0), Shape::new([out]));
        (weight_grad, bias_grad)
    }
}

#[cfg(feature = "ndarray")]
impl DenseBackend for burn::backend::NdArray {}

/// f32 tensors take the GEMM kernels; other dtypes, burn's ops.
#[cfg(feature = "flex")]
impl DenseBackend for burn::backend::Flex {
    fn dense(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        if x.dtype() != burn::tensor::DType::F32 {
            return composed::output::<Self>(x, weight, bias);
        }
        super::gemm::matmul(&x, &weight, Some(&bias))
    }

    fn dense_input_grad(
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        if output_grad.dtype() != burn::tensor::DType::F32 {
            return composed::input_grad::<Self>(weight, output_grad);
        }
        super::gemm::matmul(&output_grad, &Self::float_transpose(weight), None)
    }

    fn dense_parameter_grads(
        x: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        if output_grad.dtype() != burn::tensor::DType::F32 {
            return composed::parameter_grads::<Self>(x, output_grad);
        }
        (
            super::gemm::matmul(&Self::float_transpose(x), &output_grad, None),
            super::gemm::column_sums(&output_grad),
        )
    }
}

/// Autodiff keeps the input and the weight.
impl<B: DenseBackend, C: CheckpointStrategy> DenseBackend for Autodiff<B, C> {
    fn dense(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        layer_autodiff::forward::<B, C, _>(
            DenseStep,
            [x, weight, bias],
            |x, weight, bias| {
                let output = B::dense(x.clone(), weight.clone(), bias);
                ((x, weight), output)
            },
            B::dense,
        )
    }
}

/// The backward step of [`dense`] in an autodiff graph.
#[derive(Debug)]
struct DenseStep;

impl<B: DenseBackend> Backward<B, 3> for DenseStep {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [x_parent, weight_parent, bias_parent] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (x, weight) = ops.state;
        if let Some(parent) = x_parent {
            grads.register::<B>(parent.id, B::dense_input_grad(weight, output_grad.clone()));
        }
        layer_autodiff::register_parameter_grads::<B>(
            grads,
            [weight_parent.map(|p| p.id), bias_parent.map(|p| p.id)],
            || B::dense_parameter_grads(x, output_grad),
        );
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::Tolerance;

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::varied;

    /// burn's own dense product (`Linear`'s), which the op must equal.
    fn reference(x: Tensor<2>, weight: Tensor<2>, bias: Tensor<1>) -> Tensor<2> {
        x.matmul(weight) + bias.unsqueeze()
    }

    /// `[batch, in]` and `out`: the notebook network's dense layers on a shard, and odd sizes.
    const SHAPES: [([usize; 2], usize); 4] = [
        ([64, 64], 128),
        ([64, 128], 512),
        ([3, 5], 2),
        ([1, 512], 10),
    ];

    #[test]
    fn forward_equals_burns_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.device();
            for ([batch, input], out) in SHAPES {
                let x = varied([batch, input], 1, &device);
                let weight = varied([input, out], 2, &device);
                let bias = varied([out], 3, &device);
                let fast = dense(x.clone(), weight.clone(), bias.clone());
                assert_eq!(fast.dims(), [batch, out]);
                fast.into_data().assert_approx_eq::<f32>(
                    &reference(x, weight, bias).into_data(),
                    Tolerance::absolute(1e-3),
                );
            }
        }
    }

    #[test]
    fn gradients_equal_burns_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for ([batch, input], out) in SHAPES {
                let scale = varied([batch, out], 4, &device);
                let run = |product: fn(Tensor<2>, Tensor<2>, Tensor<1>) -> Tensor<2>| {
                    let x = varied([batch, input], 1, &device).require_grad();
                    let weight = varied([input, out], 2, &device).require_grad();
                    let bias = varied([out], 3, &device).require_grad();
                    let output = product(x.clone(), weight.clone(), bias.clone());
                    let grads = (output * scale.clone()).sum().backward();
                    [
                        x.grad(&grads).expect("x").into_data(),
                        weight.grad(&grads).expect("weight").into_data(),
                        bias.grad(&grads).expect("bias").into_data(),
                    ]
                };
                for (got, want) in run(dense).iter().zip(&run(reference)) {
                    got.assert_approx_eq::<f32>(want, Tolerance::absolute(1e-3));
                }
            }
        }
    }
}
