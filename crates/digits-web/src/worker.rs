//! The Web Worker's glue: decodes requests for the [`Session`], runs its training in short
//! slices, and posts its answers.
//!
//! A slice runs batches for about [`SLICE`], then the worker yields to its event loop, so a
//! Pause or Stop waiting in the queue is handled before the next slice. The next slice is
//! scheduled by posting to a private `MessageChannel` (a new task without the 4 ms clamp of
//! nested timers); at most one is ever scheduled, so restarting a run never doubles the loop.
//!
//! On a machine with several cores, the worker trains data-parallel with the helper workers
//! its loader started (see [`crate::parallel`]): while a step waits for the helpers' parts,
//! no slice is scheduled; the last part's arrival schedules the next.
//!
//! Once the page is ready and until the first run starts, the idle worker runs a short
//! throwaway training ([`WarmUp`]) so the browser has optimised the training code before
//! the first Start.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

use crate::parallel::{self, HelperEvent, Pool};
use crate::protocol::{Request, Response};
use crate::session::Session;
use crate::warm_up::WarmUp;
use crate::wire;

/// How long one slice of training runs before the worker looks at its messages again.
pub const SLICE: Duration = Duration::from_millis(40);

/// The worker's state: the session and its scheduling.
struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: RefCell<Session>,
    /// Posting here schedules the next slice.
    tick: MessagePort,
    /// Receives the ticks; kept so the channel lives as long as the worker.
    _ticks: MessagePort,
    /// Whether a slice is already scheduled.
    scheduled: Cell<bool>,
    /// The helper workers for data-parallel training (none on one core).
    pool: RefCell<Option<Rc<Pool>>>,
    /// Whether [`Response::Ready`] went out. It waits for the helpers to load, so the page
    /// makes no requests after it is ready.
    greeted: Cell<bool>,
    /// The throwaway run that warms the engine up before the first request (see [`WarmUp`]).
    warm_up: RefCell<Option<WarmUp>>,
}

/// Starts listening for requests and says [`Response::Ready`].
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if parallel::is_helper(&scope) {
        parallel::start_helper(scope);
        return;
    }
    let Some(channel) = tick_channel(&scope) else {
        return;
    };
    let worker = Worker::new(scope, &channel);
    worker.adopt_helpers();
    worker.listen();
    worker.greet_when_ready();
}

/// The channel that schedules slices, or `None` after telling the page it cannot be made.
fn tick_channel(scope: &DedicatedWorkerGlobalScope) -> Option<MessageChannel> {
    match MessageChannel::new() {
        Ok(channel) => Some(channel),
        Err(e) => {
            post_cannot_schedule(scope, &e);
            None
        }
    }
}

/// A warm-up slice: short, so the page's requests are answered without a noticeable wait.
const WARM_UP_SLICE: Duration = Duration::from_millis(15);

/// How long the worker waits for its helpers to load before it greets the page anyway.
const HELPER_WAIT_MS: i32 = 5_000;

impl Worker {
    /// A worker with a fresh session, scheduling its slices through `channel`.
    fn new(scope: DedicatedWorkerGlobalScope, channel: &MessageChannel) -> Rc<Self> {
        // Random samples differ between visits; the runs themselves depend on their seed only.
        let sample_seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        Rc::new(Worker {
            scope,
            session: RefCell::new(Session::new(sample_seed)),
            tick: channel.port2(),
            _ticks: channel.port1(),
            scheduled: Cell::new(false),
            pool: RefCell::new(None),
            greeted: Cell::new(false),
            warm_up: RefCell::new(None),
        })
    }

    /// Takes over the helper workers the loader started when the machine has more than one
    /// core to give; without them, training runs on this worker alone.
    fn adopt_helpers(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let listener = Rc::new(move |event| {
            if let Some(worker) = weak.upgrade() {
                worker.on_helper(event);
            }
        });
        match Pool::adopt(&self.scope, listener) {
            Ok(pool) => *self.pool.borrow_mut() = pool,
            Err(message) => {
                web_sys::console::warn_1(&format!("training on one worker: {message}").into())
            }
        }
    }

