//! The panel the drawing pad and the linked view share: an image as the network sees it,
//! its class probabilities as a bar chart (with their text alternative) and its feature maps.

use digits_cnn::CLASSES;
use digits_cnn::feature_maps::FeatureMaps;
use digits_cnn::metrics::predicted_class;
use web_sys::{HtmlCanvasElement, HtmlElement};

use super::App;
use crate::charts;
use crate::dom::set_attr;
use crate::format::percent;
use crate::i18n::{Key, list, tr};

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
    (list(&people), exact.join(","))
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
            &tr(
                Key::InputPixelsLabel,
                &[("what", &what), ("pixels", &values.join(" "))],
            ),
        );
        let probabilities = &maps.probabilities;
        let (canvas, drawn) = (panel.chart.clone(), *probabilities);
        self.draw_chart(panel.chart, move || {
            charts::probabilities(&canvas, &drawn, truth)
        });
        let (people, exact) = probability_texts(probabilities);
        let predicted = predicted_class(probabilities);
        set_attr(panel.chart, "data-probabilities", &exact);
        set_attr(panel.chart, "data-predicted", &predicted.to_string());
        set_attr(
            panel.chart,
            "aria-label",
            &tr(
                Key::ProbabilitiesLabel,
                &[
                    ("what", &what),
                    ("probabilities", &people),
                    ("predicted", &predicted),
                ],
            ),
        );
        self.draw_feature_layers(panel.maps, maps, what);
    }
}
