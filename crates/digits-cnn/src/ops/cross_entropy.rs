//! The training loss, softmax cross-entropy from logits, as one burn backend extension.
//!
//! burn's `cross_entropy_with_logits` is a log-softmax (a max, two subtractions, an `exp`, a
//! sum, a `log`), a product with the targets, a sum, a mean and a negation: ten tensor ops
//! forward and more backward, on a `[batch, 10]` tensor. Cheap to run, but each is a large
//! generic kernel of burn-flex (broadcasting binary ops, reductions, copies to contiguous),
//! and in the browser the optimising compiler spends about two seconds of the first
//! epochs on them, time taken from training on a machine with no spare core. This op is one
//! pass over the rows forward, and one backward (`(Σt · softmax − t) / n`), recomputing the
//! softmax rather than keeping it.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, TensorMetadata, backend_extension};
use burn::tensor::Tensor;

/// The mean over rows of `−Σ targets · log_softmax(logits)`, shape `[1]`, as burn's
/// `cross_entropy_with_logits`: differentiable in the logits on every backend (the targets
/// are data).
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    Tensor::from_dispatch(
        <burn::backend::Dispatch as CrossEntropyBackend>::cross_entropy(
            logits.into_dispatch(),
            targets.into_dispatch(),
        ),
    )
}

/// The backend extension behind [`cross_entropy`]. The default bodies compose burn's own ops.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait CrossEntropyBackend: Backend {
    /// The loss of `[rows, classes]` logits against target probabilities of the same shape.
    fn cross_entropy(logits: FloatTensor<Self>, targets: FloatTensor<Self>) -> FloatTensor<Self> {
        composed::forward::<Self>(logits, targets)
    }

    /// The logits' gradient, given the loss' gradient `grad` (shape `[1]`).
    fn cross_entropy_backward(
        logits: FloatTensor<Self>,
        targets: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        composed::backward::<Self>(logits, targets, grad)
    }
}

/// The loss and its gradient in burn's own ops, on any backend. Never inlined (nor by
/// wasm-opt: `index.html`): as flex's fallback for other dtypes, inlined it made the f32
/// kernel's function 46 KB, all of which the browser compiles once the kernel is hot.
mod composed {
    use burn::backend::ops::ActivationOps;
    use burn::backend::tensor::FloatTensor;
    use burn::backend::{Backend, TensorMetadata};

    #[inline(never)]
    pub fn forward<B: Backend>(logits: FloatTensor<B>, targets: FloatTensor<B>) -> FloatTensor<B> {
        let per_row = B::float_sum_dim(
            B::float_mul(<B as ActivationOps<B>>::log_softmax(logits, 1), targets),
            1,
        );
        B::float_neg(B::float_mean(per_row))
    }

    #[inline(never)]
    pub fn backward<B: Backend>(
        logits: FloatTensor<B>,
        targets: FloatTensor<B>,
        grad: FloatTensor<B>,
    ) -> FloatTensor<B> {
        let rows = targets.shape()[0];
        let target_sums = B::float_sum_dim(targets.clone(), 1);
        let difference = B::float_sub(
            B::float_mul(<B as ActivationOps<B>>::softmax(logits, 1), target_sums),
            targets,
        );
        B::float_div_scalar(B::float_mul(difference, grad), (rows as f32).into())
    }
}

#[cfg(feature = "ndarray")]
impl CrossEntropyBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl CrossEntropyBackend for burn::backend::Flex {
    fn cross_entropy(logits: FloatTensor<Self>, targets: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::tensor::{DType, Shape};

        if logits.dtype() != DType::F32 || targets.dtype() != DType::F32 {
            return composed::forward::<Self>(logits, targets);
        }
        let (logits, targets) = (logits.to_contiguous(), targets.to_contiguous());
        let classes = logits.shape()[1];
        let rows = super::storage::values(&logits).chunks_exact(classes);
        let sum: f64 = rows
            .zip(super::storage::values(&targets).chunks_exact(classes))
            .map(|(row, target)| {
                let (max, log_sum) = log_sum_exp(row);
                let loss: f32 = row
                    .iter()
                    .zip(target)
                    .map(|(&z, &t)| t * (log_sum - (z - max)))
                    .sum();
                f64::from(loss)
            })
            .sum();
        let mut output = super::storage::zeros(Shape::new([1]));
        output.storage_mut::<f32>()[0] = (sum / logits.shape()[0] as f64) as f32;
        output
    }

