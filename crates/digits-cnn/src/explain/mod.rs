//! Why the network answers as it does, for one image: which pixels its answer leans on
//! ([`occlusion`], [`saliency`]), what its first convolution's filters are and how one
//! number of their maps is computed ([`first_conv`], [`conv_arithmetic`]). And, for the whole
//! network during training, what its layers hold ([`weight_histograms`]: every weighted layer's
//! weights and last gradients binned) and where it puts the digits ([`projection`]: the test
//! rows' last hidden activations on their two principal axes).
//!
//! The inputs are 8×8, so every explanation is exact and cheap: occlusion is one forward
//! pass over 64 occluded copies, saliency one backward pass. The page's worker computes
//! them (`crates/digits-web/src/session/explain.rs`) and its explain section draws them
//! (`crates/digits-web/src/app/explain.rs`); the histograms and the projection are sent during a
//! run by `session/inside.rs` and drawn in the page's "Inside the network" section.

use serde::{Deserialize, Serialize};

use crate::CLASSES;
use crate::backend::BackendKind;
use crate::data::Image;
use crate::metrics::predicted_class;
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, probabilities};

pub mod conv_arithmetic;
pub mod first_conv;
pub mod occlusion;
pub mod projection;
pub mod saliency;
pub mod weight_histograms;

pub use conv_arithmetic::ConvArithmetic;
pub use first_conv::FirstConv;
pub use occlusion::{Occlusion, occlusion};
pub use saliency::saliency;

/// What the explain section shows for one image and one class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The class explained: the one asked for, else the predicted one.
    pub class: u8,
    /// The class the network predicts.
    pub predicted: u8,
    /// Its class probabilities for the image.
    pub probabilities: [f32; CLASSES],
    /// 64 drops in the class's probability, row-major (see [`occlusion`]).
    pub occlusion: Vec<f32>,
    /// 64 gradient magnitudes of the class's logit, row-major (see [`saliency`]).
    pub saliency: Vec<f32>,
    /// The first convolution laid open, `None` for a network without one.
    pub first_conv: Option<FirstConv>,
}

/// Explains `model`'s answer for `image` (inputs scaled by `scale`, computed on `backend`):
/// for `class`, or for the predicted class when it is `None`.
pub fn explain(
    model: &DigitsCnn,
    image: &Image,
    scale: InputScale,
    backend: BackendKind,
    class: Option<u8>,
    occlusion_kind: Occlusion,
) -> Explanation {
    let device = backend.device();
    let probabilities = probabilities(model, std::slice::from_ref(image), scale, &device)[0];
    let predicted = predicted_class(&probabilities);
    let class = class.unwrap_or(predicted);
    Explanation {
        class,
        predicted,
        probabilities,
        occlusion: occlusion(model, image, scale, &device, class, occlusion_kind).to_vec(),
        saliency: saliency(model, image, scale, backend, class).to_vec(),
        first_conv: FirstConv::of(model, image, scale, &device),
    }
}
