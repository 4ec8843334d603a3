//! Saving a trained model to bytes and loading it back.
//!
//! A model file is `DIGITLAB` (8 bytes), a format version (u32, little-endian), the length of
//! a JSON header (u32, little-endian), the header ([`ModelInfo`]), then the weights in burn's
//! burnpack format. The CLI (`digits train --save`) and the page's model-file section write
//! and read the same files.
//!
//! # Malformed files
//!
//! Loading must give a message, never a panic: the shipped wasm is built with
//! `panic = "abort"` (the `wasm-release` profile), so a panic cannot be caught there and would
//! end the Web Worker. [`load_model`] therefore checks, itself, everything burn's record
//! loader would otherwise assert on, before handing the weights over:
//!
//! - the frame, the version and the JSON header (this module's own parsing);
//! - the weights' burnpack table, read with burn's [`burn_pack::Reader`] (which returns errors
//!   for bad sizes, offsets, truncation and metadata): exactly the tensors this build writes
//!   for the network, by name, each `f32` with the right shape (a quantized or non-float
//!   tensor would reach code that assumes `f32`), and no parameter id used twice (Adam keys
//!   its state by id, so a shared id would mix two parameters' state when training on).
//!
//! What remains trusted: that burnpack's reader and burn's record loader do not panic on a
//! table that passed these checks, nor the reader on any bytes. Both are exercised natively
//! by the property tests (`crates/digits-cnn/tests/model_file_fuzz.rs`) and the cargo-fuzz
//! harness (`fuzz/`); a panic there would still abort the worker in the shipped page.

use std::collections::HashSet;

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, DType, Device, Shape};
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
    Err(ModelFileError {
        message: message.into(),
    })
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
    // Any initial weights do: every one is replaced by the record's.
    let blank = DigitsCnn::new(device, &mut StdRng::seed_from_u64(0));
    check_weights(weights, &blank)?;
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
        .or_else(|e| fail(format!("the model file's weights are corrupt: {e}")))?;
    let model = blank
        .try_load_record(record)
        .or_else(|e| fail(format!("the weights do not fit this network: {e}")))?;
    Ok((model.valid(), info))
}

/// One tensor of a burnpack table: its name, element type and shape.
type TableEntry = (String, DType, Shape);

/// The burnpack table of `weights`, and the parameter ids it names, or why it is unreadable.
fn read_table(weights: Bytes) -> Result<(Vec<TableEntry>, Vec<u64>), burn_pack::Error> {
    let tensors = burn_pack::Reader::from_bytes(weights)?.into_tensors()?;
    let ids = tensors.iter().filter_map(|t| t.param_id).collect();
    let table = tensors
        .into_iter()
        .map(|t| (t.name, t.dtype, t.shape))
        .collect();
    Ok((table, ids))
}

/// Refuses weights burn's record loader would panic on, or that would load into a network
/// that panics later (see the module docs): their table must be the one this build writes for
/// `network`, and no parameter id may appear twice.
fn check_weights(weights: &[u8], network: &DigitsCnn) -> Result<(), ModelFileError> {
    let (table, ids) = read_table(Bytes::from_bytes_vec(weights.to_vec()))
        .or_else(|e| fail(format!("the model file's weights are corrupt: {e}")))?;
    let written = network
        .clone()
        .into_record()
        .into_bytes()
        .expect("an in-memory record");
    let (expected, _) = read_table(written).expect("this build reads what it writes");
    if let Some(entry) = table.iter().find(|entry| !expected.contains(entry)) {
        let (name, dtype, shape) = entry;
        return fail(format!(
            "the weights do not fit this network: no {dtype:?} tensor `{name}` of shape {shape:?}"
        ));
    }
    if table.len() != expected.len() {
        return fail(format!(
            "the weights do not fit this network: {} of its {} tensors are missing",
            expected.len() - table.len(),
            expected.len()
        ));
    }
    let mut seen = HashSet::new();
    if !ids.iter().all(|id| seen.insert(id)) {
        return fail("the model file's weights are corrupt: two parameters share an id");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;
    use crate::data::bundled;
    use crate::prediction::probabilities;

    fn trained_like_model() -> (DigitsCnn, Device) {
        let device = BackendKind::Flex.device();
        (
            DigitsCnn::new(&device, &mut StdRng::seed_from_u64(11)),
            device,
        )
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

    /// `file` with its burnpack tensors rewritten by `edit`.
    fn with_tensors(
        file: &[u8],
        edit: impl FnOnce(Vec<burn_pack::Tensor>) -> Vec<burn_pack::Tensor>,
    ) -> Vec<u8> {
        let header_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
        let weights = Bytes::from_bytes_vec(file[16 + header_len..].to_vec());
        let tensors = burn_pack::Reader::from_bytes(weights)
            .unwrap()
            .into_tensors()
            .unwrap();
        let packed = burn_pack::Writer::new(edit(tensors)).into_bytes().unwrap();
        let mut edited = file[..16 + header_len].to_vec();
        edited.extend_from_slice(&packed);
        edited
    }

    #[test]
    fn weights_burn_would_choke_on_are_refused_before_it_sees_them() {
        let (model, device) = trained_like_model();
        let good = save_model(&model, &ModelInfo::new(InputScale::Raw, 1, "test"));
        let message = |bytes: &[u8]| load_model(bytes, &device).unwrap_err().message;
        // The same numbers as f64: a well-formed burnpack, but not this network's tensors.
        let as_f64 = with_tensors(&good, |tensors| {
            let widen = |t: burn_pack::Tensor| {
                let (name, _, shape, id, bytes) = t.into_parts().unwrap();
                let wide: Vec<u8> = bytes
                    .chunks(4)
                    .flat_map(|c| {
                        f64::from(f32::from_le_bytes(c.try_into().unwrap())).to_le_bytes()
                    })
                    .collect();
                burn_pack::Tensor::new(name, DType::F64, shape, id, Bytes::from_bytes_vec(wide))
            };
            tensors.into_iter().map(widen).collect()
        });
        assert!(message(&as_f64).contains("do not fit this network: no F64 tensor"));
        let one_missing = with_tensors(&good, |mut tensors| {
            tensors.pop();
            tensors
        });
        assert!(message(&one_missing).contains("1 of its 12 tensors are missing"));
        let shared_id = with_tensors(&good, |tensors| {
            let same_id = |mut t: burn_pack::Tensor| {
                t.param_id = Some(7);
                t
            };
            tensors.into_iter().map(same_id).collect()
        });
        assert!(message(&shared_id).contains("two parameters share an id"));
        // The rewriting itself keeps a file loadable.
        assert!(load_model(&with_tensors(&good, |tensors| tensors), &device).is_ok());
    }
}
