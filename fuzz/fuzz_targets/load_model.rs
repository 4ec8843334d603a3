//! Any bytes into the model-file loader: a model or a message, never a panic. Inputs that
//! start with the right frame (`DIGITLAB`, version 1) reach the JSON header and burnpack
//! parsers; the seed corpus (see README.md) holds a valid file to mutate.
#![no_main]


use digits_cnn::backend::BackendKind;
use digits_cnn::model_file::load_model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let device = BackendKind::Flex.device();
    if let Err(e) = load_model(bytes, &device) {
        assert!(!e.message.is_empty());
    }
});
