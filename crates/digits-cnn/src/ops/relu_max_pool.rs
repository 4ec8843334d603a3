//! ReLU then 2×2 max-pool (stride 2) as one burn backend extension.
//!
//! Every conv layer of the network ends in `relu → max-pool 2×2`. burn flex runs max-pool
//! through its general 3-D kernel (window bounds recomputed with integer divisions for every
//! output) and ReLU as a separate pass over the full-size tensor: about 15% of a training
//! step natively (`perf`), second only to GEMM. This op reads the conv output once (made
//! contiguous first) and keeps each window's winning position for its backward pass. Since
//! `max(relu(a), …) = relu(max(a, …))`, for finite inputs the result and its gradient equal
//! those of burn's own `relu` followed by `max_pool2d` (ties: the first maximum wins).
//!
//! The op is a `#[backend_extension]`: flex gets the fused kernel, ndarray composes burn's
//! own ops (the default bodies), and autodiff records a handwritten backward step.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::{FloatTensor, IntTensor};
use burn::backend::{
    Autodiff, Backend, TensorMetadata, backend_extension, get_or_init_device_settings,
};
use burn::tensor::{Shape, Tensor};

/// `max_pool2d(relu(x), 2×2, stride 2)` of a `[batch, channels, height, width]` tensor with
/// even height and width, differentiable on every backend.
pub fn relu_max_pool(x: Tensor<4>) -> Tensor<4> {
    Tensor::from_dispatch(
        <burn::backend::Dispatch as ReluMaxPoolBackend>::relu_max_pool(x.into_dispatch()),
    )
}

/// The backend extension behind [`relu_max_pool`]. The default bodies compose burn's own ops.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait ReluMaxPoolBackend: Backend {
    /// The pooled activations, `[batch, channels, height / 2, width / 2]`.
    fn relu_max_pool(x: FloatTensor<Self>) -> FloatTensor<Self> {
        composed::forward::<Self>(x)
    }

    /// The pooled activations and, per output, the index of its window's maximum within the
    /// input's `height × width` plane (burn's `max_pool2d_with_indices` convention).
    fn relu_max_pool_with_indices(x: FloatTensor<Self>) -> (FloatTensor<Self>, IntTensor<Self>) {
        composed::forward_with_indices::<Self>(x)
    }

    /// The gradient with respect to the input, of shape `input_shape`, from the output's
    /// gradient: each positive output passes its gradient to its window's maximum.
    fn relu_max_pool_backward(
        input_shape: Shape,
        output: FloatTensor<Self>,
        indices: IntTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        composed::backward::<Self>(input_shape, output, indices, output_grad)
    }
}

/// The op composed of burn's own `max_pool2d` and `relu`, on any backend.
mod composed {
    use super::*;

    /// Kernel, stride, padding and dilation of the pool, as burn's general op takes them.
    const KERNEL: [usize; 2] = [2, 2];
    const STRIDE: [usize; 2] = [2, 2];
    const NO_PADDING: [usize; 2] = [0, 0];
    const NO_DILATION: [usize; 2] = [1, 1];

    #[inline(never)]
    pub fn forward<B: Backend>(x: FloatTensor<B>) -> FloatTensor<B> {
        B::relu(B::max_pool2d(
            x,
            KERNEL,
            STRIDE,
            NO_PADDING,
            NO_DILATION,
            false,
        ))
    }

    #[inline(never)]
    pub fn forward_with_indices<B: Backend>(x: FloatTensor<B>) -> (FloatTensor<B>, IntTensor<B>) {
        let int_dtype = get_or_init_device_settings::<B>(&x.device()).int_dtype;
        let pooled = B::max_pool2d_with_indices(
            x,
            KERNEL,
            STRIDE,
            NO_PADDING,
            NO_DILATION,
            false,
            int_dtype,
        );
        (B::relu(pooled.output), pooled.indices)
    }

    #[inline(never)]
    pub fn backward<B: Backend>(
        input_shape: Shape,
        output: FloatTensor<B>,
        indices: IntTensor<B>,
        output_grad: FloatTensor<B>,
    ) -> FloatTensor<B> {
        let device = output.device();
        let settings = get_or_init_device_settings::<B>(&device);
        let inactive = B::float_lower_equal_elem(output.clone(), 0f32.into(), settings.bool_dtype);
        let output_grad = B::float_mask_fill(output_grad, inactive, 0f32.into());
        let input = B::float_zeros(input_shape, &device, output.dtype().into());
        B::max_pool2d_with_indices_backward(
            input,
            KERNEL,
            STRIDE,
            NO_PADDING,
            NO_DILATION,
            false,
            output_grad,
            indices,
        )
        .x_grad
    }
}

