//! A network's class probabilities for one image as a bar chart.

use digits_cnn::CLASSES;
use plotters::prelude::*;
use plotters::style::text_anchor::VPos;
use web_sys::HtmlCanvasElement;

use super::{Drawn, centred, frame, mesh, paint_to_width, palette};
use crate::format::decimal_digits;
use crate::i18n::{Key, t, tr};

/// Draws one bar per class (0..1), the predicted class's bar in vermillion and the others in
/// blue, each bar's percentage on top; `truth` (if known) is marked under its bar.
pub fn probabilities(
    canvas: &HtmlCanvasElement,
    probabilities: &[f32; CLASSES],
    truth: Option<u8>,
) -> Result<(), String> {
    let predicted = digits_cnn::metrics::predicted_class(probabilities);
    paint_to_width(canvas, |area| -> Drawn {
        let mut chart = frame(area, t(Key::ChartProbabilitiesTitle))
            .build_cartesian_2d(-0.5..9.5, 0.0..1.12)?;
        let label = move |x: &f64| {
            let class = x.round() as u8;
            if Some(class) == truth {
                tr(Key::TrueClass, &[("class", &class)])
            } else {
                format!("{class}")
            }
        };
        mesh(&mut chart, t(Key::AxisDigit), t(Key::AxisProbability))
            .disable_x_mesh()
            .x_labels(CLASSES)
            .x_label_formatter(&label)
            .y_labels(5)
            .y_label_formatter(&|y| decimal_digits(*y, 1))
            .draw()?;
        chart.draw_series(probabilities.iter().enumerate().map(|(class, &p)| {
            let x = class as f64;
            let colour = if class == usize::from(predicted) {
                palette::VERMILLION
            } else {
                palette::BLUE
            };
            Rectangle::new([(x - 0.35, 0.0), (x + 0.35, f64::from(p))], colour.filled())
        }))?;
        chart.draw_series(probabilities.iter().enumerate().map(|(class, &p)| {
            Text::new(
                format!("{:.0}%", p * 100.0),
                (class as f64, f64::from(p)),
                centred(11, VPos::Bottom),
            )
        }))?;
        Ok(())
    })
}
