//! "A new version is ready": the page's side of the service worker (`web/service-worker.js`,
//! which keeps every file of one build in a cache named after that build, so the page opens
//! and trains offline after one visit). [`watch`] registers it; when a newer build has
//! installed and waits, `#update-banner` says so and its Reload button lets the new version
//! take over and reloads the page. Where service workers are unavailable (`file://`, as the
//! single file opens; an opaque origin, as in a sandboxed iframe; an old browser) nothing
//! happens and nothing is logged.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    Event, HtmlButtonElement, HtmlElement, MouseEvent, ServiceWorkerContainer,
    ServiceWorkerRegistration,
};

use crate::dom::{by_id, on};

/// The service worker's script, written next to `index.html` by `scripts/precache.mjs`.
const SCRIPT: &str = "service-worker.js";
/// The message that makes a waiting service worker take over (see `web/service-worker.js`).
const TAKE_OVER: &str = "skip-waiting";

/// `#update-banner` and its Reload button.
struct Banner {
    element: HtmlElement,
    button: HtmlButtonElement,
    /// Set once the user asked for the new version: its take-over then reloads the page.
    requested: Cell<bool>,
}

/// Registers the service worker where the page can have one and offers every new version it
/// installs. Fails only when the banner is missing from the page.
pub(super) fn watch() -> Result<(), String> {
    let banner = Rc::new(Banner {
        element: by_id("update-banner")?,
        button: by_id("update-reload")?,
        requested: Cell::new(false),
    });
    let Some(container) = container() else {
        return Ok(());
    };
    spawn_local(async move {
        let registered = JsFuture::from(container.register(SCRIPT)).await;
        // A refused registration is not an error of the page (it works without one); a test
        // browser that blocks service workers resolves to `undefined`.
        if let Some(registration) = registered.ok().and_then(|r| r.dyn_into().ok()) {
            banner.wire(&container, registration);
        }
    });
    Ok(())
}

/// The page's service-worker container, where it may have one: an `http:` or `https:` page
/// of a real origin (reading `navigator.serviceWorker` throws in an opaque origin).
fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    let protocol = window.location().protocol().ok()?;
    if !matches!(protocol.as_str(), "http:" | "https:") {
        return None;
    }
    js_sys::Reflect::get(&window.navigator(), &"serviceWorker".into())
        .ok()?
        .dyn_into()
        .ok()
}

impl Banner {
    /// Shows the banner whenever a new version waits (now, or once one installs), if this
    /// page came from a service worker (a page loaded from the network is the newest build
    /// already); the button makes it take over, and its take-over reloads the page.
    fn wire(
        self: Rc<Self>,
        container: &ServiceWorkerContainer,
        registration: ServiceWorkerRegistration,
    ) {
        let controlled = container.controller().is_some();
        let offer = {
            let (banner, registration) = (self.clone(), registration.clone());
            move || {
                if controlled && registration.waiting().is_some() {
                    banner.element.set_hidden(false);
                }
            }
        };
        offer();
        let installing = registration.clone();
        on::<Event>(&registration, "updatefound", move |_| {
            if let Some(worker) = installing.installing() {
                let offer = offer.clone();
                on::<Event>(&worker, "statechange", move |_| offer());
            }
        });
        let banner = self.clone();
        on::<MouseEvent>(&self.button, "click", move |_| {
            match registration.waiting() {
                Some(waiting) => {
                    banner.requested.set(true);
                    let _ = waiting.post_message(&TAKE_OVER.into());
                }
                None => reload(),
            }
        });
        // Without the user's request, another tab let a new version take over: this page
        // still runs the old one, so it offers the reload.
        on::<Event>(container, "controllerchange", move |_| {
            if self.requested.get() {
                reload();
            } else {
                self.element.set_hidden(false);
            }
        });
    }
}

/// Loads the page again, from the service worker that now controls it.
fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
