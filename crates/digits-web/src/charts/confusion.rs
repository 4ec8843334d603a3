//! The confusion matrix as a heatmap with counts.

use digits_cnn::CLASSES;
use plotters::prelude::*;
use plotters::style::text_anchor::VPos;
use web_sys::HtmlCanvasElement;

use super::{Drawn, centred, frame, mesh, paint_to_width, palette};
use crate::i18n::{Key, t};

/// Draws `counts[true][predicted]` as a heatmap, true classes top to bottom, each cell
/// labelled with its count.
pub fn confusion(
    canvas: &HtmlCanvasElement,
    counts: &[[u32; CLASSES]; CLASSES],
) -> Result<(), String> {
    paint_to_width(canvas, |area| -> Drawn {
        let last = (CLASSES - 1) as f64;
        let range = -0.5..last + 0.5;
        let mut chart =
            frame(area, t(Key::ChartConfusionTitle)).build_cartesian_2d(range.clone(), range)?;
        // Row `true` is drawn at y = 9 − true so that class 0 is at the top, as printed.
        mesh(&mut chart, t(Key::AxisPredicted), t(Key::AxisTrue))
            .disable_mesh()
            .x_labels(CLASSES)
            .y_labels(CLASSES)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{:.0}", last - y))
            .draw()?;
        // Where the cells are, in canvas pixels, so a click can name its cell (linked view).
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let scale = f64::from(canvas.width()) / f64::from(area.dim_in_pixel().0.max(1));
        let at = |unit: i32| (f64::from(unit) * scale).round();
        let plot = format!(
            "{},{},{},{}",
            at(xs.start),
            at(ys.start),
            at(xs.end),
            at(ys.end)
        );
        crate::dom::set_attr(canvas, "data-plot", &plot);
        let max = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
        let cells =
            || (0..CLASSES).flat_map(move |t| (0..CLASSES).map(move |p| (t, p, counts[t][p])));
        chart.draw_series(cells().map(|(t, p, count)| {
            let (x, y) = (p as f64, last - t as f64);
            let share = f64::from(count) / f64::from(max);
            Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                palette::heat(share).filled(),
            )
        }))?;
        chart.draw_series(cells().map(|(t, p, count)| {
            let share = f64::from(count) / f64::from(max);
            let style = centred(13, VPos::Center);
            let style = if palette::heat_needs_light_text(share) {
                style.color(&WHITE)
            } else {
                style
            };
            Text::new(count.to_string(), (p as f64, last - t as f64), style)
        }))?;
        Ok(())
    })
}
