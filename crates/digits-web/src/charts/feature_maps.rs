//! One layer's feature maps as a grid of small images, one per filter.

use digits_cnn::feature_maps::LayerMaps;
use web_sys::HtmlCanvasElement;

use super::pixels::cells;
use super::{Drawn, font, paint, palette};
use crate::i18n::{Key, t, tr};

/// Maps per row of the grid.
const COLUMNS: usize = 8;
/// Side of one map on the canvas, in pixels.
const MAP: u32 = 44;
/// Gap between maps.
const GAP: u32 = 4;
/// Height of the caption line.
const CAPTION: u32 = 24;
/// Height of the note under a strip of 1×1 maps.
const NOTE: u32 = 22;

/// The canvas size, `(width, height)`, that fits `layer`'s grid and caption.
pub fn layer_canvas_size(layer: &LayerMaps) -> (u32, u32) {
    let width = COLUMNS as u32 * (MAP + GAP);
    if layer.is_strip() {
        return (width, CAPTION + MAP + GAP + NOTE);
    }
    let rows = layer.channels.div_ceil(COLUMNS) as u32;
    (width, CAPTION + rows * (MAP + GAP))
}

/// Draws every map of `layer` in viridis (normalised levels 0..=255), captioned with the
/// layer's name and shape; a layer of 1×1 maps as one strip with a note under it.
pub fn feature_layer(canvas: &HtmlCanvasElement, layer: &LayerMaps) -> Result<(), String> {
    paint(canvas, |area| -> Drawn {
        let caption = tr(
            Key::LayerCaption,
            &[
                ("layer", &layer.layer),
                ("channels", &layer.channels),
                ("height", &layer.height),
                ("width", &layer.width),
            ],
        );
        area.draw_text(&caption, &font(14), (0, 4))?;
        if layer.is_strip() {
            let (width, _) = area.dim_in_pixel();
            let strip = area.clone().shrink((0, CAPTION), (width - GAP, MAP));
            cells(&strip, &layer.pixels, layer.channels, palette::viridis)?;
            let note_top = (CAPTION + MAP + GAP) as i32;
            area.draw_text(t(Key::StripNote), &font(13), (0, note_top))?;
            return Ok(());
        }
        for channel in 0..layer.channels {
            let (row, col) = ((channel / COLUMNS) as u32, (channel % COLUMNS) as u32);
            let x = (col * (MAP + GAP)) as i32;
            let y = (CAPTION + row * (MAP + GAP)) as i32;
            let cell = area.clone().shrink((x, y), (MAP, MAP));
            cells(&cell, layer.map(channel), layer.width, palette::viridis)?;
        }
        Ok(())
    })
}
