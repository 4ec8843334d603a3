//! Any bytes into the CSV parser: it accepts them (with sane rows) or names a line; it never
//! panics.
#![no_main]

use digits_cnn::data::parse_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match parse_csv(bytes) {
        Ok(data) => {
            assert_eq!(data.images.len(), data.labels.len());
            assert!(!data.is_empty());
            assert!(data.labels.iter().all(|&l| l <= 9));
            assert!(data.images.iter().flatten().all(|&p| p <= 16));
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            let lines = bytes.split(|&b| b == b'\n').count();
            assert!(e.line <= lines, "line {} of {lines}", e.line);
        }
    }
});
