//! Weight histograms: how every weighted layer's weights (and the last step's gradients of
//! them) are distributed, so the spreading and settling of the weights can be watched epoch
//! by epoch.
//!
//! The weights are [`DigitsCnn::layer_weights`]: each convolution's and dense layer's kernel
//! and batch normalization's scale γ, the output layer included; the gradients are the
//! trainer's [`epoch_gradients`](crate::training::Trainer::epoch_gradients).

use serde::{Deserialize, Serialize};

use crate::model::{DigitsCnn, LayerValues};

/// Bins per histogram: enough to show a shape, few enough to stay readable on a small chart.
pub const BINS: usize = 30;

/// Counts of values in equal bins over `[low, high]` (as numpy's `histogram`: every bin is
/// half-open but the last, which holds `high`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// The left edge of the first bin: the smallest value.
    pub low: f32,
    /// The right edge of the last bin: the largest value.
    pub high: f32,
    /// Values per bin.
    pub counts: Vec<u32>,
    /// The mean of the finite values (0 without any), for text alternatives.
    pub mean: f32,
    /// Their population standard deviation.
    pub std: f32,
}

impl Histogram {
    /// `values` counted in `bins` equal bins between their smallest and largest finite value.
    /// Equal values get a unit-wide range centred on them (numpy's choice); non-finite values
    /// are left out; no finite value at all gives empty bins over `[0, 1]`.
    pub fn of(values: &[f32], bins: usize) -> Self {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (low, high) = finite
            .clone()
            .fold(None, |range: Option<(f32, f32)>, v| {
                Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
            })
            .map_or((0.0, 1.0), |(lo, hi)| {
                if lo == hi {
                    (lo - 0.5, hi + 0.5)
                } else {
                    (lo, hi)
                }
            });
        let mut counts = vec![0; bins];
        let scale = bins as f64 / (f64::from(high) - f64::from(low));
        let (mut sum, mut squares) = (0.0, 0.0);
        for v in finite {
            let bin = ((f64::from(v) - f64::from(low)) * scale) as usize;
            counts[bin.min(bins - 1)] += 1;
            sum += f64::from(v);
            squares += f64::from(v) * f64::from(v);
        }
        let n = f64::from(counts.iter().sum::<u32>().max(1));
        let mean = sum / n;
        Self {
            low,
            high,
            counts,
            mean: mean as f32,
            std: (squares / n - mean * mean).max(0.0).sqrt() as f32,
        }
    }

    /// Each bin's share of the values divided by its width (a density, which integrates to
    /// 1): histograms over different ranges then share one vertical scale.
    pub fn density(&self) -> Vec<f64> {
        let total: u32 = self.counts.iter().sum();
        let width = (f64::from(self.high) - f64::from(self.low)) / self.counts.len() as f64;
        self.counts
            .iter()
            .map(|&c| f64::from(c) / (f64::from(total.max(1)) * width))
            .collect()
    }
}

/// One weighted layer's histograms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerHistograms {
    /// Keras' layer name, e.g. `conv2d` or `dense_1`.
    pub layer: String,
    /// Its weights.
    pub weights: Histogram,
    /// The gradients of its weights at the epoch's last step (`None`: not trained yet).
    pub gradients: Option<Histogram>,
}

