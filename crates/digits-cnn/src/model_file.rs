//! Saving a trained model to bytes and loading it back.
//!
//! A model file is `DIGITLAB` (8 bytes), a format version (u32, little-endian), the length of
//! a JSON header (u32, little-endian), the header ([`ModelInfo`]), then the weights in burn's
//! burnpack format. The CLI and the page write and read the same files.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::model::DigitsCnn;
use crate::prediction::InputScale;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"DIGITLAB";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Names the network a file holds; a file for another network is refused.
pub const ARCHITECTURE: &str = "notebook-cnn-v1";
/// Largest file accepted (the weights take about 0.4 MB).
pub const MAX_MODEL_BYTES: usize = 8 * 1024 * 1024;
/// Largest JSON header accepted.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// What a model file says about its model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Always [`ARCHITECTURE`].
    pub architecture: String,
    /// The input scaling the model was trained with (it must be used for predictions).
    pub scale: InputScale,
    /// Epochs the model was trained for.
    pub epochs_trained: usize,
    /// Test accuracy when saved, if known.
    pub test_accuracy: Option<f64>,
    /// Where the training rows came from.
    pub data_source: String,
    /// The program that wrote the file, e.g. `digit-lab 0.1.0`.
    pub written_by: String,
}

impl ModelInfo {
    /// Header for a model trained with `scale` for `epochs_trained` epochs.
    pub fn new(scale: InputScale, epochs_trained: usize, data_source: &str) -> Self {
        Self {
            architecture: ARCHITECTURE.into(),
            scale,
            epochs_trained,
            test_accuracy: None,
            data_source: data_source.into(),
            written_by: format!("digit-lab {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Why a model file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFileError {
    /// What is wrong, in plain words.
    pub message: String,
}

impl std::fmt::Display for ModelFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ModelFileError {}

fn fail<T>(message: impl Into<String>) -> Result<T, ModelFileError> {
    Err(ModelFileError { message: message.into() })
}

/// The model's weights and `info` as a model file.
pub fn save_model(model: &DigitsCnn, info: &ModelInfo) -> Vec<u8> {
    let header = serde_json::to_vec(info).expect("the header serialises");
    let weights = model
        .clone()
        .into_record()
        .into_bytes()
        .expect("an in-memory record always serialises");
    let mut file = Vec::with_capacity(16 + header.len() + weights.len());
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    file.extend_from_slice(&(header.len() as u32).to_le_bytes());
    file.extend_from_slice(&header);
    file.extend_from_slice(&weights);
    file
}

/// Reads a model file into a model on `device` (in evaluation mode) and its header.
pub fn load_model(bytes: &[u8], device: &Device) -> Result<(DigitsCnn, ModelInfo), ModelFileError> {
    if bytes.len() > MAX_MODEL_BYTES {
        return fail(format!(
            "the file is {} bytes; a Digit Lab model file is under {} MB",
            bytes.len(),
            MAX_MODEL_BYTES / (1024 * 1024)
        ));
    }
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return fail("this is not a Digit Lab model file (it does not start with DIGITLAB)");
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return fail(format!(
            "model file format {version} is not supported (this version reads format {FORMAT_VERSION})"
        ));
    }
    let header_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    if header_len > MAX_HEADER_BYTES || 16 + header_len > bytes.len() {
        return fail("the model file is truncated or its header length is corrupt");
    }
    let info: ModelInfo = serde_json::from_slice(&bytes[16..16 + header_len])
        .or_else(|e| fail(format!("the model file's header is not valid: {e}")))?;
    if info.architecture != ARCHITECTURE {
        return fail(format!(
            "the file holds a `{}` network; Digit Lab trains `{ARCHITECTURE}`",
            info.architecture
        ));
    }
    let weights = &bytes[16 + header_len..];
    // Reading foreign bytes is the record reader's job, but it is not ours to trust it never
    // panics on them: a bad file must give a message, never bring the page down.
    let record = std::panic::catch_unwind(|| ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec())))
        .or_else(|_| fail("the model file's weights are corrupt"))?
        .or_else(|e| fail(format!("the model file's weights are corrupt: {e}")))?;
    // Any initial weights do: every one is replaced by the record's.
    let blank = DigitsCnn::new(device, &mut StdRng::seed_from_u64(0));
    let model = blank
        .try_load_record(record)
        .or_else(|e| fail(format!("the weights do not fit this network: {e}")))?;
    Ok((model.valid(), info))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;
    use crate::data::bundled;
    use crate::prediction::probabilities;

    fn trained_like_model() -> (DigitsCnn, Device) {
        let device = BackendKind::Flex.device();
        (DigitsCnn::new(&device, &mut StdRng::seed_from_u64(11)), device)
    }

    #[test]
    fn round_trip_gives_identical_predictions() {
        let (model, device) = trained_like_model();
        let info = ModelInfo::new(InputScale::Unit, 3, "test");
        let bytes = save_model(&model, &info);
        let (loaded, loaded_info) = load_model(&bytes, &device).unwrap();
        assert_eq!(loaded_info, info);
        let images = &bundled().images[..50];
        assert_eq!(
            probabilities(&model, images, InputScale::Unit, &device),
            probabilities(&loaded, images, InputScale::Unit, &device)
        );
    }

    #[test]
    fn bad_files_give_messages() {
        let (model, device) = trained_like_model();
        let good = save_model(&model, &ModelInfo::new(InputScale::Raw, 1, "test"));
        let message = |bytes: &[u8]| load_model(bytes, &device).unwrap_err().message;
        assert!(message(b"").contains("not a Digit Lab model"));
        assert!(message(b"hello world, not a model").contains("not a Digit Lab model"));
        let mut wrong_version = good.clone();
        wrong_version[8] = 9;
        assert!(message(&wrong_version).contains("format 9"));
        assert!(message(&good[..20]).contains("truncated"));
        assert!(message(&good[..good.len() - 100]).contains("corrupt"));
        let mut other = ModelInfo::new(InputScale::Raw, 1, "test");
        other.architecture = "resnet".into();
        assert!(message(&save_model(&model, &other)).contains("resnet"));
        assert!(message(&vec![0u8; MAX_MODEL_BYTES + 1]).contains("MB"));
    }
}
