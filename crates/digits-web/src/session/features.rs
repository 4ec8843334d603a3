//! The worker's side of the drawing pad, model files, evaluation of a loaded network,
//! training it further, and the per-row test predictions behind the linked views.

use digits_cnn::data::{self, Dataset};
use digits_cnn::metrics::evaluate;
use digits_cnn::model_file::{ModelInfo, load_model, save_model};
use digits_cnn::prediction::probabilities;
use digits_cnn::training::{TrainConfig, Trainer};

use super::{Session, Viewer, failed};
use crate::protocol::{Request, Response, TestPrediction};

impl Session {
    /// Handles the requests of this module (the others never reach it).
    pub(super) fn handle_features(&mut self, request: Request) -> Vec<Response> {
        match request {
            Request::Inspect { tag, image } => vec![match self.feature_maps(&image) {
                Response::FeatureMaps(view) => Response::Inspection { tag, view },
                Response::FeatureMapsRefused { message } => {
                    Response::InspectionRefused { tag, message }
                }
                other => other,
            }],
            Request::SaveModel => vec![self.save_current()],
            Request::LoadModel { name, bytes } => self.load_file(name, &bytes),
            Request::Evaluate { config } => self.evaluate_current(&config),
            Request::TrainFurther { config } => vec![self.train_further(config)],
            _ => Vec::new(),
        }
    }

    /// The network a file would hold now: the running one, else the viewer's.
    fn current(&self) -> Viewer {
        match self.trainer() {
            Some(trainer) => Viewer::of(trainer),
            None => Viewer {
                model: self.viewer.model.clone(),
                ..self.viewer
            },
        }
    }

    fn save_current(&self) -> Response {
        let current = self.current();
        let epochs = self.epochs_before + current.epochs;
        let mut info = ModelInfo::new(current.scale, epochs, &self.source);
        info.test_accuracy = self.accuracy.filter(|_| self.trainer().is_none());
        Response::ModelFile {
            name: format!("digit-lab-{}-{epochs}-epochs.dlab", current.scale.name()),
            bytes: save_model(&current.model, &info),
        }
    }

    fn load_file(&mut self, name: String, bytes: &[u8]) -> Vec<Response> {
        let backend = self.viewer.backend;
        match load_model(bytes, &backend.device()) {
            Ok((model, info)) => {
                let mut out = Vec::new();
                if self.run.take().is_some() {
                    self.paused = false;
                    out.push(Response::Stopped);
                }
                self.viewer = Viewer {
                    model,
                    scale: info.scale,
                    backend,
                    epochs: info.epochs_trained,
                };
                self.epochs_before = 0;
                self.accuracy = info.test_accuracy;
                out.push(Response::ModelLoaded { name, info });
                self.push_watched_maps(&mut out);
                out
            }
            Err(error) => vec![Response::ModelRefused {
                name,
                message: error.message,
            }],
        }
    }

    /// The split `config` makes of the loaded data, as (train, test) with the test rows'
    /// indices remembered for the linked views.
    fn split(&mut self, config: &TrainConfig) -> Result<(Dataset, Dataset), Response> {
        let dataset = self
            .data
            .as_ref()
            .ok_or_else(|| failed("no data is loaded".into()))?;
        let split = data::train_test_split(
            &dataset.labels,
            config.test_size,
            config.seed,
            config.stratify,
        )
        .map_err(|error| failed(format!("cannot split the data: {}", error.message)))?;
        let parts = (dataset.subset(&split.train), dataset.subset(&split.test));
        self.test_rows = split.test;
        Ok(parts)
    }

    fn evaluate_current(&mut self, config: &TrainConfig) -> Vec<Response> {
        if self.run.is_some() {
            return vec![failed("stop the run before evaluating".into())];
        }
        let (train, test) = match self.split(config) {
            Ok(parts) => parts,
            Err(answer) => return vec![answer],
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

    fn train_further(&mut self, mut config: TrainConfig) -> Response {
        // The network was trained on inputs scaled one way; it must keep them.
        config.scale = self.viewer.scale;
        let base = {
            let current = self.current();
            self.viewer = current;
            self.epochs_before + self.viewer.epochs
        };
        let (train, test) = match self.split(&config) {
            Ok(parts) => parts,
            Err(answer) => return answer,
        };
        let epochs = config.epochs;
        match Trainer::from_model(config, self.viewer.model.clone(), &train, &test) {
            Ok(trainer) => self.begin_training(trainer, base, epochs, (train.len(), test.len())),
            Err(error) => failed(format!("cannot train: {error}")),
        }
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
    use std::time::Duration;

    use digits_cnn::metrics::predicted_class;

    use super::*;
    use crate::protocol::ImageRef;

    fn quick(epochs: usize) -> TrainConfig {
        TrainConfig {
            epochs,
            batch_size: 256,
            ..TrainConfig::default()
        }
    }

    fn trained() -> (Session, Vec<Response>) {
        let mut session = Session::new(1);
        session.handle(Request::UseBundled);
        session.handle(Request::Train { config: quick(1) });
        let mut out = Vec::new();
        while session.is_running() {
            out.extend(session.run_slice(Duration::from_millis(40)));
        }
        (session, out)
    }

    fn inspect(session: &mut Session, row: usize) -> [f32; 10] {
        match &session.handle(Request::Inspect {
            tag: "t".into(),
            image: ImageRef::Row(row),
        })[..]
        {
            [Response::Inspection { tag, view }] if tag == "t" => view.maps.probabilities,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn test_predictions_follow_training_and_match_the_confusion_matrix() {
        let (_, out) = trained();
        let Some(Response::TrainingDone { evaluation }) = out
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

    #[test]
    fn save_load_round_trip_predicts_the_same_and_can_be_evaluated_and_trained() {
        let (mut session, _) = trained();
        let before = inspect(&mut session, 7);
        let [Response::ModelFile { bytes, .. }] = &session.handle(Request::SaveModel)[..] else {
            panic!()
        };
        let mut other = Session::new(2);
        other.handle(Request::UseBundled);
        let loaded = other.handle(Request::LoadModel {
            name: "m.dlab".into(),
            bytes: bytes.clone(),
        });
        assert!(
            matches!(&loaded[..], [Response::ModelLoaded { info, .. }] if info.epochs_trained == 1)
        );
        assert_eq!(inspect(&mut other, 7), before);
        let evaluated = other.handle(Request::Evaluate { config: quick(1) });
        assert!(matches!(
            &evaluated[..],
            [Response::Evaluated { test_rows: 360, .. }, Response::TestPredictions { rows }] if rows.len() == 360
        ));
        let started = other.handle(Request::TrainFurther { config: quick(1) });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted { epochs: 1, .. }]
        ));
        while other.is_running() {
            other.run_slice(Duration::from_millis(40));
        }
        let [Response::ModelFile { bytes, .. }] = &other.handle(Request::SaveModel)[..] else {
            panic!()
        };
        let info = load_model(bytes, &digits_cnn::backend::BackendKind::Flex.device())
            .unwrap()
            .1;
        assert_eq!(info.epochs_trained, 2);
    }

    #[test]
    fn a_bad_model_file_is_refused_with_a_message() {
        let mut session = Session::new(1);
        let answers = session.handle(Request::LoadModel {
            name: "x.csv".into(),
            bytes: b"1,2,3".to_vec(),
        });
        assert!(
            matches!(&answers[..], [Response::ModelRefused { message, .. }] if message.contains("not a Digit Lab model"))
        );
    }
}