/// The histograms of every weighted layer of `model`, in network order, with the histograms
/// of `gradients` (as [`DigitsCnn::layer_gradients`] gives them) where there are some.
pub fn weight_histograms(model: &DigitsCnn, gradients: &[LayerValues]) -> Vec<LayerHistograms> {
    model
        .layer_weights()
        .into_iter()
        .map(|weights| LayerHistograms {
            gradients: gradients
                .iter()
                .find(|g| g.layer == weights.layer)
                .map(|g| Histogram::of(&g.values, BINS)),
            weights: Histogram::of(&weights.values, BINS),
            layer: weights.layer,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;
    use crate::training::{TrainConfig, Trainer};

    #[test]
    fn binning_follows_numpy() {
        // numpy.histogram([0, 1, 2, 3, 4], bins=4) → [1, 1, 1, 2], edges 0..4.
        let h = Histogram::of(&[0.0, 1.0, 2.0, 3.0, 4.0], 4);
        assert_eq!((h.low, h.high), (0.0, 4.0));
        assert_eq!(h.counts, [1, 1, 1, 2]);
        assert_eq!((h.mean, h.std), (2.0, 2f32.sqrt()));
        // numpy.histogram([-1, -0.5, 0.49, 0.5, 1], bins=2) → [2, 3].
        assert_eq!(
            Histogram::of(&[-1.0, -0.5, 0.49, 0.5, 1.0], 2).counts,
            [2, 3]
        );
        // Equal values: a unit range around them, all in the middle bin.
        let h = Histogram::of(&[2.0; 5], 3);
        assert_eq!((h.low, h.high), (1.5, 2.5));
        assert_eq!((h.counts, h.mean, h.std), (vec![0, 5, 0], 2.0, 0.0));
        // Non-finite values are left out; nothing finite gives empty bins.
        assert_eq!(
            Histogram::of(&[f32::NAN, 1.0, f32::INFINITY, 3.0], 2).counts,
            [1, 1]
        );
        assert_eq!(Histogram::of(&[f32::NAN], 2).counts, [0, 0]);
    }

    #[test]
    fn density_integrates_to_one() {
        let h = Histogram::of(&[0.0, 0.1, 0.2, 0.9, 2.0], 4);
        let width = f64::from(h.high - h.low) / 4.0;
        let area: f64 = h.density().iter().map(|d| d * width).sum();
        assert!((area - 1.0).abs() < 1e-9, "{area}");
    }

    #[test]
    fn every_weighted_layer_has_a_histogram_of_all_its_weights() {
        let device = BackendKind::Flex.device();
        let arch: Arch = "conv8,bn,pool,drop0.25,dense16".parse().unwrap();
        let model = DigitsCnn::seeded(&arch, &device, 1);
        let layers = weight_histograms(&model, &[]);
        let names: Vec<&str> = layers.iter().map(|l| l.layer.as_str()).collect();
        assert_eq!(names, ["conv2d", "batch_normalization", "dense", "dense_1"]);
        let counts: Vec<u32> = layers
            .iter()
            .map(|l| l.weights.counts.iter().sum())
            .collect();
        // 3×3×1×8 kernel, 8 scales, 128×16, 16×10.
        assert_eq!(counts, [72, 8, 2048, 160]);
        // Glorot-uniform kernels lie within ±√(6 / (fan_in + fan_out)).
        let limit = (6.0f32 / (9.0 + 72.0)).sqrt();
        assert!(layers[0].weights.low >= -limit && layers[0].weights.high <= limit);
        assert!(layers.iter().all(|l| l.gradients.is_none()));
    }

    #[test]
    fn a_trained_epoch_leaves_its_last_gradients() {
        let data = bundled();
        let (train, test) = (
            data.subset(&(0..300).collect::<Vec<_>>()),
            data.subset(&[300]),
        );
        let config = TrainConfig {
            arch: "conv4,pool,dense8".parse().unwrap(),
            epochs: 1,
            batch_size: 64,
            ..TrainConfig::default()
        };
        let mut trainer = Trainer::new(config, &train, &test).unwrap();
        assert!(trainer.epoch_gradients().is_empty());
        trainer.run_epoch();
        let layers = weight_histograms(&trainer.model(), trainer.epoch_gradients());
        for layer in &layers {
            let gradients = layer.gradients.as_ref().expect("trained");
            let count: u32 = gradients.counts.iter().sum();
            assert_eq!(
                count,
                layer.weights.counts.iter().sum::<u32>(),
                "{}",
                layer.layer
            );
            assert!(gradients.low < gradients.high, "{}", layer.layer);
        }
    }
}
