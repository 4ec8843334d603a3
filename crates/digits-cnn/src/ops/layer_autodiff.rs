//! The autodiff side shared by the ops of a layer with a weight and a bias (the convolution
//! and the dense product): recording the forward pass, and registering the parameters'
//! gradients in the backward step.

use burn::backend::autodiff::NodeId;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend};

/// The op of `[x, weight, bias]` recorded for `step`: when a gradient is wanted, `tracked`
/// computes the output and what the backward step keeps; otherwise `untracked` computes the
/// output alone.
pub fn forward<B, C, S>(
    step: S,
    [x, weight, bias]: [FloatTensor<Autodiff<B, C>>; 3],
    tracked: impl FnOnce(FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) -> (S::State, FloatTensor<B>),
    untracked: impl FnOnce(FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) -> FloatTensor<B>,
) -> FloatTensor<Autodiff<B, C>>
where
    B: Backend,
    C: CheckpointStrategy,
    S: Backward<B, 3>,
{
    let (x, x_node) = x.into_parts();
    let (weight, weight_node) = weight.into_parts();
    let (bias, bias_node) = bias.into_parts();
    match step
        .prepare::<C>([x_node, weight_node, bias_node])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => {
            let (state, output) = tracked(x, weight, bias);
            prep.finish(state, output)
        }
        OpsKind::UnTracked(prep) => prep.finish(untracked(x, weight, bias)),
    }
}

/// Registers the weight's and the bias' gradients for those of `[weight, bias]` that want
/// one; `compute` runs only if one does.
pub fn register_parameter_grads<B: Backend>(
    grads: &mut Gradients,
    [weight, bias]: [Option<NodeId>; 2],
    compute: impl FnOnce() -> (FloatTensor<B>, FloatTensor<B>),
) {
    if weight.is_none() && bias.is_none() {
        return;
    }
    let (weight_grad, bias_grad) = compute();
    if let Some(id) = weight {
        grads.register::<B>(id, weight_grad);
    }
    if let Some(id) = bias {
        grads.register::<B>(id, bias_grad);
    }
}
