//! Smoke test of the core crate compiled to wasm32 and run in headless Chromium.
//!
//! Run by `scripts/test.sh` (`cargo test --release --target wasm32-unknown-unknown -p digits-cnn`
//! with `wasm-bindgen-test-runner` as the runner). Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use digits_cnn::backend::BackendKind;
use digits_cnn::training::{TrainConfig, Trainer};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn bundled_data_has_every_row() {
    let data = digits_cnn::data::bundled();
    assert_eq!(data.len(), 1797);
    assert!(data.class_counts().iter().all(|&n| n > 0));
}

#[wasm_bindgen_test]
fn one_tiny_epoch_gives_finite_loss() {
    let data = digits_cnn::data::bundled();
    let train = data.subset(&(0..200).collect::<Vec<_>>());
    let test = data.subset(&(200..300).collect::<Vec<_>>());
    let config = TrainConfig {
        epochs: 1,
        batch_size: 64,
        backend: BackendKind::Flex,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, &train, &test).expect("valid settings");
    let report = trainer.run_epoch().expect("one epoch to run");
    assert_eq!(report.epoch, 1);
    assert!(
        report.train_loss.is_finite(),
        "train loss {}",
        report.train_loss
    );
    assert!(
        report.test_loss.is_finite(),
        "test loss {}",
        report.test_loss
    );
    assert!((0.0..=1.0).contains(&report.test_accuracy));
    assert!(trainer.is_finished());
}
