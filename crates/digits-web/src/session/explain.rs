//! Section 4's "Why this prediction" in the worker: an image's occlusion and saliency maps
//! for a class, and the first convolution laid open (the core's `digits_cnn::explain`),
//! through the running network or else the viewer's. The request is kept and answered
//! again whenever the watched feature maps go out (`session/feature_maps.rs`), so the
//! explanation follows a run at the same throttled pace.

use digits_cnn::CLASSES;
use digits_cnn::explain::explain;

use super::Session;
use crate::protocol::{ExplainTarget, ExplanationView, Response};

impl Session {
    /// The explanation of `target`, which is kept from now on when it can be explained.
    pub(super) fn explain(&mut self, target: ExplainTarget) -> Response {
        let answer = self.explanation(&target);
        if matches!(answer, Response::Explanation(_)) {
            self.explained = Some(target);
        }
        answer
    }

    /// Pushes the kept explanation, if there is one.
    pub(super) fn push_explanation(&self, out: &mut Vec<Response>) {
        if let Some(target) = &self.explained {
            out.push(self.explanation(target));
        }
    }

    /// [`Response::Explanation`] for `target`, or why it cannot be.
    fn explanation(&self, target: &ExplainTarget) -> Response {
        match self.explanation_view(target) {
            Ok(view) => Response::Explanation(view),
            Err(message) => Response::ExplanationRefused { message },
        }
    }

    fn explanation_view(&self, target: &ExplainTarget) -> Result<ExplanationView, String> {
        if let Some(class) = target.class.filter(|&c| usize::from(c) >= CLASSES) {
            return Err(format!("there is no class {class}: classes go from 0 to 9"));
        }
        let (pixels, label) = self.resolve(&target.image)?;
        Ok(self.with_current_viewer(|viewer| ExplanationView {
            target: target.clone(),
            pixels: pixels.to_vec(),
            label,
            epoch: viewer.epochs,
            explanation: explain(
                &viewer.model,
                &pixels,
                viewer.scale,
                viewer.backend,
                target.class,
                target.occlusion,
            ),
        }))
    }
}

#[cfg(test)]
mod tests {
    use digits_cnn::explain::Occlusion;

    use super::super::test_support::*;
    use crate::protocol::{ExplainTarget, ImageRef, Request, Response};

    fn target(image: ImageRef, class: Option<u8>) -> Request {
        Request::Explain {
            target: ExplainTarget {
                image,
                class,
                occlusion: Occlusion::Block,
            },
        }
    }

    #[test]
    fn an_explanation_follows_a_run_and_bad_targets_are_refused() {
        let mut session = loaded_session();
        let answers = session.handle(target(ImageRef::Row(3), Some(7)));
        let [Response::Explanation(view)] = &answers[..] else {
            panic!("{answers:?}")
        };
        assert_eq!((view.epoch, view.explanation.class), (0, 7));
        assert_eq!(view.explanation.occlusion.len(), 64);
        assert_eq!(view.explanation.saliency.len(), 64);
        let first = view
            .explanation
            .first_conv
            .as_ref()
            .expect("the notebook's conv2d");
        assert_eq!((first.layer.as_str(), first.filters), ("conv2d", 16));

        for bad in [
            target(ImageRef::Row(5000), None),
            target(ImageRef::Pixels(vec![0; 3]), None),
            target(ImageRef::Row(0), Some(10)),
        ] {
            let answers = session.handle(bad);
            assert!(matches!(
                &answers[..],
                [Response::ExplanationRefused { .. }]
            ));
        }

        // The kept request (row 3, class 7) comes again with the maps after the run's epochs.
        session.handle(Request::Train { config: quick(2) });
        let out = run_to_end(&mut session);
        let epochs: Vec<usize> = out
            .iter()
            .filter_map(|answer| match answer {
                Response::Explanation(view) => {
                    assert_eq!(view.target.image, ImageRef::Row(3));
                    assert_eq!(view.explanation.class, 7);
                    Some(view.epoch)
                }
                _ => None,
            })
            .collect();
        assert_eq!(epochs.last(), Some(&2), "{epochs:?}");
    }
}
