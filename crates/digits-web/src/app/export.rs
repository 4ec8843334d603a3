//! Section 11, export and share: the last run's per-epoch history and metrics as CSV, its
//! JSON run record, every chart as a PNG, and a link that reproduces the run's settings.
//! Files are made in the page and saved through a `blob:` link: nothing goes on the network.
//!
//! The files' formats are `run_record.rs`'s (browser-free, tested natively).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, HtmlAnchorElement, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    MouseEvent, Url,
};

use digits_cnn::arch::keras;

use super::App;
use crate::dom::{by_id, create, document, on, set_attr, set_text};
use crate::i18n::{Key, t, tr};
use crate::protocol::Workers;
use crate::run_record::{RunRecord, history_csv, metrics_csv, share_query};
use crate::settings::PageSettings;

/// Section 11's elements and memory.
pub(super) struct ExportSection {
    /// Downloads the per-epoch CSV.
    pub(super) history_csv: HtmlButtonElement,
    /// Downloads the metrics CSV.
    pub(super) metrics_csv: HtmlButtonElement,
    /// Downloads the JSON run record.
    pub(super) json: HtmlButtonElement,
    /// Downloads the Keras file of the form's network and run.
    pub(super) keras: HtmlButtonElement,
    /// Copies the share link.
    pub(super) copy_link: HtmlButtonElement,
    /// The share link, always visible.
    pub(super) share_link: HtmlInputElement,
    /// Whether saving or copying worked.
    pub(super) status: HtmlElement,
    /// What the export section remembers of the current run.
    pub(super) state: RefCell<ExportState>,
}

impl ExportSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            history_csv: by_id("export-history-csv")?,
            metrics_csv: by_id("export-metrics-csv")?,
            json: by_id("export-json")?,
            keras: by_id("export-keras")?,
            copy_link: by_id("copy-link")?,
            share_link: by_id("share-link")?,
            status: by_id("export-status")?,
            state: RefCell::default(),
        })
    }
}

/// Connects the export buttons, adds a PNG button to every chart, and fills the link.
pub(super) fn wire(app: &Rc<App>) {
    let a = app.clone();
    on::<MouseEvent>(&app.export.history_csv, "click", move |_| {
        let csv = history_csv(&a.train.state.borrow().history);
        a.save_export("digit-lab-history.csv", &csv, "text/csv");
    });
    let a = app.clone();
    on::<MouseEvent>(&app.export.metrics_csv, "click", move |_| {
        let csv = a
            .evaluate
            .state
            .borrow()
            .evaluation
            .as_ref()
            .map(metrics_csv);
        match csv {
            Some(csv) => a.save_export("digit-lab-metrics.csv", &csv, "text/csv"),
            None => set_text(&a.export.status, t(Key::NoMetricsYet)),
        }
    });
    let a = app.clone();
    on::<MouseEvent>(&app.export.keras, "click", move |_| a.export_keras());
    let a = app.clone();
    on::<MouseEvent>(&app.export.json, "click", move |_| {
        let json = a.current_record().to_json();
        a.save_export("digit-lab-run.json", &json, "application/json");
    });
    let a = app.clone();
    on::<MouseEvent>(&app.export.copy_link, "click", move |_| a.copy_link());
    add_png_buttons();
    app.fill_share_link();
}

/// Saves `bytes` as a file named `name` through a temporary `blob:` link.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    // The file's type travels in its name; `mime` documents the caller's intent.
    let _ = mime;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts)
        .map_err(|e| format!("cannot make {name}: {e:?}"))?;
    download_blob(name, &blob)
}

/// Saves `blob` as a file named `name`.
fn download_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let url =
        Url::create_object_url_with_blob(blob).map_err(|e| format!("cannot save {name}: {e:?}"))?;
    let link: HtmlAnchorElement = create("a");
    link.set_href(&url);
    link.set_download(name);
    set_attr(&link, "hidden", "");
    let body = document().body().ok_or("the page has no body")?;
    let _ = body.append_child(&link);
    link.click();
    link.remove();
    // Revoked a little later: the download may still be reading it.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 30_000);
    }
    Ok(())
}

