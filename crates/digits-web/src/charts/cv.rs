//! Cross-validation: each fold's validation loss and accuracy, with dashed mean lines.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use super::{
    Area, Drawn, TWO_PANELS, frame, line, mesh, paint_to_width_at_least, palette, zero_to_max,
};
use crate::format::{decimal, decimal_digits};
use crate::i18n::{Key, t, tr};
use digits_cnn::cross_validation::FoldResult;

/// Draws two panels side by side, loss and accuracy per fold; `folds` is the planned count.
/// The dashed mean lines appear once `finished`.
pub fn cross_validation(
    canvas: &HtmlCanvasElement,
    results: &[FoldResult],
    folds: usize,
    finished: bool,
) -> Result<(), String> {
    paint_to_width_at_least(canvas, TWO_PANELS, |area| -> Drawn {
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w / 2);
        let losses: Vec<(f64, f64)> = results.iter().map(|r| (r.fold as f64, r.loss)).collect();
        let accuracies: Vec<(f64, f64)> = results
            .iter()
            .map(|r| (r.fold as f64, r.accuracy))
            .collect();
        let loss_range = zero_to_max(losses.iter().map(|p| p.1 * 1.1));
        panel(
            &left,
            t(Key::ChartCvLossTitle),
            t(Key::AxisLoss),
            folds,
            loss_range,
            &losses,
            palette::VERMILLION,
            finished,
        )?;
        panel(
            &right,
            t(Key::ChartCvAccuracyTitle),
            t(Key::ChartAccuracyAxis),
            folds,
            0.0..1.0,
            &accuracies,
            palette::BLUE,
            finished,
        )
    })
}

/// One panel: a value per fold as markers joined by a line, and its dashed mean.
#[allow(clippy::too_many_arguments)]
fn panel(
    area: &Area,
    caption: &str,
    y_desc: &str,
    folds: usize,
    y_range: std::ops::Range<f64>,
    points: &[(f64, f64)],
    colour: RGBColor,
    with_mean: bool,
) -> Drawn {
    let x_range = 0.5..folds.max(1) as f64 + 0.5;
    let mut chart = frame(area, caption).build_cartesian_2d(x_range.clone(), y_range)?;
    mesh(&mut chart, t(Key::AxisFold), y_desc)
        .x_labels(folds.clamp(1, 20))
        .x_label_formatter(&|x| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| decimal_digits(*y, 2))
        .draw()?;
    line(&mut chart, points, colour, false)?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
    if with_mean && !points.is_empty() {
        let mean = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
        line(
            &mut chart,
            &[(x_range.start, mean), (x_range.end, mean)],
            palette::INK,
            true,
        )?;
        let above = super::font(12).pos(Pos::new(HPos::Left, VPos::Bottom));
        chart.draw_series(std::iter::once(Text::new(
            tr(Key::ChartMean, &[("mean", &decimal(mean))]),
            (x_range.start + 0.05, mean),
            above,
        )))?;
    }
    Ok(())
}
