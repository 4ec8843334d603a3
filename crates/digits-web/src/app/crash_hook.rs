//! The crash hook of the end-to-end tests (TEST ONLY), inert unless the page's URL has
//! `debug-crash=1`.
//!
//! With `debug-crash=1`, dispatching a `digitlab:debug-crash` event on `document` sends
//! [`Request::Crash`], which makes the worker panic: the end-to-end test
//! (`tests/e2e/robustness.test.mjs`) uses it to check that a crashed worker is reported as
//! an error, restarted, and that Start works again. Without the parameter nothing listens,
//! so no page script can crash the worker by accident. Nothing else changes with it.

use std::rc::Rc;

use web_sys::{Event, EventTarget};

use super::App;
use crate::dom::on;
use crate::protocol::Request;

/// The URL parameter that arms the hook.
const PARAM: &str = "debug-crash";
/// The event that fires it.
const EVENT: &str = "digitlab:debug-crash";

/// Listens for the crash event when the URL asks for it.
pub(super) fn wire(app: &Rc<App>) {
    let armed = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get(PARAM))
        .is_some_and(|value| value == "1");
    if !armed {
        return;
    }
    let app = app.clone();
    let document: EventTarget = crate::dom::document().into();
    on::<Event>(&document, EVENT, move |_| app.send(Request::Crash));
}
