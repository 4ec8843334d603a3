//! The data set compiled into the crate: the UCI optdigits test partition, byte-identical to
//! scikit-learn's `digits.csv` (see `crates/digits-cnn/data/README.md` for its attribution,
//! licence and checksum).

use super::csv::parse_csv;
use super::dataset::Dataset;

/// The bundled CSV text: 1,797 rows of 64 pixels (0..=16) and a label (0..=9), no header.
///
/// E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
/// Learning Repository, doi:10.24432/C50P49, licensed CC BY 4.0.
pub const BUNDLED_CSV: &str = include_str!("../../data/digits.csv");

/// A short human name for the bundled data, for the page and the CLI.
pub const BUNDLED_SOURCE: &str =
    "UCI optdigits test partition (1,797 rows, as shipped by scikit-learn)";

/// The bundled data set, parsed from [`BUNDLED_CSV`] (well under a millisecond natively).
///
/// # Panics
///
/// Never in practice: the file is fixed at compile time and a test checks that it parses.
pub fn bundled() -> Dataset {
    parse_csv(BUNDLED_CSV.as_bytes()).expect("the bundled digits.csv is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_has_1797_rows_and_the_known_class_counts() {
        let data = bundled();
        assert_eq!(data.len(), 1797);
        assert_eq!(data.images.len(), 1797);
        assert_eq!(
            data.class_counts(),
            [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
    }

    #[test]
    fn bundled_first_and_last_rows() {
        let data = bundled();
        // The first row of scikit-learn's digits: a 0.
        let first: Vec<u8> = "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,\
                              0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0"
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(data.images[0].as_slice(), first.as_slice());
        assert_eq!(data.labels[0], 0);
        assert_eq!(data.labels[..10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(data.labels[1796], 8);
        assert!(data.images.iter().flatten().all(|&p| p <= 16));
        assert_eq!(data.images.iter().flatten().copied().max(), Some(16));
    }

    #[test]
    fn bundled_text_is_plain_integer_csv() {
        assert_eq!(BUNDLED_CSV.len(), BUNDLED_CSV.trim_end().len() + 1);
        assert_eq!(BUNDLED_CSV.lines().count(), 1797);
        assert!(!BUNDLED_CSV.contains('\r'));
        assert!(!BUNDLED_CSV.contains('.'));
        assert!(BUNDLED_SOURCE.contains("1,797"));
    }
}