    fn cross_entropy_backward(
        logits: FloatTensor<Self>,
        targets: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        use burn::tensor::DType;

        if [&logits, &targets, &grad]
            .iter()
            .any(|tensor| tensor.dtype() != DType::F32)
        {
            return composed::backward::<Self>(logits, targets, grad);
        }
        let [logits, targets, grad] = [logits, targets, grad].map(|t| t.to_contiguous());
        let shape = logits.shape();
        let scale = super::storage::values(&grad)[0] / shape[0] as f32;
        let mut output = super::storage::zeros(shape.clone());
        let classes = shape[1];
        let rows = super::storage::values(&logits)
            .chunks_exact(classes)
            .zip(super::storage::values(&targets).chunks_exact(classes))
            .zip(output.storage_mut::<f32>().chunks_exact_mut(classes));
        for ((row, target), out) in rows {
            let (max, log_sum) = log_sum_exp(row);
            let target_sum: f32 = target.iter().sum();
            for ((&z, &t), out) in row.iter().zip(target).zip(out) {
                let probability = (z - max - log_sum).exp();
                *out = (target_sum * probability - t) * scale;
            }
        }
        output
    }
}

/// A row's maximum `m` and `log Σ e^(z − m)`: its log-sum-exp is their sum, computed so no
/// exponential overflows.
#[cfg(feature = "flex")]
fn log_sum_exp(row: &[f32]) -> (f32, f32) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
    (max, sum.ln())
}

/// The autodiff step: the inner backend's loss, keeping the logits and targets for a
/// backward step that recomputes the softmax.
impl<B: CrossEntropyBackend, C: CheckpointStrategy> CrossEntropyBackend for Autodiff<B, C> {
    fn cross_entropy(logits: FloatTensor<Self>, targets: FloatTensor<Self>) -> FloatTensor<Self> {
        let (logits, node) = logits.into_parts();
        let (targets, _) = targets.into_parts();
        match CrossEntropyStep
            .prepare::<C>([node])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let loss = B::cross_entropy(logits.clone(), targets.clone());
                prep.finish((logits, targets), loss)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::cross_entropy(logits, targets)),
        }
    }
}

/// The backward step of [`cross_entropy`] in an autodiff graph.
#[derive(Debug)]
struct CrossEntropyStep;

impl<B: CrossEntropyBackend> Backward<B, 1> for CrossEntropyStep {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (logits, targets) = ops.state;
        if let Some(parent) = parent {
            grads.register::<B>(parent.id, B::cross_entropy_backward(logits, targets, grad));
        }
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::loss::cross_entropy_with_logits;
    use burn::tensor::{TensorData, Tolerance};

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::{output_and_grad, varied};

    /// Rows of target probabilities: one-hot rows, then a smoothed one, then one whose
    /// probabilities do not sum to 1 (the formula holds for any targets).
    fn targets(rows: usize, classes: usize, device: &burn::tensor::Device) -> Tensor<2> {
        let values: Vec<f32> = (0..rows * classes)
            .map(|i| {
                let (row, class) = (i / classes, i % classes);
                match row % 5 {
                    3 => 0.1 / classes as f32 + if class == 2 { 0.9 } else { 0.0 },
                    4 => 0.5,
                    _ => f32::from(u8::from(class == (row * 7) % classes)),
                }
            })
            .collect();
        Tensor::from_data(TensorData::new(values, [rows, classes]), device)
    }

    #[test]
    fn equals_burns_cross_entropy_and_its_gradient_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            for (rows, classes, spread) in
                [(1, 10, 1.0), (7, 10, 1.0), (128, 10, 40.0), (5, 3, 1.0)]
            {
                let logits = varied([rows, classes], rows, &device) * spread;
                let targets = targets(rows, classes, &device);
                // Weighted, so the backward step's upstream gradient is not 1.
                let weight = Tensor::<1>::from_data(TensorData::from([3.0f32]), &device);
                let run = |f: fn(Tensor<2>, Tensor<2>) -> Tensor<1>| {
                    output_and_grad(logits.clone(), weight.clone(), |x| f(x, targets.clone()))
                };
                let (fast, fast_grad) = run(cross_entropy);
                let (burn, burn_grad) = run(cross_entropy_with_logits);
                let tolerance = Tolerance::absolute(1e-5).set_relative(1e-5);
                fast.assert_approx_eq::<f32>(&burn, tolerance);
                fast_grad.assert_approx_eq::<f32>(&burn_grad, tolerance);
            }
        }
    }

    #[test]
    fn large_logits_do_not_overflow() {
        let device = BackendKind::Flex.device();
        let logits = Tensor::<2>::from_data(TensorData::from([[1000.0f32, 0.0, -1000.0]]), &device);
        let targets = Tensor::<2>::from_data(TensorData::from([[0.0f32, 1.0, 0.0]]), &device);
        cross_entropy(logits, targets)
            .into_data()
            .assert_approx_eq::<f32>(&TensorData::from([1000.0f32]), Tolerance::default());
    }
}
