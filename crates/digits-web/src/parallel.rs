//! Data-parallel training across Web Workers: the helper-worker pool (the core's side is
//! `digits_cnn::training::Peers`; the CLI's is `--workers`).
//!
//! The training worker (the *primary*) has one *helper* worker per extra logical core
//! (`navigator.hardwareConcurrency`, at most 4 workers in all). Its loader,
//! `web/worker-loader.js`, starts them from its own script while the primary's wasm loads
//! (so a worker knows its role by [`is_helper`]); the primary adopts them ([`Pool::adopt`])
//! and posts each its compiled `WebAssembly.Module`, so they neither download nor compile it
//! again.
//!
//! A training run gives each helper that is ready when it starts (one still loading joins a
//! later run) the run's settings and training rows; then, every step, the primary asks each
//! of them to apply the last step's summed gradients and compute its shard of the next
//! batch, computes its own shard meanwhile, and applies the sum once every part is in. No
//! SharedArrayBuffer is needed: the gradients (411 KB a shard) travel as transferred
//! `Float32Array`s, in the typed messages of [`crate::protocol::parallel`]. Each
//! helper's buffer *circulates*: the helper writes its part into the buffer the sum came in,
//! and the primary writes the next sum into the buffer the part came in, so no step allocates
//! one (a fresh 411 KB `ArrayBuffer` cost the primary about 1 ms a step in Chromium, an
//! eighth of it; copying into a used one, 0.01 ms).
//!
//! A run depends on its seed and its shard count only; so does each fold of a
//! cross-validation, which trains like a run. Runs that continue a loaded model and
//! sweeps train in the primary alone.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use digits_cnn::PIXELS;
use digits_cnn::data::{Dataset, Image};
use digits_cnn::training::{Peers, ShardPart, TrainConfig, Trainer};
use js_sys::{Array, Float32Array, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

use crate::protocol::parallel::{FromHelper, ToHelper};
use crate::ready_queue::ReadyQueue;
use crate::wire;

/// The global in which `web/worker-loader.js` leaves the training worker the helpers it
/// started (or the error that stopped one), for [`Pool::adopt`].
const STARTED_HELPERS: &str = "digitLabHelpers";

/// Whether this worker is a helper. The loader starts helpers only from the training
/// worker, and leaves them on it alone ([`STARTED_HELPERS`], an empty list on one core), so
/// the role needs no name shared between the loader and this crate.
pub fn is_helper(scope: &DedicatedWorkerGlobalScope) -> bool {
    !Reflect::has(scope, &STARTED_HELPERS.into()).unwrap_or(false)
}

/// What a helper tells the primary, decoded.
pub enum HelperEvent {
    /// A helper has loaded and listens.
    Ready,
    /// A shard's part of step `run`'s current batch.
    Part {
        /// The run it belongs to (parts of an older run are dropped).
        run: u32,
        /// The shard, from 1.
        shard: usize,
        /// The gradients and counts.
        part: ShardPart,
    },
    /// A helper failed; the run cannot go on.
    Failed(String),
    /// A helper failed before it was ready: it is in no run and never will be.
    Lost(String),
}

impl From<FromHelper> for HelperEvent {
    fn from(message: FromHelper) -> Self {
        match message {
            FromHelper::Ready => HelperEvent::Ready,
            FromHelper::Part {
                run,
                shard,
                loss_sum,
                correct,
                gradients,
                evaluated,
            } => HelperEvent::Part {
                run,
                shard,
                part: ShardPart {
                    gradients: gradients.to_vec(),
                    loss_sum,
                    correct,
                    evaluated: evaluated.to_vec(),
                },
            },
            FromHelper::Failed { message } => HelperEvent::Failed(message),
        }
    }
}

/// A helper's failure: [`HelperEvent::Lost`] before it was ready (see [`Pool::start_run`]).
fn failure(queue: &ReadyQueue<ToHelper>, message: String) -> HelperEvent {
    if queue.is_ready() {
        HelperEvent::Failed(message)
    } else {
        HelperEvent::Lost(message)
    }
}

/// Where a message can be posted with a transfer list: a helper, or the primary seen from
/// a helper.
trait PostTarget {
    fn post_with_transfer(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue>;
}

impl PostTarget for Worker {
    fn post_with_transfer(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue> {
        self.post_message_with_transfer(value, transfer)
    }
}

impl PostTarget for DedicatedWorkerGlobalScope {
    fn post_with_transfer(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue> {
        self.post_message_with_transfer(value, transfer)
    }
}

/// Posts `message` with its buffers transferred (a failure can only be logged).
fn post(target: &impl PostTarget, message: &impl serde::Serialize, transfer: &Array) {
    let sent = wire::encode(message).and_then(|value| {
        target
            .post_with_transfer(&value, transfer)
            .map_err(|e| format!("{e:?}"))
    });
    if let Err(message) = sent {
        web_sys::console::error_1(
            &format!("cannot post a data-parallel message: {message}").into(),
        );
    }
}

/// The primary's helpers.
pub struct Pool {
    helpers: Vec<Helper>,
    /// The current run's number.
    run: Cell<u32>,
}

/// One helper worker and the messages held until it is ready.
struct Helper {
    worker: Worker,
    queue: Rc<ReadyQueue<ToHelper>>,
    /// The buffer this helper's last part came in, for the next sum (see the module's doc).
    circulating: Rc<RefCell<Option<Float32Array>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

impl Helper {
    /// Takes over a helper the loader started: it gets this worker's compiled module, which
    /// it waits for to start, and `listener` hears it from now on (its messages come in later
    /// tasks). Fails if the helper already stopped (the loader kept its error).
    fn adopt(worker: Worker, listener: Rc<dyn Fn(HelperEvent)>) -> Result<Helper, String> {
        if let Some(error) = Reflect::get(&worker, &"digitLabError".into())
            .ok()
            .and_then(|error| error.as_string())
        {
            return Err(format!("a helper worker stopped: {error}"));
        }
        worker
            .post_message(&wasm_bindgen::module())
            .map_err(|e| format!("cannot give a helper worker its module: {e:?}"))?;
        let queue: Rc<ReadyQueue<ToHelper>> = Rc::default();
        let circulating: Rc<RefCell<Option<Float32Array>>> = Rc::default();
        let on_message = {
            let (worker, queue, listener) = (worker.clone(), queue.clone(), listener.clone());
            let circulating = circulating.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let event = match wire::decode::<FromHelper>(event.data()) {
                    Ok(message) => {
                        if let FromHelper::Part { gradients, .. } = &message {
                            circulating.replace(Some(gradients.clone()));
                        }
                        HelperEvent::from(message)
                    }
                    Err(message) => failure(&queue, message),
                };
                if let HelperEvent::Ready = event {
                    queue.set_ready(|message| post(&worker, message, &message.transfer()));
                }
                listener(event);
            })
        };
        let on_error = {
            let queue = queue.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                let message = format!("a helper worker stopped: {}", event.message());
                listener(failure(&queue, message));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Helper {
            worker,
            queue,
            circulating,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts now, or once the helper is ready (messages posted before it listens are lost).
    fn send(&self, message: ToHelper) {
        self.queue.send(message, |message| {
            post(&self.worker, message, &message.transfer())
        });
    }
}

impl Pool {
    /// Takes over the helpers `web/worker-loader.js` started ([`STARTED_HELPERS`]: the
    /// workers, or the error that stopped one); `listener` hears them. `None` when there are
    /// none: one core.
    pub fn adopt(
        scope: &DedicatedWorkerGlobalScope,
        listener: Rc<dyn Fn(HelperEvent)>,
    ) -> Result<Option<Rc<Pool>>, String> {
        let key = JsValue::from(STARTED_HELPERS);
        let started = Reflect::get(scope, &key).unwrap_or_default();
        let _ = Reflect::delete_property(scope, &key);
        let Some(workers) = started.dyn_ref::<Array>() else {
            return Err(format!("cannot start a helper worker: {started:?}"));
        };
        if workers.length() == 0 {
            return Ok(None);
        }
        let helpers = workers
            .iter()
            .map(|worker| Helper::adopt(worker.unchecked_into(), listener.clone()))
            .collect::<Result<Vec<_>, _>>()
            .inspect_err(|_| {
                // Those adopted end as they drop; the others end here.
                for worker in workers.iter() {
                    worker.unchecked_into::<Worker>().terminate();
                }
            })?;
        Ok(Some(Rc::new(Pool {
            helpers,
            run: Cell::new(0),
        })))
    }

    /// Whether every helper has loaded.
    pub fn all_ready(&self) -> bool {
        self.helpers.iter().all(|helper| helper.queue.is_ready())
    }

    /// The current run's number.
    pub fn run(&self) -> u32 {
        self.run.get()
    }

    /// Makes `trainer` the primary of a data-parallel run over the helpers ready now, when it
    /// can be (a fresh run); returns the shard count. A helper still loading (the page greets
    /// without it after a while) joins a later run: this one does not wait for it.
    pub fn start_run(self: &Rc<Self>, trainer: &mut Trainer) -> usize {
        let ready: Vec<usize> = (0..self.helpers.len())
            .filter(|&index| self.helpers[index].queue.is_ready())
            .collect();
        if ready.is_empty() || !trainer.can_shard() {
            return 1;
        }
        let shards = ready.len() + 1;
        let run = self.run.get().wrapping_add(1);
        self.run.set(run);
        let rows = trainer.train_rows();
        let pixels: Vec<u8> = rows.images.concat();
        let test = trainer.test_rows();
        let test_pixels: Vec<u8> = test.images.concat();
        for (shard, &index) in (1..).zip(&ready) {
            self.helpers[index].send(ToHelper::Start {
                run,
                shard,
                shards,
                config: trainer.config().clone(),
                pixels: Uint8Array::from(&pixels[..]),
                labels: Uint8Array::from(&rows.labels[..]),
                test_pixels: Uint8Array::from(&test_pixels[..]),
                test_labels: Uint8Array::from(&test.labels[..]),
            });
        }
        trainer.set_peers(
            shards,
            Box::new(PoolPeers {
                pool: self.clone(),
                run,
                helpers: ready,
            }),
        );
        shards
    }
}

/// The trainer's view of the pool during one run.
struct PoolPeers {
    pool: Rc<Pool>,
    run: u32,
    /// The run's helpers (indices in the pool), in shard order.
    helpers: Vec<usize>,
}

impl Peers for PoolPeers {
    fn begin_step(&mut self, previous: Option<&[f32]>) {
        for &index in &self.helpers {
            let helper = &self.pool.helpers[index];
            let run = self.run;
            helper.send(match previous {
                Some(sum) => ToHelper::Step {
                    run,
                    sum: circulate(helper.circulating.take(), sum),
                },
                None => ToHelper::FirstStep { run },
            });
        }
    }
}

/// A helper worker's whole state.
struct HelperWorker {
    scope: DedicatedWorkerGlobalScope,
    /// The run and its shard's trainer.
    trainer: RefCell<Option<(u32, Trainer)>>,
}

/// Runs this worker as a helper: answers the primary's [`ToHelper`] messages.
pub fn start_helper(scope: DedicatedWorkerGlobalScope) {
    let helper = Rc::new(HelperWorker {
        scope,
        trainer: RefCell::new(None),
    });
    let on_message = {
        let helper = helper.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match wire::decode::<ToHelper>(event.data()) {
                Ok(message) => helper.on_message(message),
                Err(message) => helper.reply(&FromHelper::Failed { message }),
            }
        })
    };
    helper
        .scope
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    helper.reply(&FromHelper::Ready);
}

impl HelperWorker {
    fn on_message(&self, message: ToHelper) {
        match message {
            ToHelper::Start {
                run,
                shard,
                shards,
                config,
                pixels,
                labels,
                test_pixels,
                test_labels,
            } => self.start(
                run,
                (shard, shards),
                config,
                rows_of(&pixels, &labels),
                rows_of(&test_pixels, &test_labels),
            ),
            ToHelper::FirstStep { run } => self.step(run, None),
            ToHelper::Step { run, sum } => self.step(run, Some(sum)),
        }
    }

    /// Becomes shard `shard` of `shards` of run `run`, training on `rows` and evaluating
    /// its share of `test` after each epoch.
    fn start(
        &self,
        run: u32,
        (shard, shards): (usize, usize),
        config: TrainConfig,
        rows: Dataset,
        test: Dataset,
    ) {
        // The old run's trainer goes first, so two never share the heap.
        self.trainer.borrow_mut().take();
        match Trainer::new(config, &rows, &test) {
            Ok(mut trainer) => {
                trainer.set_shard(shard, shards);
                *self.trainer.borrow_mut() = Some((run, trainer));
            }
            Err(e) => self.reply(&FromHelper::Failed {
                message: format!("cannot train: {e}"),
            }),
        }
    }

    /// Applies `sum` (after the first step) and sends this shard's part of the next batch,
    /// in `sum`'s buffer when it can (see the module's doc).
    fn step(&self, run: u32, sum: Option<Float32Array>) {
        let mut state = self.trainer.borrow_mut();
        let Some((current, trainer)) = state.as_mut() else {
            return;
        };
        if *current != run {
            return;
        }
        let Some(part) = trainer.helper_step(sum.as_ref().map(Float32Array::to_vec).as_deref())
        else {
            return;
        };
        let evaluated = Float32Array::from(&part.evaluated[..]);
        let gradients = circulate(sum, &part.gradients);
        self.reply(&FromHelper::Part {
            run,
            shard: trainer.shard(),
            loss_sum: part.loss_sum,
            correct: part.correct,
            gradients,
            evaluated,
        });
    }

    fn reply(&self, message: &FromHelper) {
        post(&self.scope, message, &message.transfer());
    }
}

/// `values` in `buffer` when it has their length (see the module's doc), else in a new one.
fn circulate(buffer: Option<Float32Array>, values: &[f32]) -> Float32Array {
    let buffer = buffer
        .filter(|buffer| buffer.length() as usize == values.len())
        .unwrap_or_else(|| Float32Array::new_with_length(values.len() as u32));
    buffer.copy_from(values);
    buffer
}

/// Rows from a message's `pixels` (64 a row) and `labels`.
fn rows_of(pixels: &Uint8Array, labels: &Uint8Array) -> Dataset {
    let images: Vec<Image> = pixels
        .to_vec()
        .chunks_exact(PIXELS)
        .map(|chunk| chunk.try_into().expect("chunks of 64"))
        .collect();
    Dataset {
        images,
        labels: labels.to_vec(),
    }
}
