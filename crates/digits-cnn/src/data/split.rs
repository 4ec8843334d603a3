//! Seeded train/test splits (plain or stratified), the `writers` split of the UCI data,
//! and K-fold cross-validation, as row indices into a [`Dataset`](super::Dataset).
//!
//! The same seed always gives the same split, natively and in wasm: the shuffles use
//! `rand`'s `StdRng` seeded with [`SeedableRng::seed_from_u64`].

use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use super::bundled::BundledData;

/// Row indices of a training part and a test part; together they hold every row once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// The rows to train on, in shuffled order.
    pub train: Vec<usize>,
    /// The rows held out for testing, in shuffled order.
    pub test: Vec<usize>,
}

/// Why a split or a K-fold could not be made, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitError {
    /// What is wrong, e.g. "5 folds need at least 5 rows; the data has 3".
    pub message: String,
}

impl SplitError {
    fn new(message: impl Into<String>) -> Self {
        SplitError {
            message: message.into(),
        }
    }
}

/// Shows the message.
impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SplitError {}

/// How the rows are divided into a training and a test part, by the name the CLI
/// (`--split`), the URL (`split=`) and the form (`#set-split`) use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SplitKind {
    /// The notebook's seeded shuffle, then `test_size` of the rows held out.
    #[default]
    Random,
    /// As `Random`, keeping each class's share equal in both parts.
    Stratified,
    /// UCI's own partition: train on 30 people's handwriting, test on 13 others'. Without
    /// it, the same writers' digits land on both sides and the test flatters the model.
    Writers,
}

impl SplitKind {
    /// Every split, in the order a menu lists them.
    pub const ALL: [SplitKind; 3] = [SplitKind::Random, SplitKind::Stratified, SplitKind::Writers];

    /// The split called `name` (`random`, `stratified` or `writers`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The name used on the command line, in URLs and in run records.
    pub fn name(self) -> &'static str {
        match self {
            SplitKind::Random => "random",
            SplitKind::Stratified => "stratified",
            SplitKind::Writers => "writers",
        }
    }

    /// Splits the rows of `data`, whose labels are `labels`: `data` names the bundled data
    /// set they are, `None` for rows from a file. `test_size` and `seed` apply to `random`
    /// and `stratified`; `writers` takes UCI's partition as it is, in row order.
    ///
    /// # Errors
    ///
    /// A [`SplitError`] as [`train_test_split`] gives, or, for `writers`, when the rows are
    /// not the `uci` data: only there is it known who wrote which rows.
    pub fn split(
        self,
        data: Option<BundledData>,
        labels: &[u8],
        test_size: f64,
        seed: u64,
    ) -> Result<Split, SplitError> {
        match self {
            SplitKind::Random => train_test_split(labels, test_size, seed, false),
            SplitKind::Stratified => train_test_split(labels, test_size, seed, true),
            SplitKind::Writers => writers_split(data, labels.len()),
        }
    }

    /// Whether this split can be made of `rows` rows of `data` (`None`: rows from a file),
    /// so a caller can refuse a run before it starts: every split can but `writers`, whose
    /// error says why.
    ///
    /// # Errors
    ///
    /// The [`SplitError`] that [`split`](Self::split) would give for `writers`.
    pub fn check(self, data: Option<BundledData>, rows: usize) -> Result<(), SplitError> {
        match self {
            SplitKind::Random | SplitKind::Stratified => Ok(()),
            SplitKind::Writers => writers_split(data, rows).map(drop),
        }
    }
}

/// Shows the name.
impl fmt::Display for SplitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a name, for the command line.
impl std::str::FromStr for SplitKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
            .ok_or_else(|| format!("unknown split `{s}` (expected random, stratified or writers)"))
    }
}

/// UCI's training partition for training and its test partition for testing.
fn writers_split(data: Option<BundledData>, rows: usize) -> Result<Split, SplitError> {
    let why = match data {
        Some(data) => match data.writers_boundary() {
            Some(end) if rows == data.rows() => {
                return Ok(Split {
                    train: (0..end).collect(),
                    test: (end..rows).collect(),
                });
            }
            Some(_) => format!(
                "these are not the {} rows of the `{data}` data",
                data.rows()
            ),
            None => format!("the `{data}` data holds one partition of UCI's writers"),
        },
        None => "a file does not say who wrote which rows".to_owned(),
    };
    Err(SplitError::new(format!(
        "the writers split is offered for the `uci` data only, which keeps UCI's partition \
         by writer (3,823 rows by 30 people, then 1,797 by 13 others); {why}"
    )))
}

