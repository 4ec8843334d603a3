//! A drawn digit to the data set's 8×8 input: the UCI preprocessing. The page's draw section
//! owns the pad; this is the step from its bitmap to the network's input.
//!
//! The optdigits images were scanned as 32×32 bitmaps; each of the 64 non-overlapping 4×4
//! blocks was replaced by the number of "on" pixels in it, giving 8×8 values in 0..16. A
//! digit drawn on a 32×32 pad goes through exactly the same step.

use crate::data::Image;
use crate::{PIXELS, SIDE};

/// Side of the drawing pad's bitmap.
pub const PAD_SIDE: usize = 32;
/// Cells of the drawing pad's bitmap.
pub const PAD_CELLS: usize = PAD_SIDE * PAD_SIDE;
/// Side of one block that becomes one pixel.
pub const BLOCK: usize = PAD_SIDE / SIDE;

/// The 8×8 image of a 32×32 bitmap (row-major; any non-zero cell is "on"): each pixel counts
/// the "on" cells of its 4×4 block, so it lies in 0..=16.
///
/// # Panics
///
/// If `bitmap` does not hold [`PAD_CELLS`] cells.
pub fn downsample(bitmap: &[u8]) -> Image {
    assert_eq!(
        bitmap.len(),
        PAD_CELLS,
        "a drawing pad bitmap has {PAD_CELLS} cells"
    );
    let mut image = [0u8; PIXELS];
    for (cell, &value) in bitmap.iter().enumerate() {
        if value != 0 {
            let (row, col) = (cell / PAD_SIDE, cell % PAD_SIDE);
            image[(row / BLOCK) * SIDE + col / BLOCK] += 1;
        }
    }
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad_with(on: &[(usize, usize)]) -> Vec<u8> {
        let mut pad = vec![0u8; PAD_CELLS];
        for &(row, col) in on {
            pad[row * PAD_SIDE + col] = 1;
        }
        pad
    }

    #[test]
    fn an_empty_pad_is_all_zero() {
        assert_eq!(downsample(&[0; PAD_CELLS]), [0; PIXELS]);
    }

    #[test]
    fn a_full_pad_is_all_sixteen() {
        assert_eq!(downsample(&[1; PAD_CELLS]), [16; PIXELS]);
    }

    #[test]
    fn single_cells_land_in_their_block() {
        // (0,0) → pixel 0; (3,3) is still block (0,0); (4,0) → block row 1; (31,31) → 63.
        let image = downsample(&pad_with(&[(0, 0), (3, 3), (4, 0), (31, 31), (0, 4)]));
        let mut expected = [0u8; PIXELS];
        expected[0] = 2;
        expected[SIDE] = 1;
        expected[1] = 1;
        expected[63] = 1;
        assert_eq!(image, expected);
    }

    #[test]
    fn hand_counted_blocks() {
        // Block (1, 2) spans rows 4..8 and columns 8..12. Fill its top row (4 cells) and
        // its left column (3 more, row 4 already counted): 7 on.
        let mut on: Vec<(usize, usize)> = (8..12).map(|c| (4, c)).collect();
        on.extend((5..8).map(|r| (r, 8)));
        // Block (7, 0): a 2×2 square in rows 28..30, columns 1..3: 4 on.
        on.extend([(28, 1), (28, 2), (29, 1), (29, 2)]);
        // A vertical line down column 13 (block column 3), rows 0..32: 4 in each block row.
        on.extend((0..32).map(|r| (r, 13)));
        let image = downsample(&pad_with(&on));
        assert_eq!(image[SIDE + 2], 7);
        assert_eq!(image[7 * SIDE], 4);
        for block_row in 0..SIDE {
            assert_eq!(image[block_row * SIDE + 3], 4, "block row {block_row}");
        }
        let total: u32 = image.iter().map(|&p| u32::from(p)).sum();
        assert_eq!(total, 7 + 4 + 32);
    }

    #[test]
    fn any_non_zero_cell_counts_as_on() {
        let mut pad = vec![0u8; PAD_CELLS];
        pad[0] = 255;
        pad[1] = 7;
        assert_eq!(downsample(&pad)[0], 2);
    }

    #[test]
    #[should_panic(expected = "1024 cells")]
    fn a_wrong_size_panics() {
        downsample(&[0; 64]);
    }
}
