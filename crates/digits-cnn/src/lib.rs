//! Digit Lab's core: the course notebook's convolutional network on the UCI "Optical
//! Recognition of Handwritten Digits" data (8×8 images, pixels 0..16, ten classes).
//!
//! Nothing here touches a browser: the same code runs in the native CLI and, compiled to
//! wasm32, inside the page's Web Worker.
//!
//! - [`data`]: CSV parsing and validation, the bundled data sets (`uci`, `digits`), seeded
//!   splits, the `writers` split, K-fold and augmentation.
//! - [`arch`]: the network as a spec string (`conv16,pool,...`): its grammar, shapes,
//!   parameter counts, Keras-style summary, presets and Keras export.
//! - [`model`]: the network built from its spec, as a burn module.
//! - [`cross_validation`]: K-fold folds and the mean/std of their results.
//! - [`prediction`]: images to tensors, class probabilities.
//! - [`training`]: the step-wise training loop, its settings and per-epoch reports; its
//!   data-parallel step (gradients of a batch computed in shards) is in
//!   `training/data_parallel.rs`.
//! - [`sweep`]: networks × learning rates × seeds, and each combination's mean ± std.
//! - [`baselines`]: k-nearest neighbours and logistic regression on the same rows.
//! - [`metrics`]: accuracy, precision/recall/F1, confusion matrix, ROC and AUC.
//! - [`feature_maps`]: the activations of every conv and pool layer, as images.
//! - [`explain`]: why the network answers as it does for one image (occlusion and saliency
//!   maps, the first convolution's kernels and the arithmetic of one of its map cells), what
//!   its layers hold (weight histograms) and where it puts the digits (a projection of its
//!   last hidden layer).
//! - [`drawing`]: a 32×32 drawn bitmap to an 8×8 input, as the data set was made.
//! - [`model_file`]: saving a trained model to bytes and loading it back.
//! - [`backend`]: choosing the burn backend (`flex` or `ndarray`) at run time.
//! - [`ops`]: the network's convolution, ReLU + pooling and sigmoid as burn backend extensions.
//!
//! The page (`crates/digits-web`) shows each concept in the section of the same name; the
//! CLI (`crates/digits-cli`) reaches the same functions from `digits train` and
//! `digits kfold`. The tests' data (CSV fixtures, metric cases) is in `tests/fixtures/` at
//! the repository root.

pub mod arch;
pub mod backend;
pub mod baselines;
pub mod cross_validation;
pub mod data;
pub mod drawing;
pub mod explain;
pub mod feature_maps;
pub mod metrics;
pub mod model;
pub mod model_file;
pub mod ops;
pub mod prediction;
pub mod sweep;
pub mod training;

/// Pixels in one image (8×8).
pub const PIXELS: usize = 64;
/// Side of the square image.
pub const SIDE: usize = 8;
/// Number of classes (the digits 0..9).
pub const CLASSES: usize = 10;
/// Largest pixel value in the data (each pixel counts "on" bits in a 4×4 block).
pub const MAX_PIXEL: u8 = 16;
