//! The messages between the page and its training worker: the only place they are defined.
//!
//! The page (main thread) sends [`Request`]s; the worker answers with [`Response`]s. Both
//! travel as plain JavaScript objects made by serde-wasm-bindgen (see `wire`), so nothing here
//! depends on the browser and the worker's logic can be tested natively.
//!
//! Ordering is the guarantee the page relies on: the worker handles requests one at a time,
//! between training batches, and answers in order. So once the page has seen
//! [`Response::Paused`], no [`Response::Epoch`] of that run is still on its way.

use digits_cnn::CLASSES;
use digits_cnn::arch::Arch;
use digits_cnn::baselines::BaselineResult;
use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult};
use digits_cnn::data::BundledData;
use digits_cnn::explain::projection::Projection;
use digits_cnn::explain::weight_histograms::LayerHistograms;
use digits_cnn::explain::{Explanation, Occlusion};
use digits_cnn::feature_maps::FeatureMaps;
use digits_cnn::metrics::Evaluation;
use digits_cnn::model_file::ModelInfo;
use digits_cnn::prediction::InputScale;
use digits_cnn::sweep::SweepResult;
use digits_cnn::training::{EpochReport, TrainConfig};
use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
pub mod parallel;

/// The workers that train a run. Besides its seed, a run's numbers depend on how many
/// workers share its batches (the batch's gradient is summed in other groupings, and each
/// shard draws its own dropout masks) and on the worker build (relaxed SIMD rounds a
/// multiply-add once), so its record names both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workers {
    /// Workers training it: the training worker and its helpers (1 when it trains alone).
    pub count: usize,
    /// The build they run.
    pub build: WorkerBuild,
}

/// The worker build: `web/worker-loader.js` picks one per browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkerBuild {
    /// Wasm's baseline SIMD (`worker`).
    Baseline,
    /// Multiply-adds with `f32x4.relaxed_madd` (`worker-relaxed-simd`).
    RelaxedSimd,
}

impl Workers {
    /// This worker training alone.
    pub fn alone() -> Self {
        let build = if cfg!(feature = "relaxed-simd") {
            WorkerBuild::RelaxedSimd
        } else {
            WorkerBuild::Baseline
        };
        Workers { count: 1, build }
    }
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Load a bundled data set (the page loads `data=`'s, `uci` by default, on start-up).
    UseBundled {
        /// Which one.
        data: BundledData,
    },
    /// Parse and load a CSV file. If it is refused, the data loaded before stays.
    LoadCsv {
        /// The file's name, shown as the data source.
        name: String,
        /// The file's bytes (a `Uint8Array` on the wire).
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
    },
    /// Test on this CSV file's rows and train on every loaded row, instead of splitting the
    /// loaded data (the CLI's `--test-data`). If it is refused, nothing changes.
    LoadTestCsv {
        /// The file's name, shown as the test data's source.
        name: String,
        /// The file's bytes.
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
    },
    /// Split the loaded data again instead of testing on a CSV file.
    DropTestCsv,
    /// Draw a new random image of each class from the loaded data.
    NewSample,
    /// TEST ONLY: panic inside the worker, to check that the page survives a crash. The
    /// page sends it only when its URL has `debug-crash=1` (see `app/crash_hook.rs`).
    Crash,
    /// Split the loaded data and train a fresh network. Replaces any run in progress.
    Train {
        /// The run's settings (already validated by the page, checked again here).
        config: TrainConfig,
    },
    /// K-fold cross-validation: train a fresh network on each fold. Replaces any run.
    CrossValidate {
        /// The settings of every fold's run (`test_size` and `split` are unused).
        config: TrainConfig,
        /// Number of folds, K.
        folds: usize,
    },
    /// Hold the current run between two batches (ignored without a going run).
    Pause,
    /// Continue a paused run (ignored without a held run).
    Resume,
    /// Abandon the current run; its network so far stays available for feature maps.
    Stop,
    /// The feature maps of an image with the current network. The image is also watched:
    /// while a run goes on, its maps are sent again after every epoch.
    FeatureMaps {
        /// Which image.
        image: ImageRef,
    },
    /// The maps and probabilities of an image with the current network, for the view
    /// `inspector`. Unlike [`Request::FeatureMaps`] the image is not watched.
    Inspect {
        /// Which view asks, echoed in the answer.
        inspector: Inspector,
        /// Which image.
        image: ImageRef,
    },
    /// The current network as a model file (answers [`Response::ModelFile`]).
    SaveModel,
    /// Load a model file; it becomes the current network (any run is stopped).
    LoadModel {
        /// The file's name.
        name: String,
        /// The file's bytes.
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
    },
    /// Evaluate the current network on the test rows of the split `config` makes.
    Evaluate {
        /// The split's settings (split, seed, test size) and nothing else.
        config: TrainConfig,
    },
    /// Train the current network further (e.g. a loaded one) with `config`, on its split.
    TrainFurther {
        /// The run's settings.
        config: TrainConfig,
    },
    /// Train every network × learning rate from `seeds` seeds (the core's `Sweep`), one
    /// training after another, each to its last epoch.
    Sweep {
        /// The other settings of every training (its seed is the first seed).
        config: TrainConfig,
        /// The networks compared.
        archs: Vec<Arch>,
        /// The learning rates compared.
        learning_rates: Vec<f64>,
        /// Seeds per combination.
        seeds: usize,
    },

    // Explain (section 4's "Why this prediction", `session/explain.rs`, `app/explain.rs`).
    /// Explain the current network's answer for an image: its occlusion and saliency maps
    /// for a class, its first convolution's kernels and maps. The request is kept: while a
    /// run goes on, the explanation is sent again with the watched feature maps.
    Explain {
        /// What to explain.
        target: ExplainTarget,
    },
}

/// The image and class the explain section shows (see [`Request::Explain`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainTarget {
    /// Which image.
    pub image: ImageRef,
    /// The class explained; `None` for the predicted one.
    pub class: Option<u8>,
    /// What the occlusion map blanks at a time.
    pub occlusion: Occlusion,
}

