//! Data-parallel training across Web Workers (see `digits_cnn::training::Peers`).
//!
//! The training worker (the *primary*) starts one *helper* worker per extra logical core
//! (`navigator.hardwareConcurrency`, at most [`MAX_SHARDS`] shards in all), from its own
//! script, named [`HELPER_NAME`]. A training run gives each helper the run's settings and
//! training rows; then, every step, the primary asks each helper to apply the last step's
//! summed gradients and compute its shard of the next batch, computes its own shard
//! meanwhile, and applies the sum once every part is in. No SharedArrayBuffer is needed: the
//! gradients (411 KB a shard) travel as transferred `Float32Array`s.
//!
//! A run depends on its seed and its shard count only. Cross-validation and runs that
//! continue a loaded model train in the primary alone.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use digits_cnn::PIXELS;
use digits_cnn::data::{Dataset, Image};
use digits_cnn::training::{Peers, ShardPart, TrainConfig, Trainer};
use js_sys::{Array, Float32Array, Object, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker, WorkerOptions};

/// The name helper workers are started with; the worker's entry point checks it.
pub const HELPER_NAME: &str = "digit-lab-helper";
/// Most shards (workers) per run.
pub const MAX_SHARDS: usize = 4;

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn number(object: &JsValue, key: &str) -> f64 {
    get(object, key).as_f64().unwrap_or(f64::NAN)
}

/// Shards for this machine: one per logical core, 1..=[`MAX_SHARDS`].
pub fn shard_count(scope: &DedicatedWorkerGlobalScope) -> usize {
    let cores = number(&get(scope, "navigator"), "hardwareConcurrency");
    if cores.is_finite() && cores >= 1.0 {
        (cores as usize).clamp(1, MAX_SHARDS)
    } else {
        1
    }
}

/// What a helper tells the primary.
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
    ready: Rc<Cell<bool>>,
    held: Rc<RefCell<Vec<(JsValue, Array)>>>,
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
    /// Posts now, or once the helper is ready (messages posted before it listens are lost).
    fn send(&self, message: JsValue, transfer: Array) {
        if self.ready.get() {
            let _ = self.worker.post_message_with_transfer(&message, &transfer);
        } else {
            self.held.borrow_mut().push((message, transfer));
        }
    }
}

impl Pool {
    /// Starts `count` helpers from this worker's own script; `listener` hears them.
    pub fn spawn(
        scope: &DedicatedWorkerGlobalScope,
        count: usize,
        listener: Rc<dyn Fn(HelperEvent)>,
    ) -> Result<Rc<Pool>, String> {
        let script = get(&get(scope, "location"), "href")
            .as_string()
            .ok_or("the worker has no script URL")?;
        let mut helpers = Vec::with_capacity(count);
        for _ in 0..count {
            let options = WorkerOptions::new();
            options.set_name(HELPER_NAME);
            let worker = Worker::new_with_options(&script, &options)
                .map_err(|e| format!("cannot start a helper worker: {e:?}"))?;
            let ready = Rc::new(Cell::new(false));
            let held: Rc<RefCell<Vec<(JsValue, Array)>>> = Rc::default();
            let on_message = {
                let (worker, ready, held, listener) = (
                    worker.clone(),
                    ready.clone(),
                    held.clone(),
                    listener.clone(),
                );
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    let data = event.data();
                    match get(&data, "kind").as_string().as_deref() {
                        Some("ready") => {
                            ready.set(true);
                            for (message, transfer) in held.borrow_mut().drain(..) {
                                let _ = worker.post_message_with_transfer(&message, &transfer);
                            }
                            listener(HelperEvent::Ready);
                        }
                        Some("part") => listener(HelperEvent::Part {
                            run: number(&data, "run") as u32,
                            shard: number(&data, "shard") as usize,
                            part: ShardPart {
                                gradients: Float32Array::new(&get(&data, "gradients")).to_vec(),
                                loss_sum: number(&data, "loss"),
                                correct: number(&data, "correct") as usize,
                            },
                        }),
                        _ => listener(HelperEvent::Failed(
                            get(&data, "message")
                                .as_string()
                                .unwrap_or_else(|| "a helper worker sent nonsense".into()),
                        )),
                    }
                })
            };
            let on_error = {
                let listener = listener.clone();
                Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                    event.prevent_default();
                    listener(HelperEvent::Failed(format!(
                        "a helper worker stopped: {}",
                        event.message()
                    )));
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            helpers.push(Helper {
                worker,
                ready,
                held,
                _on_message: on_message,
                _on_error: on_error,
            });
        }
        Ok(Rc::new(Pool {
            helpers,
            run: Cell::new(0),
        }))
    }

    /// Whether every helper has loaded.
    pub fn all_ready(&self) -> bool {
        self.helpers.iter().all(|helper| helper.ready.get())
    }

    /// The current run's number.
    pub fn run(&self) -> u32 {
        self.run.get()
    }

    /// Makes `trainer` the primary of a data-parallel run over this pool's helpers, when it
    /// can be (a fresh run); returns the shard count.
    pub fn start_run(self: &Rc<Self>, trainer: &mut Trainer) -> usize {
        if self.helpers.is_empty() || !trainer.can_shard() {
            return 1;
        }
        let Ok(config) = serde_wasm_bindgen::to_value(trainer.config()) else {
            return 1;
        };
        let shards = self.helpers.len() + 1;
        let run = self.run.get().wrapping_add(1);
        self.run.set(run);
        let rows = trainer.train_rows();
        let pixels: Vec<u8> = rows.images.concat();
        for (index, helper) in self.helpers.iter().enumerate() {
            let message = Object::new();
            set(&message, "kind", &"init".into());
            set(&message, "run", &run.into());
            set(&message, "shard", &(index as u32 + 1).into());
            set(&message, "shards", &(shards as u32).into());
            set(&message, "config", &config);
            let pixels = Uint8Array::from(&pixels[..]);
            let labels = Uint8Array::from(&rows.labels[..]);
            set(&message, "pixels", &pixels);
            set(&message, "labels", &labels);
            helper.send(
                message.into(),
                Array::of2(&pixels.buffer(), &labels.buffer()),
            );
        }
        trainer.set_peers(
            shards,
            Box::new(PoolPeers {
                pool: self.clone(),
                run,
            }),
        );
        shards
    }
}

