//! ROC curves (one class against the rest) and their AUC.

use serde::{Deserialize, Serialize};

use crate::CLASSES;

/// The AUC given to a curve that is undefined because its class has no positive or no
/// negative samples: that of the chance diagonal. Such curves are left out of
/// [`auc_macro`].
pub const UNDEFINED_AUC: f64 = 0.5;

/// The ROC curve of one class against the rest, with its area.
///
/// When the class has no positive or no negative samples the curve is undefined
/// (scikit-learn returns NaN rates and `roc_auc_score` raises): `points` is then the chance
/// diagonal `[(0, 0), (1, 1)]`, `auc` is [`UNDEFINED_AUC`] (0.5), and the class is left
/// out of [`auc_macro`]. So no NaN ever crosses the worker boundary. Whether a class's
/// curve is defined follows from the supports (the confusion matrix's row sums): it is
/// when the class has between 1 and `n - 1` of the `n` samples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    /// The positive class, 0..9.
    pub class: u8,
    /// `(false positive rate, true positive rate)` pairs, one per distinct score from
    /// the highest down, after a leading `(0, 0)`; the last is `(1, 1)`.
    pub points: Vec<(f64, f64)>,
    /// Area under `points` (trapezoidal); [`UNDEFINED_AUC`] for an undefined curve.
    pub auc: f64,
}

impl RocCurve {
    /// The curve of `class` against the rest: column `class` of `probabilities` is the
    /// score, and a sample is positive when its label is `class`.
    ///
    /// # Panics
    ///
    /// If `probabilities` and `labels` differ in length, or `class` is not below
    /// [`CLASSES`].
    pub fn one_vs_rest(probabilities: &[[f32; CLASSES]], labels: &[u8], class: u8) -> Self {
        assert_eq!(
            probabilities.len(),
            labels.len(),
            "ROC: {} probability rows but {} labels",
            probabilities.len(),
            labels.len()
        );
        let column = usize::from(class);
        let scores: Vec<f32> = probabilities.iter().map(|row| row[column]).collect();
        let positive: Vec<bool> = labels.iter().map(|&label| label == class).collect();
        let points = roc_curve(&scores, &positive);
        let auc = if is_defined(&positive) {
            auc(&points)
        } else {
            UNDEFINED_AUC
        };
        RocCurve { class, points, auc }
    }

    /// Every class's curve against the rest, in class order 0..9.
    ///
    /// # Panics
    ///
    /// If `probabilities` and `labels` differ in length.
    pub fn all_classes(probabilities: &[[f32; CLASSES]], labels: &[u8]) -> Vec<Self> {
        (0..CLASSES as u8)
            .map(|class| RocCurve::one_vs_rest(probabilities, labels, class))
            .collect()
    }
}

/// Whether a ROC curve is defined for these samples: at least one positive and one
/// negative.
pub fn is_defined(positive: &[bool]) -> bool {
    positive.contains(&true) && positive.contains(&false)
}

/// Mean AUC of the classes whose curve is defined in `labels`: scikit-learn's
/// `roc_auc_score(multi_class='ovr', average='macro')` when every class is present.
///
/// A class is left out when it has no positive or no negative sample (its AUC is
/// undefined). When no class is left, the result is [`UNDEFINED_AUC`] (0.5).
pub fn auc_macro(curves: &[RocCurve], labels: &[u8]) -> f64 {
    let defined: Vec<f64> = curves
        .iter()
        .filter(|curve| {
            let positives = labels.iter().filter(|&&l| l == curve.class).count();
            positives > 0 && positives < labels.len()
        })
        .map(|curve| curve.auc)
        .collect();
    if defined.is_empty() {
        UNDEFINED_AUC
    } else {
        defined.iter().sum::<f64>() / defined.len() as f64
    }
}

/// The ROC curve of scores against binary truth, as `(fpr, tpr)` points.
///
/// Matches scikit-learn's `roc_curve(positive, scores, drop_intermediate=False)`: a
/// leading `(0, 0)`, then one point per distinct score from the highest down (tied scores
/// share one point), ending at `(1, 1)`. NaN scores rank lowest, tied with `-inf`; `-0.0`
/// ties with `0.0`.
///
/// When there is no positive or no negative sample (including empty input) the rates are
/// undefined and the result is the chance diagonal `[(0, 0), (1, 1)]`.
///
/// # Panics
///
/// If the two slices differ in length.
pub fn roc_curve(scores: &[f32], positive: &[bool]) -> Vec<(f64, f64)> {
    assert_eq!(
        scores.len(),
        positive.len(),
        "ROC: {} scores but {} truth values",
        scores.len(),
        positive.len()
    );
    if !is_defined(positive) {
        return vec![(0.0, 0.0), (1.0, 1.0)];
    }
    let positives = positive.iter().filter(|&&p| p).count() as f64;
    let negatives = positive.len() as f64 - positives;
    // NaN ranks lowest; +0.0 stands for -0.0 so that the two tie.
    let key = |s: f32| {
        if s.is_nan() {
            f32::NEG_INFINITY
        } else if s == 0.0 {
            0.0
        } else {
            s
        }
    };
    let mut order: Vec<(f32, bool)> = scores
        .iter()
        .zip(positive)
        .map(|(&s, &p)| (key(s), p))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut points = Vec::with_capacity(order.len() + 1);
    points.push((0.0, 0.0));
    let (mut tp, mut fp) = (0u32, 0u32);
    for (i, &(score, is_positive)) in order.iter().enumerate() {
        if is_positive {
            tp += 1;
        } else {
            fp += 1;
        }
        if order.get(i + 1).is_none_or(|next| next.0 != score) {
            points.push((f64::from(fp) / negatives, f64::from(tp) / positives));
        }
    }
    points
}

