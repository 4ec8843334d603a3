//! Section 1, the data: the choice of a bundled data set (`uci`, `digits`) or your own CSV
//! (file picker or drag-and-drop), its source, rows, class counts and a sample of each
//! class.
//!
//! The worker's side is `session/data.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::CLASSES;
use digits_cnn::data::{BundledData, MAX_CSV_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DragEvent, Element, Event, EventTarget, File, HtmlButtonElement, HtmlCanvasElement,
    HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MouseEvent,
};

use super::{App, on_click};
use crate::charts;
use crate::dom::{by_id, create, on, set_attr, set_text};
use crate::format::{decimal_digits, thousands};
use crate::i18n::{Key, list, t, tr};
use crate::protocol::{Request, SampleImage};
use crate::settings::DEFAULT_DATA;

/// Section 1's elements and memory.
pub(super) struct DataSection {
    /// The choice of data: a bundled set's name, or `file` once a CSV is loaded.
    pub(super) choice: HtmlSelectElement,
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
    /// The picker of a CSV to test on instead of splitting.
    pub(super) test_file: HtmlInputElement,
    /// Goes back to splitting the loaded data.
    pub(super) test_drop: HtmlButtonElement,
    /// What runs test on.
    pub(super) test_info: HtmlElement,
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
            choice: by_id("data-choice")?,
            source: by_id("data-source")?,
            rows: by_id("data-rows")?,
            split_info: by_id("split-info")?,
            chart_classes: by_id("chart-classes")?,
            samples: by_id("samples")?,
            sample_refresh: by_id("sample-refresh")?,
            csv_file: by_id("csv-file")?,
            test_file: by_id("test-csv-file")?,
            test_drop: by_id("test-csv-drop")?,
            test_info: by_id("test-csv-info")?,
            drop_zone: by_id("data-drop")?,
            bundled: by_id("data-bundled")?,
            error: by_id("data-error")?,
            state: RefCell::default(),
        })
    }
}

/// `#data-choice`'s value while a CSV file is loaded.
const OWN_CSV: &str = "file";

/// Size of one sample's canvas: the 8×8 image at 9 px a pixel, and a caption line.
const SAMPLE_SIZE: (u32, u32) = (72, 90);

/// Connects the section's controls: a new sample, the bundled data, the CSV picker and drop
/// zone, and the clickable samples.
pub(super) fn wire(app: &Rc<App>) {
    on_click(app, &app.data.sample_refresh, |app| {
        app.send(Request::NewSample)
    });
    on_click(app, &app.data.bundled, |app| {
        let data = app.state.borrow().settings.data.unwrap_or(DEFAULT_DATA);
        app.use_bundled(data)
    });
    let choice_app = app.clone();
    on::<Event>(&app.data.choice, "change", move |_| {
        if let Some(data) = BundledData::from_name(&choice_app.data.choice.value()) {
            choice_app.use_bundled(data);
        }
    });
    wire_picker(app, &app.data.csv_file, data_request);
    wire_picker(app, &app.data.test_file, test_request);
    on_click(app, &app.data.test_drop, |app| {
        app.send(Request::DropTestCsv)
    });
    wire_drop_zone(app);
    wire_samples(app);
}

/// The request that loads a CSV file as the data.
fn data_request(name: String, bytes: Vec<u8>) -> Request {
    Request::LoadCsv { name, bytes }
}

/// The request that loads a CSV file as the test rows.
fn test_request(name: String, bytes: Vec<u8>) -> Request {
    Request::LoadTestCsv { name, bytes }
}

