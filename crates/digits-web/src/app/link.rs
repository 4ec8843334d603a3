//! The page's end of the worker: starting it, holding requests until it is ready, and
//! restarting it after a crash.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::i18n::{Key, t, tr};
use crate::protocol::{Request, Response};
use crate::ready_queue::ReadyQueue;
use crate::wire;

/// The worker's script: a two-line loader that starts the `worker` bin (see `web/`).
const WORKER_SCRIPT: &str = "worker-loader.js";
/// The global that names another worker script: the single file (`scripts/package.mjs`)
/// sets it to a `blob:` URL of the worker's code, as it has no files beside it.
const WORKER_URL_GLOBAL: &str = "DIGITLAB_WORKER_URL";

/// The worker's script: [`WORKER_URL_GLOBAL`] if the page set it, else [`WORKER_SCRIPT`].
fn worker_script() -> String {
    web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &WORKER_URL_GLOBAL.into()).ok())
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| WORKER_SCRIPT.to_string())
}

/// What the link reports to the page.
pub enum LinkEvent {
    /// A message from the worker.
    Message(Response),
    /// The worker died (e.g. a panic, which aborts its wasm), or never started. The link is
    /// down until [`WorkerLink::restart`].
    Crashed {
        /// What the browser reported.
        message: String,
        /// Whether the worker had started: if not, restarting it would fail the same way.
        was_ready: bool,
    },
}

/// A listener of [`LinkEvent`]s.
pub type Listener = Rc<dyn Fn(LinkEvent)>;

/// The connection to the training worker.
#[derive(Default)]
pub struct WorkerLink {
    connection: RefCell<Option<Connection>>,
    /// Requests held until the worker says [`Response::Ready`] (earlier ones would be lost).
    queue: ReadyQueue<Request>,
}

/// A running worker and the handlers that must live as long as it.
struct Connection {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// Starts the worker from [`worker_script`]. A page in a sandboxed iframe (an opaque
/// origin, e.g. `sandbox="allow-scripts"`) may not start a worker from its server's URL: it
/// then starts one from a `blob:` script that imports the same loader by absolute URL
/// (`DIGITLAB_BASE` tells the loader where its files are). That needs `worker-src blob:` in
/// the CSP and, for the module and wasm fetches of an opaque origin, a server that sends
/// `Access-Control-Allow-Origin` (see docs/page-contract.md).
fn start_worker() -> Result<Worker, String> {
    let direct = match Worker::new(&worker_script()) {
        Ok(worker) => return Ok(worker),
        Err(e) => e,
    };
    let fail = |e: wasm_bindgen::JsValue| {
        format!("cannot start the training worker: {direct:?} (and from a blob: {e:?})")
    };
    let base = crate::dom::document()
        .base_uri()
        .map_err(&fail)?
        .unwrap_or_default();
    let absolute = |path: &str| web_sys::Url::new_with_base(path, &base).map(|u| u.href());
    let (folder, loader) = (
        absolute("./").map_err(&fail)?,
        absolute(WORKER_SCRIPT).map_err(&fail)?,
    );
    // URLs are ASCII with quotes percent-encoded, so Rust's string escaping is valid JS.
    let source = format!("self.DIGITLAB_BASE = {folder:?};\nimportScripts({loader:?});\n");
    let parts = js_sys::Array::of1(&source.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(&fail)?;
    // Not revoked: the worker fetches it after this returns; it is a few bytes per start.
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(&fail)?;
    Worker::new(&url).map_err(fail)
}

impl WorkerLink {
    /// Starts a worker (ending any previous one) and sends `listener` everything it says.
    /// Requests sent from now on wait until it is ready.
    pub fn restart(self: &Rc<Self>, listener: Listener) -> Result<(), String> {
        self.connection.borrow_mut().take();
        self.queue.reset();
        let worker = start_worker()?;

        let link = Rc::downgrade(self);
        let on_message_listener = listener.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let response = wire::decode::<Response>(event.data())
                .unwrap_or_else(|message| Response::Failed { message });
            if let (Response::Ready, Some(link)) = (&response, link.upgrade()) {
                link.queue.set_ready(|request| link.post(request));
            }
            on_message_listener(LinkEvent::Message(response));
        });
        let link = Rc::downgrade(self);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let message = match event.message() {
                m if m.is_empty() => t(Key::WorkerStopped).to_string(),
                m => tr(Key::WorkerStoppedWith, &[("message", &m)]),
            };
            let was_ready = link.upgrade().is_some_and(|link| link.queue.is_ready());
            // Reported from a fresh task: the listener may restart the worker, which drops
            // this very closure.
            let listener = listener.clone();
            wasm_bindgen_futures::spawn_local(async move {
                listener(LinkEvent::Crashed { message, was_ready })
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.connection.borrow_mut() = Some(Connection {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }

    /// Sends a request now, or once the worker is ready.
    pub fn send(&self, request: Request) {
        self.queue.send(request, |request| self.post(request));
    }

    fn post(&self, request: &Request) {
        let connection = self.connection.borrow();
        let Some(connection) = connection.as_ref() else {
            return;
        };
        let sent = wire::encode(request).and_then(|value| {
            connection
                .worker
                .post_message(&value)
                .map_err(|e| format!("{e:?}"))
        });
        if let Err(message) = sent {
            web_sys::console::error_1(
                &format!("cannot send a request to the worker: {message}").into(),
            );
        }
    }
}
