//! Weight histograms (issue 14): every weighted layer's weights and last gradients after
//! the latest epochs the worker explained, the newest in full colour and up to
//! [`KEPT`] − 1 earlier ones fading behind, one canvas per layer in `#weight-histograms`.
//!
//! The worker's side is `session/inside.rs`; the numbers are the core's
//! `digits_cnn::explain::weight_histograms`.

use std::cell::RefCell;

use digits_cnn::explain::weight_histograms::{Histogram, LayerHistograms};
use web_sys::HtmlElement;

use super::App;
use super::feature_maps::{layer_canvas, layer_names};
use crate::charts::{self, EpochHistograms};
use crate::dom::{by_id, now_ms, set_attr};
use crate::format::{scientific, thousands};
use crate::i18n::{Key, t, tr};

/// Epochs drawn per layer: the newest and the ones fading behind it.
const KEPT: usize = 5;

/// The weight histograms' container and the epochs it draws.
pub(super) struct WeightHistogramsSection {
    /// One canvas per weighted layer goes here.
    container: HtmlElement,
    /// The last [`KEPT`] epochs' histograms, oldest first.
    history: RefCell<Vec<(usize, Vec<LayerHistograms>)>>,
}

impl WeightHistogramsSection {
    /// Finds the container, or names it missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            container: by_id("weight-histograms")?,
            history: RefCell::default(),
        })
    }
}

impl App {
    /// A new run: its histograms start afresh.
    pub(super) fn clear_weight_histograms(&self) {
        self.weight_histograms.history.borrow_mut().clear();
        self.weight_histograms.container.set_inner_html("");
    }

    /// Draws every layer's histograms after `epoch`, with the earlier epochs kept.
    pub(super) fn show_weight_histograms(&self, epoch: usize, layers: Vec<LayerHistograms>) {
        let section = &self.weight_histograms;
        let started = now_ms();
        let mut history = section.history.borrow_mut();
        history.push((epoch, layers));
        if history.len() > KEPT {
            history.remove(0);
        }
        let newest = &history[history.len() - 1].1;
        let names: Vec<&str> = newest.iter().map(|l| l.layer.as_str()).collect();
        if layer_names(&section.container) != names {
            section.container.set_inner_html("");
        }
        for layer in newest {
            let canvas = layer_canvas(&section.container, &layer.layer, "weight-histogram");
            if canvas.id().is_empty() {
                // A new canvas: its id keeps its drawing for resizes, its size is its shape.
                canvas.set_id(&format!("weight-histogram-{}", layer.layer));
                let (width, height) = charts::WEIGHT_HISTOGRAM_CANVAS;
                canvas.set_width(width);
                canvas.set_height(height);
            }
            let epochs: Vec<EpochHistograms> = history
                .iter()
                .filter_map(|(epoch, layers)| {
                    let same = layers.iter().find(|l| l.layer == layer.layer)?;
                    Some((*epoch, same.weights.clone(), same.gradients.clone()))
                })
                .collect();
            set_attr(&canvas, "aria-label", &describe(epoch, layer));
            set_attr(&canvas, "data-epoch", &epoch.to_string());
            let (drawn, name) = (canvas.clone(), layer.layer.clone());
            self.draw_chart(&canvas, move || {
                charts::weight_histogram(&drawn, &name, &epochs)
            });
        }
        // What this update cost the main thread (the e2e test prints it).
        let spent = now_ms() - started;
        set_attr(&section.container, "data-draw-ms", &format!("{spent:.1}"));
    }
}

/// The text alternative of one layer's histograms.
fn describe(epoch: usize, layer: &LayerHistograms) -> String {
    let count = |h: &Histogram| thousands(h.counts.iter().sum::<u32>() as usize);
    let range = |h: &Histogram| {
        let number = |x: f32| scientific(f64::from(x), 3);
        tr(
            Key::HistogramRange,
            &[
                ("low", &number(h.low)),
                ("high", &number(h.high)),
                ("mean", &number(h.mean)),
                ("std", &number(h.std)),
            ],
        )
    };
    let gradients = layer.gradients.as_ref().map_or_else(
        || t(Key::NoGradientsYet).to_string(),
        |g| {
            tr(
                Key::HistogramGradients,
                &[("count", &count(g)), ("range", &range(g))],
            )
        },
    );
    tr(
        Key::HistogramLabel,
        &[
            ("layer", &layer.layer),
            ("epoch", &epoch),
            ("count", &count(&layer.weights)),
            ("range", &range(&layer.weights)),
            ("gradients", &gradients),
        ],
    )
}