#[cfg(feature = "ndarray")]
impl ReluMaxPoolBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl ReluMaxPoolBackend for burn::backend::Flex {
    fn relu_max_pool(x: FloatTensor<Self>) -> FloatTensor<Self> {
        flex_kernels::forward(x, false).0
    }

    fn relu_max_pool_with_indices(x: FloatTensor<Self>) -> (FloatTensor<Self>, IntTensor<Self>) {
        let (output, indices) = flex_kernels::forward(x, true);
        (output, indices.expect("indices were asked for"))
    }

    fn relu_max_pool_backward(
        input_shape: Shape,
        output: FloatTensor<Self>,
        indices: IntTensor<Self>,
        output_grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        flex_kernels::backward(input_shape, output, indices, output_grad)
    }
}

/// The autodiff step: the inner backend's forward with indices, and a backward that routes
/// each positive output's gradient to its window's maximum.
impl<B: ReluMaxPoolBackend, C: CheckpointStrategy> ReluMaxPoolBackend for Autodiff<B, C> {
    fn relu_max_pool(x: FloatTensor<Self>) -> FloatTensor<Self> {
        let (primitive, node) = x.into_parts();
        match ReluMaxPoolStep
            .prepare::<C>([node])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let input_shape = primitive.shape();
                let (output, indices) = B::relu_max_pool_with_indices(primitive);
                prep.finish((input_shape, output.clone(), indices), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::relu_max_pool(primitive)),
        }
    }
}

/// The backward step of [`relu_max_pool`] in an autodiff graph.
#[derive(Debug)]
struct ReluMaxPoolStep;

impl<B: ReluMaxPoolBackend> Backward<B, 1> for ReluMaxPoolStep {
    type State = (Shape, FloatTensor<B>, IntTensor<B>);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let output_grad = grads.consume::<B>(&ops.node);
        let (input_shape, output, indices) = ops.state;
        if let Some(parent) = parent {
            let input_grad = B::relu_max_pool_backward(input_shape, output, indices, output_grad);
            grads.register::<B>(parent.id, input_grad);
        }
    }
}

/// The fused kernels on flex tensors (f32, any strides; other dtypes take burn's own ops).
#[cfg(feature = "flex")]
mod flex_kernels {
    use burn::backend::Flex;
    use burn::backend::flex::FlexTensor;
    use burn::tensor::{DType, Shape, TensorData};

    use super::composed;
    use crate::ops::storage::{values, zeros};

    /// ReLU then 2×2 max-pool; with `want_indices`, also each output's argmax in its plane.
    pub fn forward(x: FlexTensor, want_indices: bool) -> (FlexTensor, Option<FlexTensor>) {
        if x.dtype() != DType::F32 {
            return if want_indices {
                let (output, indices) = composed::forward_with_indices::<Flex>(x);
                (output, Some(indices))
            } else {
                (composed::forward::<Flex>(x), None)
            };
        }
        if is_channels_last(&x) {
            return forward_channels_last(&x, want_indices);
        }
        let x = x.to_contiguous();
        let shape = x.layout().shape().clone();
        assert_eq!(shape.num_dims(), 4, "relu_max_pool takes a 4-D tensor");
        let (height, width) = (shape[2], shape[3]);
        assert!(
            height % 2 == 0 && width % 2 == 0,
            "relu_max_pool needs an even height and width, got {shape:?}"
        );
        let data = values(&x);
        let (out_h, out_w) = (height / 2, width / 2);
        let outputs = data.len() / 4;
        let out_shape = Shape::from(vec![shape[0], shape[1], out_h, out_w]);
        let mut output = zeros(out_shape.clone());
        let pooled = output.storage_mut::<f32>();
        let mut indices = Vec::with_capacity(if want_indices { outputs } else { 0 });
        // Row pairs of every plane: input rows 2·oh and 2·oh + 1 give output row oh.
        for (rows, out_row) in data
            .chunks_exact(2 * width)
            .zip(pooled.chunks_exact_mut(out_w))
        {
            let (top, bottom) = rows.split_at(width);
            for (ow, (up, down)) in top.chunks_exact(2).zip(bottom.chunks_exact(2)).enumerate() {
                let (max, at) = relu_window_max([up[0], up[1], down[0], down[1]], width);
                out_row[ow] = max;
                if want_indices {
                    indices.push((2 * ow + at) as i64);
                }
            }
        }
        if want_indices {
            // Make each index relative to its plane: add the row pair's offset 2·oh·width.
            for (row, chunk) in indices.chunks_exact_mut(out_w).enumerate() {
                let offset = (2 * (row % out_h) * width) as i64;
                chunk.iter_mut().for_each(|index| *index += offset);
            }
        }
        let indices =
            want_indices.then(|| FlexTensor::from_data(TensorData::new(indices, out_shape)));
        (output, indices)
    }

