//! The data: parsing and validating CSV files, the bundled data sets, splits, K-fold and
//! augmentation.

mod augment;
mod bundled;
mod csv;
mod dataset;
mod split;

pub use augment::{Augmentation, Shift, epoch_shifts, shift_image};
pub use bundled::{BUNDLED_CSV, BUNDLED_SOURCE, BundledData, UCI_CSV, bundled};
pub use csv::{CsvError, MAX_CSV_BYTES, parse_csv};
pub use dataset::{Dataset, Image};
pub use split::{Split, SplitError, SplitKind, k_fold, train_test_split};