/// Area under a curve by the trapezoidal rule, for points in order of increasing `x`
/// (as [`roc_curve`] gives them); `0.0` for fewer than two points.
pub fn auc(points: &[(f64, f64)]) -> f64 {
    points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::cases;

    fn assert_points(actual: &[(f64, f64)], expected: &[(f64, f64)], what: &str) {
        assert_eq!(
            actual.len(),
            expected.len(),
            "{what}: {actual:?} vs {expected:?}"
        );
        for (a, e) in actual.iter().zip(expected) {
            assert!(
                (a.0 - e.0).abs() <= 1e-9 && (a.1 - e.1).abs() <= 1e-9,
                "{what}: {actual:?} vs {expected:?}"
            );
        }
    }

    #[test]
    fn curves_and_aucs_match_scikit_learn_on_every_fixture() {
        for case in cases() {
            let curves = RocCurve::all_classes(&case.probabilities, &case.labels);
            assert_eq!(curves.len(), CLASSES);
            for (c, curve) in curves.iter().enumerate() {
                let what = format!("{} class {c}", case.name);
                assert_eq!(usize::from(curve.class), c);
                match (&case.roc[c], case.auc[c]) {
                    (Some(points), Some(expected)) => {
                        assert_points(&curve.points, points, &what);
                        assert!(
                            (curve.auc - expected).abs() <= 1e-9,
                            "{what}: {}",
                            curve.auc
                        );
                    }
                    _ => {
                        assert_eq!(curve.points, [(0.0, 0.0), (1.0, 1.0)], "{what}");
                        assert_eq!(curve.auc, UNDEFINED_AUC, "{what}");
                    }
                }
            }
            let mean = auc_macro(&curves, &case.labels);
            let expected = case.auc_macro.unwrap_or(UNDEFINED_AUC);
            assert!((mean - expected).abs() <= 1e-9, "{}: {mean}", case.name);
        }
    }

    #[test]
    fn ties_share_one_point_as_in_the_scikit_learn_docs() {
        // sklearn's roc_curve docstring: y = [1, 1, 2, 2], scores [0.1, 0.4, 0.35, 0.8].
        let points = roc_curve(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
        assert_points(
            &points,
            &[(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)],
            "docs",
        );
        assert_eq!(auc(&points), 0.75);
        // All scores tied: one point besides the origin, the diagonal.
        let tied = roc_curve(&[0.3; 4], &[true, false, false, true]);
        assert_eq!(tied, [(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(auc(&tied), 0.5);
        // A tie across a positive and a negative gives a diagonal step.
        let step = roc_curve(&[0.9, 0.5, 0.5, 0.1], &[true, true, false, false]);
        assert_eq!(step, [(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)]);
        assert_eq!(auc(&step), 0.875);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let diagonal = [(0.0, 0.0), (1.0, 1.0)];
        assert_eq!(roc_curve(&[], &[]), diagonal);
        assert_eq!(roc_curve(&[0.2, 0.9], &[true, true]), diagonal);
        assert_eq!(roc_curve(&[0.2, 0.9], &[false, false]), diagonal);
        assert_eq!(auc(&[]), 0.0);
        assert_eq!(auc(&[(0.3, 0.3)]), 0.0);
        let curves = RocCurve::all_classes(&[], &[]);
        assert!(
            curves
                .iter()
                .all(|c| c.auc == UNDEFINED_AUC && c.points == diagonal)
        );
        assert_eq!(auc_macro(&curves, &[]), UNDEFINED_AUC);
        // One class only: every curve is undefined, none is averaged.
        let rows = [[0.1f32; CLASSES]; 3];
        let curves = RocCurve::all_classes(&rows, &[2, 2, 2]);
        assert!(curves.iter().all(|c| c.auc == UNDEFINED_AUC));
        assert_eq!(auc_macro(&curves, &[2, 2, 2]), UNDEFINED_AUC);
    }

    #[test]
    fn nan_scores_rank_lowest_and_signed_zeros_tie() {
        let points = roc_curve(&[f32::NAN, 0.5, 0.2], &[false, true, false]);
        assert_eq!(points, [(0.0, 0.0), (0.0, 1.0), (0.5, 1.0), (1.0, 1.0)]);
        let points = roc_curve(&[-0.0, 0.0], &[true, false]);
        assert_eq!(points, [(0.0, 0.0), (1.0, 1.0)]);
    }

    #[test]
    fn macro_skips_undefined_classes() {
        // Only classes 0 and 1 are present; class 0 is perfectly ranked, class 1 inverted.
        let mut rows = [[0.0f32; CLASSES]; 2];
        rows[0][0] = 0.9;
        rows[1][0] = 0.1;
        rows[0][1] = 0.8;
        rows[1][1] = 0.2;
        let curves = RocCurve::all_classes(&rows, &[0, 1]);
        assert_eq!(curves[0].auc, 1.0);
        assert_eq!(curves[1].auc, 0.0);
        assert!(curves[2..].iter().all(|c| c.auc == UNDEFINED_AUC));
        assert_eq!(auc_macro(&curves, &[0, 1]), 0.5);
    }

    #[test]
    fn serde_round_trip() {
        let curve = RocCurve::one_vs_rest(&[[0.1; CLASSES], [0.2; CLASSES]], &[0, 1], 0);
        let json = serde_json::to_string(&curve).unwrap();
        assert_eq!(serde_json::from_str::<RocCurve>(&json).unwrap(), curve);
    }
}
