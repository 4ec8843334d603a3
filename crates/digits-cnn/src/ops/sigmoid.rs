//! The logistic sigmoid as a burn backend extension, vectorised on flex.
//!
//! Both hidden dense layers end in a sigmoid. burn flex computes it one element at a time
//! with a branch and the math library's scalar `expf` (in wasm a software routine), about a
//! tenth of a training step. This kernel evaluates `exp` with the Cephes single-precision
//! polynomial (relative error about 1e-7, like `expf`) in branch-free code that the compiler
//! turns into SIMD, 128-bit lanes in wasm. The backward step is burn's own `sigmoid_backward`.

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

/// `1 / (1 + e^(−x))` element-wise, differentiable on every backend.
pub fn sigmoid<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    Tensor::from_dispatch(<burn::backend::Dispatch as SigmoidBackend>::logistic(
        x.into_dispatch(),
    ))
}

/// The backend extension behind [`sigmoid`]. The default body is burn's own sigmoid.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait SigmoidBackend: Backend {
    /// The sigmoid (logistic function) of every element.
    fn logistic(x: FloatTensor<Self>) -> FloatTensor<Self> {
        <Self as burn::backend::ops::ActivationOps<Self>>::sigmoid(x)
    }
}

#[cfg(feature = "ndarray")]
impl SigmoidBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl SigmoidBackend for burn::backend::Flex {
    fn logistic(x: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::tensor::DType;

        if x.dtype() != DType::F32 {
            return <Self as burn::backend::ops::ActivationOps<Self>>::sigmoid(x);
        }
        let x = x.to_contiguous();
        let mut output = super::storage::zeros(x.layout().shape().clone());
        for (out, &v) in output
            .storage_mut::<f32>()
            .iter_mut()
            .zip(super::storage::values(&x))
        {
            *out = logistic_of(v);
        }
        output
    }
}

/// Autodiff keeps the output; the backward step is `grad · s · (1 − s)`.
impl<B: SigmoidBackend, C: CheckpointStrategy> SigmoidBackend for Autodiff<B, C> {
    fn logistic(x: FloatTensor<Self>) -> FloatTensor<Self> {
        let (primitive, node) = x.into_parts();
        match SigmoidStep.prepare::<C>([node]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let output = B::logistic(primitive);
                prep.finish(output.clone(), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::logistic(primitive)),
        }
    }
}

/// The backward step of [`sigmoid`] in an autodiff graph.
#[derive(Debug)]
struct SigmoidStep;

impl<B: SigmoidBackend> Backward<B, 1> for SigmoidStep {
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        if let Some(parent) = parent {
            grads.register::<B>(parent.id, B::sigmoid_backward(ops.state, grad));
        }
    }
}

/// The sigmoid of one value, branch-free so that a loop over a slice vectorises:
/// with `e = e^(−|x|)`, `σ(|x|) = 1 / (1 + e)` and `σ(−|x|) = e · σ(|x|)`.
#[inline(always)]
fn logistic_of(x: f32) -> f32 {
    let e = exp_non_positive(-x.abs());
    let s = 1.0 / (1.0 + e);
    if x >= 0.0 { s } else { e * s }
}

/// `e^t` for `t ≤ 0` (Cephes `expf`: Cody–Waite reduction by ln 2, degree-6 polynomial),
/// without branches or library calls. Below −87.3 (where `e^t` leaves the normal range) it
/// returns `e^−87.3` ≈ 1.2e-38 instead of a subnormal or zero.
#[inline(always)]
fn exp_non_positive(t: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    const LN2_HIGH: f32 = 0.693_359_4;
    const LN2_LOW: f32 = -2.121_944_4e-4;
    let t = t.max(-87.3);
    // Round t·log2(e) to the nearest integer n (t ≤ 0, so truncating t·log2(e) − ½ does it).
    let n = (t * LOG2_E - 0.5) as i32;
    let nf = n as f32;
    let r = t - nf * LN2_HIGH - nf * LN2_LOW;
    let p = 1.987_569_1e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let er = p * r * r + r + 1.0;
    // e^t = e^r · 2^n, with 2^n built from its exponent bits (n ≥ −126 here).
    er * f32::from_bits(((n + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{TensorData, Tolerance};

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::output_and_grad;

    fn inputs() -> Vec<f32> {
        let mut values: Vec<f32> = (-2000..=2000).map(|i| i as f32 * 0.01).collect();
        values.extend([
            -200.0, -88.0, -87.0, -30.0, -0.0, 0.0, 1e-8, -1e-8, 30.0, 88.0, 200.0,
        ]);
        values
    }

    #[test]
    fn logistic_is_within_four_ulps_of_the_exact_value() {
        for x in inputs() {
            let exact = 1.0 / (1.0 + (-(x as f64)).exp());
            let got = logistic_of(x) as f64;
            // Relative, and absolute below e^−87.3 (see `exp_non_positive`).
            let tolerance = (4.0 * f32::EPSILON as f64 * exact).max(1.3e-38);
            assert!(
                (got - exact).abs() <= tolerance,
                "σ({x}) = {got}, exact {exact}"
            );
        }
    }

    #[test]
    fn equals_burns_sigmoid_forward_and_backward_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.training_device();
            let values = inputs();
            let shape = [values.len()];
            let weights = Tensor::<1>::from_data(
                TensorData::new(
                    (0..values.len())
                        .map(|i| (i % 7) as f32 - 3.0)
                        .collect::<Vec<_>>(),
                    shape,
                ),
                &device,
            );
            let run = |f: fn(Tensor<1>) -> Tensor<1>| {
                let x = Tensor::<1>::from_data(TensorData::new(values.clone(), shape), &device);
                output_and_grad(x, weights.clone(), f)
            };
            let (fast, fast_grad) = run(sigmoid);
            let (burn, burn_grad) = run(burn::tensor::activation::sigmoid);
            let tolerance = Tolerance::absolute(1e-6).set_relative(1e-6);
            fast.assert_approx_eq::<f32>(&burn, tolerance);
            fast_grad.assert_approx_eq::<f32>(&burn_grad, tolerance);
        }
    }

    #[test]
    fn keeps_the_shape_of_its_input() {
        let device = BackendKind::Flex.device();
        let x = Tensor::<2>::zeros([3, 5], &device);
        let y = sigmoid(x);
        assert_eq!(y.dims(), [3, 5]);
        y.into_data()
            .assert_approx_eq::<f32>(&TensorData::from([[0.5f32; 5]; 3]), Tolerance::default());
    }
}
