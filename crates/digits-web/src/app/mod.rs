//! The page's main thread: owns the DOM, draws the charts, and drives the worker.
//!
//! [`App`] holds the element handles ([`ui`]), the page's memory ([`state`]) and the worker
//! link ([`link`]). Each section of the page has its own file of `impl App` methods that
//! react to the worker's messages and to the user: [`data_view`], [`model_view`],
//! [`train_view`], [`maps_view`], [`evaluate_view`], [`cv_view`]; [`controls`] wires the
//! user's events and [`status`] keeps `#status` and the live region current.

mod compare_view;
mod controls;
mod cv_view;
mod data_view;
mod debug;
mod draw_view;
mod embed;
mod evaluate_view;
mod export;
mod extras;
mod inspect;
mod link;
mod linked_view;
mod maps_view;
mod model_io;
mod model_view;
mod state;
mod status;
mod train_view;
mod ui;

use std::cell::RefCell;
use std::rc::Rc;

use crate::protocol::{Request, Response};
use crate::settings::{PageSettings, Setting};
use link::{LinkEvent, WorkerLink};
use state::{State, Status};
use ui::Ui;

/// The page's application.
pub struct App {
    ui: Ui,
    state: RefCell<State>,
    link: Rc<WorkerLink>,
    /// The sections beyond the notebook (drawing, model files, export, linked views,
    /// compare runs): see [`extras`].
    extra: extras::Extras,
}

/// Starts the page: reads the URL's settings, starts the worker, loads the bundled data.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Err(message) = App::launch() {
        show_fatal(&message);
    }
}

impl App {
    fn launch() -> Result<(), String> {
        let ui = Ui::find()?;
        let settings = url_settings(&ui);
        embed::apply(&settings, &ui);
        for setting in Setting::ALL {
            ui.set_setting(setting, &settings.get(setting))?;
        }
        let app = Rc::new(App {
            ui,
            state: RefCell::new(State::new(settings)),
            link: Rc::new(WorkerLink::default()),
            extra: extras::Extras::find()?,
        });
        app.connect()?;
        controls::wire(&app);
        extras::wire(&app);
        debug::wire(&app);
        app.show_status(Status::Idle, "Idle · press Start to train");
        // Empty axes until the first run.
        app.draw_history();
        app.draw_cv(false);
        app.link.send(Request::UseBundled);
        Ok(())
    }

    /// (Re)starts the worker, with every message going to [`App::on_event`].
    fn connect(self: &Rc<Self>) -> Result<(), String> {
        let app = Rc::downgrade(self);
        self.link.restart(Rc::new(move |event| {
            if let Some(app) = app.upgrade() {
                app.on_event(event);
            }
        }))
    }

    fn on_event(self: &Rc<Self>, event: LinkEvent) {
        match event {
            LinkEvent::Message(response) => self.on_response(response),
            LinkEvent::Crashed { message, was_ready } => self.on_crash(&message, was_ready),
        }
    }

    fn on_response(self: &Rc<Self>, response: Response) {
        self.observe(&response);
        let done = match &response {
            Response::TrainingDone { evaluation } => Some((**evaluation).clone()),
            _ => None,
        };
        match response {
            Response::Ready {
                summary,
                parameters,
            } => self.show_summary(&summary, parameters),
            Response::DataLoaded {
                source,
                rows,
                class_counts,
                sample,
            } => self.on_data_loaded(source, rows, &class_counts, &sample),
            Response::DataRefused { error } => self.on_data_refused(&error),
            Response::Sample { sample } => self.show_samples(&sample),
            Response::TrainingStarted {
                epochs,
                train_rows,
                test_rows,
            } => self.on_training_started(epochs, train_rows, test_rows),
            Response::Epoch { report } => self.on_epoch(report),
            Response::TrainingDone { evaluation } => self.on_training_done(&evaluation),
            Response::CrossValidationStarted { folds, epochs } => self.on_cv_started(folds, epochs),
            Response::FoldStarted {
                fold,
                train_rows,
                test_rows,
            } => self.on_fold_started(fold, train_rows, test_rows),
            Response::FoldEpoch { fold, report } => self.on_fold_epoch(fold, &report),
            Response::FoldDone { result } => self.on_fold_done(result),
            Response::CrossValidationDone { summary } => self.on_cv_done(&summary),
            Response::Paused { .. } => self.on_paused(),
            Response::Resumed => self.on_resumed(),
            Response::Stopped => self.on_stopped(),
            Response::FeatureMaps(view) => self.show_feature_maps(&view),
            Response::FeatureMapsRefused { message } => self.on_maps_refused(&message),
            Response::Failed { message } => self.on_failed(&message),
            other => self.on_extra_response(other),
        }
        self.after_response(done.as_ref());
    }

    /// The worker died: show it, then start a fresh one with the same data so Start works.
    /// A worker that never started is not retried (it would fail the same way, forever).
    fn on_crash(self: &Rc<Self>, message: &str, was_ready: bool) {
        if !was_ready {
            self.on_failed(&format!("{message}. Reload the page to try again."));
            return;
        }
        self.on_failed(&format!(
            "{message}. It was restarted; press Start to try again."
        ));
        let data = self.state.borrow().data.clone();
        self.state.borrow_mut().pending_data = None;
        match self.connect() {
            Ok(()) => self.link.send(data),
            Err(message) => self.on_failed(&message),
        }
    }

    /// Sends a request to the worker.
    fn send(&self, request: Request) {
        self.observe_request(&request);
        self.link.send(request);
    }

    /// Reports a chart that failed to draw (it never should) on the console.
    fn draw(&self, drawn: Result<(), String>) {
        if let Err(message) = drawn {
            web_sys::console::warn_1(&message.into());
        }
    }
}

/// Settings from the page's URL; invalid values are listed in `#param-error`.
fn url_settings(ui: &Ui) -> PageSettings {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| js_sys::try_iter(&params).ok().flatten())
        .map(|entries| {
            entries
                .filter_map(|entry| {
                    let pair = js_sys::Array::from(&entry.ok()?);
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect()
        })
        .unwrap_or_default();
    let (settings, errors) = PageSettings::from_query(pairs);
    let messages: Vec<String> = errors
        .iter()
        .map(|e| format!("URL parameter {e}. Using the default, {}.", e.default))
        .collect();
    crate::dom::set_text(&ui.param_error, &messages.join(" "));
    settings
}

/// Shows a start-up failure in `#status`, or at the top of the page without it.
fn show_fatal(message: &str) {
    let text = format!("Digit Lab could not start: {message}");
    web_sys::console::error_1(&text.clone().into());
    let document = crate::dom::document();
    match document.get_element_by_id("status") {
        Some(status) => {
            crate::dom::set_attr(&status, "data-state", "error");
            crate::dom::set_text(&status, &text);
        }
        None => {
            if let Some(body) = document.body() {
                body.set_text_content(Some(&text));
            }
        }
    }
}