/// The trainer's view of the pool during one run.
struct PoolPeers {
    pool: Rc<Pool>,
    run: u32,
}

impl Peers for PoolPeers {
    fn begin_step(&mut self, previous: Option<&[f32]>) {
        for helper in &self.pool.helpers {
            let message = Object::new();
            set(&message, "kind", &"step".into());
            set(&message, "run", &self.run.into());
            let transfer = Array::new();
            match previous {
                Some(sum) => {
                    let sum = Float32Array::from(sum);
                    transfer.push(&sum.buffer());
                    set(&message, "sum", &sum);
                }
                None => set(&message, "sum", &JsValue::NULL),
            }
            helper.send(message.into(), transfer);
        }
    }
}

/// A helper worker's whole state.
struct HelperWorker {
    scope: DedicatedWorkerGlobalScope,
    /// The run and its shard's trainer.
    trainer: RefCell<Option<(u32, Trainer)>>,
}

/// Runs this worker as a helper: answers `init` and `step` messages from the primary.
pub fn start_helper(scope: DedicatedWorkerGlobalScope) {
    let helper = Rc::new(HelperWorker {
        scope,
        trainer: RefCell::new(None),
    });
    let on_message = {
        let helper = helper.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            helper.on_message(event.data())
        })
    };
    helper
        .scope
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    helper.post_kind("ready");
}

impl HelperWorker {
    fn on_message(&self, data: JsValue) {
        let run = number(&data, "run") as u32;
        match get(&data, "kind").as_string().as_deref() {
            Some("init") => {
                let config: TrainConfig = match serde_wasm_bindgen::from_value(get(&data, "config"))
                {
                    Ok(config) => config,
                    Err(e) => return self.fail(format!("bad settings: {e}")),
                };
                let pixels = Uint8Array::new(&get(&data, "pixels")).to_vec();
                let images: Vec<Image> = pixels
                    .chunks_exact(PIXELS)
                    .map(|chunk| chunk.try_into().expect("chunks of 64"))
                    .collect();
                let labels = Uint8Array::new(&get(&data, "labels")).to_vec();
                let rows = Dataset { images, labels };
                // The old run's trainer goes first, so two never share the heap.
                self.trainer.borrow_mut().take();
                match Trainer::new(config, &rows, &Dataset::default()) {
                    Ok(mut trainer) => {
                        trainer.set_shard(
                            number(&data, "shard") as usize,
                            number(&data, "shards") as usize,
                        );
                        *self.trainer.borrow_mut() = Some((run, trainer));
                    }
                    Err(e) => self.fail(format!("cannot train: {e}")),
                }
            }
            Some("step") => {
                let sum = get(&data, "sum");
                let sum = (!sum.is_null()).then(|| Float32Array::new(&sum).to_vec());
                let mut state = self.trainer.borrow_mut();
                let Some((current, trainer)) = state.as_mut() else {
                    return;
                };
                if *current != run {
                    return;
                }
                let Some(part) = trainer.helper_step(sum.as_deref()) else {
                    return;
                };
                let message = Object::new();
                set(&message, "kind", &"part".into());
                set(&message, "run", &run.into());
                set(&message, "shard", &(trainer.shard() as u32).into());
                set(&message, "loss", &part.loss_sum.into());
                set(&message, "correct", &(part.correct as u32).into());
                let gradients = Float32Array::from(&part.gradients[..]);
                set(&message, "gradients", &gradients);
                let _ = self
                    .scope
                    .post_message_with_transfer(&message, &Array::of1(&gradients.buffer()));
            }
            _ => {}
        }
    }

    fn post_kind(&self, kind: &str) {
        let message = Object::new();
        set(&message, "kind", &kind.into());
        let _ = self.scope.post_message(&message);
    }

    fn fail(&self, text: String) {
        let message = Object::new();
        set(&message, "kind", &"failed".into());
        set(&message, "message", &text.into());
        let _ = self.scope.post_message(&message);
    }
}
