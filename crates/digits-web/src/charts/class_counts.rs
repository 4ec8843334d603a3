//! The rows of each class as a bar chart.

use digits_cnn::CLASSES;
use plotters::prelude::*;
use plotters::style::text_anchor::VPos;
use web_sys::HtmlCanvasElement;

use super::{Drawn, centred, frame, mesh, paint_to_width, palette, zero_to_max};
use crate::i18n::{Key, t};

/// Draws one bar per class, its count on top.
pub fn class_counts(canvas: &HtmlCanvasElement, counts: &[usize; CLASSES]) -> Result<(), String> {
    paint_to_width(canvas, |area| -> Drawn {
        let y_range = zero_to_max(counts.iter().map(|&c| c as f64 * 1.1));
        let mut chart =
            frame(area, t(Key::ChartClassesTitle)).build_cartesian_2d(-0.5..9.5, y_range)?;
        mesh(&mut chart, t(Key::AxisDigit), t(Key::AxisRows))
            .disable_x_mesh()
            .x_labels(CLASSES)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_labels(5)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        chart.draw_series(counts.iter().enumerate().map(|(class, &count)| {
            let x = class as f64;
            Rectangle::new(
                [(x - 0.35, 0.0), (x + 0.35, count as f64)],
                palette::BLUE.filled(),
            )
        }))?;
        chart.draw_series(counts.iter().enumerate().map(|(class, &count)| {
            Text::new(
                count.to_string(),
                (class as f64, count as f64),
                centred(12, VPos::Bottom),
            )
        }))?;
        Ok(())
    })
}
