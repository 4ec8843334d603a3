//! The page's main thread: owns the DOM, draws the charts, and drives the worker.
//!
//! [`App`] holds one value per section of the page, each with its element handles and its
//! memory, in the module named after the section: [`data`], [`model`] (with its
//! [`network_editor`], the layer list, and its [`sweep`] panel), [`train`],
//! [`feature_maps`] (with its [`explain`]ations), [`evaluate`] (with its [`baselines`] table), [`cross_validation`], [`draw`], [`linked_views`],
//! [`weight_histograms`] and [`projection`] (the "Inside the network" section),
//! [`compare`], [`model_files`], [`export`]. Each module also holds that section's
//! `impl App` methods, which react to the user and to the worker's messages. Around them:
//! [`state`] (the run as a whole), [`status`] (`#status` and the live region), [`link`]
//! (the worker), [`embed`] (`embed=1`, `hide=`), [`inspect`] (the probabilities-and-maps
//! panel shared by the drawing pad and the linked views), [`update`] (the service worker
//! and the new-version banner), [`resize`] (charts drawn again at a new width), [`language`]
//! (the page's language: `lang=`, `#language`, the `data-i18n` elements) and [`crash_hook`]
//! (the e2e tests' way to crash the worker).

mod baselines;
mod compare;
mod crash_hook;
mod cross_validation;
mod data;
mod draw;
mod embed;
mod evaluate;
mod explain;
mod export;
mod feature_maps;
mod inspect;
mod language;
mod link;
mod linked_views;
mod model;
mod model_files;
mod network_editor;
mod projection;
mod resize;
mod state;
mod status;
mod sweep;
mod train;
mod update;
mod weight_histograms;

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::metrics::Evaluation;
use web_sys::{EventTarget, HtmlElement, MouseEvent};

use crate::dom::{by_id, on};
use crate::i18n::{Key, Lang, t, tr};
use crate::protocol::{Request, Response};
use crate::settings::{DEFAULT_DATA, LANG_PARAM, PageSettings, Setting};
use link::{LinkEvent, WorkerLink};
use state::{State, Status};

/// The page's application: one field per section of the page, in the page's order.
pub struct App {
    status: status::StatusLine,
    data: data::DataSection,
    model: model::ModelSection,
    network_editor: network_editor::NetworkEditor,
    sweep: sweep::SweepSection,
    train: train::TrainSection,
    feature_maps: feature_maps::FeatureMapsSection,
    explain: explain::ExplainSection,
    evaluate: evaluate::EvaluateSection,
    baselines: baselines::BaselinesSection,
    cross_validation: cross_validation::CrossValidationSection,
    draw: draw::DrawSection,
    linked_views: linked_views::LinkedViewsSection,
    weight_histograms: weight_histograms::WeightHistogramsSection,
    projection: projection::ProjectionSection,
    compare: compare::CompareSection,
    model_files: model_files::ModelFilesSection,
    export: export::ExportSection,
    /// The run as a whole (its state and progress), which several sections show.
    state: RefCell<State>,
    /// Every chart's last drawing, drawn again when its width changes.
    resizable_charts: resize::ResizableCharts,
    link: Rc<WorkerLink>,
}

/// Starts the page: reads the URL's settings, starts the worker, loads the bundled data
/// the URL names (`data=`, `uci` by default).
pub fn start() {
    console_error_panic_hook::set_once();
    if let Err(message) = App::launch() {
        show_fatal(&message);
    }
}

/// Calls `action` on every click of `target`.
fn on_click(app: &Rc<App>, target: &EventTarget, action: fn(&Rc<App>)) {
    let app = app.clone();
    on::<MouseEvent>(target, "click", move |_| action(&app));
}

