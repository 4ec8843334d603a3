//! Property tests ("fuzzing" in the normal test suite) of the model-file loader: random
//! bytes, random headers and mutated valid files never make `load_model` panic; they load
//! or give a message. The coverage-guided harness is in `fuzz/` (cargo-fuzz, nightly).

#![cfg(not(target_arch = "wasm32"))]

use std::sync::OnceLock;

use digits_cnn::arch::Arch;
use digits_cnn::backend::BackendKind;
use digits_cnn::model::DigitsCnn;
use digits_cnn::model_file::{FORMAT_VERSION, MAGIC, ModelInfo, load_model, save_model};
use digits_cnn::prediction::InputScale;
use proptest::prelude::*;

/// A valid model file (made once).
fn valid_file() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let device = BackendKind::Flex.device();
        let model = DigitsCnn::seeded(&Arch::notebook(), &device, 3);
        save_model(
            &model,
            &ModelInfo::new(&Arch::notebook(), InputScale::Raw, 1, "fuzz"),
        )
    })
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let device = BackendKind::Flex.device();
    if let Err(e) = load_model(bytes, &device) {
        prop_assert!(!e.message.is_empty());
    }
    Ok(())
}

/// `DIGITLAB`, version 1, a header length and header bytes, then `rest`.
fn framed(header: &[u8], claimed_len: u32, rest: &[u8]) -> Vec<u8> {
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    file.extend_from_slice(&claimed_len.to_le_bytes());
    file.extend_from_slice(header);
    file.extend_from_slice(rest);
    file
}

#[test]
fn the_valid_file_loads() {
    let device = BackendKind::Flex.device();
    assert!(load_model(valid_file(), &device).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn never_panics_on_a_right_prefix_and_random_rest(
        header in prop::collection::vec(any::<u8>(), 0..256),
        claimed in prop_oneof![Just(None), any::<u32>().prop_map(Some)],
        rest in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let len = claimed.unwrap_or(header.len() as u32);
        check(&framed(&header, len, &rest))?;
    }

    #[test]
    fn never_panics_on_a_valid_header_and_random_weights(
        rest in prop::collection::vec(any::<u8>(), 0..8192),
    ) {
        let header = serde_json::to_vec(&ModelInfo::new(&Arch::notebook(), InputScale::Unit, 2, "x")).unwrap();
        check(&framed(&header, header.len() as u32, &rest))?;
    }

    #[test]
    fn never_panics_on_mutated_valid_files(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..12),
        cut in prop_oneof![Just(None), any::<prop::sample::Index>().prop_map(Some)],
    ) {
        let mut bytes = valid_file().to_vec();
        for (at, byte, kind) in edits {
            // Half the edits land in the first 512 bytes: the frame, the header and the
            // burnpack metadata, where a change matters most.
            let span = if kind % 2 == 0 { bytes.len().min(512) } else { bytes.len() };
            let i = at.index(span.max(1));
            match kind {
                0 | 1 if i < bytes.len() => bytes[i] = byte,
                2 => bytes.insert(i, byte),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.push(byte),
            }
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        check(&bytes)?;
    }
}
