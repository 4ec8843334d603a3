//! The panel the drawing pad and the linked view share: an image as the network sees it,
//! its class probabilities as a bar chart (with their text alternative) and its feature maps.

use digits_cnn::CLASSES;
use digits_cnn::feature_maps::FeatureMaps;
use digits_cnn::metrics::predicted_class;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlElement};

use super::App;
use crate::charts;
use crate::dom::{create, set_attr};
use crate::format::percent;

/// Where a panel draws.
pub struct Panel<'a> {
    /// The 8×8 image.
    pub input: &'a HtmlCanvasElement,
    /// The probabilities' bar chart.
    pub chart: &'a HtmlCanvasElement,
    /// One canvas per layer goes here.
    pub maps: &'a HtmlElement,
}

/// `0: 1%, 1: 0%, …` for text alternatives, and the probabilities with full precision for
/// tests (`data-probabilities`).
pub fn probability_texts(probabilities: &[f32; CLASSES]) -> (String, String) {
    let people: Vec<String> = probabilities
        .iter()
        .enumerate()
        .map(|(class, &p)| format!("{class}: {}", percent(f64::from(p))))
        .collect();
    let exact: Vec<String> = probabilities.iter().map(|p| p.to_string()).collect();
    (people.join(", "), exact.join(","))
}

impl App {
    /// Draws `pixels`, `maps` and their probabilities into `panel`; `what` names the image
    /// for text alternatives, `truth` is its label when known.
    pub(super) fn draw_panel(
        &self,
        panel: &Panel<'_>,
        what: &str,
        pixels: &[u8],
        maps: &FeatureMaps,
        truth: Option<u8>,
    ) {
        self.draw(charts::digit(panel.input, pixels, None));
        let values: Vec<String> = pixels.iter().map(u8::to_string).collect();
        set_attr(panel.input, "data-pixels", &values.join(","));
        set_attr(
            panel.input,
            "aria-label",
            &format!("{what} as the network's 8×8 input, pixels 0 to 16 row by row: {}", values.join(" ")),
        );
        let probabilities = &maps.probabilities;
        self.draw(charts::probabilities(panel.chart, probabilities, truth));
        let (people, exact) = probability_texts(probabilities);
        let predicted = predicted_class(probabilities);
        set_attr(panel.chart, "data-probabilities", &exact);
        set_attr(panel.chart, "data-predicted", &predicted.to_string());
        set_attr(
            panel.chart,
            "aria-label",
            &format!("Class probabilities for {what}: {people}. Predicted {predicted}."),
        );
        for layer in &maps.layers {
            let canvas = layer_canvas(panel.maps, &layer.layer);
            let (width, height) = charts::layer_canvas_size(layer);
            if canvas.width() != width || canvas.height() != height {
                canvas.set_width(width);
                canvas.set_height(height);
            }
            set_attr(
                &canvas,
                "aria-label",
                &format!(
                    "{}: {} feature maps of {}×{} for {what}",
                    layer.layer, layer.channels, layer.height, layer.width
                ),
            );
            self.draw(charts::feature_layer(&canvas, layer));
        }
    }
}

/// The canvas of layer `name` in `container`, created on first use.
fn layer_canvas(container: &HtmlElement, name: &str) -> HtmlCanvasElement {
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
    set_attr(&canvas, "class", "feature-layer");
    set_attr(&canvas, "data-layer", name);
    set_attr(&canvas, "role", "img");
    let _ = container.append_child(&canvas);
    canvas
}
