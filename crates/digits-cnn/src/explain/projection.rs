//! Where the digits live: the test rows' last hidden activations (the output layer's input,
//! one point per row in as many dimensions as that layer has units) projected on their two
//! principal axes (PCA), so the classes can be seen pulling apart as the network trains.
//!
//! The axes are the top two eigenvectors of the activations' covariance, found by
//! orthogonal (block power) iteration that never forms the covariance: each iteration costs
//! two passes over the centred rows (`n × d`), not `d²` memory and `n × d²` time, and a run's
//! previous axes are a warm start that usually needs only a few iterations. numpy's answer
//! (`tests/fixtures/projection/`) is the reference, up to each axis' sign.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::data::Image;
use crate::metrics::predicted_class;
use crate::model::DigitsCnn;
use crate::prediction::{CHUNK, InputScale, images_tensor, read_probabilities};

/// Iterations at most; a cold start on well-separated eigenvalues needs a few dozen.
const MAX_ITERATIONS: usize = 300;
/// Iteration stops once both axes turn by less than this (1 − |cos| of the angle).
const TOLERANCE: f64 = 1e-12;

/// The two principal axes of some rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    /// The rows' mean, subtracted before projecting.
    pub mean: Vec<f64>,
    /// The first and second axis, unit vectors.
    pub axes: [Vec<f64>; 2],
    /// The variance along each axis (the covariance's eigenvalues).
    pub variance: [f64; 2],
    /// The total variance of the rows (the covariance's trace).
    pub total_variance: f64,
}

/// The test rows' points on the two principal axes, with what the network makes of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Each row's coordinates on the first and second axis.
    pub points: Vec<[f32; 2]>,
    /// Each row's true class.
    pub labels: Vec<u8>,
    /// Each row's predicted class.
    pub predicted: Vec<u8>,
    /// The share of the total variance along each axis, in [0, 1].
    pub explained: [f32; 2],
    /// How many units the projected layer has.
    pub dims: usize,
}

/// Row-major `rows × dims` values.
pub struct Rows<'a> {
    /// The values.
    pub values: &'a [f32],
    /// Values per row.
    pub dims: usize,
}

impl Rows<'_> {
    fn iter(&self) -> std::slice::ChunksExact<'_, f32> {
        self.values.chunks_exact(self.dims.max(1))
    }

    fn len(&self) -> usize {
        self.iter().len()
    }
}

/// The two principal axes of `rows`. With `start` (e.g. the previous epoch's axes of the
/// same layer) the iteration begins there and keeps its signs, so points do not flip from
/// one epoch to the next; without, each axis' largest component is made positive.
pub fn principal_axes(rows: &Rows<'_>, start: Option<&Axes>) -> Axes {
    let dims = rows.dims;
    let n = rows.len();
    let mut mean = vec![0.0; dims];
    for row in rows.iter() {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += f64::from(v);
        }
    }
    mean.iter_mut().for_each(|m| *m /= n.max(1) as f64);
    let denominator = n.saturating_sub(1).max(1) as f64;
    // Centred once (n × d values): each iteration is then two plain passes over them.
    let centred: Vec<f64> = rows.iter().flat_map(|row| centre(row, &mean)).collect();
    let total_variance = centred.iter().map(|c| c * c).sum::<f64>() / denominator;
    let covariance_times = |axes: &[Vec<f64>; 2]| {
        let mut out = [vec![0.0; dims], vec![0.0; dims]];
        for row in centred.chunks_exact(dims.max(1)) {
            let dots = [dot(row, &axes[0]), dot(row, &axes[1])];
            let [first, second] = &mut out;
            for ((a, b), &c) in first.iter_mut().zip(second.iter_mut()).zip(row) {
                *a += dots[0] * c;
                *b += dots[1] * c;
            }
        }
        out.iter_mut()
            .for_each(|axis| axis.iter_mut().for_each(|v| *v /= denominator));
        out
    };
    let warm = start.filter(|s| s.mean.len() == dims);
    let mut axes = orthonormal(warm.map_or_else(|| cold_start(dims), |s| s.axes.clone()));
    for _ in 0..MAX_ITERATIONS {
        let next = orthonormal(covariance_times(&axes));
        let settled = (0..2).all(|k| 1.0 - dot(&next[k], &axes[k]).abs() < TOLERANCE);
        axes = next;
        if settled {
            break;
        }
    }
    for (k, axis) in axes.iter_mut().enumerate() {
        let flip = match warm {
            Some(previous) => dot(axis, &previous.axes[k]) < 0.0,
            None => largest(axis) < 0.0,
        };
        if flip {
            axis.iter_mut().for_each(|v| *v = -*v);
        }
    }
    let images = covariance_times(&axes);
    let variance = [0, 1].map(|k| dot(&images[k], &axes[k]));
    Axes {
        mean,
        axes,
        variance,
        total_variance,
    }
}

