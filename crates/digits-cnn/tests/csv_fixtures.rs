//! The CSV parser against the malformed-file corpus in `tests/fixtures/csv/` at the repo
//! root (each file's expected outcome is in `EXPECTED.json` there, read by the reader shared
//! with the CLI's tests, `tests/fixtures/csv_expected.rs`), the size limit, and
//! property tests: no input makes it panic, and valid rows round-trip.

#![cfg(not(target_arch = "wasm32"))]

use digits_cnn::data::{MAX_CSV_BYTES, parse_csv};
use proptest::prelude::*;

#[path = "../../../tests/fixtures/csv_expected.rs"]
mod csv_expected;

use csv_expected::{Expected, expected, fixtures_dir};

/// The fixture files on disk: everything but the list, its README and dotfiles.
fn fixture_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/csv exists")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| !["EXPECTED.json", "README.md"].contains(&name.as_str()))
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_is_listed_and_every_listed_file_exists() {
    let files = fixture_files();
    let listed: Vec<String> = expected().into_keys().collect();
    assert!(files.len() >= 25, "only {} fixtures", files.len());
    let unlisted: Vec<&String> = files.iter().filter(|f| !listed.contains(f)).collect();
    let missing: Vec<&String> = listed.iter().filter(|f| !files.contains(f)).collect();
    assert!(unlisted.is_empty(), "not in EXPECTED.json: {unlisted:?}");
    assert!(missing.is_empty(), "listed but missing: {missing:?}");
}

#[test]
fn fixtures_parse_as_expected() {
    let mut failures = Vec::new();
    for (file, expected) in expected() {
        let bytes = std::fs::read(fixtures_dir().join(&file)).unwrap();
        match (parse_csv(&bytes), expected) {
            (Ok(data), Expected::Rows(rows)) if data.len() == rows => {}
            (Err(e), Expected::Error(want)) if e.to_string().contains(&want) => {
                // Errors inside the file name their line; whole-file ones use line 0.
                assert_eq!(e.line == 0, !e.to_string().starts_with("line "), "{file}");
            }
            (got, want) => failures.push(format!("{file}: expected {want:?}, got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fixtures_cover_the_robustness_cases() {
    let table = expected();
    let errors = table
        .values()
        .filter(|e| matches!(e, Expected::Error(_)))
        .count();
    assert!(errors >= 20, "{errors} error fixtures");
    for file in ["single_class.csv", "one_row.csv", "three_rows.csv"] {
        assert!(
            matches!(table.get(file), Some(Expected::Rows(_))),
            "{file} should parse: the split and training layers refuse it"
        );
    }
}

#[test]
fn a_50_mb_input_is_refused_for_its_size() {
    // Valid rows all the way: only the size is wrong.
    let row = "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,\
               0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,0\n";
    let mut input = Vec::with_capacity(50_000_000 + row.len());
    while input.len() < 50_000_000 {
        input.extend_from_slice(row.as_bytes());
    }
    let start = std::time::Instant::now();
    let e = parse_csv(&input).unwrap_err();
    assert!(
        start.elapsed().as_millis() < 50,
        "the size check should come first"
    );
    assert_eq!((e.line, e.column), (0, None));
    assert_eq!(
        e.message,
        "the file is too large (47.7 MiB); the limit is 10 MiB"
    );
    assert_eq!(MAX_CSV_BYTES, 10 * 1024 * 1024);
    // The same rows within the limit parse.
    let under = &input[..(MAX_CSV_BYTES / row.len()) * row.len()];
    assert_eq!(parse_csv(under).unwrap().len(), MAX_CSV_BYTES / row.len());
}

/// One valid row of pixels 0..=16 and a label 0..=9.
fn valid_row() -> impl Strategy<Value = (Vec<u8>, u8)> {
    (prop::collection::vec(0u8..=16, 64), 0u8..=9)
}

fn row_text(pixels: &[u8], label: u8) -> String {
    let mut fields: Vec<String> = pixels.iter().map(u8::to_string).collect();
    fields.push(label.to_string());
    fields.join(",")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_csv(&bytes);
    }

    #[test]
    fn never_panics_on_csv_like_bytes(
        bytes in prop::collection::vec(
            prop::sample::select(b"0123456789,.-+eE \t\r\n\";NaIf\xEF\xBB\xBF\xFF\x00".to_vec()),
            0..1024,
        )
    ) {
        if let Err(e) = parse_csv(&bytes) {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn never_panics_on_mutated_valid_csv(
        rows in prop::collection::vec(valid_row(), 1..6),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes: Vec<u8> = rows
            .iter()
            .map(|(pixels, label)| row_text(pixels, *label) + "\n")
            .collect::<String>()
            .into_bytes();
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => { bytes.remove(i); }
                _ if i < bytes.len() => bytes[i] = byte,
                _ => bytes.push(byte),
            }
        }
        match parse_csv(&bytes) {
            Ok(data) => {
                prop_assert_eq!(data.images.len(), data.labels.len());
                prop_assert!(data.labels.iter().all(|&l| l <= 9));
                prop_assert!(data.images.iter().flatten().all(|&p| p <= 16));
            }
            Err(e) => {
                let lines = bytes.split(|&b| b == b'\n').count();
                prop_assert!(e.line <= lines, "line {} of {}", e.line, lines);
                prop_assert!(e.column.is_none_or(|c| c >= 1));
                prop_assert_eq!(e.line == 0, e.column.is_none() && !e.to_string().starts_with("line "));
            }
        }
    }

    #[test]
    fn valid_rows_round_trip(
        rows in prop::collection::vec(valid_row(), 1..40),
        crlf in any::<bool>(),
        header in any::<bool>(),
        bom in any::<bool>(),
        trailing_newline in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{FEFF}');
        }
        if header {
            let names: Vec<String> = (1..=64).map(|i| format!("pixel_{i}")).collect();
            text.push_str(&names.join(","));
            text.push_str(",label");
            text.push_str(newline);
        }
        let body: Vec<String> = rows.iter().map(|(p, l)| row_text(p, *l)).collect();
        text.push_str(&body.join(newline));
        if trailing_newline {
            text.push_str(newline);
        }
        let data = parse_csv(text.as_bytes()).unwrap();
        prop_assert_eq!(data.len(), rows.len());
        for ((pixels, label), (image, parsed)) in rows.iter().zip(data.images.iter().zip(&data.labels)) {
            prop_assert_eq!(pixels.as_slice(), image.as_slice());
            prop_assert_eq!(label, parsed);
        }
    }

    #[test]
    fn one_bad_value_is_reported_at_its_line_and_column(
        rows in prop::collection::vec(valid_row(), 1..20),
        row_pick in any::<prop::sample::Index>(),
        column in 1usize..=65,
        bad in prop_oneof![
            (17u32..1000).prop_map(|v| v.to_string()),
            (1u32..1000).prop_map(|v| format!("-{v}")),
            Just("x".to_owned()),
            Just("1.5".to_owned()),
            Just(String::new()),
        ],
    ) {
        let line = row_pick.index(rows.len());
        let mut body: Vec<String> = rows.iter().map(|(p, l)| row_text(p, *l)).collect();
        let mut fields: Vec<String> = body[line].split(',').map(str::to_owned).collect();
        // Labels 10..16 are bad too; pixels need 17 or more, which `bad` always is.
        fields[column - 1] = bad;
        body[line] = fields.join(",");
        let e = parse_csv(body.join("\n").as_bytes()).unwrap_err();
        prop_assert_eq!((e.line, e.column), (line + 1, Some(column)), "{}", e);
    }
}
