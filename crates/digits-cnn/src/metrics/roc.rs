//! ROC curves (one class against the rest), their AUC, and thinning them for charts.

use serde::{Deserialize, Serialize};

use crate::CLASSES;

/// The AUC given to a curve that is undefined because its class has no positive or no
/// negative samples: that of the chance diagonal. Such curves are left out of
/// [`auc_macro`].
pub const UNDEFINED_AUC: f64 = 0.5;

/// The largest change of the area under a curve that [`thin`] allows itself.
pub const THIN_AUC_TOLERANCE: f64 = 1e-9;

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

/// A lighter copy of a curve for charts, whose [`auc`] stays within
/// [`THIN_AUC_TOLERANCE`] (1e-9) of the original's.
///
/// Meant for curves whose `x` and `y` never decrease, as ROC curves. Keeps the first
/// and last points. Drops every point collinear with its neighbours (or repeated), which
/// changes nothing drawn; then, while more than `max_points` remain
/// (at least 2), drops the point whose removal changes the area least, as long as the
/// changes add up to at most the tolerance. So the result may keep more than
/// `max_points` points when fewer would change the AUC: the AUC wins.
pub fn thin(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    /// Below this a point counts as collinear with its neighbours.
    const COLLINEAR: f64 = 1e-15;
    let max_points = max_points.max(2);
    let mut spent = 0.0;
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for &point in points {
        while kept.len() >= 2 {
            let change = triangle(kept[kept.len() - 2], kept[kept.len() - 1], point).abs();
            if change > COLLINEAR || spent + change > THIN_AUC_TOLERANCE {
                break;
            }
            spent += change;
            kept.pop();
        }
        kept.push(point);
    }
    while kept.len() > max_points {
        let (index, change) = (1..kept.len() - 1)
            .map(|i| (i, triangle(kept[i - 1], kept[i], kept[i + 1]).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("more than two points");
        if spent + change > THIN_AUC_TOLERANCE {
            break;
        }
        spent += change;
        kept.remove(index);
    }
    kept
}

/// How much the trapezoidal area changes when `b` is dropped from `a, b, c`: the signed
/// area of the triangle.
fn triangle(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    ((b.0 - a.0) * (c.1 - a.1) - (c.0 - a.0) * (b.1 - a.1)) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::CASES;

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
        for case in CASES {
            let curves = RocCurve::all_classes(case.probabilities, case.labels);
            assert_eq!(curves.len(), CLASSES);
            for (c, curve) in curves.iter().enumerate() {
                let what = format!("{} class {c}", case.name);
                assert_eq!(usize::from(curve.class), c);
                match (case.roc[c], case.auc[c]) {
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
            let mean = auc_macro(&curves, case.labels);
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
    fn thin_keeps_the_auc_and_drops_collinear_points() {
        for case in CASES {
            for (c, expected) in case.roc_dropped.iter().enumerate() {
                let Some(expected) = expected else { continue };
                let curve = RocCurve::one_vs_rest(case.probabilities, case.labels, c as u8);
                let thinned = thin(&curve.points, usize::MAX);
                let what = format!("{} class {c}", case.name);
                assert!((auc(&thinned) - curve.auc).abs() <= 1e-9, "{what}");
                assert_eq!(thinned.first(), curve.points.first(), "{what}");
                assert_eq!(thinned.last(), curve.points.last(), "{what}");
                // Every corner sklearn keeps with drop_intermediate=True that is not merely
                // collinear survives, and nothing outside sklearn's set is kept.
                for p in &thinned {
                    assert!(expected.contains(p), "{what}: {p:?} not in {expected:?}");
                }
                assert!(thinned.len() <= expected.len(), "{what}");
                for small in [2, 3, 5, 10] {
                    let lighter = thin(&curve.points, small);
                    assert!((auc(&lighter) - curve.auc).abs() <= 1e-9, "{what} {small}");
                    assert!(lighter.len() <= thinned.len(), "{what} {small}");
                }
            }
        }
    }

    #[test]
    fn thin_drops_near_points_only_within_the_budget() {
        // A dense staircase whose corners are each worth 1/(2·n²) of area.
        let n = 100;
        let mut points = vec![(0.0, 0.0)];
        for i in 1..=n {
            let x = f64::from(i) / f64::from(n);
            points.push(((f64::from(i) - 1.0) / f64::from(n), x));
            points.push((x, x));
        }
        let thinned = thin(&points, 10);
        // Every corner is worth 5e-5 of area: far too much to drop any.
        assert_eq!(thinned.len(), points.len());
        // Now tiny wiggles: one point 1e-12 off a straight line is dropped.
        let wiggly = [(0.0, 0.0), (0.5, 0.5 + 1e-12), (1.0, 1.0)];
        assert_eq!(thin(&wiggly, 2), [(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(thin(&wiggly, 3), wiggly);
        // Exactly collinear and repeated points always go.
        let line = [
            (0.0, 0.0),
            (0.0, 0.0),
            (0.0, 0.25),
            (0.0, 1.0),
            (0.5, 1.0),
            (1.0, 1.0),
        ];
        assert_eq!(thin(&line, 100), [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]);
        assert_eq!(thin(&[], 5), []);
        assert_eq!(thin(&[(0.0, 0.0)], 0), [(0.0, 0.0)]);
    }

    #[test]
    fn serde_round_trip() {
        let curve = RocCurve::one_vs_rest(&[[0.1; CLASSES], [0.2; CLASSES]], &[0, 1], 0);
        let json = serde_json::to_string(&curve).unwrap();
        assert_eq!(serde_json::from_str::<RocCurve>(&json).unwrap(), curve);
    }
}