/// The page's views that inspect an image ([`Request::Inspect`]): the answer names the one
/// that asked, so the page hands it to that view and no other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inspector {
    /// The drawing pad's prediction of the digit drawn.
    DrawingPad,
    /// The linked views' chosen test image.
    LinkedView,
}

/// An image the page refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageRef {
    /// A row of the loaded data, from 0.
    Row(usize),
    /// Any 8×8 image, row-major, pixels 0..=16 (e.g. drawn by the user).
    Pixels(Vec<u8>),
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker is listening; requests sent before this are lost, so the page waits for it.
    /// (The page shows the network's summary itself, from the spec in its editor.)
    Ready,
    /// New data is loaded (replacing the previous data).
    DataLoaded {
        /// The bundled data set it is; `None` for a CSV file.
        data: Option<BundledData>,
        /// Where the data came from: the bundled set's description or the file's name.
        source: String,
        /// Number of rows.
        rows: usize,
        /// Rows of each class 0..9.
        class_counts: [usize; CLASSES],
        /// One random image of each class present.
        sample: Vec<SampleImage>,
    },
    /// A CSV file (data or test data) was refused; what was loaded before stays.
    DataRefused {
        /// The parser's message, naming the line and column at fault.
        error: String,
    },
    /// Runs test on a CSV file's rows from now on (answers [`Request::LoadTestCsv`]), or,
    /// with `None`, split the loaded data again (answers [`Request::DropTestCsv`]).
    TestData {
        /// The test file's name and its rows; `None` when the data is split again.
        file: Option<(String, usize)>,
    },
    /// A new random image of each class (answers [`Request::NewSample`]).
    Sample {
        /// One image per class present.
        sample: Vec<SampleImage>,
    },
    /// A training run began (answers [`Request::Train`]).
    TrainingStarted {
        /// Epochs it will run.
        epochs: usize,
        /// Rows it trains on.
        train_rows: usize,
        /// Rows it holds out for testing.
        test_rows: usize,
        /// The workers that train it.
        workers: Workers,
    },
    /// A training epoch finished.
    Epoch {
        /// What the epoch measured.
        report: EpochReport,
    },
    /// The training run finished all its epochs, or stopped early.
    TrainingDone {
        /// Full metrics on the held-out rows (boxed: by far the largest message).
        evaluation: Box<Evaluation>,
        /// With early stopping (`patience` > 0): the epoch whose weights were kept (the
        /// lowest validation loss); `None` without early stopping.
        kept_epoch: Option<usize>,
    },
    /// A baseline model, fitted and tested on the split of the training run that just
    /// finished (sent after its [`Response::TrainingDone`], one per model).
    Baseline {
        /// How it did (boxed: it holds a whole evaluation).
        result: Box<BaselineResult>,
        /// The inputs it fitted on (see `session/baselines.rs`).
        scale: InputScale,
    },
    /// Cross-validation began (answers [`Request::CrossValidate`]).
    CrossValidationStarted {
        /// Number of folds.
        folds: usize,
        /// Epochs per fold.
        epochs: usize,
    },
    /// A fold's fresh network starts training.
    FoldStarted {
        /// The fold, from 1.
        fold: usize,
        /// Rows it trains on.
        train_rows: usize,
        /// Rows it validates on.
        test_rows: usize,
    },
    /// An epoch of the current fold finished.
    FoldEpoch {
        /// The fold, from 1.
        fold: usize,
        /// What the epoch measured.
        report: EpochReport,
    },
    /// A fold finished all its epochs.
    FoldDone {
        /// Its final validation loss and accuracy.
        result: FoldResult,
        /// Rows it trained on.
        train_rows: usize,
        /// Rows it validated on.
        test_rows: usize,
    },
    /// Every fold finished.
    CrossValidationDone {
        /// Each fold's result with their mean and standard deviation.
        summary: CrossValidationSummary,
    },
    /// The run is held (answers [`Request::Pause`]).
    Paused {
        /// Epochs finished in the current run (in the current fold for cross-validation).
        epoch: usize,
    },
    /// The run continues (answers [`Request::Resume`]).
    Resumed,
    /// The run was abandoned (answers [`Request::Stop`]); the worker is idle.
    Stopped,
    /// Feature maps of an image (answers [`Request::FeatureMaps`], and after each epoch).
    FeatureMaps(FeatureMapsView),
    /// A feature-maps request that could not be honoured (e.g. no such row); nothing
    /// changed.
    FeatureMapsRefused {
        /// Why, in plain words.
        message: String,
    },
    /// The current run failed and was abandoned; the worker is idle and usable.
    Failed {
        /// What went wrong, in plain words.
        message: String,
    },
    /// Answers [`Request::Inspect`].
    Inspection {
        /// The asking view.
        inspector: Inspector,
        /// The image, its maps and probabilities.
        view: FeatureMapsView,
    },
    /// An [`Request::Inspect`] that could not be honoured.
    InspectionRefused {
        /// The asking view.
        inspector: Inspector,
        /// Why, in plain words.
        message: String,
    },
    /// The current network as a model file (answers [`Request::SaveModel`]).
    ModelFile {
        /// A suggested file name.
        name: String,
        /// The file's bytes.
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
    },
    /// A model file was loaded and is now the current network.
    ModelLoaded {
        /// The file's name.
        name: String,
        /// What the file says about its model.
        info: ModelInfo,
    },
    /// A model file was refused; the current network stays.
    ModelRefused {
        /// The file's name.
        name: String,
        /// Why, in plain words.
        message: String,
    },
    /// The current network's metrics on the test rows (answers [`Request::Evaluate`]).
    Evaluated {
        /// Full metrics on the held-out rows.
        evaluation: Box<Evaluation>,
        /// Rows trained on / held out by the split.
        train_rows: usize,
        /// Rows held out.
        test_rows: usize,
    },
    /// Every test row's prediction, for the linked views: sent just before
    /// [`Response::TrainingDone`], and just after [`Response::Evaluated`].
    TestPredictions {
        /// One per test row, in the split's order.
        rows: Vec<TestPrediction>,
    },
    /// A sweep began (answers [`Request::Sweep`]).
    SweepStarted {
        /// Trainings it will run (combinations × seeds).
        runs: usize,
        /// Epochs of each.
        epochs: usize,
    },
    /// An epoch of one of the sweep's trainings finished.
    SweepProgress {
        /// The training, from 1.
        run: usize,
        /// The epoch it finished, from 1.
        epoch: usize,
    },
    /// Every training of the sweep finished.
    SweepDone {
        /// One per combination, in the grid's order (networks outermost).
        results: Vec<SweepResult>,
        /// The index of the best mean test accuracy.
        best: Option<usize>,
    },

    // Explain (answers to [`Request::Explain`]).
    /// Why the network answers as it does for the explained image (answers
    /// [`Request::Explain`], and again with the watched feature maps during a run).
    Explanation(ExplanationView),
    /// A [`Request::Explain`] that could not be honoured (e.g. no such row, a bad class).
    ExplanationRefused {
        /// Why, in plain words.
        message: String,
    },

    // Inside the network (`crate::session::inside`): sent after the
    // first and last epoch of a training run, and after others as often as their cost allows.
    /// Every weighted layer's weight and gradient histograms after an epoch.
    WeightHistograms {
        /// The epoch they are of, from 1.
        epoch: usize,
        /// One per weighted layer, in network order.
        layers: Vec<LayerHistograms>,
    },
    /// The test rows on the last hidden layer's two principal axes after an epoch.
    Projection(ProjectionView),
}

