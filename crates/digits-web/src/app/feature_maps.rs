//! Section 4, feature maps: the chosen image and every conv and pool layer's maps.
//!
//! The worker's side is `session/feature_maps.rs`.

use std::rc::Rc;

use digits_cnn::feature_maps::FeatureMaps;
use digits_cnn::metrics::predicted_class;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlCanvasElement, HtmlElement, HtmlInputElement};

use super::App;
use crate::charts;
use crate::dom::{by_id, create, on, set_attr, set_text};
use crate::format::percent;
use crate::i18n::{Key, t, tr};
use crate::protocol::{FeatureMapsView, ImageRef, Request};

/// Section 4's elements.
pub(super) struct FeatureMapsSection {
    /// The image index for feature maps.
    pub(super) index: HtmlInputElement,
    /// What the network says about that image.
    pub(super) info: HtmlElement,
    /// A refused index.
    pub(super) error: HtmlElement,
    /// The image itself.
    pub(super) original: HtmlCanvasElement,
    /// One canvas per layer.
    pub(super) layers: HtmlElement,
}

impl FeatureMapsSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            index: by_id("fm-index")?,
            info: by_id("fm-info")?,
            error: by_id("fm-error")?,
            original: by_id("fm-original")?,
            layers: by_id("feature-maps")?,
        })
    }
}

/// Connects the image index field.
pub(super) fn wire(app: &Rc<App>) {
    let index_app = app.clone();
    on::<Event>(&app.feature_maps.index, "change", move |_| {
        index_app.show_maps_of_chosen_row()
    });
}

impl App {
    /// Asks for the maps of the row in `#fm-index`, or says which rows exist.
    pub(super) fn show_maps_of_chosen_row(&self) {
        let rows = self.data.state.borrow().rows;
        let text = self.feature_maps.index.value();
        match text.trim().parse::<usize>() {
            Ok(row) if row < rows => {
                set_text(&self.feature_maps.error, "");
                self.send(Request::FeatureMaps {
                    image: ImageRef::Row(row),
                });
                self.explain_image(ImageRef::Row(row));
            }
            _ if rows == 0 => set_text(&self.feature_maps.error, t(Key::NoDataYet)),
            _ => set_text(
                &self.feature_maps.error,
                &tr(Key::NotARow, &[("text", &text), ("last", &(rows - 1))]),
            ),
        }
    }

    /// Shows the maps of data row `row` (e.g. a clicked sample).
    pub(super) fn choose_row(&self, row: usize) {
        self.feature_maps.index.set_value(&row.to_string());
        self.show_maps_of_chosen_row();
    }

    /// Draws the image, what the network predicts for it, and one grid per layer.
    pub(super) fn show_feature_maps(&self, view: &FeatureMapsView) {
        let what = image_title(&view.image, view.label);
        self.draw(charts::digit(
            &self.feature_maps.original,
            &view.pixels,
            None,
        ));
        set_attr(
            &self.feature_maps.original,
            "aria-label",
            &tr(Key::AsPixels, &[("what", &what)]),
        );
        let probabilities = &view.maps.probabilities;
        let predicted = predicted_class(probabilities);
        let confidence = percent(f64::from(probabilities[usize::from(predicted)]));
        set_text(
            &self.feature_maps.info,
            &prediction_sentence(&what, view.epoch, predicted, &confidence),
        );

        self.draw_feature_layers(&self.feature_maps.layers, &view.maps, &what);
    }

    /// Draws every layer of `maps` into its own canvas in `container` (made on first use),
    /// each with a text alternative naming `what` the maps are of.
    pub(super) fn draw_feature_layers(
        &self,
        container: &HtmlElement,
        maps: &FeatureMaps,
        what: &str,
    ) {
        // Another network (a new spec, a loaded file) has other layers: start afresh.
        let names: Vec<&str> = maps.layers.iter().map(|l| l.layer.as_str()).collect();
        if layer_names(container) != names {
            container.set_inner_html("");
        }
        for layer in &maps.layers {
            let canvas = layer_canvas(container, &layer.layer, "feature-layer");
            let (width, height) = charts::layer_canvas_size(layer);
            if canvas.width() != width || canvas.height() != height {
                canvas.set_width(width);
                canvas.set_height(height);
            }
            let mut label = tr(
                Key::LayerMapsLabel,
                &[
                    ("layer", &layer.layer),
                    ("channels", &layer.channels),
                    ("height", &layer.height),
                    ("width", &layer.width),
                    ("what", &what),
                ],
            );
            if layer.is_strip() {
                label.push_str(&format!(" ({})", t(Key::StripNote)));
            }
            set_attr(&canvas, "aria-label", &label);
            set_attr(&canvas, "data-strip", &layer.is_strip().to_string());
            self.draw(charts::feature_layer(&canvas, layer));
        }
    }

    /// A feature-maps request was refused: say why next to the index.
    pub(super) fn on_maps_refused(&self, message: &str) {
        let text = tr(Key::MapsRefused, &[("message", &message)]);
        set_text(&self.feature_maps.error, &text);
    }
}

/// The title of an image of section 4 ("Row 3, a 7", "Your drawing"), also what its
/// explanation names.
pub(super) fn image_title(image: &ImageRef, label: Option<u8>) -> String {
    match (image, label) {
        (ImageRef::Row(row), Some(label)) => {
            tr(Key::RowOfDigit, &[("row", row), ("digit", &label)])
        }
        (ImageRef::Row(row), None) => tr(Key::RowNumber, &[("row", row)]),
        (ImageRef::Pixels(_), _) => t(Key::YourDrawingTitle).to_string(),
    }
}

/// "{what}. After {epoch} epochs, the network predicts {predicted} ({confidence})." for the
/// network trained `epoch` epochs: the feature maps' and the explanations' first sentence.
pub(super) fn prediction_sentence(
    what: &str,
    epoch: usize,
    predicted: u8,
    confidence: &str,
) -> String {
    let key = match epoch {
        0 => Key::UntrainedPredicts,
        1 => Key::OneEpochPredicts,
        _ => Key::EpochsPredicts,
    };
    tr(
        key,
        &[
            ("what", &what),
            ("epochs", &epoch),
            ("predicted", &predicted),
            ("confidence", &confidence),
        ],
    )
}

/// The layers whose canvases `container` holds, in order.
pub(super) fn layer_names(container: &HtmlElement) -> Vec<String> {
    let children = container.children();
    (0..children.length())
        .filter_map(|i| children.item(i)?.get_attribute("data-layer"))
        .collect()
}

/// The canvas of layer `name` in `container`, created on first use with CSS class `class`.
pub(super) fn layer_canvas(container: &HtmlElement, name: &str, class: &str) -> HtmlCanvasElement {
    let selector = format!("canvas[data-layer=\"{name}\"]");
    if let Some(canvas) = container
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
    {
        return canvas;
    }
    let canvas: HtmlCanvasElement = create("canvas");
    set_attr(&canvas, "class", class);
    set_attr(&canvas, "data-layer", name);
    set_attr(&canvas, "role", "img");
    let _ = container.append_child(&canvas);
    canvas
}
