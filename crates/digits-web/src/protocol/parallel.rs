//! The messages between the training worker (the *primary*) and its helper workers, for
//! data-parallel training (`crate::parallel`). Like [`Request`](super::Request) and
//! [`Response`](super::Response) they are serde enums that travel through
//! serde-wasm-bindgen (`crate::wire`), but their buffers are JavaScript typed arrays kept as
//! they are ([`serde_wasm_bindgen::preserve`]) so they can be *transferred* (see
//! [`ToHelper::transfer`]): the gradients (411 KB a shard, every step) are never copied or
//! serialised number by number.

use digits_cnn::training::TrainConfig;
use js_sys::{Array, Float32Array, Uint8Array};
use serde::{Deserialize, Serialize};

/// What the primary tells a helper.
#[derive(Serialize, Deserialize)]
pub enum ToHelper {
    /// Train shard `shard` of `shards` of run `run` on these rows (a helper keeps one run).
    Start {
        /// The run's number (parts of an older run are dropped).
        run: u32,
        /// This helper's shard, from 1 (the primary is shard 0).
        shard: usize,
        /// Shards in all, the primary's included.
        shards: usize,
        /// The run's settings.
        config: TrainConfig,
        /// The training rows' pixels, 64 a row, row-major.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        pixels: Uint8Array,
        /// The training rows' labels.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        labels: Uint8Array,
        /// The test rows' pixels (each shard evaluates a share of them after an epoch).
        #[serde(with = "serde_wasm_bindgen::preserve")]
        test_pixels: Uint8Array,
        /// The test rows' labels.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        test_labels: Uint8Array,
    },
    /// Compute this shard's part of the run's first batch.
    FirstStep {
        /// The run the step belongs to.
        run: u32,
    },
    /// Apply the last step's summed gradients, then compute this shard's part of the next
    /// batch.
    Step {
        /// The run the step belongs to.
        run: u32,
        /// The summed gradients of the last step, flat.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        sum: Float32Array,
    },
}

/// What a helper tells the primary.
#[derive(Serialize, Deserialize)]
pub enum FromHelper {
    /// The helper has loaded and listens (messages posted earlier would be lost).
    Ready,
    /// A shard's part of the current step of run `run`.
    Part {
        /// The run it belongs to.
        run: u32,
        /// The shard, from 1.
        shard: usize,
        /// Summed loss over the shard's rows of the batch.
        loss_sum: f64,
        /// Rows of the shard's part of the batch predicted right.
        correct: usize,
        /// The shard's gradients, flat.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        gradients: Float32Array,
        /// Its share of the last epoch's evaluation, if the part follows one (see
        /// `digits_cnn::training::ShardPart::evaluated`).
        #[serde(with = "serde_wasm_bindgen::preserve")]
        evaluated: Float32Array,
    },
    /// The helper cannot go on (e.g. bad settings); the run cannot either.
    Failed {
        /// What went wrong, in plain words.
        message: String,
    },
}

impl ToHelper {
    /// The buffers to transfer with the message (they are unusable here afterwards).
    pub fn transfer(&self) -> Array {
        match self {
            ToHelper::Start {
                pixels,
                labels,
                test_pixels,
                test_labels,
                ..
            } => Array::of4(
                &pixels.buffer(),
                &labels.buffer(),
                &test_pixels.buffer(),
                &test_labels.buffer(),
            ),
            ToHelper::Step { sum, .. } => Array::of1(&sum.buffer()),
            ToHelper::FirstStep { .. } => Array::new(),
        }
    }
}

impl FromHelper {
    /// The buffers to transfer with the message.
    pub fn transfer(&self) -> Array {
        match self {
            FromHelper::Part {
                gradients,
                evaluated,
                ..
            } => Array::of2(&gradients.buffer(), &evaluated.buffer()),
            FromHelper::Ready | FromHelper::Failed { .. } => Array::new(),
        }
    }
}