impl App {
    fn launch() -> Result<(), String> {
        let param_error: HtmlElement = by_id("param-error")?;
        let settings = url_settings(&param_error);
        language::apply()?;
        let data = settings.data.unwrap_or(DEFAULT_DATA);
        embed::apply(&settings, &param_error);
        model::fill_menus()?;
        for setting in Setting::ALL {
            train::set_form_field(setting, &settings.get(setting))?;
        }
        let app = Rc::new(App {
            status: status::StatusLine::find()?,
            data: data::DataSection::find()?,
            model: model::ModelSection::find()?,
            network_editor: network_editor::NetworkEditor::find()?,
            sweep: sweep::SweepSection::find()?,
            train: train::TrainSection::find()?,
            feature_maps: feature_maps::FeatureMapsSection::find()?,
            explain: explain::ExplainSection::find()?,
            evaluate: evaluate::EvaluateSection::find()?,
            baselines: baselines::BaselinesSection::find()?,
            cross_validation: cross_validation::CrossValidationSection::find()?,
            draw: draw::DrawSection::find()?,
            linked_views: linked_views::LinkedViewsSection::find()?,
            weight_histograms: weight_histograms::WeightHistogramsSection::find()?,
            projection: projection::ProjectionSection::find()?,
            compare: compare::CompareSection::find()?,
            model_files: model_files::ModelFilesSection::find()?,
            export: export::ExportSection::find()?,
            state: RefCell::new(State::new(settings)),
            resizable_charts: resize::ResizableCharts::default(),
            link: Rc::new(WorkerLink::default()),
        });
        app.connect()?;
        data::wire(&app);
        model::wire(&app);
        network_editor::wire(&app);
        sweep::wire(&app);
        train::wire(&app);
        feature_maps::wire(&app);
        explain::wire(&app);
        cross_validation::wire(&app);
        draw::wire(&app);
        linked_views::wire(&app);
        projection::wire(&app);
        compare::wire(&app);
        model_files::wire(&app);
        export::wire(&app);
        crash_hook::wire(&app);
        resize::wire(&app);
        update::watch()?;
        app.show_status(Status::Idle, t(Key::StatusIdle));
        // Empty axes until the first run.
        app.draw_history();
        app.draw_cv(false);
        app.use_bundled(data);
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

    /// Shows one message of the worker: every variant has its arm, so a new one does not
    /// compile until the page handles it.
    fn on_response(self: &Rc<Self>, response: Response) {
        match response {
            // The link sends the requests it held; the page has nothing to show.
            Response::Ready => {}
            Response::DataLoaded {
                data,
                source,
                rows,
                class_counts,
                sample,
            } => self.on_data_loaded(data, source, rows, &class_counts, &sample),
            Response::DataRefused { error } => self.on_data_refused(&error),
            Response::TestData { file } => self.on_test_data(file),
            Response::Sample { sample } => self.show_samples(&sample),
            Response::TrainingStarted {
                epochs,
                train_rows,
                test_rows,
                workers,
            } => {
                self.remember_training_start(train_rows, test_rows, workers);
                self.clear_baselines();
                self.clear_weight_histograms();
                self.on_training_started(epochs, train_rows, test_rows);
            }
            Response::Epoch { report } => {
                self.set_has_model(true);
                self.on_epoch(report);
            }
            Response::TrainingDone {
                evaluation,
                kept_epoch,
            } => {
                self.on_training_done(&evaluation, kept_epoch);
                self.on_run_finished(&evaluation);
            }
            Response::Baseline { result, scale } => self.show_baseline(&result, scale),
            Response::CrossValidationStarted { folds, epochs } => self.on_cv_started(folds, epochs),
            Response::FoldStarted {
                fold,
                train_rows,
                test_rows,
            } => self.on_fold_started(fold, train_rows, test_rows),
            Response::FoldEpoch { fold, report } => self.on_fold_epoch(fold, &report),
            Response::FoldDone {
                result,
                train_rows,
                test_rows,
            } => self.on_fold_done(result, train_rows, test_rows),
            Response::CrossValidationDone { summary } => self.on_cv_done(&summary),
            Response::Paused { epoch: _ } => self.on_paused(),
            Response::Resumed => self.on_resumed(),
            Response::Stopped => self.on_stopped(),
            Response::FeatureMaps(view) => self.show_feature_maps(&view),
            Response::FeatureMapsRefused { message } => self.on_maps_refused(&message),
            Response::Failed { message } => self.on_failed(&message),
            Response::Inspection { inspector, view } => self.on_inspection(inspector, &view),
            Response::InspectionRefused { inspector, message } => {
                self.on_inspection_refused(inspector, &message)
            }
            Response::ModelFile { name, bytes } => self.on_model_file(&name, &bytes),
            Response::ModelLoaded { name, info } => {
                self.set_arch(&info.arch);
                self.on_model_loaded(&name, &info)
            }
            Response::ModelRefused { name, message } => self.on_model_refused(&name, &message),
            Response::Evaluated {
                evaluation,
                train_rows,
                test_rows,
            } => self.on_evaluated(&evaluation, train_rows, test_rows),
            Response::TestPredictions { rows } => self.set_predictions(rows),
            Response::SweepStarted { runs, epochs } => self.on_sweep_started(runs, epochs),
            Response::SweepProgress { run, epoch } => self.on_sweep_progress(run, epoch),
            Response::SweepDone { results, best } => self.on_sweep_done(&results, best),
            Response::Explanation(view) => self.show_explanation(&view),
            Response::ExplanationRefused { message } => self.on_explanation_refused(&message),
            Response::WeightHistograms { epoch, layers } => {
                self.show_weight_histograms(epoch, layers)
            }
            Response::Projection(view) => self.show_projection(view),
        }
        self.draw_stale_history();
    }

    /// A training run finished: the sections beyond the notebook take its network and
    /// metrics (the drawing pad predicts, the run is recorded, exported and linked).
    fn on_run_finished(self: &Rc<Self>, evaluation: &Evaluation) {
        self.evaluate.state.borrow_mut().evaluation = Some(evaluation.clone());
        self.set_has_model(true);
        self.enable_model_actions();
        self.record_run();
        self.enable_exports();
        self.show_confusion_grid();
    }

    /// The worker died: show it, then start a fresh one with the same data so Start works.
    /// A worker that never started is not retried (it would fail the same way, forever).
    fn on_crash(self: &Rc<Self>, message: &str, was_ready: bool) {
        if !was_ready {
            self.on_failed(&tr(Key::WorkerCrashed, &[("message", &message)]));
            return;
        }
        self.on_failed(&tr(Key::WorkerRestarted, &[("message", &message)]));
        let data = self.data.state.borrow().loaded.clone();
        self.data.state.borrow_mut().pending = None;
        // The new worker splits the data until a test file is chosen again.
        self.on_test_data(None);
        match self.connect() {
            Ok(()) => self.link.send(data),
            Err(message) => self.on_failed(&message),
        }
    }

    /// Sends a request to the worker.
    fn send(&self, request: Request) {
        self.link.send(request);
    }

    /// Reports a chart that failed to draw (it never should) on the console.
    fn draw(&self, drawn: Result<(), String>) {
        if let Err(message) = drawn {
            web_sys::console::warn_1(&message.into());
        }
    }
}

/// Settings from the page's URL, whose language (`lang=`, else the browser's) the page then
/// speaks; invalid values are listed in `#param-error`.
fn url_settings(param_error: &HtmlElement) -> PageSettings {
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
    // The language first, so that the messages below are written in it.
    let lang = pairs
        .iter()
        .rev()
        .find(|(name, _)| name == LANG_PARAM)
        .and_then(|(_, code)| Lang::from_code(code));
    language::choose(lang);
    let (settings, errors) = PageSettings::from_query(pairs);
    let messages: Vec<String> = errors
        .iter()
        .map(|e| {
            tr(
                Key::UrlParameterError,
                &[("error", e), ("default", &e.default)],
            )
        })
        .collect();
    crate::dom::set_text(param_error, &messages.join(" "));
    settings
}

/// Shows a start-up failure in `#status`, or at the top of the page without it.
fn show_fatal(message: &str) {
    let text = tr(Key::CouldNotStart, &[("message", &message)]);
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
