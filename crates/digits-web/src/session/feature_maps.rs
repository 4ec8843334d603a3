//! Section 4, feature maps, in the worker: the maps and class probabilities of an image
//! through the running network (or else the last one trained or loaded: the [`Viewer`]),
//! the watched image whose maps follow a run, and the same view for the drawing pad and the
//! linked views ([`Request::Inspect`](crate::protocol::Request::Inspect)).

use std::time::Duration;

use digits_cnn::backend::BackendKind;
use digits_cnn::feature_maps::feature_maps;
use digits_cnn::model::DigitsCnn;
use digits_cnn::prediction::InputScale;
use digits_cnn::training::{TrainConfig, Trainer};
use rand::SeedableRng;
use rand::rngs::StdRng;
use web_time::Instant;

use super::Session;
use crate::protocol::{FeatureMapsView, ImageRef, Inspector, Response};

/// During a run the watched feature maps go out after an epoch at most this often (and
/// always after the first and the last): at a few epochs a second, maps after every epoch
/// would cost the page's main thread more than they show.
const MAPS_INTERVAL: Duration = Duration::from_millis(400);

/// A network and how to feed it, for feature maps.
pub(super) struct Viewer {
    /// The network, in evaluation mode.
    pub(super) model: DigitsCnn,
    /// The input scaling it was trained with.
    pub(super) scale: InputScale,
    /// The backend its weights live on.
    pub(super) backend: BackendKind,
    /// Epochs it was trained for.
    pub(super) epochs: usize,
}

impl Viewer {
    /// A freshly initialised network, as a run with `config` would start.
    pub(super) fn fresh(config: &TrainConfig) -> Self {
        let device = config.backend.device();
        let model = DigitsCnn::new(
            &config.arch,
            &device,
            &mut StdRng::seed_from_u64(config.seed),
        );
        Self {
            model,
            scale: config.scale,
            backend: config.backend,
            epochs: 0,
        }
    }

    /// The network a trainer has trained so far.
    pub(super) fn of(trainer: &Trainer) -> Self {
        let config = trainer.config();
        Self {
            model: trainer.model(),
            scale: config.scale,
            backend: config.backend,
            epochs: trainer.epochs_done(),
        }
    }
}

impl Session {
    /// The maps of `image`, which is watched from now on when it exists.
    pub(super) fn watch(&mut self, image: ImageRef) -> Response {
        let answer = self.feature_maps(&image);
        if matches!(answer, Response::FeatureMaps(_)) {
            self.watched = Some(image);
        }
        answer
    }

    /// The maps and probabilities of `image` for the view `inspector`; not watched.
    pub(super) fn inspect(&self, inspector: Inspector, image: &ImageRef) -> Response {
        match self.view(image) {
            Ok(view) => Response::Inspection { inspector, view },
            Err(message) => Response::InspectionRefused { inspector, message },
        }
    }

    /// Pushes the watched maps if `now` or [`MAPS_INTERVAL`] after the last push of the run.
    pub(super) fn push_maps_when_due(&mut self, out: &mut Vec<Response>, now: bool) {
        let due = self
            .maps_sent
            .is_none_or(|sent| sent.elapsed() >= MAPS_INTERVAL);
        if now || due {
            self.push_watched_maps(out);
            self.maps_sent = Some(Instant::now());
        }
    }

    /// Pushes the watched image's maps, if one is watched, and the explained image's
    /// explanation, which follows the network alike.
    pub(super) fn push_watched_maps(&self, out: &mut Vec<Response>) {
        if let Some(image) = &self.watched {
            out.push(self.feature_maps(image));
        }
        self.push_explanation(out);
    }

    /// The maps of `image` as an answer to [`Request::FeatureMaps`](crate::protocol::Request::FeatureMaps).
    fn feature_maps(&self, image: &ImageRef) -> Response {
        match self.view(image) {
            Ok(view) => Response::FeatureMaps(view),
            Err(message) => Response::FeatureMapsRefused { message },
        }
    }

    /// The maps of `image` through the running network, or else the viewer's.
    fn view(&self, image: &ImageRef) -> Result<FeatureMapsView, String> {
        let (pixels, label) = self.resolve(image)?;
        Ok(self.with_current_viewer(|viewer| FeatureMapsView {
            image: image.clone(),
            pixels: pixels.to_vec(),
            label,
            epoch: viewer.epochs,
            maps: feature_maps(
                &viewer.model,
                &pixels,
                viewer.scale,
                &viewer.backend.device(),
            ),
        }))
    }

    /// `look` at the running network, or else at the viewer's.
    pub(super) fn with_current_viewer<R>(&self, look: impl FnOnce(&Viewer) -> R) -> R {
        match self.trainer() {
            Some(trainer) => look(&Viewer::of(trainer)),
            None => look(&self.viewer),
        }
    }
}
