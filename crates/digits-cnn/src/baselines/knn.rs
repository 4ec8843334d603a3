//! The k-nearest-neighbour classifier: a test image takes the classes of the `k` training
//! images closest to it (Euclidean distance), as scikit-learn's `KNeighborsClassifier`
//! with its defaults (uniform weights) does.

use super::{all_features, features};
use crate::data::{Dataset, Image};
use crate::prediction::InputScale;
use crate::{CLASSES, PIXELS};

/// The neighbours the course's comparison uses (scikit-learn's default is 5).
pub const DEFAULT_K: usize = 3;

/// A fitted k-nearest-neighbour classifier: the training rows themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct KNearestNeighbours {
    k: usize,
    scale: InputScale,
    features: Vec<[f32; PIXELS]>,
    labels: Vec<u8>,
}

impl KNearestNeighbours {
    /// Keeps the training rows, scaled as `scale` says; `k` is clamped to 1..=rows.
    pub fn fit(train: &Dataset, scale: InputScale, k: usize) -> Self {
        KNearestNeighbours {
            k: k.clamp(1, train.len().max(1)),
            scale,
            features: all_features(&train.images, scale),
            labels: train.labels.clone(),
        }
    }

    /// The number of neighbours that vote.
    pub fn k(&self) -> usize {
        self.k
    }

    /// For each image, the share of its `k` nearest training rows in each class.
    ///
    /// Ties are broken as scikit-learn does: among training rows at the same distance the
    /// earlier row is nearer, and [`predicted_class`](crate::metrics::predicted_class) gives
    /// a tied vote to the lowest class.
    pub fn predict_probabilities(&self, images: &[Image]) -> Vec<[f32; CLASSES]> {
        images
            .iter()
            .map(|image| {
                let query = features(image, self.scale);
                let mut votes = [0.0; CLASSES];
                for row in self.nearest(&query) {
                    votes[usize::from(self.labels[row])] += 1.0 / self.k as f32;
                }
                votes
            })
            .collect()
    }

    /// The rows of the `k` nearest training images, nearest first.
    fn nearest(&self, query: &[f32; PIXELS]) -> Vec<usize> {
        // (squared distance, row), sorted; pixels are multiples of 1/16 at most 16, so every
        // squared distance is exact in f32 and equal distances compare equal.
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(self.k + 1);
        for (row, point) in self.features.iter().enumerate() {
            let distance: f32 = point
                .iter()
                .zip(query)
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            if best.len() == self.k && distance >= best[self.k - 1].0 {
                continue;
            }
            // After the rows already kept at the same distance: the earlier row stays nearer.
            let at = best.partition_point(|&(d, _)| d <= distance);
            best.insert(at, (distance, row));
            best.truncate(self.k);
        }
        best.into_iter().map(|(_, row)| row).collect()
    }
}
