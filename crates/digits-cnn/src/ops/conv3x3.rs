//! The network's 3×3 "same" convolution (stride 1, padding 1, with bias) as a burn backend
//! extension.
//!
//! On flex the forward pass is one im2col and one GEMM for the whole batch, and the backward
//! pass three: the weight gradient from the saved 3×3 patches (no second im2col), the input
//! gradient as patches scattered back (col2im), and the bias gradient as a column sum. burn's
//! general convolution instead converts layouts, tiles the batch, and computes the input
//! gradient with a transposed convolution: together about a third of a training step
//! natively (`perf`). On ndarray, and as the reference in the tests, the default bodies call
//! burn's own `conv2d` and its backward functions.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops};
use burn::backend::ops::ConvOptions;
#[cfg(feature = "flex")]
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, TensorMetadata, backend_extension};
use burn::tensor::{Shape, Tensor};

use super::layer_autodiff;

/// `conv2d(x, weight, bias)` with a 3×3 kernel, stride 1 and one pixel of zero padding:
/// `x` is `[batch, in, height, width]`, `weight` `[out, in, 3, 3]`, `bias` `[out]`; the result
/// is `[batch, out, height, width]`. Differentiable on every backend.
pub fn conv3x3(x: Tensor<4>, weight: Tensor<4>, bias: Tensor<1>) -> Tensor<4> {
    Tensor::from_dispatch(<burn::backend::Dispatch as Conv3x3Backend>::conv3x3(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    ))
}

/// burn's options for this convolution.
fn same_3x3() -> ConvOptions<2> {
    ConvOptions::new([1, 1], [1, 1], [1, 1], 1)
}

/// The backend extension behind [`conv3x3`]. The default bodies are burn's own convolution.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait Conv3x3Backend: Backend {
    /// The convolution's output.
    fn conv3x3(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        burn_conv::output::<Self>(x, weight, bias)
    }

    /// The output, and what the backward pass keeps of the input: the input itself by
    /// default, its 3×3 patches on flex.
    fn conv3x3_keeping_input(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        (burn_conv::output::<Self>(x.clone(), weight, bias), x)
    }

    /// The input's gradient, of shape `input_shape`, from the kept input and the output's.
    fn conv3x3_input_grad(
        kept: FloatTensor<Self>,
        input_shape: Shape,
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        let _ = input_shape; // burn's backward reads it from the kept input itself
        burn_conv::input_grad::<Self>(kept, weight, output_grad)
    }

    /// The weight's and the bias' gradients from the kept input and the output's gradient.
    fn conv3x3_parameter_grads(
        kept: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        burn_conv::parameter_grads::<Self>(kept, weight, output_grad)
    }
}

/// burn's own convolution and its backward functions, on any backend: the default bodies,
/// and flex's path for dtypes other than f32 (where the kept tensor is the input itself).
mod burn_conv {
    use super::*;

    pub fn output<B: Backend>(
        x: FloatTensor<B>,
        weight: FloatTensor<B>,
        bias: FloatTensor<B>,
    ) -> FloatTensor<B> {
        B::conv2d(x, weight, Some(bias), same_3x3())
    }

    pub fn input_grad<B: Backend>(
        x: FloatTensor<B>,
        weight: FloatTensor<B>,
        output_grad: FloatTensor<B>,
    ) -> FloatTensor<B> {
        B::conv2d_x_backward(x, weight, output_grad, same_3x3())
    }

    pub fn parameter_grads<B: Backend>(
        x: FloatTensor<B>,
        weight: FloatTensor<B>,
        output_grad: FloatTensor<B>,
    ) -> (FloatTensor<B>, FloatTensor<B>) {
        let [batch, channels, height, width] = output_grad.shape().dims();
        let per_channel = B::float_reshape(
            B::float_swap_dims(output_grad.clone(), 0, 1),
            Shape::new([channels, batch * height * width]),
        );
        let bias_grad = B::float_reshape(B::float_sum_dim(per_channel, 1), Shape::new([channels]));
        let weight_grad = B::conv2d_weight_backward(x, weight, output_grad, same_3x3());
        (weight_grad, bias_grad)
    }
}

#[cfg(feature = "ndarray")]
impl Conv3x3Backend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl Conv3x3Backend for burn::backend::Flex {
    fn conv3x3(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        Self::conv3x3_keeping_input(x, weight, bias).0
    }

    fn conv3x3_keeping_input(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        if x.dtype() != burn::tensor::DType::F32 {
            return (burn_conv::output::<Self>(x.clone(), weight, bias), x);
        }
        let [batch, _, height, width] = x.shape().dims();
        let channels_out = weight.shape()[0];
        // [pixels, in·9] · [in·9, out] = [pixels, out], pixels in (batch, row, column) order.
        let patches = flex_kernels::im2col(&x);
        let weight_t = Self::float_transpose(flatten_weight(weight));
        let output = super::gemm::matmul(&patches, &weight_t, Some(&bias));
        // Seen as [batch, out, height, width] without moving the data.
        let output = Self::float_reshape(output, Shape::new([batch, height, width, channels_out]));
        (Self::float_permute(output, &[0, 3, 1, 2]), patches)
    }

