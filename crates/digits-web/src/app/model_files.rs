//! Section 10, save or load a model: the current network as a file (downloaded, never
//! uploaded anywhere), a file loaded back (also the CLI's `--save` files), and a loaded
//! network evaluated or trained further.
//!
//! The worker's side is `session/model_files.rs`, around the core's `model_file`.

use std::rc::Rc;

use digits_cnn::metrics::Evaluation;
use digits_cnn::model_file::{MAX_MODEL_BYTES, ModelInfo};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, File, HtmlButtonElement, HtmlElement, HtmlInputElement, MouseEvent};

use super::App;
use super::state::Status;
use crate::dom::{by_id, on, set_attr, set_text};
use crate::format::{percent, thousands};
use crate::i18n::{Key, tr};
use crate::protocol::Request;

/// Section 10's elements.
pub(super) struct ModelFilesSection {
    /// Downloads the current network.
    pub(super) save: HtmlButtonElement,
    /// The model file picker.
    pub(super) file: HtmlInputElement,
    /// Evaluates the current network.
    pub(super) evaluate: HtmlButtonElement,
    /// Trains the current network further.
    pub(super) train_further: HtmlButtonElement,
    /// What the loaded file says.
    pub(super) info: HtmlElement,
    /// A refused file's message.
    pub(super) error: HtmlElement,
}

impl ModelFilesSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            save: by_id("model-save")?,
            file: by_id("model-file")?,
            evaluate: by_id("model-evaluate")?,
            train_further: by_id("model-train-further")?,
            info: by_id("model-info")?,
            error: by_id("model-error")?,
        })
    }
}

/// Connects the section's controls.
pub(super) fn wire(app: &Rc<App>) {
    let a = app.clone();
    on::<MouseEvent>(&app.model_files.save, "click", move |_| {
        a.send(Request::SaveModel)
    });
    let a = app.clone();
    on::<Event>(&app.model_files.file, "change", move |_| {
        let input = &a.model_files.file;
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            a.load_model_file(file);
        }
        input.set_value("");
    });
    let a = app.clone();
    on::<MouseEvent>(&app.model_files.evaluate, "click", move |_| {
        if let Some(settings) = a.form_settings() {
            a.send(Request::Evaluate {
                config: settings.config,
            });
        }
    });
    let a = app.clone();
    on::<MouseEvent>(&app.model_files.train_further, "click", move |_| {
        if let Some(settings) = a.form_settings() {
            a.remember_run_settings(&settings, true);
            a.send(Request::TrainFurther {
                config: settings.config,
            });
        }
    });
}

impl App {
    fn load_model_file(self: &Rc<Self>, file: File) {
        let name = file.name();
        let error = &self.model_files.error;
        if file.size() > MAX_MODEL_BYTES as f64 {
            set_text(
                error,
                &tr(
                    Key::ModelTooLarge,
                    &[("name", &name), ("bytes", &thousands(file.size() as usize))],
                ),
            );
            return;
        }
        set_text(error, "");
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    app.send(Request::LoadModel { name, bytes });
                }
                Err(_) => set_text(
                    &app.model_files.error,
                    &tr(Key::CouldNotRead, &[("name", &name)]),
                ),
            }
        });
    }

    /// The worker wrote the model file: download it.
    pub(super) fn on_model_file(&self, name: &str, bytes: &[u8]) {
        match super::export::download(name, bytes, "application/octet-stream") {
            Ok(()) => set_text(
                &self.model_files.info,
                &tr(
                    Key::ModelDownloaded,
                    &[("name", &name), ("bytes", &thousands(bytes.len()))],
                ),
            ),
            Err(message) => set_text(&self.model_files.error, &message),
        }
    }

    pub(super) fn on_model_loaded(self: &Rc<Self>, name: &str, info: &ModelInfo) {
        set_text(&self.model_files.error, "");
        let accuracy = info
            .test_accuracy
            .map(|a| tr(Key::ModelAccuracy, &[("accuracy", &percent(a))]))
            .unwrap_or_default();
        set_text(
            &self.model_files.info,
            &tr(
                Key::ModelLoaded,
                &[
                    ("name", &name),
                    ("epochs", &info.epochs_trained),
                    ("data", &info.data_source),
                    ("scale", &info.scale.name()),
                    ("accuracy", &accuracy),
                    ("app", &info.written_by),
                ],
            ),
        );
        set_attr(&self.model_files.info, "data-state", "loaded");
        set_attr(
            &self.model_files.info,
            "data-epochs",
            &info.epochs_trained.to_string(),
        );
        set_attr(&self.model_files.info, "data-scale", info.scale.name());
        self.enable_model_actions();
        self.announce(&tr(Key::ModelLoadedAnnounce, &[("name", &name)]));
        self.set_has_model(true);
        self.predict_drawing();
        self.show_maps_of_chosen_row();
    }

    pub(super) fn on_model_refused(&self, name: &str, message: &str) {
        set_text(
            &self.model_files.error,
            &tr(Key::ModelRefused, &[("name", &name), ("error", &message)]),
        );
    }

    /// Evaluate and Train further need a network worth it.
    pub(super) fn enable_model_actions(&self) {
        self.model_files.evaluate.set_disabled(false);
        self.model_files.train_further.set_disabled(false);
    }

    /// The current network's evaluation on the split's test rows.
    pub(super) fn on_evaluated(
        self: &Rc<Self>,
        evaluation: &Evaluation,
        train_rows: usize,
        test_rows: usize,
    ) {
        self.show_split(train_rows, test_rows);
        self.show_evaluation(evaluation, false);
        let accuracy = percent(evaluation.accuracy);
        self.show_status(
            Status::Done,
            &tr(Key::EvaluatedStatus, &[("accuracy", &accuracy)]),
        );
        {
            let mut export = self.export.state.borrow_mut();
            export.split = (train_rows, test_rows);
            export.workers = None;
            self.evaluate.state.borrow_mut().evaluation = Some(evaluation.clone());
        }
        self.enable_exports();
        self.show_confusion_grid();
    }
}
