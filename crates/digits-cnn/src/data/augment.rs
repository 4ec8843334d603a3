//! Data augmentation, a lever against overfitting: each epoch sees every training image
//! moved by up to one cell, so the network cannot learn a digit's exact position.
//!
//! The moves are drawn per image per epoch from the run's seed: a run repeats exactly, and
//! they do not depend on the order the trainer shuffles the rows into.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::dataset::Image;
use crate::SIDE;

/// What is done to the training images each epoch, by the name the CLI (`--augment`) and
/// the URL (`augment=`) use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Augmentation {
    /// The images as they are: the notebook's training.
    #[default]
    None,
    /// Each image moved by one of the nine [`Shift::ALL`], drawn per image per epoch.
    Shift,
}

impl Augmentation {
    /// Every augmentation, in the order a menu lists them.
    pub const ALL: [Augmentation; 2] = [Augmentation::None, Augmentation::Shift];

    /// The augmentation called `name` (`none` or `shift`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The name used on the command line, in URLs and in run records.
    pub fn name(self) -> &'static str {
        match self {
            Augmentation::None => "none",
            Augmentation::Shift => "shift",
        }
    }

    /// The training images of epoch `epoch` (counted from 0) of a run seeded with `seed`.
    pub fn apply(self, images: &[Image], seed: u64, epoch: usize) -> Vec<Image> {
        match self {
            Augmentation::None => images.to_vec(),
            Augmentation::Shift => epoch_shifts(seed, epoch, images.len())
                .into_iter()
                .zip(images)
                .map(|(shift, image)| shift_image(image, shift))
                .collect(),
        }
    }
}

/// Parses a name, for the command line.
impl std::str::FromStr for Augmentation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
            .ok_or_else(|| format!("unknown augmentation `{s}` (expected none or shift)"))
    }
}

/// A move of a whole image: `dx` cells to the right (negative: left) and `dy` cells down
/// (negative: up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shift {
    /// Cells to the right, -1..=1.
    pub dx: i8,
    /// Cells down, -1..=1.
    pub dy: i8,
}

impl Shift {
    /// The nine moves by at most one cell in each direction, the identity among them.
    pub const ALL: [Shift; 9] = {
        let mut all = [Shift { dx: 0, dy: 0 }; 9];
        let mut i = 0;
        while i < 9 {
            all[i] = Shift {
                dx: (i % 3) as i8 - 1,
                dy: (i / 3) as i8 - 1,
            };
            i += 1;
        }
        all
    };
}

/// `image` moved by `shift`: pixels moved past an edge are dropped and the cells left
/// empty are 0 (blank paper).
pub fn shift_image(image: &Image, shift: Shift) -> Image {
    let mut moved = [0; SIDE * SIDE];
    let source = |to: usize, by: i8| {
        to.checked_add_signed(-isize::from(by))
            .filter(|&s| s < SIDE)
    };
    for row in 0..SIDE {
        let Some(from_row) = source(row, shift.dy) else {
            continue;
        };
        for col in 0..SIDE {
            if let Some(from_col) = source(col, shift.dx) {
                moved[row * SIDE + col] = image[from_row * SIDE + from_col];
            }
        }
    }
    moved
}

/// The move of each of `rows` training images in epoch `epoch` (from 0) of a run seeded
/// with `seed`, uniform over [`Shift::ALL`]. Row `i` gets the same move however many rows
/// follow it, and each epoch has its own random stream, apart from the trainer's.
pub fn epoch_shifts(seed: u64, epoch: usize, rows: usize) -> Vec<Shift> {
    let mut rng = StdRng::seed_from_u64(epoch_seed(seed, epoch));
    (0..rows)
        .map(|_| Shift::ALL[rng.random_range(0..Shift::ALL.len())])
        .collect()
}