/// The test rows' projection after an epoch, and where each row is in the loaded data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectionView {
    /// The epoch it is of, from 1.
    pub epoch: usize,
    /// The points, their true and predicted classes.
    pub projection: Projection,
    /// Each point's row in the loaded data, to open it in the linked view; empty when the
    /// test rows come from a test file (they are not in the loaded data).
    pub rows: Vec<usize>,
}

/// One test row and the network's class probabilities for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestPrediction {
    /// Its row in the loaded data.
    pub index: usize,
    /// Its true class.
    pub label: u8,
    /// 64 pixels, row-major, 0..=16.
    pub pixels: Vec<u8>,
    /// Class probabilities.
    pub probabilities: [f32; CLASSES],
}

/// One image of the data set, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleImage {
    /// Its row in the loaded data, from 0.
    pub index: usize,
    /// Its class.
    pub label: u8,
    /// 64 pixels, row-major, 0..=16.
    pub pixels: Vec<u8>,
}

/// An image's feature maps as the network computes them now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureMapsView {
    /// The image asked for.
    pub image: ImageRef,
    /// Its 64 pixels, row-major, 0..=16.
    pub pixels: Vec<u8>,
    /// Its label when it is a data row.
    pub label: Option<u8>,
    /// Epochs the network had been trained for (0 for a fresh one).
    pub epoch: usize,
    /// Every conv and pool layer's maps, and the class probabilities.
    pub maps: FeatureMaps,
}