/// Splits rows into a training and a test part, shuffled with `seed`.
///
/// The test part has `ceil(test_size × n)` rows, as in scikit-learn's
/// `train_test_split`, and the training part the rest (1,797 rows at 0.2: 1,437 / 360).
/// With `stratify`, each class (each distinct value in `labels`) contributes to the test
/// part in proportion to its size; the rounding is by largest remainder (ties broken by the
/// seed), so the totals are exactly those of the plain split.
///
/// # Errors
///
/// A [`SplitError`] when `test_size` is not strictly between 0 and 1, or when there are
/// too few rows for both parts to be non-empty.
pub fn train_test_split(
    labels: &[u8],
    test_size: f64,
    seed: u64,
    stratify: bool,
) -> Result<Split, SplitError> {
    let n_test = checked_test_rows(labels.len(), test_size)?;
    let mut rng = StdRng::seed_from_u64(seed);
    Ok(if stratify {
        stratified_split(labels, n_test, &mut rng)
    } else {
        random_split(labels.len(), n_test, &mut rng)
    })
}

/// The number of test rows for `n` rows at `test_size`, or an error when `test_size` is
/// not strictly between 0 and 1 or either part would be empty.
fn checked_test_rows(n: usize, test_size: f64) -> Result<usize, SplitError> {
    if !(test_size > 0.0 && test_size < 1.0) {
        return Err(SplitError::new(format!(
            "the test fraction must be between 0 and 1 (both excluded); got {test_size}"
        )));
    }
    let n_test = test_rows(n, test_size);
    if n == 0 || n_test >= n {
        return Err(SplitError::new(format!(
            "the data has {}; a {test_size} test split needs at least {}",
            rows_text(n),
            rows_text(min_rows(test_size))
        )));
    }
    Ok(n_test)
}

/// All `n` rows shuffled, the first `n_test` of them for testing.
fn random_split(n: usize, n_test: usize, rng: &mut StdRng) -> Split {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let train = order.split_off(n_test);
    Split { train, test: order }
}

/// Each class's rows shuffled, its share of the `n_test` test rows taken from the front;
/// both parts are shuffled again so that classes are mixed.
fn stratified_split(labels: &[u8], n_test: usize, rng: &mut StdRng) -> Split {
    let n = labels.len();
    let mut by_class = rows_by_class(labels);
    let take = class_test_rows(&by_class, n, n_test, rng);
    let mut split = Split {
        train: Vec::with_capacity(n - n_test),
        test: Vec::with_capacity(n_test),
    };
    for (rows, &count) in by_class.iter_mut().zip(&take) {
        rows.shuffle(rng);
        split.test.extend_from_slice(&rows[..count]);
        split.train.extend_from_slice(&rows[count..]);
    }
    split.train.shuffle(rng);
    split.test.shuffle(rng);
    split
}

/// The row indices of each label value, indexed by the value (all 256, most empty).
fn rows_by_class(labels: &[u8]) -> Vec<Vec<usize>> {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); usize::from(u8::MAX) + 1];
    for (row, &label) in labels.iter().enumerate() {
        by_class[usize::from(label)].push(row);
    }
    by_class
}

/// How many test rows each class gives, out of `n_test` for `n` rows in all. Each class's
/// exact share is size × n_test / n: its floor, plus one more for the classes with the
/// largest remainders (ties broken by `rng`) until the total is n_test.
fn class_test_rows(
    by_class: &[Vec<usize>],
    n: usize,
    n_test: usize,
    rng: &mut StdRng,
) -> Vec<usize> {
    // In u64: size × n_test overflows a 32-bit usize (wasm32) from about 65,000 rows.
    let share = |size: usize| {
        let scaled = size as u64 * n_test as u64;
        (scaled / n as u64, scaled % n as u64)
    };
    let mut take: Vec<usize> = by_class
        .iter()
        .map(|rows| share(rows.len()).0 as usize)
        .collect();
    let missing = n_test - take.iter().sum::<usize>();
    let mut classes: Vec<usize> = (0..by_class.len())
        .filter(|&c| !by_class[c].is_empty())
        .collect();
    classes.shuffle(rng);
    classes.sort_by_key(|&c| std::cmp::Reverse(share(by_class[c].len()).1));
    for &c in &classes[..missing] {
        take[c] += 1;
    }
    take
}