impl Axes {
    /// Each row of `rows` on the two axes.
    pub fn project(&self, rows: &Rows<'_>) -> Vec<[f32; 2]> {
        let mut centred = Vec::with_capacity(self.mean.len());
        rows.iter()
            .map(|row| {
                centred.clear();
                centred.extend(centre(row, &self.mean));
                [
                    dot(&centred, &self.axes[0]) as f32,
                    dot(&centred, &self.axes[1]) as f32,
                ]
            })
            .collect()
    }

    /// The share of the total variance along each axis.
    pub fn explained(&self) -> [f32; 2] {
        self.variance
            .map(|v| (v / self.total_variance.max(f64::MIN_POSITIVE)).clamp(0.0, 1.0) as f32)
    }
}

/// The projection of `images` (true classes `labels`) through `model` (in evaluation mode,
/// on `device`), and the axes it used; `previous` axes are the iteration's warm start.
pub fn project(
    model: &DigitsCnn,
    images: &[Image],
    labels: &[u8],
    scale: InputScale,
    device: &Device,
    previous: Option<&Axes>,
) -> (Projection, Axes) {
    let mut values = Vec::new();
    let mut predicted = Vec::with_capacity(images.len());
    let mut dims = 0;
    for chunk in images.chunks(CHUNK) {
        let (hidden, logits) = model.forward_with_hidden(images_tensor(chunk, scale, device));
        dims = hidden.dims()[1];
        values.extend(
            hidden
                .into_data()
                .try_into_vec::<f32>()
                .expect("activations are f32"),
        );
        predicted.extend(read_probabilities(logits).iter().map(predicted_class));
    }
    let rows = Rows {
        values: &values,
        dims,
    };
    let axes = principal_axes(&rows, previous);
    let projection = Projection {
        points: axes.project(&rows),
        labels: labels.to_vec(),
        predicted,
        explained: axes.explained(),
        dims,
    };
    (projection, axes)
}

/// `row` less `mean`, in f64.
fn centre<'a>(row: &'a [f32], mean: &'a [f64]) -> impl Iterator<Item = f64> + 'a {
    row.iter().zip(mean).map(|(&v, m)| f64::from(v) - m)
}

/// `a · b`, in four running sums: one sum would wait on each addition (a float sum cannot be
/// reordered), which made the iteration several times slower.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            sums[k] += x[k] * y[k];
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// The component of largest magnitude.
fn largest(axis: &[f64]) -> f64 {
    axis.iter()
        .copied()
        .fold(0.0, |best, v| if v.abs() > best.abs() { v } else { best })
}