/// An image's explanation as the network computes it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationView {
    /// What was asked for.
    pub target: ExplainTarget,
    /// The image's 64 pixels, row-major, 0..=16.
    pub pixels: Vec<u8>,
    /// Its label when it is a data row.
    pub label: Option<u8>,
    /// Epochs the network had been trained for (0 for a fresh one).
    pub epoch: usize,
    /// The maps, the first convolution and the probabilities.
    pub explanation: Explanation,
}

/// Byte buffers as bytes on the wire (a `Uint8Array` through serde-wasm-bindgen) instead of
/// an array of numbers, which would be slow for a large CSV.
mod bytes {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        // Formats without a bytes type (JSON in the tests) write a sequence of numbers.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(byte) = seq.next_element()? {
                bytes.push(byte);
            }
            Ok(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_bytes_round_trip() {
        let request = Request::LoadCsv {
            name: "mine.csv".into(),
            bytes: b"1,2\n".to_vec(),
        };
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), request);
    }

    /// The settings travel as the core's `TrainConfig`: this pins their form, so a field
    /// renamed in the core shows here (and in the run record's test) instead of silently
    /// changing what the page sends.
    #[test]
    fn the_settings_sent_to_the_worker_keep_their_form() {
        let request = Request::Train {
            config: TrainConfig::default(),
        };
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Train": {"config": {
                "arch": digits_cnn::arch::NOTEBOOK,
                "optimizer": "adam",
                "epochs": 100,
                "batch_size": 128,
                "learning_rate": 0.001,
                "seed": 42,
                "scale": "raw",
                "backend": "flex",
                "test_size": 0.2,
                "split": "random",
                "augment": "none",
                "validation": 0.0,
                "patience": 0
            }}})
        );
        assert_eq!(serde_json::from_value::<Request>(json).unwrap(), request);
    }
}
