//! One Adam update of a parameter as a burn backend extension.
//!
//! burn's `Adam` updates each parameter in a dozen tensor operations (scalings, sums, a
//! square, a square root, a division, the step itself), each a pass over the parameter that
//! allocates its output: about 2% of a training step in the browser, most of it on the dense
//! layers' weights. On flex this op is one pass over the parameter, its gradient and its two
//! moments, doing the same f32 operations in the same order (no fused multiply-add), so its
//! results are burn's to the bit. On ndarray the default body composes burn's own ops as
//! burn's `Adam` does.

// The macro names ndarray's backend type, deprecated upstream: selectable on purpose, see
// `crate::backend`.
#![allow(deprecated)]

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::tensor::Tensor;

/// One step's scalars, computed once for every parameter (the names are Keras' and the
/// paper's; `t` counts steps from 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamFactors {
    /// β₁, the first moment's decay.
    pub beta_1: f32,
    /// β₂, the second moment's decay.
    pub beta_2: f32,
    /// √(1 − β₂ᵗ) / (1 − β₁ᵗ): both moments' bias corrections, folded into one factor.
    pub step_size: f32,
    /// ε · √(1 − β₂ᵗ): ε, scaled like the second moment's root.
    pub epsilon: f32,
    /// The learning rate.
    pub learning_rate: f32,
}

impl AdamFactors {
    /// The factors of step `time` (from 1), as burn's `Adam` computes them.
    pub fn new(beta_1: f32, beta_2: f32, epsilon: f32, learning_rate: f64, time: usize) -> Self {
        let time = i32::try_from(time).expect("fewer than 2³¹ steps");
        let correction_2 = (1.0 - beta_2.powi(time)).sqrt();
        Self {
            beta_1,
            beta_2,
            step_size: correction_2 / (1.0 - beta_1.powi(time)),
            epsilon: epsilon * correction_2,
            learning_rate: learning_rate as f32,
        }
    }
}

/// `[parameter, first moment, second moment]` after one Adam step with `grad`:
/// `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`, `p ← p − lr · (m · step_size) / (√v + ε)`.
pub fn adam_step<const D: usize>(
    parameter: Tensor<D>,
    grad: Tensor<D>,
    [moment_1, moment_2]: [Tensor<D>; 2],
    factors: AdamFactors,
) -> [Tensor<D>; 3] {
    let (parameter, moment_1, moment_2) = <burn::backend::Dispatch as AdamBackend>::adam_step(
        parameter.into_dispatch(),
        grad.into_dispatch(),
        moment_1.into_dispatch(),
        moment_2.into_dispatch(),
        factors,
    );
    [parameter, moment_1, moment_2].map(Tensor::from_dispatch)
}

/// The backend extension behind [`adam_step`]. The default body composes burn's own ops.
///
/// No autodiff routing: burn's module optimizer steps on the parameters' inner tensors, so
/// none arrives inside a graph, and the routing's arm, with the composed body inlined into
/// it, made the dispatch function the browser optimises 57 KB.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"))]
pub trait AdamBackend: Backend {
    /// The updated parameter and moments.
    fn adam_step(
        parameter: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        factors: AdamFactors,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        composed::<Self>(parameter, grad, moment_1, moment_2, factors)
    }
}

/// The step in burn's own ops, in the order burn's `Adam` applies them: the default body, and
/// flex's path for dtypes other than f32. Never inlined (nor by wasm-opt: `index.html`), so
/// that flex's kernel, which the browser optimises, stays small.
#[inline(never)]
fn composed<B: Backend>(
    parameter: FloatTensor<B>,
    grad: FloatTensor<B>,
    moment_1: FloatTensor<B>,
    moment_2: FloatTensor<B>,
    f: AdamFactors,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let moment_1 = B::float_add(
        B::float_mul_scalar(moment_1, f.beta_1.into()),
        B::float_mul_scalar(grad.clone(), (1.0 - f.beta_1).into()),
    );
    let moment_2 = B::float_add(
        B::float_mul_scalar(moment_2, f.beta_2.into()),
        B::float_mul_scalar(B::float_mul(grad.clone(), grad), (1.0 - f.beta_2).into()),
    );
    let update = B::float_div(
        B::float_mul_scalar(moment_1.clone(), f.step_size.into()),
        B::float_add_scalar(B::float_sqrt(moment_2.clone()), f.epsilon.into()),
    );
    let parameter = B::float_sub(
        parameter,
        B::float_mul_scalar(update, f.learning_rate.into()),
    );
    (parameter, moment_1, moment_2)
}

#[cfg(feature = "ndarray")]
impl AdamBackend for burn::backend::NdArray {}

#[cfg(feature = "flex")]
impl AdamBackend for burn::backend::Flex {
    fn adam_step(
        parameter: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        f: AdamFactors,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        use burn::backend::TensorMetadata;
        use burn::tensor::DType;

        use super::storage::{values, zeros};

        let tensors = [&parameter, &grad, &moment_1, &moment_2];
        if tensors.iter().any(|tensor| tensor.dtype() != DType::F32) {
            return composed::<Self>(parameter, grad, moment_1, moment_2, f);
        }
        let [parameter, grad, moment_1, moment_2] = tensors.map(|tensor| tensor.to_contiguous());
        let shape = parameter.shape();
        let mut outputs = [(); 3].map(|_| zeros(shape.clone()));
        let [new_parameter, new_moment_1, new_moment_2] = &mut outputs;
        let (decay_1, decay_2) = (1.0 - f.beta_1, 1.0 - f.beta_2);
        let inputs = values(&parameter)
            .iter()
            .zip(values(&grad))
            .zip(values(&moment_1).iter().zip(values(&moment_2)));
        let outputs_of = new_parameter
            .storage_mut::<f32>()
            .iter_mut()
            .zip(new_moment_1.storage_mut::<f32>())
            .zip(new_moment_2.storage_mut::<f32>());
        for (((p, &g), (&m, &v)), ((new_p, new_m), new_v)) in inputs.zip(outputs_of) {
            let m = m * f.beta_1 + g * decay_1;
            let v = v * f.beta_2 + (g * g) * decay_2;
            let update = (m * f.step_size) / (v.sqrt() + f.epsilon);
            (*new_p, *new_m, *new_v) = (p - update * f.learning_rate, m, v);
        }
        let [new_parameter, new_moment_1, new_moment_2] = outputs;
        (new_parameter, new_moment_1, new_moment_2)
    }
}
