//! The test rows on the last hidden layer's two principal axes: one marker per row in its
//! true class' colour (a circle for 0–4, a triangle for 5–9, whose colours repeat 0–4's),
//! ringed when the network gets it wrong, with a legend at the right.

use digits_cnn::CLASSES;
use digits_cnn::explain::projection::Projection;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use super::{Area, Drawn, font, frame, mesh, paint_to_width_at_least, palette};
use crate::format::{decimal_digits, percent_digits};
use crate::i18n::{Key, t, tr};

/// Width of the legend strip at the right.
const LEGEND: u32 = 78;
/// A marker's size in drawing units (CSS pixels, but for the scaling-down on a phone).
const MARKER: i32 = 3;
/// The fewest drawing units across that fit the caption over the plot beside the legend: a
/// narrower canvas (a phone) shows the chart scaled down.
const NARROWEST: f64 = 600.0;

/// Where the plot landed on the canvas, to find the point under a click.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotFrame {
    /// The plotting area in canvas pixels: left, top, right, bottom.
    pub pixels: [f64; 4],
    /// The data range shown along the first axis.
    pub x: (f64, f64),
    /// The data range shown along the second axis.
    pub y: (f64, f64),
}

impl PlotFrame {
    /// Where `point` is drawn, in canvas pixels.
    pub fn to_pixels(&self, point: [f32; 2]) -> (f64, f64) {
        let [left, top, right, bottom] = self.pixels;
        let along = |v: f32, (from, to): (f64, f64)| (f64::from(v) - from) / (to - from);
        (
            left + along(point[0], self.x) * (right - left),
            bottom - along(point[1], self.y) * (bottom - top),
        )
    }
}

/// Draws `projection` after `epoch` at the canvas's width; returns where its plot is on the
/// canvas, in canvas pixels.
pub fn projection(
    canvas: &HtmlCanvasElement,
    projection: &Projection,
    epoch: usize,
) -> Result<PlotFrame, String> {
    let mut placed = None;
    paint_to_width_at_least(canvas, NARROWEST, |area| -> Drawn {
        let (width, _) = area.dim_in_pixel();
        // Canvas pixels per drawing unit (the screen's pixel ratio, less on a phone).
        let scale = f64::from(canvas.width()) / f64::from(width.max(1));
        let (plot, legend_area) = area.split_horizontally(width - LEGEND);
        let x = padded(projection.points.iter().map(|p| p[0]));
        let y = padded(projection.points.iter().map(|p| p[1]));
        let caption = tr(
            Key::ProjectionTitle,
            &[("units", &projection.dims), ("epoch", &epoch)],
        );
        let mut chart = frame(&plot, &caption).build_cartesian_2d(x.0..x.1, y.0..y.1)?;
        let [first, second] = projection
            .explained
            .map(|e| percent_digits(f64::from(e), 0));
        mesh(
            &mut chart,
            &tr(Key::AxisPrincipalFirst, &[("share", &first)]),
            &tr(Key::AxisPrincipalSecond, &[("share", &second)]),
        )
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| decimal_digits(*v, 1))
        .y_label_formatter(&|v| decimal_digits(*v, 1))
        .draw()?;
        let points = || {
            projection
                .points
                .iter()
                .zip(&projection.labels)
                .map(|(p, &label)| ((f64::from(p[0]), f64::from(p[1])), usize::from(label)))
        };
        // Circles for 0–4, triangles for 5–9 (their colours repeat).
        chart.draw_series(
            points()
                .filter(|(_, c)| !palette::class_dashed(*c))
                .map(|(at, class)| Circle::new(at, MARKER, palette::class_colour(class).filled())),
        )?;
        chart.draw_series(points().filter(|(_, c)| palette::class_dashed(*c)).map(
            |(at, class)| {
                TriangleMarker::new(at, MARKER + 1, palette::class_colour(class).filled())
            },
        ))?;
        let wrong = points()
            .zip(projection.labels.iter().zip(&projection.predicted))
            .filter(|(_, (label, predicted))| label != predicted)
            .map(|((at, _), _)| Circle::new(at, MARKER + 3, palette::INK.stroke_width(1)));
        chart.draw_series(wrong)?;
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let pixels = [xs.start, ys.start, xs.end, ys.end].map(|unit| f64::from(unit) * scale);
        placed = Some(PlotFrame { pixels, x, y });
        legend(&legend_area)
    })?;
    placed.ok_or_else(|| "the projection was not drawn".into())
}

/// Class `class`'s marker at canvas pixel `at` on `area`.
fn marker(area: &Area, at: (i32, i32), class: usize) -> Drawn {
    let colour = palette::class_colour(class).filled();
    if palette::class_dashed(class) {
        area.draw(&TriangleMarker::new(at, MARKER + 1, colour))?;
    } else {
        area.draw(&Circle::new(at, MARKER, colour))?;
    }
    Ok(())
}

/// Every class' marker and the ring of a mistake, down the strip.
fn legend(area: &Area) -> Drawn {
    const ROW: i32 = 20;
    const TOP: i32 = 44;
    let style = font(13).pos(Pos::new(HPos::Left, VPos::Center));
    for class in 0..CLASSES {
        let y = TOP + ROW * class as i32;
        marker(area, (14, y), class)?;
        area.draw(&Text::new(class.to_string(), (26, y), style.clone()))?;
    }
    let y = TOP + ROW * CLASSES as i32;
    area.draw(&Circle::new(
        (14, y),
        MARKER + 3,
        palette::INK.stroke_width(1),
    ))?;
    area.draw(&Text::new(t(Key::LegendWrong), (26, y), style))?;
    Ok(())
}

/// The range of `values` padded by 5% each side (a unit range around a single value).
fn padded(values: impl Iterator<Item = f32>) -> (f64, f64) {
    let (low, high) = values
        .map(f64::from)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if low >= high {
        let centre = if low.is_finite() { low } else { 0.0 };
        return (centre - 1.0, centre + 1.0);
    }
    let pad = (high - low) * 0.05;
    (low - pad, high + pad)
}