    /// Whether `x` is a `[batch, channels, height, width]` view of channels-last storage, as
    /// the convolution op returns its output.
    fn is_channels_last(x: &FlexTensor) -> bool {
        let shape = x.layout().shape();
        let strides = x.layout().strides();
        if shape.num_dims() != 4 {
            return false;
        }
        let (channels, height, width) = (shape[1] as isize, shape[2] as isize, shape[3] as isize);
        strides == [height * width * channels, 1, width * channels, channels]
    }

    /// [`forward`] reading channels-last storage: the four values of a window are four
    /// contiguous runs over the channels. The output is contiguous `[batch, channels, …]`.
    fn forward_channels_last(
        x: &FlexTensor,
        want_indices: bool,
    ) -> (FlexTensor, Option<FlexTensor>) {
        let shape = x.layout().shape().clone();
        let [batch, channels, height, width] = [shape[0], shape[1], shape[2], shape[3]];
        assert!(
            height % 2 == 0 && width % 2 == 0,
            "relu_max_pool needs an even height and width, got {shape:?}"
        );
        let start = x.layout().start_offset();
        let data = &x.storage::<f32>()[start..start + shape.num_elements()];
        let (out_h, out_w) = (height / 2, width / 2);
        let out_plane = out_h * out_w;
        let outputs = batch * channels * out_plane;
        let out_shape = Shape::from(vec![batch, channels, out_h, out_w]);
        let mut output = zeros(out_shape.clone());
        let pooled = output.storage_mut::<f32>();
        let mut indices = vec![0i64; if want_indices { outputs } else { 0 }];
        let row = width * channels;
        for b in 0..batch {
            for oh in 0..out_h {
                for ow in 0..out_w {
                    let top_left = ((b * height + 2 * oh) * width + 2 * ow) * channels;
                    let up = &data[top_left..top_left + 2 * channels];
                    let down = &data[top_left + row..top_left + row + 2 * channels];
                    let first = b * channels * out_plane + oh * out_w + ow;
                    let at_top_left = 2 * oh * width + 2 * ow;
                    for c in 0..channels {
                        let window = [up[c], up[channels + c], down[c], down[channels + c]];
                        let (max, at) = relu_window_max(window, width);
                        let out = first + c * out_plane;
                        pooled[out] = max;
                        if want_indices {
                            indices[out] = (at_top_left + at) as i64;
                        }
                    }
                }
            }
        }
        let indices =
            want_indices.then(|| FlexTensor::from_data(TensorData::new(indices, out_shape)));
        (output, indices)
    }

    /// `value`'s bits as an `i32`: for values of at least zero (the only maxima ReLU keeps)
    /// they order as the values do, and every negative value orders below zero, so the
    /// window's maximum, clamped at 0, is ReLU's. Compared as integers, the selections need
    /// no branch (x86-64 has conditional moves for integers only); compared as floats, the
    /// page trained about 6% slower, as if the browser branched on each comparison and the
    /// activations' random order made it guess wrong half the time (README, Performance).
    fn ordered_bits(value: f32) -> i32 {
        value.to_bits() as i32
    }

    /// ReLU of the largest of a window's four values (reading order: top left, top right,
    /// bottom left, bottom right), compared as [`ordered_bits`], and its offset from the top
    /// left in a plane `width` wide; the first maximum wins ties, as in burn's and Keras'
    /// pools. The offset matters only when the maximum is positive (it is never used
    /// otherwise).
    fn relu_window_max(window: [f32; 4], width: usize) -> (f32, usize) {
        let [a, b, c, d] = window.map(ordered_bits);
        let (up, up_at) = if b > a { (b, 1) } else { (a, 0) };
        let (down, down_at) = if d > c { (d, width + 1) } else { (c, width) };
        let (max, at) = if down > up {
            (down, down_at)
        } else {
            (up, up_at)
        };
        (f32::from_bits(max.max(0) as u32), at)
    }

