//! One-vs-rest ROC curves, one per class, with their AUC in the legend.

use digits_cnn::metrics::RocCurve;
use web_sys::HtmlCanvasElement;

use super::legend::{Corner, Entry, legend};
use super::{Drawn, frame, line, mesh, paint_to_width, palette};
use crate::format::{decimal, decimal_digits};
use crate::i18n::{Key, t};

/// Draws every class's ROC curve and the chance diagonal.
pub fn roc(canvas: &HtmlCanvasElement, curves: &[RocCurve]) -> Result<(), String> {
    paint_to_width(canvas, |area| -> Drawn {
        let mut chart =
            frame(area, t(Key::ChartRocTitle)).build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
        mesh(
            &mut chart,
            t(Key::AxisFalsePositive),
            t(Key::AxisTruePositive),
        )
        .x_label_formatter(&|x| decimal_digits(*x, 1))
        .y_label_formatter(&|y| decimal_digits(*y, 1))
        .draw()?;
        line(&mut chart, &[(0.0, 0.0), (1.0, 1.0)], palette::AXIS, true)?;
        let mut entries = Vec::with_capacity(curves.len());
        for curve in curves {
            let class = usize::from(curve.class);
            let (colour, dashed) = (palette::class_colour(class), palette::class_dashed(class));
            line(&mut chart, &curve.points, colour, dashed)?;
            entries.push(Entry {
                label: format!("{class}: AUC {}", decimal(curve.auc)),
                colour,
                dashed,
            });
        }
        legend(&chart, &entries, Corner::LowerRight)
    })
}
