//! Per-epoch curves: the live loss and accuracy charts.

use digits_cnn::training::EpochReport;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::legend::{Corner, Entry, legend};
use super::{Drawn, frame, line, mesh, paint_to_width, palette};
use crate::format::decimal_digits;
use crate::i18n::{Key, t};

/// One series of a per-epoch chart.
#[derive(Clone)]
pub struct Curve {
    /// Its legend entry, e.g. `train`.
    pub label: &'static str,
    /// `(epoch, value)` points.
    pub points: Vec<(f64, f64)>,
    /// Held-out series (test, validation) are dashed, training series solid.
    pub dashed: bool,
    /// Its colour: training, test, validation or the kept epoch's.
    colour: RGBColor,
}

impl Curve {
    /// The curve of one `value` of each epoch in `history`, against the epoch's number: a
    /// test curve when `dashed`, else a training curve.
    pub fn per_epoch(
        label: &'static str,
        history: &[EpochReport],
        value: fn(&EpochReport) -> f64,
        dashed: bool,
    ) -> Self {
        Curve {
            label,
            points: history.iter().map(|r| (r.epoch as f64, value(r))).collect(),
            dashed,
            colour: if dashed {
                palette::TEST
            } else {
                palette::TRAIN
            },
        }
    }

    /// The validation curve: one `value` of each epoch that measured it.
    pub fn validation(history: &[EpochReport], value: fn(&EpochReport) -> Option<f64>) -> Self {
        Curve {
            label: t(Key::CurveValidation),
            points: history
                .iter()
                .filter_map(|r| Some((r.epoch as f64, value(r)?)))
                .collect(),
            dashed: true,
            colour: palette::VALIDATION,
        }
    }

    /// A vertical line at the epoch whose weights early stopping kept, across `y_range`.
    pub fn kept_epoch(epoch: usize, y_range: &std::ops::Range<f64>) -> Self {
        let x = epoch as f64;
        Curve {
            label: t(Key::CurveKeptEpoch),
            points: vec![(x, y_range.start), (x, y_range.end)],
            dashed: false,
            colour: palette::INK,
        }
    }

    fn colour(&self) -> RGBColor {
        self.colour
    }
}

/// A chart of values per epoch (loss, accuracy, a compared curve): everything it draws, so
/// the page can draw it again at another width.
pub struct PerEpochChart {
    /// The title.
    pub caption: String,
    /// The y axis' name.
    pub y_desc: String,
    /// The x axis runs over epochs `1..=epochs`.
    pub epochs: usize,
    /// The y axis' values.
    pub y_range: std::ops::Range<f64>,
    /// The curves, in legend order.
    pub curves: Vec<Curve>,
    /// Where the legend goes.
    pub legend_at: Corner,
}

impl PerEpochChart {
    /// Draws the chart on `canvas`, at its CSS width.
    pub fn draw(&self, canvas: &HtmlCanvasElement) -> Result<(), String> {
        let PerEpochChart {
            caption,
            y_desc,
            epochs,
            y_range,
            curves,
            legend_at,
        } = self;
        let (epochs, legend_at) = (*epochs, *legend_at);
        paint_to_width(canvas, |area| -> Drawn {
            let x_max = epochs.max(2) as f64;
            let mut chart = frame(area, caption).build_cartesian_2d(1.0..x_max, y_range.clone())?;
            let x_labels = epochs.clamp(2, 10);
            mesh(&mut chart, t(Key::AxisEpoch), y_desc)
                .x_labels(x_labels)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| decimal_digits(*y, 2))
                .draw()?;
            for curve in curves {
                line(&mut chart, &curve.points, curve.colour(), curve.dashed)?;
                // Markers, so that a single epoch shows too.
                if curve.points.len() <= 40 {
                    let colour = curve.colour();
                    chart.draw_series(
                        curve
                            .points
                            .iter()
                            .filter(|(_, y)| y.is_finite())
                            .map(|&p| Circle::new(p, 3, colour.filled())),
                    )?;
                }
            }
            let entries: Vec<Entry> = curves
                .iter()
                .map(|c| Entry {
                    label: c.label.into(),
                    colour: c.colour(),
                    dashed: c.dashed,
                })
                .collect();
            legend(&chart, &entries, legend_at)
        })
    }
}
