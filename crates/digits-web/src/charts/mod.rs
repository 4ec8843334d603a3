//! Every chart of the page, drawn with plotters on a `<canvas>`.
//!
//! Each chart is one function taking its canvas and its numbers. They share [`paint`] (clear,
//! draw, present), [`frame`] and [`mesh`] (caption, margins and axes in one style), [`line`]
//! and [`legend`](legend::legend), and the colour-blind-safe [`palette`].

mod canvas;
mod class_counts;
mod confusion;
mod cv;
pub mod explain;
mod feature_maps;
mod history;
mod legend;
pub mod palette;
mod pixels;
mod probabilities;
mod projection;
mod roc;
mod weight_histograms;

pub use class_counts::class_counts;
pub use confusion::confusion;
pub use cv::cross_validation;
pub use feature_maps::{feature_layer, layer_canvas_size};
pub use history::{Curve, PerEpochChart};
pub use legend::Corner;
pub use pixels::digit;
pub use probabilities::probabilities;
pub use projection::{PlotFrame, projection};
pub use roc::roc;
pub use weight_histograms::{CANVAS as WEIGHT_HISTOGRAM_CANVAS, EpochHistograms, weight_histogram};

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use canvas::Canvas;
use legend::dash_pattern;

/// A canvas to draw on.
pub(crate) type Area = DrawingArea<Canvas, Shift>;
/// What a drawing closure returns.
pub(crate) type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Clears `canvas` to white, runs `draw` on it at its own size and presents the result:
/// for pixel pictures, whose canvas is as large as their cells need.
pub(crate) fn paint(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<(), String> {
    paint_scaled(canvas, 1.0, draw)
}

/// [`paint`] for a chart with axes and text: first sizes the canvas to its CSS width times
/// the screen's pixel ratio ([`fit_to_width`]) and draws in CSS pixels, so that its labels
/// keep their size on a phone instead of shrinking with the picture, and stay sharp on a
/// dense screen. The app draws it again when its width changes ([`needs_redraw`]).
pub(crate) fn paint_to_width(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<(), String> {
    paint_to_width_at_least(canvas, 0.0, draw)
}

/// [`paint_to_width`] for a chart laid out for at least `narrowest` CSS pixels across (two
/// panels side by side, a long caption beside a legend): on a narrower screen it is drawn
/// `narrowest` units wide and scaled down to its canvas, its labels smaller rather than cut
/// off at the edges or run into each other.
pub(crate) fn paint_to_width_at_least(
    canvas: &HtmlCanvasElement,
    narrowest: f64,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<(), String> {
    let scale = fit_to_width(canvas, narrowest);
    paint_scaled(canvas, scale, draw)
}

/// [`paint`] with `scale` canvas pixels per drawing unit.
fn paint_scaled(
    canvas: &HtmlCanvasElement,
    scale: f64,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot draw #{}: {e}", canvas.id());
    let backend =
        Canvas::new(canvas, scale).ok_or_else(|| fail(&"the canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE).map_err(|e| fail(&e))?;
    draw(&area).map_err(|e| fail(&e))?;
    area.present().map_err(|e| fail(&e))
}

/// The fewest drawing units across that keep two panels side by side readable, their titles
/// and ticks apart ([`paint_to_width_at_least`]): a narrower canvas, on a phone, shows the
/// chart scaled down.
pub(crate) const TWO_PANELS: f64 = 560.0;

/// The CSS width a chart was last drawn at (`data-drawn-width`), in CSS pixels.
const DRAWN_WIDTH: &str = "data-drawn-width";
/// The canvas's size as written in the page (`data-base-size`, `WIDTHxHEIGHT`), recorded
/// before the first fitting: its shape on a wide screen.
const BASE_SIZE: &str = "data-base-size";

/// Whether `canvas` is shown at another width than it was last drawn at (a hidden canvas,
/// of width 0, never needs it).
pub fn needs_redraw(canvas: &HtmlCanvasElement) -> bool {
    let shown = canvas.client_width();
    shown > 0 && canvas.get_attribute(DRAWN_WIDTH) != Some(shown.to_string())
}

/// Sizes `canvas` to its CSS width times `devicePixelRatio` and returns the canvas pixels
/// per drawing unit: the pixel ratio, less when the canvas is narrower than `narrowest`
/// units, which then fill its width. The height follows the page's shape, taller on a
/// narrow screen (see [`chart_height`]). A hidden canvas keeps its size and scale.
fn fit_to_width(canvas: &HtmlCanvasElement, narrowest: f64) -> f64 {
    let base = base_size(canvas);
    let shown = canvas.client_width();
    if shown <= 0 {
        let drawn: f64 = canvas
            .get_attribute(DRAWN_WIDTH)
            .and_then(|w| w.parse().ok())
            .unwrap_or(base.0);
        return f64::from(canvas.width()) / drawn.max(narrowest).max(1.0);
    }
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
    let width = f64::from(shown);
    let units = width.max(narrowest);
    let scale = ratio * width / units;
    canvas.set_width((width * ratio).round() as u32);
    canvas.set_height((chart_height(units, base) * scale).round() as u32);
    crate::dom::set_attr(canvas, DRAWN_WIDTH, &shown.to_string());
    scale
}

/// The canvas's size in the page, recorded in `data-base-size` the first time.
fn base_size(canvas: &HtmlCanvasElement) -> (f64, f64) {
    let recorded = canvas.get_attribute(BASE_SIZE).and_then(|size| {
        let (w, h) = size.split_once('x')?;
        Some((w.parse().ok()?, h.parse().ok()?))
    });
    recorded.unwrap_or_else(|| {
        let (w, h) = (canvas.width(), canvas.height());
        crate::dom::set_attr(canvas, BASE_SIZE, &format!("{w}x{h}"));
        (f64::from(w), f64::from(h))
    })
}

/// A chart's height at `width` CSS pixels: its page shape scaled to the width, but at
/// least three quarters of the width (up to its page height), so that a wide chart on a
/// phone keeps room for its axes.
fn chart_height(width: f64, (base_width, base_height): (f64, f64)) -> f64 {
    let scaled = width * base_height / base_width.max(1.0);
    scaled.max(base_height.min(width * 0.75)).round()
}

/// The system's sans-serif font at `size` pixels (no web fonts: nothing is downloaded).
pub(crate) fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&palette::INK)
}

/// [`font`] anchored at its horizontal centre and at `v` vertically.
pub(crate) fn centred(size: u32, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(HPos::Center, v))
}

/// A chart's margin on every side, in drawing units.
const MARGIN: u32 = 12;

/// A chart builder with the page's caption style and margins.
pub(crate) fn frame<'a, 'b>(area: &'a Area, caption: &str) -> ChartBuilder<'a, 'b, Canvas> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(caption, font(caption_size(area, caption)))
        .margin(MARGIN)
        .x_label_area_size(40)
        .y_label_area_size(56);
    builder
}

/// The caption's font size: 17, or less (down to 11) when the caption would be wider than
/// its chart, as a long translation or a narrow panel makes it, so it is never cut off.
fn caption_size(area: &Area, caption: &str) -> u32 {
    let (width, _) = area.dim_in_pixel();
    let room = width.saturating_sub(2 * MARGIN);
    (11..=17)
        .rev()
        .find(|&size| {
            area.estimate_text_size(caption, &font(size))
                .is_ok_and(|(needed, _)| needed <= room)
        })
        .unwrap_or(11)
}

/// The page's axes: descriptions, readable labels, a light grid. Callers add formatters and
/// call `draw`.
pub(crate) fn mesh<'a, 'b, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, Canvas, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
) -> MeshStyle<'a, 'b, X, Y, Canvas>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut style = chart.configure_mesh();
    style
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(font(13))
        .axis_desc_style(font(14))
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(palette::AXIS);
    style
}

/// A chart over two `f64` axes.
pub(crate) type Plot<'a> = ChartContext<'a, Canvas, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A line through `points` (non-finite ones skipped), solid or dashed.
pub(crate) fn line(
    chart: &mut Plot<'_>,
    points: &[(f64, f64)],
    colour: RGBColor,
    dashed: bool,
) -> Drawn {
    let (dash, gap) = dash_pattern(dashed);
    let finite = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    chart.draw_series(std::iter::once(DashedPathElement::new(
        finite,
        dash,
        gap,
        colour.stroke_width(2),
    )))?;
    Ok(())
}

/// The range `0..max` padded by 5%, over the finite values only; `0..1` if there are none.
pub(crate) fn zero_to_max(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let max = values.filter(|v| v.is_finite()).fold(0.0f64, f64::max);
    if max > 0.0 { 0.0..max * 1.05 } else { 0.0..1.0 }
}
