//! Small images drawn cell by cell: the digits and the feature maps.

use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{Area, Drawn, font, paint, palette};

/// Fills `area` with a `width × height` grid of cells, coloured by `colour`, row-major.
pub(crate) fn cells<T: Copy, C: Color>(
    area: &Area,
    values: &[T],
    width: usize,
    colour: impl Fn(T) -> C,
) -> Drawn {
    let height = values.len() / width.max(1);
    let (w, h) = area.dim_in_pixel();
    let edge = |i: usize, n: usize, size: u32| (i as u64 * u64::from(size) / n as u64) as i32;
    for (i, &value) in values.iter().enumerate() {
        let (row, col) = (i / width, i % width);
        let top_left = (edge(col, width, w), edge(row, height, h));
        let bottom_right = (edge(col + 1, width, w), edge(row + 1, height, h));
        area.draw(&Rectangle::new(
            [top_left, bottom_right],
            colour(value).filled(),
        ))?;
    }
    Ok(())
}

/// Draws an 8×8 digit (pixels 0..=16) as ink on paper, with an optional caption below it.
pub fn digit(
    canvas: &HtmlCanvasElement,
    pixels: &[u8],
    caption: Option<&str>,
) -> Result<(), String> {
    paint(canvas, |area| -> Drawn {
        let image = match caption {
            Some(text) => {
                let (_, h) = area.dim_in_pixel();
                let (image, label) = area.split_vertically(h.saturating_sub(18));
                label.draw_text(text, &font(13), (2, 2))?;
                image
            }
            None => area.clone(),
        };
        cells(&image, pixels, digits_cnn::SIDE, palette::ink)?;
        let (w, h) = image.dim_in_pixel();
        image.draw(&Rectangle::new(
            [(0, 0), (w as i32 - 1, h as i32 - 1)],
            palette::GRID,
        ))?;
        Ok(())
    })
}