    fn conv3x3_input_grad(
        kept: FloatTensor<Self>,
        input_shape: Shape,
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        if kept.shape().num_dims() == 4 {
            return burn_conv::input_grad::<Self>(kept, weight, output_grad);
        }
        // [pixels, out] · [out, in·9] = the gradient of every patch, then summed into place.
        let patch_grads =
            super::gemm::matmul(&pixel_major(output_grad), &flatten_weight(weight), None);
        flex_kernels::col2im(patch_grads, input_shape)
    }

    fn conv3x3_parameter_grads(
        kept: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        if kept.shape().num_dims() == 4 {
            return burn_conv::parameter_grads::<Self>(kept, weight, output_grad);
        }
        let weight_shape = weight.shape();
        let grad = pixel_major(output_grad);
        // [out, pixels] · [pixels, in·9] = [out, in·9].
        let weight_grad = super::gemm::matmul(&Self::float_transpose(grad.clone()), &kept, None);
        (
            Self::float_reshape(weight_grad, weight_shape),
            super::gemm::column_sums(&grad),
        )
    }
}

/// `[out, in, 3, 3]` as `[out, in·9]`.
#[cfg(feature = "flex")]
fn flatten_weight(weight: FloatTensor<burn::backend::Flex>) -> FloatTensor<burn::backend::Flex> {
    let [out, input, kh, kw] = weight.shape().dims();
    burn::backend::Flex::float_reshape(weight, Shape::new([out, input * kh * kw]))
}

/// `[batch, out, height, width]` as `[batch·height·width, out]` (a copy unless the tensor is
/// the permuted view the forward pass returns).
#[cfg(feature = "flex")]
fn pixel_major(grad: FloatTensor<burn::backend::Flex>) -> FloatTensor<burn::backend::Flex> {
    use burn::backend::Flex;
    let [batch, channels, height, width] = grad.shape().dims();
    let grad = Flex::float_permute(grad, &[0, 2, 3, 1]);
    Flex::float_reshape(grad, Shape::new([batch * height * width, channels]))
}

/// Autodiff keeps the input's patches (or the input) and the weight.
impl<B: Conv3x3Backend, C: CheckpointStrategy> Conv3x3Backend for Autodiff<B, C> {
    fn conv3x3(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        layer_autodiff::forward::<B, C, _>(
            Conv3x3Step,
            [x, weight, bias],
            |x, weight, bias| {
                let input_shape = x.shape();
                let (output, kept) = B::conv3x3_keeping_input(x, weight.clone(), bias);
                ((kept, input_shape, weight), output)
            },
            B::conv3x3,
        )
    }
}

/// The backward step of [`conv3x3`] in an autodiff graph.
#[derive(Debug)]
struct Conv3x3Step;

impl<B: Conv3x3Backend> Backward<B, 3> for Conv3x3Step {
    type State = (FloatTensor<B>, Shape, FloatTensor<B>);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [x_parent, weight_parent, bias_parent] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (kept, input_shape, weight) = ops.state;
        // The network's input needs no gradient: the first layer skips the col2im.
        if let Some(parent) = x_parent {
            let input_grad = B::conv3x3_input_grad(
                kept.clone(),
                input_shape,
                weight.clone(),
                output_grad.clone(),
            );
            grads.register::<B>(parent.id, input_grad);
        }
        layer_autodiff::register_parameter_grads::<B>(
            grads,
            [weight_parent.map(|p| p.id), bias_parent.map(|p| p.id)],
            || B::conv3x3_parameter_grads(kept, weight, output_grad),
        );
    }
}

/// im2col and col2im on flex tensors (f32); the GEMMs are `super::gemm`'s.
#[cfg(feature = "flex")]
mod flex_kernels {
    use burn::backend::flex::FlexTensor;
    use burn::tensor::Shape;

    use crate::ops::storage::{values, zeros};

    /// The output positions along a side of `len` whose kernel tap `k` (0, 1, 2) reads a real
    /// input pixel, `position + k − 1`, rather than the zero padding.
    fn valid(k: usize, len: usize) -> std::ops::Range<usize> {
        1usize.saturating_sub(k)..(len + 1).saturating_sub(k).min(len)
    }

