//! The CLI's `train --save FILE` writes the same model files the page reads: a file written
//! by the real binary loads through the core's `load_model` (the function the page's worker
//! calls) and predicts exactly as the CLI's model did.

use std::process::Command;

use digits_cnn::backend::BackendKind;
use digits_cnn::data::bundled;
use digits_cnn::model_file::{ARCHITECTURE, load_model, save_model};
use digits_cnn::prediction::{InputScale, probabilities};

#[test]
fn a_cli_saved_model_loads_with_the_pages_loader() {
    let dir = std::env::temp_dir().join(format!("digits-cli-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.dlab");
    let status = Command::new(env!("CARGO_BIN_EXE_digits"))
        .args([
            "train", "--epochs", "1", "--batch", "256", "--scale", "unit", "--seed", "5",
        ])
        .arg("--save")
        .arg(&path)
        .status()
        .expect("the CLI runs");
    assert!(status.success());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();

    let device = BackendKind::Flex.device();
    let (model, info) = load_model(&bytes, &device).expect("the page's loader reads the file");
    assert_eq!(info.architecture, ARCHITECTURE);
    assert_eq!(info.scale, InputScale::Unit);
    assert_eq!(info.epochs_trained, 1);
    assert!(info.test_accuracy.is_some_and(|a| (0.0..=1.0).contains(&a)));

    // Saving it again (as the page does) gives a file that predicts the same.
    let again = save_model(&model, &info);
    let (reloaded, _) = load_model(&again, &device).unwrap();
    let images = &bundled().images[..40];
    assert_eq!(
        probabilities(&model, images, info.scale, &device),
        probabilities(&reloaded, images, info.scale, &device)
    );
}

#[test]
fn a_model_file_keeps_its_network() {
    let dir = std::env::temp_dir().join(format!("digits-cli-arch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("small.dlab");
    let out = Command::new(env!("CARGO_BIN_EXE_digits"))
        .args([
            "train",
            "--arch",
            "conv8,pool,dense16:tanh",
            "--epochs",
            "1",
            "--quiet",
            "--save",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let device = BackendKind::Flex.device();
    let (model, info) = load_model(&std::fs::read(&file).unwrap(), &device).unwrap();
    assert_eq!(info.arch.to_string(), "conv8,pool,dense16:tanh");
    assert_eq!(model.arch(), &info.arch);
    std::fs::remove_dir_all(&dir).unwrap();
}
