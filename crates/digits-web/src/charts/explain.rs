//! The explain section's small images: a map over the digit (occlusion, saliency), a
//! first-layer kernel on a diverging scale, and a first-layer map cell by cell.

use digits_cnn::SIDE;
use plotters::style::Color;
use web_sys::HtmlCanvasElement;

use super::pixels::cells;
use super::{Drawn, paint, palette};

/// How strongly an explanation map's colour covers the digit at its largest value.
const OVERLAY: f64 = 0.8;

/// Draws the digit (`pixels` 0..=16) in grey with `values` over it, one cell per pixel:
/// `signed` values on the diverging scale (blue below zero, vermillion above), others from
/// clear to vermillion, each relative to the largest magnitude.
pub fn over_digit(
    canvas: &HtmlCanvasElement,
    pixels: &[u8],
    values: &[f32],
    signed: bool,
) -> Result<(), String> {
    let limit = largest_magnitude(values);
    paint(canvas, |area| -> Drawn {
        cells(area, pixels, SIDE, |v| palette::ink(v / 2))?;
        cells(area, values, SIDE, |value| {
            let share = f64::from(value) / limit;
            let shown = if signed { share } else { share.max(0.0) };
            palette::diverging(shown.signum()).mix(shown.abs() * OVERLAY)
        })
    })
}

/// Draws a `side`×`side` kernel on the diverging scale, zero white, ±`limit` full colour
/// (one limit for every kernel of a layer, so they compare).
pub fn kernel(
    canvas: &HtmlCanvasElement,
    weights: &[f32],
    side: usize,
    limit: f64,
) -> Result<(), String> {
    paint(canvas, |area| -> Drawn {
        cells(area, weights, side, |w| {
            palette::diverging(f64::from(w) / limit)
        })
    })
}

/// Draws a map's normalised levels (0..=255, the feature maps' normalisation) in viridis.
pub fn map(canvas: &HtmlCanvasElement, levels: &[u8], width: usize) -> Result<(), String> {
    paint(canvas, |area| -> Drawn {
        cells(area, levels, width, palette::viridis)
    })
}

/// The largest |value| (1 when all are 0, so shares stay finite).
pub fn largest_magnitude(values: &[f32]) -> f64 {
    let largest = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if largest > 0.0 {
        f64::from(largest)
    } else {
        1.0
    }
}
