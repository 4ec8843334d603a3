//! Explaining a trained network: what its layers have learned and where it puts the digits.
//!
//! - [`weight_histograms`]: the distribution of every weighted layer's weights and of their
//!   last gradients, one histogram per layer per epoch.
//! - [`projection`]: the test rows' last hidden activations (the output layer's input)
//!   projected on their two principal axes.
//!
//! The page's worker computes them during training (`crates/digits-web/src/session/`) and
//! the page draws them (`#weight-histograms`, `#projection`).

pub mod projection;
pub mod weight_histograms;