    /// Handles the page's requests and the scheduled ticks from now on.
    fn listen(self: &Rc<Self>) {
        let on_request = {
            let worker = self.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                worker.on_request(event.data())
            })
        };
        self.scope
            .set_onmessage(Some(on_request.as_ref().unchecked_ref()));
        on_request.forget();

        let on_tick = {
            let worker = self.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| worker.on_tick())
        };
        self._ticks
            .set_onmessage(Some(on_tick.as_ref().unchecked_ref()));
        on_tick.forget();
    }

    /// Greets the page now without helpers, or once they are ready (see
    /// [`Worker::on_helper`]) and at the latest after [`HELPER_WAIT_MS`].
    fn greet_when_ready(self: &Rc<Self>) {
        if self.pool.borrow().is_none() {
            self.greet();
            return;
        }
        // Greet anyway if the helpers are slow to load (they join the next run once ready).
        let weak = Rc::downgrade(self);
        let late = Closure::once_into_js(move || {
            if let Some(worker) = weak.upgrade() {
                worker.greet();
            }
        });
        let _ = self
            .scope
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                late.unchecked_ref(),
                HELPER_WAIT_MS,
            );
    }

    fn on_request(&self, data: JsValue) {
        let mut answers = match wire::decode::<Request>(data) {
            Ok(request) => self.session.borrow_mut().handle(request),
            Err(message) => vec![Response::Failed { message }],
        };
        if self.session.borrow().is_running() {
            // A run started: the warm-up ends before the helpers' parts can reach it.
            self.warm_up.borrow_mut().take();
        }
        self.share_fresh_network(&mut answers);
        self.post_all(&answers);
        self.schedule();
    }

    /// Makes a network that starts training (a run, or a cross-validation's fold) train
    /// data-parallel on the helpers, before its first step; a run's start then names them.
    fn share_fresh_network(&self, answers: &mut [Response]) {
        if answers.iter().any(|a| {
            matches!(
                a,
                Response::TrainingStarted { .. } | Response::FoldStarted { .. }
            )
        }) && let Some(pool) = self.pool.borrow().as_ref()
            && let Some(trainer) = self.session.borrow_mut().training_mut()
        {
            let shards = pool.start_run(trainer);
            for answer in answers.iter_mut() {
                if let Response::TrainingStarted { workers, .. } = answer {
                    workers.count = shards;
                }
            }
            web_sys::console::info_1(&format!("Digit Lab: training on {shards} worker(s)").into());
        }
    }

    fn on_tick(&self) {
        self.scheduled.set(false);
        {
            // The warm-up gives way for good once a run starts; other requests (loading
            // data, feature maps) are answered between its short slices.
            let mut warm_up = self.warm_up.borrow_mut();
            let running = self.session.borrow().is_running();
            if running
                || warm_up
                    .as_mut()
                    .is_some_and(|run| !run.run_slice(WARM_UP_SLICE))
            {
                warm_up.take();
            }
        }
        let mut answers = self.session.borrow_mut().run_slice(SLICE);
        self.share_fresh_network(&mut answers);
        self.post_all(&answers);
        self.schedule();
    }

    /// Ends the helpers, from a fresh task: this may run inside one of their handlers.
    fn drop_pool(&self) {
        let pool = self.pool.borrow_mut().take();
        wasm_bindgen_futures::spawn_local(async move { drop(pool) });
    }

    /// Says [`Response::Ready`] once.
    fn greet(&self) {
        if !self.greeted.replace(true) {
            post(&self.scope, &Response::Ready);
            let mut warm_up = WarmUp::new();
            if let (Some(run), Some(pool)) = (warm_up.as_mut(), self.pool.borrow().as_ref()) {
                pool.start_run(run.trainer_mut());
            }
            *self.warm_up.borrow_mut() = warm_up;
            self.schedule();
        }
    }

    /// A helper's part or failure.
    fn on_helper(&self, event: HelperEvent) {
        match event {
            HelperEvent::Ready => {
                if self
                    .pool
                    .borrow()
                    .as_ref()
                    .is_some_and(|pool| pool.all_ready())
                {
                    self.greet();
                }
            }
            HelperEvent::Failed(message) | HelperEvent::Lost(message) if !self.greeted.get() => {
                // Before the page is ready: train on this worker alone.
                web_sys::console::warn_1(&format!("training on one worker: {message}").into());
                self.drop_pool();
                self.greet();
            }
            HelperEvent::Part { run, shard, part } => {
                let current = self.pool.borrow().as_ref().map(|pool| pool.run());
                if current == Some(run) {
                    match self.warm_up.borrow_mut().as_mut() {
                        Some(warm_up) => warm_up.trainer_mut().deliver(shard, part),
                        None => self.session.borrow_mut().deliver(shard, part),
                    }
                }
            }
            HelperEvent::Lost(message) => {
                // No run has it (see `Pool::start_run`): the others go on without it.
                web_sys::console::warn_1(&format!("a helper will not train: {message}").into());
            }
            HelperEvent::Failed(message) => {
                // The run cannot go on; later runs train on this worker alone.
                self.drop_pool();
                let answers = self.session.borrow_mut().handle(Request::Stop);
                self.post_all(&answers);
                post(&self.scope, &Response::Failed { message });
            }
        }
        self.schedule();
    }

    /// Schedules the next slice if the session wants time and none is scheduled.
    fn schedule(&self) {
        let wants_time = {
            let session = self.session.borrow();
            (session.is_running() && !session.is_waiting())
                || self
                    .warm_up
                    .borrow()
                    .as_ref()
                    .is_some_and(|run| !run.is_waiting())
        };
        if wants_time
            && !self.scheduled.replace(true)
            && let Err(e) = self.tick.post_message(&JsValue::NULL)
        {
            self.scheduled.set(false);
            post_cannot_schedule(&self.scope, &e);
        }
    }

    fn post_all(&self, answers: &[Response]) {
        for answer in answers {
            post(&self.scope, answer);
        }
    }
}

/// Tells the page that the worker cannot schedule its slices, so it cannot train.
fn post_cannot_schedule(scope: &DedicatedWorkerGlobalScope, error: &JsValue) {
    let message = format!("the worker cannot schedule its work: {error:?}");
    post(scope, &Response::Failed { message });
}

/// Posts one answer to the page (a failure can only be logged).
fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let sent = wire::encode(response)
        .and_then(|value| scope.post_message(&value).map_err(|e| format!("{e:?}")));
    if let Err(message) = sent {
        web_sys::console::error_1(&format!("the worker cannot answer: {message}").into());
    }
}
