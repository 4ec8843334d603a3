//! Section 1, the data: source, rows, class counts, a sample of each class, and loading a
//! CSV (file picker or drag-and-drop).

use std::rc::Rc;

use digits_cnn::CLASSES;
use digits_cnn::data::MAX_CSV_BYTES;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, File, HtmlCanvasElement};

use super::App;
use crate::charts;
use crate::dom::{create, set_attr, set_text};
use crate::format::thousands;
use crate::protocol::{Request, SampleImage};

/// Size of one sample's canvas: the 8×8 image at 9 px a pixel, and a caption line.
const SAMPLE_SIZE: (u32, u32) = (72, 90);

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
            let mut state = self.state.borrow_mut();
            if let Some(request) = state.pending_data.take() {
                state.data = request;
            }
            state.rows = rows;
            state.source = source.clone();
        }
        let ui = &self.ui;
        set_text(&ui.data_source, &source);
        set_text(&ui.data_rows, &thousands(rows));
        set_attr(&ui.data_rows, "data-value", &rows.to_string());
        set_text(&ui.data_error, "");
        self.draw(charts::class_counts(&ui.chart_classes, class_counts));
        let counts: Vec<String> = class_counts
            .iter()
            .enumerate()
            .map(|(class, n)| format!("{class}: {n}"))
            .collect();
        set_attr(
            &ui.chart_classes,
            "aria-label",
            &format!("Rows per class. {}.", counts.join(", ")),
        );
        self.show_samples(sample);
        ui.fm_index.set_max(&(rows - 1).to_string());
        self.show_maps_of_chosen_row();
        self.autostart();
    }

    /// A CSV was refused: its message goes to `#data-error`; the old data stays.
    pub(super) fn on_data_refused(&self, error: &str) {
        let (name, source) = {
            let mut state = self.state.borrow_mut();
            let name = match state.pending_data.take() {
                Some(Request::LoadCsv { name, .. }) => name,
                _ => "The file".into(),
            };
            (name, state.source.clone())
        };
        let kept = if source.is_empty() {
            String::new()
        } else {
            format!(" Still using {source}.")
        };
        set_text(
            &self.ui.data_error,
            &format!("{name} was not loaded: {error}.{kept}"),
        );
    }

    /// Draws one canvas per class's sample into `#samples`; each opens its feature maps.
    pub(super) fn show_samples(&self, sample: &[SampleImage]) {
        let samples = &self.ui.samples;
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
                &self.ui.data_error,
                &format!(
                    "{name} was not loaded: the file is too large ({size:.1} MB); the limit is {limit:.0} MB."
                ),
            );
            return;
        }
        set_text(&self.ui.data_error, "");
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let request = Request::LoadCsv { name, bytes };
                    app.state.borrow_mut().pending_data = Some(request.clone());
                    app.send(request);
                }
                Err(_) => set_text(&app.ui.data_error, &format!("{name} could not be read.")),
            }
        });
    }

    /// Goes back to the bundled data set.
    pub(super) fn use_bundled(&self) {
        set_text(&self.ui.data_error, "");
        self.state.borrow_mut().pending_data = Some(Request::UseBundled);
        self.send(Request::UseBundled);
    }
}
