//! Section 1, the data: source, rows, class counts, a sample of each class, and loading a
//! CSV (file picker or drag-and-drop).
//!
//! The worker's side is `session/data.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::CLASSES;
use digits_cnn::data::MAX_CSV_BYTES;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DragEvent, Element, Event, EventTarget, File, HtmlButtonElement, HtmlCanvasElement,
    HtmlElement, HtmlInputElement, KeyboardEvent, MouseEvent,
};

use super::{App, on_click};
use crate::charts;
use crate::dom::{by_id, create, on, set_attr, set_text};
use crate::format::thousands;
use crate::protocol::{Request, SampleImage};

/// Section 1's elements and memory.
pub(super) struct DataSection {
    /// The data's name.
    pub(super) source: HtmlElement,
    /// The data's row count.
    pub(super) rows: HtmlElement,
    /// The train/test split's sizes.
    pub(super) split_info: HtmlElement,
    /// Rows per class.
    pub(super) chart_classes: HtmlCanvasElement,
    /// One canvas per class's sample image.
    pub(super) samples: HtmlElement,
    /// Draws a new sample.
    pub(super) sample_refresh: HtmlButtonElement,
    /// The CSV file picker.
    pub(super) csv_file: HtmlInputElement,
    /// The drag-and-drop zone.
    pub(super) drop_zone: HtmlElement,
    /// Goes back to the bundled data.
    pub(super) bundled: HtmlButtonElement,
    /// A refused CSV's message.
    pub(super) error: HtmlElement,
    /// What the data section remembers.
    pub(super) state: RefCell<DataState>,
}

impl DataSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            source: by_id("data-source")?,
            rows: by_id("data-rows")?,
            split_info: by_id("split-info")?,
            chart_classes: by_id("chart-classes")?,
            samples: by_id("samples")?,
            sample_refresh: by_id("sample-refresh")?,
            csv_file: by_id("csv-file")?,
            drop_zone: by_id("data-drop")?,
            bundled: by_id("data-bundled")?,
            error: by_id("data-error")?,
            state: RefCell::default(),
        })
    }
}

/// Size of one sample's canvas: the 8×8 image at 9 px a pixel, and a caption line.
const SAMPLE_SIZE: (u32, u32) = (72, 90);

/// Connects the section's controls: a new sample, the bundled data, the CSV picker and drop
/// zone, and the clickable samples.
pub(super) fn wire(app: &Rc<App>) {
    on_click(app, &app.data.sample_refresh, |app| {
        app.send(Request::NewSample)
    });
    on_click(app, &app.data.bundled, |app| app.use_bundled());
    let picker_app = app.clone();
    on::<Event>(&app.data.csv_file, "change", move |_| {
        let input = &picker_app.data.csv_file;
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            picker_app.load_file(file);
        }
        // Choosing the same file again must load it again.
        input.set_value("");
    });
    wire_drop_zone(app);
    wire_samples(app);
}

/// Dropping a file on `#data-drop` loads it; dropping elsewhere does nothing (instead of
/// the browser leaving the page to open the file).
fn wire_drop_zone(app: &Rc<App>) {
    let zone = &app.data.drop_zone;
    let highlight = |zone: &Element, on: bool| {
        let _ = zone.class_list().toggle_with_force("dragging", on);
    };
    let over_zone = zone.clone();
    on::<DragEvent>(zone, "dragover", move |event| {
        event.prevent_default();
        highlight(&over_zone, true);
    });
    let left_zone = zone.clone();
    on::<DragEvent>(zone, "dragleave", move |_| highlight(&left_zone, false));
    let drop_app = app.clone();
    on::<DragEvent>(zone, "drop", move |event| {
        event.prevent_default();
        event.stop_propagation();
        highlight(&drop_app.data.drop_zone, false);
        let file: Option<File> = event
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            drop_app.load_file(file);
        }
    });
    let document: EventTarget = crate::dom::document().into();
    on::<DragEvent>(&document, "dragover", |event| event.prevent_default());
    on::<DragEvent>(&document, "drop", |event| event.prevent_default());
}

/// A click on a sample, or Enter/Space on a focused one, opens its feature maps.
fn wire_samples(app: &Rc<App>) {
    let sample_row = |event: &Event| -> Option<usize> {
        let target: Element = event.target()?.dyn_into().ok()?;
        let sample = target.closest("canvas.sample").ok()??;
        sample.get_attribute("data-index")?.parse().ok()
    };
    let click_app = app.clone();
    on::<MouseEvent>(&app.data.samples, "click", move |event| {
        if let Some(row) = sample_row(&event) {
            click_app.choose_row(row);
        }
    });
    let key_app = app.clone();
    on::<KeyboardEvent>(&app.data.samples, "keydown", move |event| {
        if matches!(event.key().as_str(), "Enter" | " ")
            && let Some(row) = sample_row(&event)
        {
            event.prevent_default();
            key_app.choose_row(row);
        }
    });
}

