//! Turning images into tensors and class probabilities.
//!
//! Training ([`crate::training`]), evaluation ([`crate::metrics`]), the page's draw section
//! and a loaded model file all predict through these functions, so an input is scaled the
//! same way everywhere.

use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::data::Image;
use crate::model::DigitsCnn;
use crate::{CLASSES, MAX_PIXEL, PIXELS, SIDE};

/// Rows per forward pass when predicting many images: bounds the memory of one pass, and
/// keeps its buffers in cache. In the browser, the per-epoch evaluation of 1,124 rows in
/// passes of 128 (the batch size) made training 3-4% faster than passes of 1,024 (the
/// im2col and pooling buffers of a 1,024-row pass are megabytes); natively it is the same.
pub(crate) const CHUNK: usize = 128;

/// How pixel values 0..16 are fed to the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputScale {
    /// As stored, 0..16: what the notebook did.
    #[default]
    Raw,
    /// Divided by 16, into 0..1.
    Unit,
}

impl InputScale {
    /// The factor each stored pixel is multiplied by.
    pub fn factor(self) -> f32 {
        match self {
            InputScale::Raw => 1.0,
            InputScale::Unit => 1.0 / MAX_PIXEL as f32,
        }
    }

    /// The name used on the command line and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            InputScale::Raw => "raw",
            InputScale::Unit => "unit",
        }
    }
}

impl std::str::FromStr for InputScale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "raw" => Ok(InputScale::Raw),
            "unit" => Ok(InputScale::Unit),
            other => Err(format!("unknown scale `{other}` (expected raw or unit)")),
        }
    }
}

/// Images as a `[n, 1, 8, 8]` tensor on `device`, scaled.
pub fn images_tensor(images: &[Image], scale: InputScale, device: &Device) -> Tensor<4> {
    let factor = scale.factor();
    let values: Vec<f32> = images
        .iter()
        .flat_map(|image| image.iter().map(move |&p| f32::from(p) * factor))
        .collect();
    Tensor::from_data(
        TensorData::new(values, [images.len(), 1, SIDE, SIDE]),
        device,
    )
}

/// A tensor's values read back, in its row-major order: the network's weights,
/// activations and gradients are all f32.
pub fn tensor_values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data()
        .try_into_vec::<f32>()
        .expect("the network's tensors are f32")
}

/// Softmax of a `[n, 10]` logits tensor, read back as one array per row.
pub fn read_probabilities(logits: Tensor<2>) -> Vec<[f32; CLASSES]> {
    read_logits(logits).into_iter().map(softmax).collect()
}

/// A `[n, 10]` logits tensor read back as one array per row.
pub fn read_logits(logits: Tensor<2>) -> Vec<[f32; CLASSES]> {
    tensor_values(logits)
        .chunks_exact(CLASSES)
        .map(|row| row.try_into().expect("rows of ten"))
        .collect()
}

/// `e^(z − max) / Σ e^(z − max)` of one row, as burn's softmax computes it. On the host:
/// ten values a row, where burn's tensor ops were five generic kernels that the browser
/// spent its optimising compiler on every run.
fn softmax(logits: [f32; CLASSES]) -> [f32; CLASSES] {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps = logits.map(|z| (z - max).exp());
    let sum: f32 = exps.iter().sum();
    exps.map(|e| e / sum)
}

/// Class probabilities for each image, from a model in evaluation mode on `device`.
pub fn probabilities(
    model: &DigitsCnn,
    images: &[Image],
    scale: InputScale,
    device: &Device,
) -> Vec<[f32; CLASSES]> {
    images
        .chunks(CHUNK)
        .flat_map(|chunk| {
            read_probabilities(model.forward(images_tensor(chunk, scale, device), None))
        })
        .collect()
}

const _: () = assert!(PIXELS == SIDE * SIDE);
