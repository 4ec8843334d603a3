//! Keras' `Flatten` as a burn backend extension whose backward step is a plain reshape.
//!
//! burn records a reshape with a backward step that first sums the gradient over any
//! dimension the reshape broadcast, which a flatten never does. With burn-flex's general
//! reduction inlined, that step is a 68 KB function, and the browser spent about half a
//! second of the first epochs optimising it, for one reshape a step. Here the backward
//! step reshapes the gradient back, nothing more; both directions are burn's own reshape.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, TensorMetadata, backend_extension};
use burn::tensor::{Shape, Tensor};

/// `[batch, channels, height, width]` maps as `[batch, channels · height · width]` vectors,
/// in the maps' row-major order, differentiable on every backend.
pub fn flatten(maps: Tensor<4>) -> Tensor<2> {
    Tensor::from_dispatch(<burn::backend::Dispatch as FlattenBackend>::flatten(
        maps.into_dispatch(),
    ))
}

/// The backend extension behind [`flatten`]. The default body is burn's own reshape.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait FlattenBackend: Backend {
    /// Every dimension after the first folded into one.
    fn flatten(maps: FloatTensor<Self>) -> FloatTensor<Self> {
        let shape = maps.shape();
        let rows = shape[0];
        Self::float_reshape(maps, Shape::new([rows, shape.num_elements() / rows.max(1)]))
    }
}

#[cfg(feature = "ndarray")]
impl FlattenBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl FlattenBackend for burn::backend::Flex {}

/// The autodiff step: the maps' shape, kept to reshape the gradient back.
impl<B: FlattenBackend, C: CheckpointStrategy> FlattenBackend for Autodiff<B, C> {
    fn flatten(maps: FloatTensor<Self>) -> FloatTensor<Self> {
        let (maps, node) = maps.into_parts();
        match FlattenStep.prepare::<C>([node]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let shape = maps.shape();
                prep.finish(shape, B::flatten(maps))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::flatten(maps)),
        }
    }
}

/// The backward step of [`flatten`] in an autodiff graph.
#[derive(Debug)]
struct FlattenStep;

impl<B: FlattenBackend> Backward<B, 1> for FlattenStep {
    type State = Shape;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        if let Some(parent) = parent {
            grads.register::<B>(parent.id, B::float_reshape(grad, ops.state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::{output_and_grad, varied};

    #[test]
    fn equals_burns_flatten_and_its_gradient_to_the_bit_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for shape in [[3, 16, 4, 4], [2, 64, 1, 1], [1, 1, 2, 3]] {
                let maps = varied(shape, 1, &device);
                let weights = varied([shape[0], shape[1] * shape[2] * shape[3]], 2, &device);
                let run = |f: fn(Tensor<4>) -> Tensor<2>| {
                    output_and_grad(maps.clone(), weights.clone(), f)
                };
                let burns: fn(Tensor<4>) -> Tensor<2> = |x| x.flatten(1, 3);
                assert_eq!(run(flatten), run(burns));
            }
        }
    }
}