/// A file chosen with `picker` is read and sent as `to_request` makes it.
fn wire_picker(
    app: &Rc<App>,
    picker: &HtmlInputElement,
    to_request: fn(String, Vec<u8>) -> Request,
) {
    let picker_app = app.clone();
    let input = picker.clone();
    on::<Event>(picker, "change", move |_| {
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            picker_app.load_file(file, to_request);
        }
        // Choosing the same file again must load it again.
        input.set_value("");
    });
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
            drop_app.load_file(file, data_request);
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
        data: Option<BundledData>,
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
            state.bundled = data;
        }
        self.data
            .choice
            .set_value(data.map_or(OWN_CSV, BundledData::name));
        set_text(&self.data.source, shown_source(data, &source));
        set_text(&self.data.rows, &thousands(rows));
        set_attr(&self.data.rows, "data-value", &rows.to_string());
        set_text(&self.data.error, "");
        let (canvas, counts) = (self.data.chart_classes.clone(), *class_counts);
        self.draw_chart(&canvas.clone(), move || {
            charts::class_counts(&canvas, &counts)
        });
        let counts: Vec<String> = class_counts
            .iter()
            .enumerate()
            .map(|(class, n)| format!("{class}: {n}"))
            .collect();
        set_attr(
            &self.data.chart_classes,
            "aria-label",
            &tr(Key::ClassesLabel, &[("counts", &list(&counts))]),
        );
        self.show_samples(sample);
        self.feature_maps.index.set_max(&(rows - 1).to_string());
        self.show_maps_of_chosen_row();
        self.autostart();
    }

    /// Runs test on a CSV file's rows (`file` = its name and rows) from now on, or split
    /// the loaded data again (`None`).
    pub(super) fn on_test_data(&self, file: Option<(String, usize)>) {
        let text = match &file {
            Some((name, rows)) => tr(
                Key::TestCsvLoaded,
                &[("rows", &thousands(*rows)), ("name", name)],
            ),
            None => t(Key::TestCsvSplit).into(),
        };
        set_text(&self.data.test_info, &text);
        self.data.test_drop.set_disabled(file.is_none());
        let mut state = self.data.state.borrow_mut();
        if matches!(state.pending, Some(Request::LoadTestCsv { .. })) {
            state.pending = None;
        }
        state.test_file = file.map(|(name, _)| name);
    }

    /// A CSV (data or test rows) was refused: its message goes to `#data-error`; what was
    /// loaded before stays.
    pub(super) fn on_data_refused(&self, error: &str) {
        let (name, source) = {
            let mut state = self.data.state.borrow_mut();
            let name = match state.pending.take() {
                Some(Request::LoadCsv { name, .. } | Request::LoadTestCsv { name, .. }) => name,
                _ => t(Key::TheFile).into(),
            };
            (name, shown_source(state.bundled, &state.source).to_string())
        };
        let kept = if source.is_empty() {
            String::new()
        } else {
            format!(" {}", tr(Key::StillUsing, &[("source", &source)]))
        };
        set_text(
            &self.data.error,
            &format!(
                "{}{kept}",
                tr(Key::NotLoaded, &[("name", &name), ("error", &error)])
            ),
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
                &tr(
                    Key::SampleLabel,
                    &[("digit", &image.label), ("row", &image.index)],
                ),
            );
            let _ = samples.append_child(&canvas);
            let caption = format!("{} · #{}", image.label, image.index);
            self.draw(charts::digit(&canvas, &image.pixels, Some(&caption)));
        }
    }

    /// Reads a CSV file the user chose or dropped and sends it to the worker as
    /// `to_request` makes it (as the data, or as the test rows).
    pub(super) fn load_file(
        self: &Rc<Self>,
        file: File,
        to_request: fn(String, Vec<u8>) -> Request,
    ) {
        let name = file.name();
        if file.size() > MAX_CSV_BYTES as f64 {
            let mebibytes = |bytes: f64| bytes / (1024.0 * 1024.0);
            let (size, limit) = (mebibytes(file.size()), mebibytes(MAX_CSV_BYTES as f64));
            set_text(
                &self.data.error,
                &tr(
                    Key::NotLoaded,
                    &[
                        ("name", &name),
                        (
                            "error",
                            &tr(
                                Key::CsvTooLarge,
                                &[
                                    ("size", &decimal_digits(size, 1)),
                                    ("limit", &decimal_digits(limit, 0)),
                                ],
                            ),
                        ),
                    ],
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
                    let request = to_request(name, bytes);
                    app.data.state.borrow_mut().pending = Some(request.clone());
                    app.send(request);
                }
                Err(_) => set_text(&app.data.error, &tr(Key::CouldNotRead, &[("name", &name)])),
            }
        });
    }

    /// Loads a bundled data set.
    pub(super) fn use_bundled(&self, data: BundledData) {
        set_text(&self.data.error, "");
        let request = Request::UseBundled { data };
        self.data.state.borrow_mut().pending = Some(request.clone());
        self.send(request);
    }
}

/// What the data section remembers.
pub(super) struct DataState {
    /// Rows of the loaded data.
    pub(super) rows: usize,
    /// The data's name.
    pub(super) source: String,
    /// The bundled data set loaded; `None` for a CSV file.
    pub(super) bundled: Option<BundledData>,
    /// The name of the CSV file runs test on, if any.
    pub(super) test_file: Option<String>,
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
            bundled: None,
            test_file: None,
            loaded: Request::UseBundled { data: DEFAULT_DATA },
            pending: None,
        }
    }
}

/// The data's source as the page shows it: a bundled set's in the page's language (the
/// core's [`BundledData::source`], which run records keep, is English), a file's name as is.
fn shown_source(bundled: Option<BundledData>, source: &str) -> &str {
    match bundled {
        Some(BundledData::Uci) => t(Key::SourceUci),
        Some(BundledData::Digits) => t(Key::SourceDigits),
        None => source,
    }
}