impl App {
    /// New data is loaded: show it, then the first image's feature maps; autostart if asked.
    pub(super) fn on_data_loaded(
        self: &Rc<Self>,
        source: String,
        rows: usize,
        class_counts: &[usize; CLASSES],
        sample: &[SampleImage],
    ) {
        {
            let mut state = self.data.state.borrow_mut();
            if let Some(request) = state.pending.take() {
                state.loaded = request;
            }
            state.rows = rows;
            state.source = source.clone();
        }
        set_text(&self.data.source, &source);
        set_text(&self.data.rows, &thousands(rows));
        set_attr(&self.data.rows, "data-value", &rows.to_string());
        set_text(&self.data.error, "");
        self.draw(charts::class_counts(&self.data.chart_classes, class_counts));
        let counts: Vec<String> = class_counts
            .iter()
            .enumerate()
            .map(|(class, n)| format!("{class}: {n}"))
            .collect();
        set_attr(
            &self.data.chart_classes,
            "aria-label",
            &format!("Rows per class. {}.", counts.join(", ")),
        );
        self.show_samples(sample);
        self.feature_maps.index.set_max(&(rows - 1).to_string());
        self.show_maps_of_chosen_row();
        self.autostart();
    }

    /// A CSV was refused: its message goes to `#data-error`; the old data stays.
    pub(super) fn on_data_refused(&self, error: &str) {
        let (name, source) = {
            let mut state = self.data.state.borrow_mut();
            let name = if let Some(Request::LoadCsv { name, .. }) = state.pending.take() {
                name
            } else {
                "The file".into()
            };
            (name, state.source.clone())
        };
        let kept = if source.is_empty() {
            String::new()
        } else {
            format!(" Still using {source}.")
        };
        set_text(
            &self.data.error,
            &format!("{name} was not loaded: {error}.{kept}"),
        );
    }

    /// Draws one canvas per class's sample into `#samples`; each opens its feature maps.
    pub(super) fn show_samples(&self, sample: &[SampleImage]) {
        let samples = &self.data.samples;
        samples.set_inner_html("");
        for image in sample {
            let canvas: HtmlCanvasElement = create("canvas");
            canvas.set_width(SAMPLE_SIZE.0);
            canvas.set_height(SAMPLE_SIZE.1);
            let element: &Element = &canvas;
            set_attr(element, "class", "sample");
            set_attr(element, "tabindex", "0");
            set_attr(element, "role", "button");
            set_attr(element, "data-index", &image.index.to_string());
            set_attr(
                element,
                "aria-label",
                &format!(
                    "Digit {} (row {}): show its feature maps",
                    image.label, image.index
                ),
            );
            let _ = samples.append_child(&canvas);
            let caption = format!("{} · #{}", image.label, image.index);
            self.draw(charts::digit(&canvas, &image.pixels, Some(&caption)));
        }
    }

    /// Reads a CSV file the user chose or dropped and sends it to the worker.
    pub(super) fn load_file(self: &Rc<Self>, file: File) {
        let name = file.name();
        if file.size() > MAX_CSV_BYTES as f64 {
            let mebibytes = |bytes: f64| bytes / (1024.0 * 1024.0);
            let (size, limit) = (mebibytes(file.size()), mebibytes(MAX_CSV_BYTES as f64));
            set_text(
                &self.data.error,
                &format!(
                    "{name} was not loaded: the file is too large ({size:.1} MB); the limit is {limit:.0} MB."
                ),
            );
            return;
        }
        set_text(&self.data.error, "");
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let request = Request::LoadCsv { name, bytes };
                    app.data.state.borrow_mut().pending = Some(request.clone());
                    app.send(request);
                }
                Err(_) => set_text(&app.data.error, &format!("{name} could not be read.")),
            }
        });
    }

    /// Goes back to the bundled data set.
    pub(super) fn use_bundled(&self) {
        set_text(&self.data.error, "");
        self.data.state.borrow_mut().pending = Some(Request::UseBundled);
        self.send(Request::UseBundled);
    }
}

/// What the data section remembers.
pub(super) struct DataState {
    /// Rows of the loaded data.
    pub(super) rows: usize,
    /// The data's name.
    pub(super) source: String,
    /// The request that loaded the current data, to reload it into a restarted worker.
    pub(super) loaded: Request,
    /// A data request awaiting its answer.
    pub(super) pending: Option<Request>,
}

impl Default for DataState {
    fn default() -> Self {
        Self {
            rows: 0,
            source: String::new(),
            loaded: Request::UseBundled,
            pending: None,
        }
    }
}
