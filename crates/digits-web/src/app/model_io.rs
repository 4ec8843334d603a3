//! Section 10, save or load a model: the current network as a file (downloaded, never
//! uploaded anywhere), a file loaded back (also the CLI's `--save` files), and a loaded
//! network evaluated or trained further.

use std::rc::Rc;

use digits_cnn::metrics::Evaluation;
use digits_cnn::model_file::{MAX_MODEL_BYTES, ModelInfo};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, File, MouseEvent};

use super::App;
use super::state::Status;
use crate::dom::{on, set_attr, set_text};
use crate::format::{percent, thousands};
use crate::protocol::Request;

/// Connects the section's controls.
pub(super) fn wire(app: &Rc<App>) {
    let ui = &app.extra.ui;
    let a = app.clone();
    on::<MouseEvent>(&ui.model_save, "click", move |_| a.send(Request::SaveModel));
    let a = app.clone();
    on::<Event>(&ui.model_file, "change", move |_| {
        let input = &a.extra.ui.model_file;
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            a.load_model_file(file);
        }
        input.set_value("");
    });
    let a = app.clone();
    on::<MouseEvent>(&ui.model_evaluate, "click", move |_| {
        if let Some(settings) = a.form_settings() {
            a.send(Request::Evaluate {
                config: settings.config,
            });
        }
    });
    let a = app.clone();
    on::<MouseEvent>(&ui.model_train_further, "click", move |_| {
        if let Some(settings) = a.form_settings() {
            a.send(Request::TrainFurther {
                config: settings.config,
            });
        }
    });
}

impl App {
    fn load_model_file(self: &Rc<Self>, file: File) {
        let name = file.name();
        let error = &self.extra.ui.model_error;
        if file.size() > MAX_MODEL_BYTES as f64 {
            set_text(
                error,
                &format!(
                    "{name} was not loaded: at {} bytes it is too large for a Digit Lab model file.",
                    thousands(file.size() as usize)
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
                    &app.extra.ui.model_error,
                    &format!("{name} could not be read."),
                ),
            }
        });
    }

    /// The worker wrote the model file: download it.
    pub(super) fn on_model_file(&self, name: &str, bytes: &[u8]) {
        match super::export::download(name, bytes, "application/octet-stream") {
            Ok(()) => set_text(
                &self.extra.ui.model_info,
                &format!("Downloaded {name} ({} bytes).", thousands(bytes.len())),
            ),
            Err(message) => set_text(&self.extra.ui.model_error, &message),
        }
    }

    pub(super) fn on_model_loaded(self: &Rc<Self>, name: &str, info: &ModelInfo) {
        let ui = &self.extra.ui;
        set_text(&ui.model_error, "");
        let accuracy = info
            .test_accuracy
            .map(|a| format!(", test accuracy {}", percent(a)))
            .unwrap_or_default();
        set_text(
            &ui.model_info,
            &format!(
                "Loaded {name}: trained {} epochs on {} with {} scaling{accuracy} ({}).",
                info.epochs_trained,
                info.data_source,
                info.scale.name(),
                info.written_by
            ),
        );
        set_attr(&ui.model_info, "data-state", "loaded");
        set_attr(
            &ui.model_info,
            "data-epochs",
            &info.epochs_trained.to_string(),
        );
        set_attr(&ui.model_info, "data-scale", info.scale.name());
        self.enable_model_actions();
        self.announce(&format!("Model {name} loaded."));
        self.set_has_model(true);
        self.predict_drawing();
        self.show_maps_of_chosen_row();
    }

    pub(super) fn on_model_refused(&self, name: &str, message: &str) {
        set_text(
            &self.extra.ui.model_error,
            &format!("{name} was not loaded: {message}. The current network stays."),
        );
    }

    /// Evaluate and Train further need a network worth it.
    pub(super) fn enable_model_actions(&self) {
        self.extra.ui.model_evaluate.set_disabled(false);
        self.extra.ui.model_train_further.set_disabled(false);
    }

    /// The current network's evaluation on the split's test rows.
    pub(super) fn on_evaluated(
        self: &Rc<Self>,
        evaluation: &Evaluation,
        train_rows: usize,
        test_rows: usize,
    ) {
        self.show_split(train_rows, test_rows);
        self.on_training_done(evaluation);
        let accuracy = percent(evaluation.accuracy);
        self.show_status(
            Status::Done,
            &format!("Done · evaluated the current network · test accuracy {accuracy}"),
        );
        {
            let mut state = self.extra.state.borrow_mut();
            state.split = (train_rows, test_rows);
            state.evaluation = Some(evaluation.clone());
        }
        self.enable_exports();
        self.show_confusion_grid();
    }
}
