//! The Web Worker's glue: decodes requests for the [`Session`], runs its training in short
//! slices, and posts its answers.
//!
//! A slice runs batches for about [`SLICE`], then the worker yields to its event loop, so a
//! Pause or Stop waiting in the queue is handled before the next slice. The next slice is
//! scheduled by posting to a private `MessageChannel` (a new task without the 4 ms clamp of
//! nested timers); at most one is ever scheduled, so restarting a run never doubles the loop.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

use crate::protocol::{Request, Response};
use crate::session::Session;
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
}

/// Starts listening for requests and says [`Response::Ready`].
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let channel = match MessageChannel::new() {
        Ok(channel) => channel,
        Err(e) => {
            let message = format!("the worker cannot schedule its work: {e:?}");
            post(&scope, &Response::Failed { message });
            return;
        }
    };
    // Random samples differ between visits; the runs themselves depend on their seed only.
    let sample_seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    let worker = Rc::new(Worker {
        scope,
        session: RefCell::new(Session::new(sample_seed)),
        tick: channel.port2(),
        _ticks: channel.port1(),
        scheduled: Cell::new(false),
    });

    let on_request = {
        let worker = worker.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            worker.on_request(event.data())
        })
    };
    worker
        .scope
        .set_onmessage(Some(on_request.as_ref().unchecked_ref()));
    on_request.forget();

    let on_tick = {
        let worker = worker.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| worker.on_tick())
    };
    worker
        ._ticks
        .set_onmessage(Some(on_tick.as_ref().unchecked_ref()));
    on_tick.forget();

    let greeting = worker.session.borrow().ready();
    post(&worker.scope, &greeting);
}

impl Worker {
    fn on_request(&self, data: JsValue) {
        let answers = match wire::decode::<Request>(data) {
            Ok(request) => self.session.borrow_mut().handle(request),
            Err(message) => vec![Response::Failed { message }],
        };
        self.post_all(&answers);
        self.schedule();
    }

    fn on_tick(&self) {
        self.scheduled.set(false);
        let answers = self.session.borrow_mut().run_slice(SLICE);
        self.post_all(&answers);
        self.schedule();
    }

    /// Schedules the next slice if the session wants time and none is scheduled.
    fn schedule(&self) {
        if self.session.borrow().is_running()
            && !self.scheduled.replace(true)
            && let Err(e) = self.tick.post_message(&JsValue::NULL)
        {
            self.scheduled.set(false);
            let message = format!("the worker cannot schedule its work: {e:?}");
            post(&self.scope, &Response::Failed { message });
        }
    }

    fn post_all(&self, answers: &[Response]) {
        for answer in answers {
            post(&self.scope, answer);
        }
    }
}

/// Posts one answer to the page (a failure can only be logged).
fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let sent = wire::encode(response)
        .and_then(|value| scope.post_message(&value).map_err(|e| format!("{e:?}")));
    if let Err(message) = sent {
        web_sys::console::error_1(&format!("the worker cannot answer: {message}").into());
    }
}
