//! One weighted layer's histograms: its weights on the left, the last step's gradients on
//! the right, the newest epoch's in full colour and earlier ones fading behind it.

use digits_cnn::explain::weight_histograms::Histogram;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{
    Area, Drawn, TWO_PANELS, centred, frame, mesh, paint_to_width_at_least, palette, zero_to_max,
};
use crate::format::{decimal_digits, scientific};
use crate::i18n::{Key, tr};
use plotters::style::text_anchor::VPos;

/// A histogram canvas' size in the page, `(width, height)`: two panels side by side.
pub const CANVAS: (u32, u32) = (640, 210);

/// One epoch's histograms of a layer: `(epoch, weights, gradients)`.
pub type EpochHistograms = (usize, Histogram, Option<Histogram>);

/// Draws `layer`'s weight and gradient histograms at the canvas's width, one per epoch in
/// `history` (oldest first).
pub fn weight_histogram(
    canvas: &HtmlCanvasElement,
    layer: &str,
    history: &[EpochHistograms],
) -> Result<(), String> {
    paint_to_width_at_least(canvas, TWO_PANELS, |area| -> Drawn {
        let (width, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(width / 2);
        let weights: Vec<&Histogram> = history.iter().map(|h| &h.1).collect();
        let gradients: Vec<&Histogram> = history.iter().filter_map(|h| h.2.as_ref()).collect();
        let epoch = history.last().map_or(0, |h| h.0);
        let caption = tr(
            Key::HistogramWeightsTitle,
            &[("layer", &layer), ("epoch", &epoch)],
        );
        panel(&left, &caption, &weights, palette::BLUE)?;
        panel(
            &right,
            &tr(Key::HistogramGradientsTitle, &[("layer", &layer)]),
            &gradients,
            palette::VERMILLION,
        )
    })
}

/// One panel: every histogram as a step line over the union of their ranges (densities, so
/// ranges of different widths compare), older ones lighter.
fn panel(area: &Area, caption: &str, histograms: &[&Histogram], colour: RGBColor) -> Drawn {
    let Some(newest) = histograms.last() else {
        let (w, h) = area.dim_in_pixel();
        area.draw(&Text::new(
            tr(Key::NoneYet, &[("chart", &caption)]),
            (w as i32 / 2, h as i32 / 2),
            centred(14, VPos::Center),
        ))?;
        return Ok(());
    };
    let low = histograms
        .iter()
        .map(|h| f64::from(h.low))
        .fold(f64::INFINITY, f64::min);
    let high = histograms
        .iter()
        .map(|h| f64::from(h.high))
        .fold(f64::NEG_INFINITY, f64::max);
    let densities: Vec<Vec<f64>> = histograms.iter().map(|h| h.density()).collect();
    let y = zero_to_max(densities.iter().flatten().copied());
    let mut chart = frame(area, caption)
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(low..high, y)?;
    let scale = low.abs().max(high.abs());
    // The vertical axis is a density (see `Histogram::density`); its numbers say little
    // beyond the shape, so only a few, short ones.
    mesh(&mut chart, "", "")
        .x_labels(4)
        .y_labels(3)
        .x_label_formatter(&|x| tick(*x, scale))
        .y_label_formatter(&|y| decimal_digits(*y, if *y >= 10.0 { 0 } else { 1 }))
        .draw()?;
    for (age, (histogram, density)) in histograms.iter().zip(&densities).enumerate() {
        let newest_one = std::ptr::eq(*histogram, *newest);
        let strength = (age + 1) as f64 / histograms.len() as f64;
        let style = if newest_one {
            colour.stroke_width(2)
        } else {
            colour.mix(0.15 + 0.45 * strength).stroke_width(1)
        };
        chart.draw_series(std::iter::once(PathElement::new(
            steps(histogram, density),
            style,
        )))?;
    }
    Ok(())
}

/// The outline of `histogram`'s bars at heights `density`.
fn steps(histogram: &Histogram, density: &[f64]) -> Vec<(f64, f64)> {
    let (low, high) = (f64::from(histogram.low), f64::from(histogram.high));
    let width = (high - low) / density.len() as f64;
    let mut points = vec![(low, 0.0)];
    for (i, &d) in density.iter().enumerate() {
        let from = low + width * i as f64;
        points.extend([(from, d), (from + width, d)]);
    }
    points.push((high, 0.0));
    points
}

/// A tick label: exponent notation for the tiny values gradients have.
fn tick(value: f64, scale: f64) -> String {
    if scale > 0.0 && scale < 0.01 {
        scientific(value, 0)
    } else {
        decimal_digits(value, 2)
    }
}
