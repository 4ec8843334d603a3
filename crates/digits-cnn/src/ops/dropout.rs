//! Dropout's product with its mask as one burn backend extension.
//!
//! A dropout layer multiplies its input by a mask of zeros and `1 / (1 − rate)`, and its
//! backward step multiplies the gradient by the same mask. burn-flex runs both through its
//! general broadcasting `binary_op`, a 70 KB function that, in the browser, the optimising
//! compiler spends a few hundred milliseconds of the first epochs on; this kernel is one
//! small loop. The products are the same f32 multiplications, so the results are burn's to
//! the bit.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, backend_extension};
use burn::tensor::Tensor;

/// `x · mask` element-wise (both the same shape), differentiable in `x` on every backend
/// (the mask is data).
pub fn dropout<const D: usize>(x: Tensor<D>, mask: Tensor<D>) -> Tensor<D> {
    Tensor::from_dispatch(<burn::backend::Dispatch as DropoutBackend>::masked(
        x.into_dispatch(),
        mask.into_dispatch(),
    ))
}

/// The backend extension behind [`dropout`]. The default body is burn's own product.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait DropoutBackend: Backend {
    /// `x · mask`, element by element: the forward pass, and the backward pass with the
    /// output's gradient as `x`.
    fn masked(x: FloatTensor<Self>, mask: FloatTensor<Self>) -> FloatTensor<Self> {
        Self::float_mul(x, mask)
    }
}

#[cfg(feature = "ndarray")]
impl DropoutBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl DropoutBackend for burn::backend::Flex {
    fn masked(x: FloatTensor<Self>, mask: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::backend::TensorMetadata;
        use burn::backend::ops::FloatTensorOps;
        use burn::tensor::DType;

        use super::storage::{values, zeros};

        if x.dtype() != DType::F32 || mask.dtype() != DType::F32 || x.shape() != mask.shape() {
            return Self::float_mul(x, mask);
        }
        let mask = mask.to_contiguous();
        let count = x.shape().num_elements();
        // The backward step's gradient is usually this tensor's only reference: scaled in
        // place, as burn-flex's own product does, with no new buffer.
        if x.is_unique() && x.layout().contiguous_offsets() == Some((0, count)) {
            let mut x = x;
            for (v, &m) in x.storage_mut::<f32>()[..count]
                .iter_mut()
                .zip(values(&mask))
            {
                *v *= m;
            }
            return x;
        }
        let x = x.to_contiguous();
        let mut output = zeros(x.shape());
        for ((out, &v), &m) in output
            .storage_mut::<f32>()
            .iter_mut()
            .zip(values(&x))
            .zip(values(&mask))
        {
            *out = v * m;
        }
        output
    }
}

/// The autodiff step: the mask, kept for the backward step.
impl<B: DropoutBackend, C: CheckpointStrategy> DropoutBackend for Autodiff<B, C> {
    fn masked(x: FloatTensor<Self>, mask: FloatTensor<Self>) -> FloatTensor<Self> {
        let (x, node) = x.into_parts();
        let (mask, _) = mask.into_parts();
        match DropoutStep.prepare::<C>([node]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let output = B::masked(x, mask.clone());
                prep.finish(mask, output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::masked(x, mask)),
        }
    }
}

/// The backward step of [`dropout`] in an autodiff graph.
#[derive(Debug)]
struct DropoutStep;

impl<B: DropoutBackend> Backward<B, 1> for DropoutStep {
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        if let Some(parent) = parent {
            grads.register::<B>(parent.id, B::masked(grad, ops.state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::{output_and_grad, varied};

    #[test]
    fn equals_burns_product_and_its_gradient_to_the_bit_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for shape in [[3, 16, 4, 4], [1, 1, 1, 3]] {
                let x = varied(shape, 1, &device);
                let mask = crate::model::dropout_mask(
                    shape.iter().product(),
                    0.25,
                    &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7),
                );
                let mask =
                    Tensor::<4>::from_data(burn::tensor::TensorData::new(mask, shape), &device);
                let weights = varied(shape, 2, &device);
                let run = |f: fn(Tensor<4>, Tensor<4>) -> Tensor<4>| {
                    output_and_grad(x.clone(), weights.clone(), |x| f(x, mask.clone()))
                };
                let product: fn(Tensor<4>, Tensor<4>) -> Tensor<4> = |x, mask| x * mask;
                assert_eq!(run(dropout), run(product));
                // An input held nowhere else, scaled in place.
                let alone = || varied(shape, 1, &device);
                assert_eq!(
                    dropout(alone(), mask.clone()).into_data(),
                    (alone() * mask.clone()).into_data()
                );
            }
        }
    }
}