/// Splits `n` rows into `k` folds for cross-validation, shuffled with `seed`: split `i`
/// tests on fold `i` and trains on the others. Fold sizes differ by at most one (the first
/// `n % k` folds have the extra row), and every row is in exactly one test fold.
///
/// # Errors
///
/// A [`SplitError`] when `k < 2` or `k > n`.
pub fn k_fold(n: usize, k: usize, seed: u64) -> Result<Vec<Split>, SplitError> {
    if k < 2 {
        return Err(SplitError::new(format!(
            "cross-validation needs at least 2 folds; got {k}"
        )));
    }
    if k > n {
        return Err(SplitError::new(format!(
            "{k} folds need at least {k} rows; the data has {n}"
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let mut start = 0;
    let folds = (0..k)
        .map(|fold| {
            let end = start + n / k + usize::from(fold < n % k);
            let split = Split {
                train: [&order[..start], &order[end..]].concat(),
                test: order[start..end].to_vec(),
            };
            start = end;
            split
        })
        .collect();
    Ok(folds)
}

/// Rows in the test part: `ceil(test_size × n)`, as scikit-learn computes it.
fn test_rows(n: usize, test_size: f64) -> usize {
    (test_size * n as f64).ceil() as usize
}

/// The fewest rows for which a split at `test_size` leaves a training row.
fn min_rows(test_size: f64) -> usize {
    // n − ceil(f·n) ≥ 1 roughly when n ≥ 1 / (1 − f); search near that for the exact
    // float behaviour.
    let estimate = (1.0 / (1.0 - test_size)).floor();
    let estimate = if estimate.is_finite() && estimate < 1e15 {
        estimate as usize
    } else {
        return usize::MAX;
    };
    let from = estimate.saturating_sub(2).max(2);
    (from..from + 8)
        .find(|&n| test_rows(n, test_size) < n)
        .unwrap_or(estimate)
}

fn rows_text(n: usize) -> String {
    if n == 1 {
        "1 row".to_owned()
    } else {
        format!("{n} rows")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels with the bundled data's class sizes, in class order.
    fn digits_labels() -> Vec<u8> {
        let counts = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];
        (0..10u8)
            .flat_map(|c| std::iter::repeat_n(c, counts[usize::from(c)]))
            .collect()
    }

    fn assert_partition(split: &Split, n: usize) {
        let mut all: Vec<usize> = split.train.iter().chain(&split.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..n).collect::<Vec<_>>(), "not a partition of 0..{n}");
    }

    fn class_counts(labels: &[u8], rows: &[usize]) -> [usize; 10] {
        let mut counts = [0; 10];
        for &r in rows {
            counts[usize::from(labels[r])] += 1;
        }
        counts
    }

    #[test]
    fn sizes_match_scikit_learn() {
        let labels = digits_labels();
        assert_eq!(labels.len(), 1797);
        for stratify in [false, true] {
            let split = train_test_split(&labels, 0.2, 42, stratify).unwrap();
            assert_eq!((split.train.len(), split.test.len()), (1437, 360));
            assert_partition(&split, 1797);
        }
        let cases = [
            (10, 0.25, 3),
            (10, 0.2, 2),
            (3, 0.5, 2),
            (2, 0.5, 1),
            (100, 0.33, 33),
        ];
        for (n, fraction, n_test) in cases {
            let split = train_test_split(&vec![0; n], fraction, 1, false).unwrap();
            assert_eq!(split.test.len(), n_test, "{n} rows at {fraction}");
            assert_eq!(split.train.len(), n - n_test);
        }
    }

    #[test]
    fn deterministic_per_seed_and_seeds_differ() {
        let labels = digits_labels();
        for stratify in [false, true] {
            let a = train_test_split(&labels, 0.2, 7, stratify).unwrap();
            let b = train_test_split(&labels, 0.2, 7, stratify).unwrap();
            let c = train_test_split(&labels, 0.2, 8, stratify).unwrap();
            assert_eq!(a, b);
            assert_ne!(a.test, c.test);
            // Shuffled, not in row order.
            assert!(a.test.windows(2).any(|w| w[0] > w[1]));
            assert!(a.train.windows(2).any(|w| w[0] > w[1]));
        }
        assert_eq!(k_fold(100, 5, 3).unwrap(), k_fold(100, 5, 3).unwrap());
        assert_ne!(k_fold(100, 5, 3).unwrap(), k_fold(100, 5, 4).unwrap());
    }

    #[test]
    fn stratified_proportions() {
        let labels = digits_labels();
        let counts = class_counts(&labels, &(0..labels.len()).collect::<Vec<_>>());
        for seed in 0..20 {
            let split = train_test_split(&labels, 0.2, seed, true).unwrap();
            let test = class_counts(&labels, &split.test);
            for c in 0..10 {
                let exact = counts[c] as f64 * 360.0 / 1797.0;
                assert!(
                    test[c] == exact.floor() as usize || test[c] == exact.ceil() as usize,
                    "class {c}: {} test rows, exact share {exact}",
                    test[c]
                );
            }
            assert_eq!(test.iter().sum::<usize>(), 360);
        }
        // Unequal classes: 90 / 10 rows at 0.3 → exactly 27 / 3 in the test part.
        let labels: Vec<u8> = [vec![3u8; 90], vec![8u8; 10]].concat();
        let split = train_test_split(&labels, 0.3, 5, true).unwrap();
        let test = class_counts(&labels, &split.test);
        assert_eq!((test[3], test[8]), (27, 3));
        // An unstratified split of the same rarely hits that exactly; over seeds, often not.
        let uneven = (0..20)
            .map(|seed| train_test_split(&labels, 0.3, seed, false).unwrap())
            .filter(|s| class_counts(&labels, &s.test)[8] != 3)
            .count();
        assert!(uneven > 0);
    }

    #[test]
    fn stratified_largest_remainder_totals() {
        // Three classes of 1 row at 0.5: n_test = 2, shares 0.5 each, two get a test row.
        let labels = [0u8, 1, 2];
        for seed in 0..10 {
            let split = train_test_split(&labels, 0.5, seed, true).unwrap();
            assert_eq!((split.train.len(), split.test.len()), (1, 2));
            assert_partition(&split, 3);
        }
        // Labels need not be 0..9.
        let labels = [200u8, 200, 200, 7, 7, 7, 7];
        let split = train_test_split(&labels, 0.4, 1, true).unwrap();
        assert_eq!(split.test.len(), 3);
        assert_partition(&split, 7);
        // A single class stratifies like a plain split.
        let split = train_test_split(&[4u8; 10], 0.2, 1, true).unwrap();
        assert_eq!((split.train.len(), split.test.len()), (8, 2));
    }

    #[test]
    fn split_errors() {
        let e = train_test_split(&[0, 1, 2], 0.2, 1, false).unwrap();
        assert_eq!((e.train.len(), e.test.len()), (2, 1));
        let e = train_test_split(&[0], 0.2, 1, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the data has 1 row; a 0.2 test split needs at least 2 rows"
        );
        let e = train_test_split(&[], 0.2, 1, true).unwrap_err();
        assert_eq!(
            e.message,
            "the data has 0 rows; a 0.2 test split needs at least 2 rows"
        );
        let e = train_test_split(&[0; 3], 0.7, 1, false).unwrap_err();
        assert_eq!(
            e.message,
            "the data has 3 rows; a 0.7 test split needs at least 4 rows"
        );
        assert!(train_test_split(&[0; 4], 0.7, 1, false).is_ok());
        let e = train_test_split(&[0; 9], 0.9, 1, false).unwrap_err();
        assert!(e.message.ends_with("needs at least 10 rows"), "{e}");
        assert!(train_test_split(&[0; 10], 0.9, 1, false).is_ok());
        for bad in [0.0, 1.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            let e = train_test_split(&[0; 10], bad, 1, false).unwrap_err();
            assert!(
                e.message
                    .starts_with("the test fraction must be between 0 and 1"),
                "{e}"
            );
        }
    }

    #[test]
    fn min_rows_is_exact() {
        for fraction in [0.01, 0.1, 0.2, 1.0 / 3.0, 0.5, 0.7, 0.9, 0.99, 0.999] {
            let m = min_rows(fraction);
            assert!(test_rows(m, fraction) < m, "{fraction}: {m}");
            assert!(test_rows(m - 1, fraction) >= m - 1, "{fraction}: {m}");
        }
    }

    #[test]
    fn k_fold_covers_every_row_once() {
        for (n, k) in [(1797, 5), (10, 3), (5, 5), (7, 2), (103, 10)] {
            let folds = k_fold(n, k, 42).unwrap();
            assert_eq!(folds.len(), k);
            let mut seen = vec![0; n];
            for split in &folds {
                assert_partition(split, n);
                for &r in &split.test {
                    seen[r] += 1;
                }
            }
            assert!(seen.iter().all(|&s| s == 1), "{n} rows, {k} folds");
            let sizes: Vec<usize> = folds.iter().map(|s| s.test.len()).collect();
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(max - min <= 1, "{sizes:?}");
        }
        let sizes: Vec<usize> = k_fold(1797, 5, 0)
            .unwrap()
            .iter()
            .map(|s| s.test.len())
            .collect();
        assert_eq!(sizes, [360, 360, 359, 359, 359]);
    }

    #[test]
    fn k_fold_errors() {
        assert_eq!(
            k_fold(3, 5, 0).unwrap_err().to_string(),
            "5 folds need at least 5 rows; the data has 3"
        );
        assert_eq!(
            k_fold(100, 1, 0).unwrap_err().message,
            "cross-validation needs at least 2 folds; got 1"
        );
        assert!(k_fold(0, 0, 0).is_err());
        assert!(k_fold(2, 2, 0).is_ok());
    }

    #[test]
    fn writers_split_takes_ucis_partition_exactly() {
        let labels = &BundledData::Uci.dataset().labels;
        for seed in [0, 42] {
            let split = SplitKind::Writers
                .split(Some(BundledData::Uci), labels, 0.2, seed)
                .unwrap();
            assert_eq!(split.train, (0..3823).collect::<Vec<_>>());
            assert_eq!(split.test, (3823..5620).collect::<Vec<_>>());
        }
    }

    #[test]
    fn writers_split_elsewhere_says_why() {
        let digits = &BundledData::Digits.dataset().labels;
        let e = SplitKind::Writers
            .split(Some(BundledData::Digits), digits, 0.2, 1)
            .unwrap_err();
        assert!(
            e.message
                .starts_with("the writers split is offered for the `uci` data only"),
            "{e}"
        );
        assert!(
            e.message
                .ends_with("the `digits` data holds one partition of UCI's writers"),
            "{e}"
        );
        let e = SplitKind::Writers.split(None, digits, 0.2, 1).unwrap_err();
        assert!(
            e.message
                .ends_with("a file does not say who wrote which rows"),
            "{e}"
        );
        let e = SplitKind::Writers
            .split(Some(BundledData::Uci), digits, 0.2, 1)
            .unwrap_err();
        assert!(
            e.message
                .ends_with("these are not the 5620 rows of the `uci` data"),
            "{e}"
        );
    }

    #[test]
    fn check_refuses_what_split_refuses_and_nothing_else() {
        let uci = Some(BundledData::Uci);
        assert_eq!(SplitKind::Writers.check(uci, 5620), Ok(()));
        let digits = &BundledData::Digits.dataset().labels;
        for data in [Some(BundledData::Digits), None] {
            let refused = SplitKind::Writers.split(data, digits, 0.2, 1).unwrap_err();
            assert_eq!(SplitKind::Writers.check(data, 1797), Err(refused));
            for kind in [SplitKind::Random, SplitKind::Stratified] {
                assert_eq!(kind.check(data, 1797), Ok(()));
            }
        }
    }

    #[test]
    fn split_kinds_by_name_and_the_random_ones_as_before() {
        for kind in SplitKind::ALL {
            assert_eq!(SplitKind::from_name(kind.name()), Some(kind));
            assert_eq!(kind.name().parse::<SplitKind>(), Ok(kind));
            assert_eq!(kind.to_string(), kind.name());
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<SplitKind>(&json).unwrap(), kind);
        }
        assert_eq!(SplitKind::default(), SplitKind::Random);
        assert_eq!(
            "folds".parse::<SplitKind>().unwrap_err(),
            "unknown split `folds` (expected random, stratified or writers)"
        );
        let labels = digits_labels();
        for (kind, stratify) in [(SplitKind::Random, false), (SplitKind::Stratified, true)] {
            for data in [None, Some(BundledData::Digits)] {
                assert_eq!(
                    kind.split(data, &labels, 0.2, 9).unwrap(),
                    train_test_split(&labels, 0.2, 9, stratify).unwrap()
                );
            }
        }
    }

    #[test]
    fn errors_serialize() {
        let e = k_fold(3, 5, 0).unwrap_err();
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<SplitError>(&json).unwrap(), e);
        let s = k_fold(4, 2, 0).unwrap().remove(0);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Split>(&json).unwrap(), s);
    }
}
