//! An in-memory data set of 8×8 digit images and their labels.

use crate::{CLASSES, PIXELS};

/// One 8×8 image, row-major, each pixel in 0..=16.
pub type Image = [u8; PIXELS];

/// Images and their labels (0..=9), validated on construction by the CSV parser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    /// The images, row-major 8×8.
    pub images: Vec<Image>,
    /// The label of each image, 0..=9.
    pub labels: Vec<u8>,
}

impl Dataset {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// How many rows each class has.
    pub fn class_counts(&self) -> [usize; CLASSES] {
        let mut counts = [0; CLASSES];
        for &label in &self.labels {
            counts[label as usize] += 1;
        }
        counts
    }

    /// The rows at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        Dataset {
            images: indices.iter().map(|&i| self.images[i]).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
        }
    }
}
