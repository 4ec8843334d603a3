//! Saving a trained model to bytes and loading it back.
//!
//! A model file is `DIGITLAB` (8 bytes), a format version (u32, little-endian), the length of
//! a JSON header (u32, little-endian), the header ([`ModelInfo`]), then the weights in burn's
//! burnpack format. The CLI (`digits train --save`) and the page's model-file section write
//! and read the same files.
//!
//! The header's `arch` is the network's spec: loading builds that network, then its weights.
//! Files written before networks could be chosen have no `arch` and hold the notebook's
//! network under its old tensor names (`conv1.weight`, …, `output.bias`); they load as the
//! notebook's network, their tensors renamed to today's (`legacy_name`).
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

use crate::arch::Arch;
use crate::model::DigitsCnn;
use crate::prediction::InputScale;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"DIGITLAB";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Names the family of networks a file holds (Digit Lab's sequential CNNs on 8×8 digits; the
/// layers are the header's `arch`); a file of another family is refused. The value dates
/// from when the notebook's network was the only one, and stays so old files still load.
pub const ARCHITECTURE: &str = "notebook-cnn-v1";
/// Largest file accepted (the notebook's weights take about 0.4 MB; the parameter cap,
/// `arch::MAX_PARAMETERS`, keeps any network's under 4 MB).
pub const MAX_MODEL_BYTES: usize = 8 * 1024 * 1024;
/// Largest JSON header accepted.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// What a model file says about its model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Always [`ARCHITECTURE`].
    pub architecture: String,
    /// The network's spec (absent in files written before networks could be chosen: the
    /// notebook's).
    #[serde(default)]
    pub arch: Arch,
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
    /// Header for an `arch` network trained with `scale` for `epochs_trained` epochs.
    pub fn new(arch: &Arch, scale: InputScale, epochs_trained: usize, data_source: &str) -> Self {
        Self {
            architecture: ARCHITECTURE.into(),
            arch: arch.clone(),
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
    let header = &bytes[16..16 + header_len];
    let info: ModelInfo = serde_json::from_slice(header)
        .or_else(|e| fail(format!("the model file's header is not valid: {e}")))?;
    if info.architecture != ARCHITECTURE {
        return fail(format!(
            "the file holds a `{}` network; Digit Lab trains `{ARCHITECTURE}`",
            info.architecture
        ));
    }
    let mut weights = Bytes::from_bytes_vec(bytes[16 + header_len..].to_vec());
    if !has_arch(header) {
        weights = rename_legacy(weights)?;
    }
    // Any initial weights do: every one is replaced by the record's.
    let blank = DigitsCnn::new(&info.arch, device, &mut StdRng::seed_from_u64(0));
    check_weights(weights.clone(), &blank)?;
    let record = ModuleRecord::from_bytes(weights)
        .or_else(|e| fail(format!("the model file's weights are corrupt: {e}")))?;
    let model = blank
        .try_load_record(record)
        .or_else(|e| fail(format!("the weights do not fit this network: {e}")))?;
    Ok((model.valid(), info))
}

/// Whether a header names its network (files written before networks could be chosen do not).
fn has_arch(header: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(header)
        .is_ok_and(|value| value.get("arch").is_some())
}

/// The notebook's layers as files before networks could be chosen named them, and the index
/// of the same layer in today's `layers` list (`None`: the output layer, named alike).
const LEGACY_LAYERS: [(&str, Option<usize>); 6] = [
    ("conv1", Some(0)),
    ("conv2", Some(3)),
    ("conv3", Some(6)),
    ("dense1", Some(9)),
    ("dense2", Some(11)),
    ("output", None),
];

/// Today's name of a tensor of a file written before networks could be chosen, e.g.
/// `conv1.weight` → `layers.0.Conv.conv.weight`; unknown names stay (the table check refuses them).
fn legacy_name(name: &str) -> String {
    let Some((layer, tensor)) = name.split_once('.') else {
        return name.to_string();
    };
    let renamed = LEGACY_LAYERS.iter().find(|(old, _)| *old == layer);
    match renamed {
        Some((old, Some(index))) if old.starts_with("conv") => {
            format!("layers.{index}.Conv.conv.{tensor}")
        }
        Some((_, Some(index))) => format!("layers.{index}.Dense.linear.{tensor}"),
        Some((_, None)) | None => name.to_string(),
    }
}

/// The weights of a file written before networks could be chosen, under today's names.
fn rename_legacy(weights: Bytes) -> Result<Bytes, ModelFileError> {
    let corrupt = |e: burn_pack::Error| ModelFileError {
        message: format!("the model file's weights are corrupt: {e}"),
    };
    let tensors = burn_pack::Reader::from_bytes(weights)
        .and_then(|reader| reader.into_tensors())
        .map_err(corrupt)?;
    let renamed = tensors
        .into_iter()
        .map(|mut tensor| {
            tensor.name = legacy_name(&tensor.name);
            tensor
        })
        .collect();
    burn_pack::Writer::new(renamed)
        .into_bytes()
        .map_err(corrupt)
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
fn check_weights(weights: Bytes, network: &DigitsCnn) -> Result<(), ModelFileError> {
    let (table, ids) = read_table(weights)
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
        (DigitsCnn::seeded(&Arch::notebook(), &device, 11), device)
    }

    fn info(scale: InputScale, epochs: usize) -> ModelInfo {
        ModelInfo::new(&Arch::notebook(), scale, epochs, "test")
    }

    #[test]
    fn round_trip_gives_identical_predictions() {
        let (model, device) = trained_like_model();
        let info = info(InputScale::Unit, 3);
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
        let good = save_model(&model, &info(InputScale::Raw, 1));
        let message = |bytes: &[u8]| load_model(bytes, &device).unwrap_err().message;
        assert!(message(b"").contains("not a Digit Lab model"));
        assert!(message(b"hello world, not a model").contains("not a Digit Lab model"));
        let mut wrong_version = good.clone();
        wrong_version[8] = 9;
        assert!(message(&wrong_version).contains("format 9"));
        assert!(message(&good[..20]).contains("truncated"));
        assert!(message(&good[..good.len() - 100]).contains("corrupt"));
        let mut other = info(InputScale::Raw, 1);
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
        let good = save_model(&model, &info(InputScale::Raw, 1));
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

    /// A file written before networks could be chosen (no `arch` in its header, the
    /// notebook's old tensor names): `digits train --epochs 20 --seed 5 --save` at commit
    /// a034856, whose report gave test accuracy 0.93333 (336 of 360 rows).
    const BEFORE_ARCH: &[u8] =
        include_bytes!("../../../tests/fixtures/model_file/notebook-before-arch.digitlab");

    #[test]
    fn a_file_from_before_networks_could_be_chosen_loads_as_the_notebooks() {
        let device = BackendKind::Flex.device();
        let (model, info) = load_model(BEFORE_ARCH, &device).unwrap();
        assert_eq!(info.arch, Arch::notebook());
        assert_eq!(model.arch(), &Arch::notebook());
        let data = bundled();
        let split = crate::data::train_test_split(&data.labels, 0.2, 5, false).unwrap();
        let test = data.subset(&split.test);
        let predicted = probabilities(&model, &test.images, info.scale, &device);
        let correct = predicted
            .iter()
            .zip(&test.labels)
            .filter(|(p, label)| crate::metrics::predicted_class(p) == **label)
            .count();
        assert_eq!((correct, test.len()), (336, 360));
        // Saved again, it carries its spec and predicts the same.
        let again = save_model(&model, &info);
        let (reloaded, _) = load_model(&again, &device).unwrap();
        assert_eq!(
            probabilities(&reloaded, &test.images[..20], info.scale, &device),
            predicted[..20]
        );
    }

    #[test]
    fn every_preset_round_trips_with_its_spec() {
        let device = BackendKind::Flex.device();
        let images = &bundled().images[..10];
        for preset in crate::arch::PRESETS {
            let arch = preset.arch();
            let model = DigitsCnn::seeded(&arch, &device, 4);
            let info = ModelInfo::new(&arch, InputScale::Raw, 2, "test");
            let (loaded, loaded_info) = load_model(&save_model(&model, &info), &device).unwrap();
            assert_eq!(loaded_info.arch, arch, "{}", preset.name);
            assert_eq!(
                probabilities(&model, images, InputScale::Raw, &device),
                probabilities(&loaded, images, InputScale::Raw, &device),
                "{}",
                preset.name
            );
        }
    }
}
