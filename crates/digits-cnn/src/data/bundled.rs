//! The data sets compiled into the crate (see `crates/digits-cnn/data/README.md` for their
//! attribution, licence and checksums): [`BundledData::Uci`], UCI's full 5,620 rows, and
//! [`BundledData::Digits`], its 1,797-row test partition as scikit-learn ships it.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::csv::parse_csv;
use super::dataset::Dataset;

/// The bundled CSV text: 1,797 rows of 64 pixels (0..=16) and a label (0..=9), no header.
/// These are the last lines of [`UCI_CSV`] (its test partition), so the text is a slice of
/// that file rather than a second copy in every build; `data/digits.csv` holds the same bytes
/// for scripts outside Digit Lab, and a test keeps the two equal.
///
/// E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
/// Learning Repository, doi:10.24432/C50P49, licensed CC BY 4.0.
pub const BUNDLED_CSV: &str = after_lines(UCI_CSV, 1 + UCI_TRAINING_PARTITION_ROWS);

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

/// The full UCI CSV text: a header (`Attribute1..Attribute64,class`), then UCI's 3,823
/// training-partition rows (30 writers), then its 1,797 test-partition rows (13 others).
pub const UCI_CSV: &str = include_str!("../../data/optdigits-uci.csv");

/// Rows of UCI's training partition, the first rows of [`UCI_CSV`]: the `writers` split
/// trains on these and tests on the rest, written by other people.
const UCI_TRAINING_PARTITION_ROWS: usize = 3_823;

/// The text after the first `lines` lines of `text`, found at compile time.
const fn after_lines(text: &str, lines: usize) -> &str {
    let bytes = text.as_bytes();
    let (mut at, mut seen) = (0, 0);
    while seen < lines {
        if bytes[at] == b'\n' {
            seen += 1;
        }
        at += 1;
    }
    text.split_at(at).1
}

/// A data set compiled into the crate, by the name the CLI (`--data`), the URL (`data=`)
/// and the page use for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundledData {
    /// UCI's 5,620 rows by 43 writers: the course notebook's data.
    Uci,
    /// UCI's 1,797-row test partition by 13 writers, as scikit-learn ships it: quick runs.
    Digits,
}

impl BundledData {
    /// Every bundled data set, in the order a menu lists them.
    pub const ALL: [BundledData; 2] = [BundledData::Uci, BundledData::Digits];

    /// The data set called `name` (`uci` or `digits`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|data| data.name() == name)
    }

    /// The name used on the command line, in URLs and in run records.
    pub fn name(self) -> &'static str {
        match self {
            BundledData::Uci => "uci",
            BundledData::Digits => "digits",
        }
    }

    /// Number of rows.
    pub fn rows(self) -> usize {
        match self {
            BundledData::Uci => 5_620,
            BundledData::Digits => 1_797,
        }
    }

    /// One line for the page and the CLI: what the data is and whose it is.
    pub fn source(self) -> &'static str {
        match self {
            BundledData::Uci => {
                "UCI optdigits, 5,620 rows by 43 writers (Alpaydin & Kaynak, doi:10.24432/C50P49, CC BY 4.0)"
            }
            BundledData::Digits => BUNDLED_SOURCE,
        }
    }

    /// The name of its CSV file in the repository (`crates/digits-cnn/data/`), which a
    /// script outside Digit Lab (the Keras export) reads.
    pub fn file_name(self) -> &'static str {
        match self {
            BundledData::Uci => "optdigits-uci.csv",
            BundledData::Digits => "digits.csv",
        }
    }

    /// The CSV text compiled into the crate.
    pub fn csv(self) -> &'static str {
        match self {
            BundledData::Uci => UCI_CSV,
            BundledData::Digits => BUNDLED_CSV,
        }
    }

    /// The rows, parsed on first use and kept: later calls cost nothing.
    pub fn dataset(self) -> &'static Dataset {
        static UCI: OnceLock<Dataset> = OnceLock::new();
        static DIGITS: OnceLock<Dataset> = OnceLock::new();
        let cell = match self {
            BundledData::Uci => &UCI,
            BundledData::Digits => &DIGITS,
        };
        cell.get_or_init(|| {
            parse_csv(self.csv().as_bytes()).expect("the bundled CSV files are valid")
        })
    }

    /// Where UCI's training partition ends: its rows are `0..end`, the other writers' rows
    /// `end..`. `None` when the data does not hold both partitions.
    pub fn writers_boundary(self) -> Option<usize> {
        match self {
            BundledData::Uci => Some(UCI_TRAINING_PARTITION_ROWS),
            BundledData::Digits => None,
        }
    }
}

/// Shows the name.
impl fmt::Display for BundledData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uci_has_5620_rows_the_header_skipped_and_both_partitions() {
        let data = BundledData::Uci.dataset();
        assert_eq!(data.len(), 5620);
        assert_eq!(data.len(), BundledData::Uci.rows());
        assert!(UCI_CSV.starts_with("Attribute1,Attribute2,"));
        assert_eq!(UCI_CSV.lines().count(), 5621, "a header and 5,620 rows");
        assert_eq!(
            data.class_counts(),
            [554, 571, 557, 572, 568, 558, 558, 566, 554, 562]
        );
        let training = data.subset(&(0..3823).collect::<Vec<_>>());
        assert_eq!(
            training.class_counts(),
            [376, 389, 380, 389, 387, 376, 377, 387, 380, 382]
        );
        // The last 1,797 rows are UCI's test partition: scikit-learn's digits, row for row.
        let test = data.subset(&(3823..5620).collect::<Vec<_>>());
        assert_eq!(&test, BundledData::Digits.dataset());
    }

    #[test]
    fn names_round_trip_and_digits_is_the_bundled_set() {
        for data in BundledData::ALL {
            assert_eq!(BundledData::from_name(data.name()), Some(data));
            assert_eq!(data.to_string(), data.name());
            assert_eq!(data.dataset().len(), data.rows());
            let json = serde_json::to_string(&data).unwrap();
            assert_eq!(json, format!("\"{}\"", data.name()));
        }
        assert_eq!(BundledData::from_name("UCI"), None);
        assert_eq!(BundledData::from_name("mnist"), None);
        assert_eq!(BundledData::Digits.dataset(), &bundled());
        assert!(BundledData::Uci.source().contains("5,620"));
        assert!(BundledData::Uci.source().contains("CC BY 4.0"));
        assert!(BundledData::Digits.source().contains("1,797"));
        assert_eq!(BundledData::Uci.writers_boundary(), Some(3823));
        assert_eq!(BundledData::Digits.writers_boundary(), None);
        // Cached: the same rows, not parsed again.
        assert!(std::ptr::eq(
            BundledData::Uci.dataset(),
            BundledData::Uci.dataset()
        ));
    }

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
    fn bundled_text_is_the_repository_file_digits_csv() {
        assert_eq!(BUNDLED_CSV, include_str!("../../data/digits.csv"));
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
