//! The data: parsing and validating CSV files, the bundled data set, splits and K-fold.

mod bundled;
mod csv;
mod dataset;
mod split;

pub use bundled::{BUNDLED_CSV, BUNDLED_SOURCE, bundled};
pub use csv::{CsvError, MAX_CSV_BYTES, parse_csv};
pub use dataset::{Dataset, Image};
pub use split::{Split, SplitError, k_fold, train_test_split};
