//! Every chart of the page, drawn with plotters on a `<canvas>`.
//!
//! Each chart is one function taking its canvas and its numbers. They share [`paint`] (clear,
//! draw, present), [`frame`] and [`mesh`] (caption, margins and axes in one style), [`line`]
//! and [`legend`](legend::legend), and the colour-blind-safe [`palette`].

mod canvas;
mod class_counts;
mod confusion;
mod cv;
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
pub use history::{Curve, per_epoch};
pub use legend::Corner;
pub use pixels::digit;
pub use probabilities::probabilities;
pub use projection::{PlotFrame, projection};
pub use roc::roc;
pub use weight_histograms::{CANVAS as WEIGHT_HISTOGRAM_CANVAS, weight_histogram};

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

/// Clears `canvas` to white, runs `draw` on it and presents the result.
pub(crate) fn paint(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot draw #{}: {e}", canvas.id());
    let backend = Canvas::new(canvas).ok_or_else(|| fail(&"the canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE).map_err(|e| fail(&e))?;
    draw(&area).map_err(|e| fail(&e))?;
    area.present().map_err(|e| fail(&e))
}

/// The system's sans-serif font at `size` pixels (no web fonts: nothing is downloaded).
pub(crate) fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&palette::INK)
}

/// [`font`] anchored at its horizontal centre and at `v` vertically.
pub(crate) fn centred(size: u32, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(HPos::Center, v))
}

/// A chart builder with the page's caption style and margins.
pub(crate) fn frame<'a, 'b>(area: &'a Area, caption: &str) -> ChartBuilder<'a, 'b, Canvas> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(caption, font(17))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56);
    builder
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
