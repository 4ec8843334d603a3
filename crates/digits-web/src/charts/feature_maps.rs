//! One layer's feature maps as a grid of small images, one per filter.

use digits_cnn::feature_maps::LayerMaps;
use web_sys::HtmlCanvasElement;

use super::pixels::cells;
use super::{Drawn, font, paint, palette};
use crate::i18n::{Key, tr};

/// Maps per row of the grid.
const COLUMNS: usize = 8;
/// Side of one map on the canvas, in pixels.
const MAP: u32 = 44;
/// Gap between maps.
const GAP: u32 = 4;
/// Height of the caption line.
const CAPTION: u32 = 24;

/// The canvas size, `(width, height)`, that fits `layer`'s grid and caption.
pub fn layer_canvas_size(layer: &LayerMaps) -> (u32, u32) {
    let rows = layer.channels.div_ceil(COLUMNS) as u32;
    (COLUMNS as u32 * (MAP + GAP), CAPTION + rows * (MAP + GAP))
}

/// Draws every map of `layer` in viridis (normalised levels 0..=255), captioned with the
/// layer's name and shape.
pub fn feature_layer(canvas: &HtmlCanvasElement, layer: &LayerMaps) -> Result<(), String> {
    paint(canvas, |area| -> Drawn {
        // One value per map: normalising a map on its own leaves it at the mid level.
        let key = if layer.height * layer.width == 1 {
            Key::LayerCaptionFlat
        } else {
            Key::LayerCaption
        };
        let caption = tr(
            key,
            &[
                ("layer", &layer.layer),
                ("channels", &layer.channels),
                ("height", &layer.height),
                ("width", &layer.width),
            ],
        );
        area.draw_text(&caption, &font(14), (0, 4))?;
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
