//! The baselines against scikit-learn's answers on small cases
//! (`tests/fixtures/baselines/make_fixtures.py` writes them).

use serde_json::Value;

use super::*;
use crate::data::{BundledData, Dataset};
use crate::metrics::predicted_class;

const FIXTURES: &str = include_str!("../../../../tests/fixtures/baselines/baselines.json");

fn fixtures() -> Value {
    serde_json::from_str(FIXTURES).expect("baselines.json parses")
}

fn rows(value: &Value) -> std::ops::Range<usize> {
    let bound = |i: usize| value[i].as_u64().unwrap() as usize;
    bound(0)..bound(1)
}

fn vector(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

fn matrix(value: &Value) -> Vec<Vec<f64>> {
    value.as_array().unwrap().iter().map(vector).collect()
}

fn classes(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u8)
        .collect()
}

fn images(value: &Value) -> Vec<Image> {
    matrix(value)
        .iter()
        .map(|row| std::array::from_fn(|i| row[i] as u8))
        .collect()
}

/// The largest absolute difference between two tables of the same shape.
fn gap(ours: &[impl AsRef<[f32]>], theirs: &[Vec<f64>]) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(theirs)
        .flat_map(|(a, b)| {
            assert_eq!(a.as_ref().len(), b.len());
            a.as_ref()
                .iter()
                .zip(b)
                .map(|(x, y)| (f64::from(*x) - y).abs())
        })
        .fold(0.0, f64::max)
}

fn predictions(probabilities: &[[f32; CLASSES]]) -> Vec<u8> {
    probabilities.iter().map(predicted_class).collect()
}

/// The fixture's training and test rows of the bundled `digits` data.
fn small_case(fixtures: &Value) -> (Dataset, Dataset) {
    let digits = BundledData::Digits.dataset();
    let pick = |range: std::ops::Range<usize>| digits.subset(&range.collect::<Vec<_>>());
    (
        pick(rows(&fixtures["train_rows"])),
        pick(rows(&fixtures["test_rows"])),
    )
}

fn scales() -> [(InputScale, &'static str); 2] {
    [(InputScale::Raw, "raw"), (InputScale::Unit, "unit")]
}

#[test]
fn knn_matches_scikit_learn() {
    let fixtures = fixtures();
    let (train, test) = small_case(&fixtures);
    for (scale, name) in scales() {
        let case = &fixtures["scales"][name];
        let model = KNearestNeighbours::fit(&train, scale, DEFAULT_K);
        let probabilities = model.predict_probabilities(&test.images);
        assert!(
            gap(&probabilities, &matrix(&case["knn_probabilities"])) < 1e-6,
            "{name}"
        );
        assert_eq!(
            predictions(&probabilities),
            classes(&case["knn_predicted"]),
            "{name}"
        );
    }
}

#[test]
fn knn_breaks_ties_as_scikit_learn() {
    let ties = &fixtures()["ties"];
    let train = Dataset {
        images: images(&ties["train_images"]),
        labels: classes(&ties["train_labels"]),
    };
    let model = KNearestNeighbours::fit(&train, InputScale::Raw, 3);
    let probabilities = model.predict_probabilities(&images(&ties["test_images"]));
    assert!(gap(&probabilities, &matrix(&ties["knn_probabilities"])) < 1e-6);
    assert_eq!(predictions(&probabilities), classes(&ties["knn_predicted"]));
}

#[test]
fn logistic_regression_matches_scikit_learn() {
    let fixtures = fixtures();
    let (train, test) = small_case(&fixtures);
    for (scale, name) in scales() {
        let case = &fixtures["scales"][name];
        let settings = LogisticSettings {
            tolerance: 1e-10,
            ..LogisticSettings::default()
        };
        let model = LogisticRegression::fit(&train, scale, settings);
        assert!(
            model.converged(),
            "{name}: {} iterations",
            model.iterations()
        );
        let weights: Vec<Vec<f32>> = (0..CLASSES)
            .map(|c| model.weights(c).iter().map(|&w| w as f32).collect())
            .collect();
        let intercepts = [model.intercepts().map(|b| b as f32)];
        let expected = matrix(&case["logistic_weights"]);
        let scale_of = expected
            .iter()
            .flatten()
            .fold(0.0, |m: f64, w| m.max(w.abs()));
        assert!(
            gap(&weights, &expected) < 1e-3 * scale_of,
            "{name}: weights"
        );
        let expected = [vector(&case["logistic_intercepts"])];
        assert!(gap(&intercepts, &expected) < 1e-3, "{name}: intercepts");
        let probabilities = model.predict_probabilities(&test.images);
        assert!(
            gap(&probabilities, &matrix(&case["logistic_probabilities"])) < 1e-4,
            "{name}"
        );
        assert_eq!(
            predictions(&probabilities),
            classes(&case["logistic_predicted"]),
            "{name}"
        );
    }
}

#[test]
fn baselines_run_and_are_evaluated_on_the_test_rows() {
    let (train, test) = small_case(&fixtures());
    let results = run_baselines(&train, &test, InputScale::Raw);
    let models: Vec<BaselineKind> = results.iter().map(|r| r.model).collect();
    assert_eq!(models, BaselineKind::ALL);
    for result in &results {
        assert_eq!(result.evaluation.confusion.total(), 100);
        assert!(result.evaluation.accuracy > 0.85, "{:?}", result);
        assert!(result.seconds >= 0.0 && result.predict_seconds >= 0.0);
    }
    let names: Vec<&str> = BaselineKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names, ["knn", "logistic"]);
    assert_eq!(
        serde_json::to_string(&BaselineKind::Knn).unwrap(),
        "\"knn\""
    );
}
