//! The occlusion map: how much the class's probability falls when part of the image is
//! blanked (set to 0, the paper's colour), pixel by pixel or 2×2 block by block.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::data::Image;
use crate::model::DigitsCnn;
use crate::prediction::{InputScale, probabilities};
use crate::{CLASSES, PIXELS, SIDE};

/// What is blanked at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Occlusion {
    /// One pixel at a time (64 occluded copies).
    #[default]
    Pixel,
    /// One 2×2 block at a time (16 copies): a stroke is rarely one pixel wide, so a block
    /// shows more of what a pixel alone hides.
    Block,
}

impl Occlusion {
    /// Every kind, the default first.
    pub const ALL: [Occlusion; 2] = [Occlusion::Pixel, Occlusion::Block];

    /// The name in the page's menu and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Occlusion::Pixel => "pixel",
            Occlusion::Block => "block",
        }
    }

    /// The side of the square blanked at a time.
    pub fn side(self) -> usize {
        match self {
            Occlusion::Pixel => 1,
            Occlusion::Block => 2,
        }
    }
}

impl fmt::Display for Occlusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Occlusion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Occlusion::ALL
            .into_iter()
            .find(|kind| kind.name() == s)
            .ok_or_else(|| format!("unknown occlusion `{s}` (expected pixel or block)"))
    }
}

/// For each pixel, row-major: `class`'s probability for `image` minus its probability with
/// that pixel's square (of `kind`) set to 0. Positive where the pixel supports the class;
/// 0 where it is already blank. One forward pass over every occluded copy.
pub fn occlusion(
    model: &DigitsCnn,
    image: &Image,
    scale: InputScale,
    device: &Device,
    class: u8,
    kind: Occlusion,
) -> [f32; PIXELS] {
    occlusion_with(image, class, kind, |images| {
        probabilities(model, images, scale, device)
    })
}

/// [`occlusion`] with any classifier: `probabilities` answers a batch of images.
fn occlusion_with(
    image: &Image,
    class: u8,
    kind: Occlusion,
    probabilities: impl FnOnce(&[Image]) -> Vec<[f32; CLASSES]>,
) -> [f32; PIXELS] {
    let side = kind.side();
    let squares: Vec<(usize, usize)> = (0..SIDE)
        .step_by(side)
        .flat_map(|top| (0..SIDE).step_by(side).map(move |left| (top, left)))
        .collect();
    let mut batch = vec![*image];
    batch.extend(squares.iter().map(|&(top, left)| {
        let mut occluded = *image;
        for pixel in square(top, left, side) {
            occluded[pixel] = 0;
        }
        occluded
    }));
    let answers = probabilities(&batch);
    let class = usize::from(class);
    let original = answers[0][class];
    let mut map = [0.0; PIXELS];
    for (&(top, left), answer) in squares.iter().zip(&answers[1..]) {
        for pixel in square(top, left, side) {
            map[pixel] = original - answer[class];
        }
    }
    map
}

/// The row-major indices of the `side`×`side` square at (`top`, `left`).
fn square(top: usize, left: usize, side: usize) -> impl Iterator<Item = usize> {
    (top..top + side).flat_map(move |row| (left..left + side).map(move |col| row * SIDE + col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;

    /// A classifier whose class 3 probability is the image's ink over 1000: blanking a
    /// square lowers it by the square's ink over 1000, which the map must show.
    fn ink(images: &[Image]) -> Vec<[f32; CLASSES]> {
        images
            .iter()
            .map(|image| {
                let mut p = [0.0; CLASSES];
                p[3] = image.iter().map(|&v| f32::from(v)).sum::<f32>() / 1000.0;
                p
            })
            .collect()
    }

    #[test]
    fn a_pixel_map_is_each_pixels_share_of_the_ink() {
        let mut image = [0; PIXELS];
        image[0] = 16; // (0, 0)
        image[9] = 8; // (1, 1)
        image[63] = 4; // (7, 7)
        let map = occlusion_with(&image, 3, Occlusion::Pixel, ink);
        let mut expected = [0.0; PIXELS];
        expected[0] = 0.016;
        expected[9] = 0.008;
        expected[63] = 0.004;
        for (got, want) in map.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{map:?}");
        }
        // Another class's probability never moves.
        assert_eq!(occlusion_with(&image, 0, Occlusion::Pixel, ink), [0.0; 64]);
    }

    #[test]
    fn a_block_map_gives_each_pixel_its_blocks_drop() {
        let mut image = [0; PIXELS];
        image[0] = 16; // block (0, 0) holds pixels 0, 1, 8, 9
        image[9] = 8;
        image[63] = 4; // block (6, 6) holds 54, 55, 62, 63
        let map = occlusion_with(&image, 3, Occlusion::Block, ink);
        for (pixel, &value) in map.iter().enumerate() {
            let want = match pixel {
                0 | 1 | 8 | 9 => 0.024,
                54 | 55 | 62 | 63 => 0.004,
                _ => 0.0,
            };
            assert!((value - want).abs() < 1e-6, "pixel {pixel}: {value}");
        }
    }

    #[test]
    fn blank_pixels_of_a_real_network_score_zero() {
        let device = BackendKind::Flex.device();
        let model = DigitsCnn::seeded(&Arch::notebook(), &device, 3);
        let image = bundled().images[0];
        let map = occlusion(
            &model,
            &image,
            InputScale::Raw,
            &device,
            0,
            Occlusion::Pixel,
        );
        for (pixel, &value) in image.iter().zip(&map) {
            if *pixel == 0 {
                // The same image again: the same probability (up to the batch's rounding).
                assert!(value.abs() < 1e-6, "{value}");
            }
        }
        assert!(map.iter().any(|&v| v != 0.0), "some ink matters");
    }

    #[test]
    fn names_round_trip() {
        for kind in Occlusion::ALL {
            assert_eq!(kind.name().parse::<Occlusion>(), Ok(kind));
        }
        assert!("row".parse::<Occlusion>().unwrap_err().contains("row"));
    }
}