/// Two fixed, generic starting vectors (a multiplicative hash per component): unlikely to be
/// orthogonal to any axis, and the same every time, so a projection is reproducible.
fn cold_start(dims: usize) -> [Vec<f64>; 2] {
    [1u64, 2].map(|k| {
        (0..dims as u64)
            .map(|i| {
                let h = (i + 1)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(k * 0xD1B5_4A32_D192_ED03);
                (h >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    })
}

/// Gram–Schmidt: the first vector normalised, the second made orthogonal to it and
/// normalised. A vector with nothing left (e.g. a layer of one unit has no second axis)
/// becomes zeros.
fn orthonormal(mut axes: [Vec<f64>; 2]) -> [Vec<f64>; 2] {
    normalise(&mut axes[0]);
    let along = dot(&axes[1], &axes[0]);
    let [first, second] = &mut axes;
    second
        .iter_mut()
        .zip(first.iter())
        .for_each(|(v, f)| *v -= along * f);
    normalise(second);
    axes
}

/// Scales `v` to unit length, or zeros it when it is (numerically) nothing.
fn normalise(v: &mut [f64]) {
    let norm = dot(v, v).sqrt();
    let scale = if norm > 1e-12 { 1.0 / norm } else { 0.0 };
    v.iter_mut().for_each(|x| *x *= scale);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;

    /// One case of `tests/fixtures/projection/cases.json` (written by its `make_fixtures.py`).
    #[derive(Deserialize)]
    struct Case {
        name: String,
        dims: usize,
        rows: Vec<f32>,
        points: Vec<[f64; 2]>,
        variance: [f64; 2],
        explained: [f64; 2],
    }

    fn cases() -> Vec<Case> {
        let text = include_str!("../../../../tests/fixtures/projection/cases.json");
        serde_json::from_str(text).expect("cases.json is valid")
    }

    #[test]
    fn pca_matches_numpy_up_to_each_axis_sign() {
        for case in cases() {
            let rows = Rows {
                values: &case.rows,
                dims: case.dims,
            };
            let axes = principal_axes(&rows, None);
            let points = axes.project(&rows);
            let spread = case.variance[0].sqrt();
            for k in 0..2 {
                let variance = (axes.variance[k] - case.variance[k]).abs();
                assert!(
                    variance <= 1e-5 * case.variance[0],
                    "{}: variance {k}",
                    case.name
                );
                let explained = f64::from(axes.explained()[k]) - case.explained[k];
                assert!(explained.abs() < 1e-5, "{}: explained {k}", case.name);
                // numpy's axis may point the other way.
                let sign = (f64::from(points[0][k]) * case.points[0][k]).signum();
                for (ours, theirs) in points.iter().zip(&case.points) {
                    let gap = sign * f64::from(ours[k]) - theirs[k];
                    assert!(
                        gap.abs() <= 1e-4 * spread,
                        "{}: axis {k}: {ours:?} vs {theirs:?}",
                        case.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_warm_start_keeps_the_signs_and_a_single_unit_has_one_axis() {
        let case = &cases()[0];
        let rows = Rows {
            values: &case.rows,
            dims: case.dims,
        };
        let cold = principal_axes(&rows, None);
        let mut flipped = cold.clone();
        flipped.axes[0].iter_mut().for_each(|v| *v = -*v);
        let warm = principal_axes(&rows, Some(&flipped));
        assert!(dot(&warm.axes[0], &cold.axes[0]) < -0.999_999);
        assert!(dot(&warm.axes[1], &cold.axes[1]) > 0.999_999);
        let line = Rows {
            values: &[1.0, 2.0, 4.0],
            dims: 1,
        };
        let axes = principal_axes(&line, None);
        assert_eq!(axes.axes, [vec![1.0], vec![0.0]]);
        let [along, across] = axes.project(&line)[2];
        assert!((along - (4.0 - 7.0 / 3.0)).abs() < 1e-6 && across == 0.0);
    }

    #[test]
    fn every_test_row_gets_a_point_for_any_network() {
        let data = bundled();
        let device = BackendKind::Flex.device();
        for (spec, dims) in [("conv8,pool,dense16", 16), ("conv4,pool", 64)] {
            let arch: Arch = spec.parse().unwrap();
            let model = DigitsCnn::seeded(&arch, &device, 3);
            let (projection, axes) = project(
                &model,
                &data.images[..50],
                &data.labels[..50],
                InputScale::Raw,
                &device,
                None,
            );
            assert_eq!(projection.dims, dims);
            assert_eq!(projection.points.len(), 50);
            assert_eq!(projection.labels, &data.labels[..50]);
            assert_eq!(projection.predicted.len(), 50);
            assert!(projection.explained[0] >= projection.explained[1]);
            assert!(axes.variance[0] > 0.0);
        }
    }
}