    /// The input's gradient: zeros except each positive output's gradient at its argmax,
    /// stored channels-last and seen as `[batch, channels, height, width]`.
    pub fn backward(
        input_shape: Shape,
        output: FlexTensor,
        indices: FlexTensor,
        output_grad: FlexTensor,
    ) -> FlexTensor {
        if output_grad.dtype() != DType::F32 || indices.dtype() != DType::I64 {
            return composed::backward::<Flex>(input_shape, output, indices, output_grad);
        }
        let output_grad = output_grad.to_contiguous();
        let grad = values(&output_grad);
        // The forward made `output` and `indices` contiguous from offset 0.
        let pooled: &[f32] = output.storage();
        let argmax: &[i64] = indices.storage();
        // Written channels-last, the layout the convolution's backward pass reads.
        let [batch, channels, height, width] = [
            input_shape[0],
            input_shape[1],
            input_shape[2],
            input_shape[3],
        ];
        let plane = height * width;
        let out_plane = plane / 4;
        let mut stored = zeros(Shape::new([batch, height, width, channels]));
        let input_grad = stored.storage_mut::<f32>();
        for (p, target) in input_grad.chunks_exact_mut(plane * channels).enumerate() {
            for c in 0..channels {
                let range = (p * channels + c) * out_plane..(p * channels + c + 1) * out_plane;
                for ((&g, &value), &at) in grad[range.clone()]
                    .iter()
                    .zip(&pooled[range.clone()])
                    .zip(&argmax[range])
                {
                    // Without a branch, as in the forward pass: the window's maximum gets
                    // `g` if it was kept (positive), else the zero it already holds.
                    let kept = ordered_bits(value) > 0;
                    target[at as usize * channels + c] = f32::from_bits(g.to_bits() * kept as u32);
                }
            }
        }
        let view = stored.layout().permute(&[0, 3, 1, 2]);
        stored.with_layout(view)
    }
}

#[cfg(test)]
mod tests {
    use burn::nn::pool::MaxPool2dConfig;
    use burn::tensor::activation::relu;
    use burn::tensor::{Device, Tolerance};

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::output_and_grad;

    /// burn's own ops, which the fused op must equal.
    fn reference(x: Tensor<4>) -> Tensor<4> {
        let pool = MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init();
        pool.forward(relu(x))
    }

    /// Small integers, so that windows hold ties and all-negative windows occur.
    fn input(shape: [usize; 4], device: &Device) -> Tensor<4> {
        let count: usize = shape.iter().product();
        let values: Vec<f32> = (0..count)
            .map(|i| ((i * 7919 + 13) % 9) as f32 - 4.0)
            .collect();
        Tensor::from_data(burn::tensor::TensorData::new(values, shape), device)
    }

    fn layouts(x: Tensor<4>) -> [Tensor<4>; 2] {
        // The same values stored channels-last, seen through a permuted view.
        let device = x.device();
        let nhwc = Tensor::<4>::from_data(x.clone().permute([0, 2, 3, 1]).into_data(), &device);
        [x, nhwc.permute([0, 3, 1, 2])]
    }

    #[test]
    fn forward_equals_relu_then_max_pool_on_every_backend_and_layout() {
        for kind in BackendKind::ALL {
            let device = kind.device();
            for shape in [[3, 16, 8, 8], [2, 32, 4, 4], [5, 64, 2, 2], [1, 1, 2, 6]] {
                for x in layouts(input(shape, &device)) {
                    let fused = relu_max_pool(x.clone());
                    assert_eq!(
                        fused.dims(),
                        [shape[0], shape[1], shape[2] / 2, shape[3] / 2]
                    );
                    fused.into_data().assert_eq(&reference(x).into_data(), true);
                }
            }
        }
    }

    #[test]
    fn gradient_equals_relu_then_max_pool_on_every_backend_and_layout() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for shape in [[3, 16, 8, 8], [2, 32, 4, 4], [5, 64, 2, 2]] {
                let out = [shape[0], shape[1], shape[2] / 2, shape[3] / 2];
                let weights = input(out, &device).add_scalar(0.5);
                let gradient = |pool: fn(Tensor<4>) -> Tensor<4>, x: Tensor<4>| {
                    output_and_grad(x, weights.clone(), pool).1
                };
                for x in layouts(input(shape, &device)) {
                    let fused = gradient(relu_max_pool, x.clone().detach());
                    let expected = gradient(reference, x.detach());
                    fused.assert_approx_eq::<f32>(&expected, Tolerance::absolute(0.0));
                }
            }
        }
    }

    #[test]
    fn first_maximum_of_a_window_takes_the_gradient() {
        let device = BackendKind::Flex.training_device();
        let x = Tensor::<4>::from_data([[[[2.0, 2.0], [2.0, -1.0]]]], &device).require_grad();
        let grads = relu_max_pool(x.clone()).sum().backward();
        let grad = x.grad(&grads).unwrap().into_data();
        grad.assert_eq(
            &burn::tensor::TensorData::from([[[[1.0f32, 0.0], [0.0, 0.0]]]]),
            true,
        );
    }
}
