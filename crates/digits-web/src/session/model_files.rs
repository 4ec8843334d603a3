//! Section 10, model files, in the worker: the current network as a `.dlab` file (the
//! CLI's `--save` format, `digits_cnn::model_file`) and a loaded file as the current
//! network. Training it further is `training.rs`'s, evaluating it `evaluate.rs`'s.

use digits_cnn::model_file::{ModelInfo, load_model, save_model};

use super::{Session, Viewer};
use crate::protocol::Response;

impl Session {
    /// The network a file would hold now: the running one, else the viewer's.
    pub(super) fn current(&self) -> Viewer {
        match self.trainer() {
            Some(trainer) => Viewer::of(trainer),
            None => Viewer {
                model: self.viewer.model.clone(),
                ..self.viewer
            },
        }
    }

    pub(super) fn save_current(&self) -> Response {
        let current = self.current();
        let epochs = self.epochs_before + current.epochs;
        let mut info = ModelInfo::new(current.model.arch(), current.scale, epochs, &self.source);
        info.test_accuracy = self.accuracy.filter(|_| self.trainer().is_none());
        Response::ModelFile {
            name: format!("digit-lab-{}-{epochs}-epochs.dlab", current.scale.name()),
            bytes: save_model(&current.model, &info),
        }
    }

    pub(super) fn load_file(&mut self, name: String, bytes: &[u8]) -> Vec<Response> {
        let backend = self.viewer.backend;
        match load_model(bytes, &backend.device()) {
            Ok((model, info)) => {
                let mut out = Vec::new();
                if self.is_training() {
                    self.paused = false;
                    out.push(Response::Stopped);
                }
                // Any run ends; baselines still due belong to the network this file replaces.
                self.run = None;
                self.baselines_due = None;
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
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::test_support::*;
    use super::*;
    use crate::protocol::{ImageRef, Inspector, Request};

    fn inspect(session: &mut Session, row: usize) -> [f32; 10] {
        match &session.handle(Request::Inspect {
            inspector: Inspector::LinkedView,
            image: ImageRef::Row(row),
        })[..]
        {
            [
                Response::Inspection {
                    inspector: Inspector::LinkedView,
                    view,
                },
            ] => view.maps.probabilities,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn save_load_round_trip_predicts_the_same_and_can_be_evaluated_and_trained() {
        let (mut session, _) = trained();
        let before = inspect(&mut session, 7);
        let [Response::ModelFile { bytes, .. }] = &session.handle(Request::SaveModel)[..] else {
            panic!()
        };
        let mut other = Session::new(2);
        other.handle(DIGITS);
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
    fn a_model_loaded_after_a_run_drops_its_baselines_without_a_stop() {
        let mut session = loaded_session();
        session.handle(Request::Train { config: quick(1) });
        while !session
            .run_slice(Duration::from_millis(40))
            .iter()
            .any(|r| matches!(r, Response::TrainingDone { .. }))
        {}
        let [Response::ModelFile { bytes, .. }] = &session.handle(Request::SaveModel)[..] else {
            panic!()
        };
        let loaded = session.handle(Request::LoadModel {
            name: "m.dlab".into(),
            bytes: bytes.clone(),
        });
        assert!(
            matches!(&loaded[..], [Response::ModelLoaded { .. }, ..]),
            "{loaded:?}"
        );
        assert!(!session.is_running(), "the baselines are dropped");
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
