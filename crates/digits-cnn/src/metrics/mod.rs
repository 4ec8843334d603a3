//! Metrics of a model's predictions, matching scikit-learn: accuracy, the confusion
//! matrix, per-class precision/recall/F1 with macro averages, one-vs-rest ROC curves with
//! their AUC, and the cross-entropy loss.
//!
//! - [`confusion`]: [`ConfusionMatrix`] (rows true, columns predicted).
//! - [`classification`]: [`ClassificationReport`] and [`ClassMetrics`] (`zero_division=0`).
//! - [`roc`]: [`roc_curve`], [`auc`], [`RocCurve`], [`auc_macro`].
//! - [`evaluation`]: [`evaluate`] gathers them all into an [`Evaluation`].
//!
//! Every public type derives `Serialize`/`Deserialize`: they cross the Web Worker
//! boundary, and none of their numbers is ever NaN or infinite.

pub mod classification;
pub mod confusion;
pub mod evaluation;
pub mod roc;

#[cfg(test)]
mod fixtures;

pub use classification::{ClassMetrics, ClassificationReport};
pub use confusion::ConfusionMatrix;
pub use evaluation::{Evaluation, PROBABILITY_FLOOR, cross_entropy, evaluate, predicted_class};
pub use roc::{RocCurve, UNDEFINED_AUC, auc, auc_macro, is_defined, roc_curve};