/// One seed per (run seed, epoch), mixed with SplitMix64's finaliser so that neighbouring
/// seeds and epochs give unrelated streams.
fn epoch_seed(seed: u64, epoch: usize) -> u64 {
    /// Keeps the augmentation's streams apart from others derived from the same seed.
    const AUGMENT_STREAM: u64 = 0x6175_676d_656e_7421;
    let mut z = seed ^ AUGMENT_STREAM ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An image with 1 at (row 0, col 0), 2 at (7, 7) and 3 at (3, 4).
    fn marked() -> Image {
        let mut image = [0; 64];
        image[0] = 1;
        image[63] = 2;
        image[3 * 8 + 4] = 3;
        image
    }

    /// The (row, col, value) of the non-zero pixels.
    fn marks(image: &Image) -> Vec<(usize, usize, u8)> {
        (0..64)
            .filter(|&i| image[i] != 0)
            .map(|i| (i / 8, i % 8, image[i]))
            .collect()
    }

    #[test]
    fn shifts_by_hand() {
        let shift = |dx, dy| marks(&shift_image(&marked(), Shift { dx, dy }));
        assert_eq!(shift(0, 0), [(0, 0, 1), (3, 4, 3), (7, 7, 2)]);
        assert_eq!(shift(1, 0), [(0, 1, 1), (3, 5, 3)]);
        assert_eq!(shift(-1, 0), [(3, 3, 3), (7, 6, 2)]);
        assert_eq!(shift(0, 1), [(1, 0, 1), (4, 4, 3)]);
        assert_eq!(shift(0, -1), [(2, 4, 3), (6, 7, 2)]);
        assert_eq!(shift(1, 1), [(1, 1, 1), (4, 5, 3)]);
        assert_eq!(shift(-1, -1), [(2, 3, 3), (6, 6, 2)]);
        assert_eq!(shift(1, -1), [(2, 5, 3)]);
        assert_eq!(shift(-1, 1), [(4, 3, 3)]);
    }

    #[test]
    fn a_full_image_shifted_leaves_an_empty_edge() {
        let full: Image = std::array::from_fn(|i| (i % 16 + 1) as u8);
        let right_down = shift_image(&full, Shift { dx: 1, dy: 1 });
        for row in 0..8 {
            for col in 0..8 {
                let expected = if row == 0 || col == 0 {
                    0
                } else {
                    full[(row - 1) * 8 + col - 1]
                };
                assert_eq!(right_down[row * 8 + col], expected, "({row}, {col})");
            }
        }
    }

    #[test]
    fn the_nine_shifts() {
        assert_eq!(Shift::ALL.len(), 9);
        for dy in -1..=1 {
            for dx in -1..=1 {
                assert!(Shift::ALL.contains(&Shift { dx, dy }));
            }
        }
    }

    #[test]
    fn deterministic_per_seed_and_epoch_and_uniform() {
        let a = epoch_shifts(42, 3, 9000);
        assert_eq!(a, epoch_shifts(42, 3, 9000));
        assert_eq!(a[..100], epoch_shifts(42, 3, 100));
        assert_ne!(a, epoch_shifts(42, 4, 9000));
        assert_ne!(a, epoch_shifts(43, 3, 9000));
        for shift in Shift::ALL {
            let count = a.iter().filter(|&&s| s == shift).count();
            assert!((800..1200).contains(&count), "{shift:?}: {count} of 9000");
        }
    }

    #[test]
    fn apply_moves_each_image_by_its_drawn_shift() {
        let images: Vec<Image> = (0..50).map(|_| marked()).collect();
        assert_eq!(Augmentation::None.apply(&images, 7, 0), images);
        let moved = Augmentation::Shift.apply(&images, 7, 2);
        assert_eq!(moved, Augmentation::Shift.apply(&images, 7, 2));
        for (image, shift) in moved.iter().zip(epoch_shifts(7, 2, 50)) {
            assert_eq!(*image, shift_image(&marked(), shift));
        }
        assert!(moved.iter().any(|image| *image != marked()));
    }

    #[test]
    fn names() {
        for kind in Augmentation::ALL {
            assert_eq!(kind.name().parse::<Augmentation>(), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
        assert_eq!(Augmentation::default(), Augmentation::None);
        assert_eq!(
            "flip".parse::<Augmentation>().unwrap_err(),
            "unknown augmentation `flip` (expected none or shift)"
        );
    }
}
