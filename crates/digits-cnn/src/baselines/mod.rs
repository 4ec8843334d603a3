//! Baselines: is a CNN needed? Two classic classifiers trained and tested on the same rows
//! and the same inputs as the network, so their accuracy and macro F1 sit beside its own.
//!
//! - [`KNearestNeighbours`]: the 3 nearest training images vote (Euclidean distance).
//! - [`LogisticRegression`]: a linear softmax model, scikit-learn's `LogisticRegression()`.

mod knn;
mod logistic;

use serde::{Deserialize, Serialize};
use web_time::Instant;

pub use knn::{DEFAULT_K, KNearestNeighbours};
pub use logistic::{LogisticRegression, LogisticSettings};

use crate::data::{Dataset, Image};
use crate::metrics::{Evaluation, evaluate};
use crate::prediction::InputScale;
use crate::{CLASSES, PIXELS};

/// A baseline model, by the name the CLI's JSON and the page's `data-model` use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineKind {
    /// [`KNearestNeighbours`] with [`DEFAULT_K`] neighbours.
    Knn,
    /// [`LogisticRegression`] with its default settings.
    Logistic,
}

impl BaselineKind {
    /// Every baseline, in the order they are shown.
    pub const ALL: [BaselineKind; 2] = [BaselineKind::Knn, BaselineKind::Logistic];

    /// The name used in JSON and in the page.
    pub fn name(self) -> &'static str {
        match self {
            BaselineKind::Knn => "knn",
            BaselineKind::Logistic => "logistic",
        }
    }

    /// How the page and the CLI label the model.
    pub fn title(self) -> &'static str {
        match self {
            BaselineKind::Knn => "3-nearest neighbours",
            BaselineKind::Logistic => "logistic regression",
        }
    }

    /// Fits this model to `train` and evaluates it on `test`, timing both.
    pub fn run(self, train: &Dataset, test: &Dataset, scale: InputScale) -> BaselineResult {
        let (probabilities, seconds, predict_seconds) = match self {
            BaselineKind::Knn => timed(
                || KNearestNeighbours::fit(train, scale, DEFAULT_K),
                |model| model.predict_probabilities(&test.images),
            ),
            BaselineKind::Logistic => timed(
                || LogisticRegression::fit(train, scale, LogisticSettings::default()),
                |model| model.predict_probabilities(&test.images),
            ),
        };
        BaselineResult {
            model: self,
            evaluation: evaluate(&probabilities, &test.labels),
            seconds,
            predict_seconds,
        }
    }
}

/// Fits a model and predicts with it: the probabilities and the seconds each step took.
fn timed<M>(
    fit: impl FnOnce() -> M,
    predict: impl FnOnce(&M) -> Vec<[f32; CLASSES]>,
) -> (Vec<[f32; CLASSES]>, f64, f64) {
    let start = Instant::now();
    let model = fit();
    let fit_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let probabilities = predict(&model);
    (probabilities, fit_seconds, start.elapsed().as_secs_f64())
}

/// How one baseline did on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineResult {
    /// Which model.
    pub model: BaselineKind,
    /// Its metrics on the test rows (accuracy, macro F1, ...).
    pub evaluation: Evaluation,
    /// Seconds to fit (about 0 for k-NN, which only keeps the rows).
    pub seconds: f64,
    /// Seconds to predict the test rows (k-NN's real cost: a distance to every row).
    pub predict_seconds: f64,
}

/// Every baseline trained on `train` and tested on `test`, in [`BaselineKind::ALL`] order.
pub fn run_baselines(train: &Dataset, test: &Dataset, scale: InputScale) -> Vec<BaselineResult> {
    BaselineKind::ALL
        .into_iter()
        .map(|kind| kind.run(train, test, scale))
        .collect()
}

/// The pixels of an image as the network gets them.
fn features(image: &Image, scale: InputScale) -> [f32; PIXELS] {
    let factor = scale.factor();
    image.map(|p| f32::from(p) * factor)
}

/// Every image's features, as both baselines fit on them.
fn all_features(images: &[Image], scale: InputScale) -> Vec<[f32; PIXELS]> {
    images.iter().map(|image| features(image, scale)).collect()
}

#[cfg(test)]
mod tests;
