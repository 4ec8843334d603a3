//! Section 5, evaluation, in the worker: the current network's metrics on the test rows of
//! a split, and every test row's prediction (behind the linked views of section 8).

use digits_cnn::metrics::evaluate;
use digits_cnn::prediction::probabilities;
use digits_cnn::training::TrainConfig;

use super::{Session, failed};
use crate::protocol::{Response, TestPrediction};

impl Session {
    /// Evaluates the current network (no training may go on) on the split `config` makes.
    pub(super) fn evaluate_current(&mut self, config: &TrainConfig) -> Vec<Response> {
        if self.is_training() {
            return vec![failed("stop the run before evaluating".into())];
        }
        let (train, test) = match self.split(config) {
            Ok(parts) => parts,
            Err(message) => return vec![failed(message)],
        };
        let viewer = &self.viewer;
        let device = viewer.backend.device();
        let evaluation = evaluate(
            &probabilities(&viewer.model, &test.images, viewer.scale, &device),
            &test.labels,
        );
        self.accuracy = Some(evaluation.accuracy);
        vec![
            Response::Evaluated {
                evaluation: Box::new(evaluation),
                train_rows: train.len(),
                test_rows: test.len(),
            },
            self.test_predictions(),
        ]
    }

    /// Every test row's probabilities with the viewer's network.
    pub(super) fn test_predictions(&self) -> Response {
        let Some(dataset) = &self.data else {
            return Response::TestPredictions { rows: Vec::new() };
        };
        let rows: Vec<usize> = self
            .test_rows
            .iter()
            .copied()
            .filter(|&row| row < dataset.len())
            .collect();
        let images: Vec<_> = rows.iter().map(|&row| dataset.images[row]).collect();
        let viewer = &self.viewer;
        let probabilities = probabilities(
            &viewer.model,
            &images,
            viewer.scale,
            &viewer.backend.device(),
        );
        Response::TestPredictions {
            rows: rows
                .iter()
                .zip(probabilities)
                .map(|(&index, probabilities)| TestPrediction {
                    index,
                    label: dataset.labels[index],
                    pixels: dataset.images[index].to_vec(),
                    probabilities,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use digits_cnn::metrics::predicted_class;

    use super::super::test_support::*;
    use crate::protocol::Response;

    #[test]
    fn test_predictions_follow_training_and_match_the_confusion_matrix() {
        let (_, out) = trained();
        let Some(Response::TrainingDone { evaluation, .. }) = out
            .iter()
            .find(|r| matches!(r, Response::TrainingDone { .. }))
        else {
            panic!()
        };
        let Some(Response::TestPredictions { rows }) = out
            .iter()
            .find(|r| matches!(r, Response::TestPredictions { .. }))
        else {
            panic!()
        };
        assert_eq!(rows.len(), 360);
        let mut counts = [[0u32; 10]; 10];
        for row in rows {
            counts[usize::from(row.label)][usize::from(predicted_class(&row.probabilities))] += 1;
        }
        assert_eq!(counts, evaluation.confusion.counts);
    }
}