    /// Calls `visit(patch_index, input_index)` for every element of every pixel's 3×3 patch
    /// that reads a real input pixel (the padding reads nothing): `patch_index` into
    /// `[batch·height·width, in·9]`, `input_index` into `[batch, in, height, width]`. im2col
    /// and col2im are this one walk, copying one way or adding back the other.
    fn for_each_tap(shape: [usize; 4], mut visit: impl FnMut(usize, usize)) {
        let [batch, channels, height, width] = shape;
        let row_len = channels * 9;
        for b in 0..batch {
            for c in 0..channels {
                let channel = (b * channels + c) * height * width;
                for ky in 0..3 {
                    for kx in 0..3 {
                        let column = c * 9 + ky * 3 + kx;
                        // Output pixel (y, x) reads input pixel (y + ky − 1, x + kx − 1).
                        for y in valid(ky, height) {
                            let source_row = channel + (y + ky - 1) * width;
                            let first_pixel = (b * height + y) * width;
                            for x in valid(kx, width) {
                                visit(
                                    (first_pixel + x) * row_len + column,
                                    source_row + x + kx - 1,
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// `[batch, in, height, width]` of a 4-D shape.
    fn dims(shape: &Shape) -> [usize; 4] {
        [shape[0], shape[1], shape[2], shape[3]]
    }

    /// The 3×3 zero-padded patch around every pixel: `[batch·height·width, in·9]`, each row
    /// ordered `(in, kernel row, kernel column)` like the weight's `[out, in, 3, 3]`.
    pub fn im2col(x: &FlexTensor) -> FlexTensor {
        let x = x.to_contiguous();
        let [batch, channels, height, width] = dims(x.layout().shape());
        let data = values(&x);
        let mut patches = zeros(Shape::new([batch * height * width, channels * 9]));
        let out = patches.storage_mut::<f32>();
        for_each_tap([batch, channels, height, width], |patch, input| {
            out[patch] = data[input];
        });
        patches
    }

    /// The input gradient `[batch, in, height, width]` from every patch's gradient
    /// `[batch·height·width, in·9]`: each patch element added back where it was read.
    pub fn col2im(patch_grads: FlexTensor, input_shape: Shape) -> FlexTensor {
        let patch_grads = patch_grads.to_contiguous();
        let grads = values(&patch_grads);
        let shape = dims(&input_shape);
        let mut input_grad = zeros(input_shape);
        let out = input_grad.storage_mut::<f32>();
        for_each_tap(shape, |patch, input| {
            out[input] += grads[patch];
        });
        input_grad
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{TensorData, Tolerance};

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::varied;

    /// burn's own convolution, which the op must equal.
    fn reference(x: Tensor<4>, weight: Tensor<4>, bias: Tensor<1>) -> Tensor<4> {
        burn::tensor::module::conv2d(x, weight, Some(bias), same_3x3())
    }

    const SHAPES: [([usize; 4], usize); 4] = [
        ([3, 1, 8, 8], 16),
        ([2, 16, 4, 4], 32),
        ([4, 32, 2, 2], 64),
        ([1, 2, 3, 5], 3),
    ];

    #[test]
    fn forward_equals_burns_conv2d_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.device();
            for (shape, out) in SHAPES {
                let x = varied(shape, 1, &device);
                let weight = varied([out, shape[1], 3, 3], 2, &device);
                let bias = varied([out], 3, &device);
                let fast = conv3x3(x.clone(), weight.clone(), bias.clone());
                assert_eq!(fast.dims(), [shape[0], out, shape[2], shape[3]]);
                fast.into_data().assert_approx_eq::<f32>(
                    &reference(x, weight, bias).into_data(),
                    Tolerance::absolute(1e-4),
                );
            }
        }
    }

    #[test]
    fn gradients_equal_burns_conv2d_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for (shape, out) in SHAPES {
                let scale = varied([shape[0], out, shape[2], shape[3]], 4, &device);
                let run = |conv: fn(Tensor<4>, Tensor<4>, Tensor<1>) -> Tensor<4>| {
                    let x = varied(shape, 1, &device).require_grad();
                    let weight = varied([out, shape[1], 3, 3], 2, &device).require_grad();
                    let bias = varied([out], 3, &device).require_grad();
                    let output = conv(x.clone(), weight.clone(), bias.clone());
                    let grads = (output * scale.clone()).sum().backward();
                    [
                        x.grad(&grads).expect("x").into_data(),
                        weight.grad(&grads).expect("weight").into_data(),
                        bias.grad(&grads).expect("bias").into_data(),
                    ]
                };
                let fast = run(conv3x3);
                let expected = run(reference);
                for (got, want) in fast.iter().zip(&expected) {
                    got.assert_approx_eq::<f32>(want, Tolerance::absolute(1e-3));
                }
            }
        }
    }

    #[test]
    fn an_input_without_gradient_still_gives_parameter_gradients() {
        let device = BackendKind::Flex.training_device();
        let x = varied([2, 1, 8, 8], 1, &device);
        let weight = varied([4, 1, 3, 3], 2, &device).require_grad();
        let bias = varied([4], 3, &device).require_grad();
        let grads = conv3x3(x, weight.clone(), bias.clone()).sum().backward();
        assert_eq!(weight.grad(&grads).expect("weight").dims(), [4, 1, 3, 3]);
        // Every output pixel adds 1 to each bias: 2 images × 64 pixels.
        bias.grad(&grads)
            .expect("bias")
            .into_data()
            .assert_approx_eq::<f32>(&TensorData::from([128.0f32; 4]), Tolerance::default());
    }
}
