//! Chart legends, drawn here rather than by plotters: its series legend measures text
//! through a styled `<span>` (see [`super::canvas`]).

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Drawn, Plot, font, palette};

/// Which corner of the plotting area a legend sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    /// Top right: for falling curves.
    UpperRight,
    /// Bottom right: for rising curves.
    LowerRight,
}

/// One line of a legend: a sample of the series' line and its label.
pub struct Entry {
    /// What the series is.
    pub label: String,
    /// Its colour.
    pub colour: RGBColor,
    /// Whether its line is dashed.
    pub dashed: bool,
}

/// Dash and gap lengths of dashed lines; solid lines are one long dash.
pub(crate) fn dash_pattern(dashed: bool) -> (u32, u32) {
    if dashed { (7, 5) } else { (10_000, 0) }
}

/// Draws `entries` in a framed box in `corner` of the chart's plotting area.
pub(crate) fn legend(chart: &Plot<'_>, entries: &[Entry], corner: Corner) -> Drawn {
    const PAD: i32 = 8;
    const ROW: i32 = 18;
    const SWATCH: i32 = 26;
    if entries.is_empty() {
        return Ok(());
    }
    let area = chart.plotting_area().strip_coord_spec();
    let style = font(13);
    let mut text_width = 0;
    for entry in entries {
        text_width = text_width.max(area.estimate_text_size(&entry.label, &style)?.0 as i32);
    }
    let (w, h) = area.dim_in_pixel();
    let (box_w, box_h) = (
        3 * PAD + SWATCH + text_width,
        2 * PAD + ROW * entries.len() as i32,
    );
    let x0 = w as i32 - box_w - PAD;
    let y0 = match corner {
        Corner::UpperRight => PAD,
        Corner::LowerRight => h as i32 - box_h - PAD,
    };
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        WHITE.mix(0.92).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_w, y0 + box_h)],
        palette::AXIS,
    ))?;
    let label_style = style.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, entry) in entries.iter().enumerate() {
        let y = y0 + PAD + ROW * i as i32 + ROW / 2;
        let (dash, gap) = dash_pattern(entry.dashed);
        area.draw(&DashedPathElement::new(
            vec![(x0 + PAD, y), (x0 + PAD + SWATCH, y)],
            dash,
            gap,
            entry.colour.stroke_width(2),
        ))?;
        area.draw(&Text::new(
            entry.label.as_str(),
            (x0 + 2 * PAD + SWATCH, y),
            label_style.clone(),
        ))?;
    }
    Ok(())
}