/// Adds a "PNG" button after every chart canvas (`canvas[id^=chart-]`).
fn add_png_buttons() {
    let Ok(canvases) = document().query_selector_all("canvas[id^=\"chart-\"]") else {
        return;
    };
    for i in 0..canvases.length() {
        let Some(canvas) = canvases
            .item(i)
            .and_then(|n| n.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let id = canvas.id();
        let button: HtmlButtonElement = create("button");
        button.set_type("button");
        set_attr(&button, "class", "png-download");
        set_attr(&button, "data-chart", &id);
        let what = canvas
            .get_attribute("aria-label")
            .and_then(|l| {
                l.split([':', ';', '.', '：', '；', '。'])
                    .next()
                    .map(str::to_string)
            })
            .unwrap_or_else(|| id.clone());
        set_attr(
            &button,
            "aria-label",
            &tr(Key::PngLabel, &[("chart", &what)]),
        );
        set_text(&button, "PNG");
        let _ = canvas.after_with_node_1(&button);
        let chart = canvas.clone();
        on::<MouseEvent>(&button, "click", move |_| save_png(&chart));
    }
}

/// Saves a canvas as `digit-lab-<id>.png`.
fn save_png(canvas: &HtmlCanvasElement) {
    let name = format!("digit-lab-{}.png", canvas.id());
    let callback = Closure::once_into_js(move |blob: JsValue| {
        if let Ok(blob) = blob.dyn_into::<Blob>()
            && let Err(message) = download_blob(&name, &blob)
        {
            web_sys::console::warn_1(&message.into());
        }
    });
    let _ = canvas.to_blob_with_type(callback.unchecked_ref(), "image/png");
}

impl App {
    /// Remembers the settings of a run on its way to the worker, for its record and link;
    /// `continued` when it trains the current network further.
    pub(super) fn remember_run_settings(&self, settings: &PageSettings, continued: bool) {
        self.export.state.borrow_mut().run_settings = Some((settings.clone(), continued));
    }

    /// A training run started on `train_rows` / `test_rows`, trained by `workers`: its
    /// metrics are not known yet.
    pub(super) fn remember_training_start(
        &self,
        train_rows: usize,
        test_rows: usize,
        workers: Workers,
    ) {
        {
            let mut export = self.export.state.borrow_mut();
            export.split = (train_rows, test_rows);
            export.workers = Some(workers);
        }
        self.evaluate.state.borrow_mut().evaluation = None;
        self.enable_exports();
    }

    fn save_export(&self, name: &str, text: &str, mime: &str) {
        let status = &self.export.status;
        match download(name, text.as_bytes(), mime) {
            Ok(()) => set_text(status, &tr(Key::Saved, &[("name", &name)])),
            Err(message) => set_text(status, &message),
        }
    }

    /// "Export as Keras": the core's Python file (`digits_cnn::arch::keras`, the CLI's
    /// `export-keras`) for the form's settings, i.e. what Start would train, so a student can
    /// take the network back to the notebook. Refused, with the form's reasons, when a
    /// setting is invalid.
    fn export_keras(&self) {
        let Some(settings) = self.form_settings() else {
            set_text(&self.export.status, t(Key::NotExported));
            return;
        };
        let csv = match settings.data {
            Some(data) => format!("{}.csv", data.name()),
            None => self.data.state.borrow().source.clone(),
        };
        let script = keras::script(&settings.config, &csv);
        self.save_export("digit-lab-model.py", &script, "text/x-python");
    }

    /// The current or last run as a record.
    pub(super) fn current_record(&self) -> RunRecord {
        let export = self.export.state.borrow();
        let (settings, continued) = export
            .run_settings
            .clone()
            .or_else(|| self.form_settings().map(|s| (s, false)))
            .unwrap_or_else(|| (self.state.borrow().settings.clone(), false));
        let data = self.data.state.borrow();
        let source = match &data.test_file {
            Some(name) => format!("{}, tested on {name}", data.source),
            None => data.source.clone(),
        };
        RunRecord {
            workers: export.workers,
            ..RunRecord::new(
                self.compare.state.borrow().runs.len() + 1,
                &settings,
                &source,
                data.rows,
                export.split,
                continued,
                &self.train.state.borrow().history,
                self.evaluate.state.borrow().evaluation.as_ref(),
            )
        }
    }

    /// Enables the downloads that have something to save.
    pub(super) fn enable_exports(&self) {
        self.export.history_csv.set_disabled(false);
        self.export.json.set_disabled(false);
        let has_metrics = self.evaluate.state.borrow().evaluation.is_some();
        self.export.metrics_csv.set_disabled(!has_metrics);
        self.fill_share_link();
    }

    /// The page's address with the run's settings (or else the form's) as parameters, and
    /// the language when the URL named one.
    fn share_url(&self) -> String {
        let mut settings = self
            .export
            .state
            .borrow()
            .run_settings
            .clone()
            .map(|(s, _)| s)
            .or_else(|| self.form_settings())
            .unwrap_or_else(|| self.state.borrow().settings.clone());
        settings.lang = self.state.borrow().settings.lang;
        let base = web_sys::window()
            .and_then(|w| {
                let l = w.location();
                Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
            })
            .unwrap_or_default();
        format!("{base}?{}", share_query(&settings))
    }

    fn fill_share_link(&self) {
        self.export.share_link.set_value(&self.share_url());
    }

    /// Copies the link with the clipboard API; where that is refused (an iframe without
    /// permission, an old browser) the link stays selected in its field to copy by hand.
    fn copy_link(self: &Rc<Self>) {
        self.fill_share_link();
        let url = self.share_url();
        let field = self.export.share_link.clone();
        let status = self.export.status.clone();
        let fallback = move || {
            let _ = field.focus();
            field.select();
            set_text(&status, t(Key::CopyRefused));
        };
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        let Some(clipboard) = clipboard.filter(|c| !JsValue::from(c.clone()).is_undefined()) else {
            fallback();
            return;
        };
        let status = self.export.status.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await {
                Ok(_) => set_text(&status, t(Key::LinkCopied)),
                Err(_) => fallback(),
            }
        });
    }
}

/// What the export section remembers of the current or last run.
#[derive(Default)]
pub(super) struct ExportState {
    /// The run's settings, and whether it continued a network.
    pub(super) run_settings: Option<(PageSettings, bool)>,
    /// (train, test) rows of its split.
    pub(super) split: (usize, usize),
    /// The workers that trained it (`None` for a network loaded and not trained here).
    pub(super) workers: Option<Workers>,
}
