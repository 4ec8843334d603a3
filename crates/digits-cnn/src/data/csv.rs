//! Parsing and validating a CSV of 8×8 digits: 64 pixel columns (each 0..=16), then the
//! label (0..=9), one image per line.
//!
//! What is accepted besides plain rows: one header row (a first line of 65 fields none of
//! which is a number, like UCI's `Attribute1,...,Attribute64,class`), LF or CRLF line
//! endings, a UTF-8 byte-order mark, spaces or tabs around fields, numbers in double quotes
//! (`"5"`), whole numbers written as floats (`5.0`, `1.6e+01`), and blank lines at the end.
//!
//! Everything else is refused with a [`CsvError`] that names the line, and the column where
//! one applies, and says what is wrong in plain words. The first problem in file order is
//! the one reported.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::dataset::{Dataset, Image};
use crate::{CLASSES, MAX_PIXEL, PIXELS};

/// The largest input accepted, in bytes (10 MiB). Bigger input is refused up front, before
/// any parsing, so a wrong file (a video, a disk image) cannot stall the page.
pub const MAX_CSV_BYTES: usize = 10 * 1024 * 1024;

/// The longest line accepted, in bytes, line ending excluded. A valid row is at most a few
/// hundred bytes, even written as floats; a longer line means the wrong kind of file.
const MAX_LINE_BYTES: usize = 4 * 1024;

/// Fields in a row: the pixels, then the label.
const COLUMNS: usize = PIXELS + 1;

/// How many characters of a bad value an error message quotes.
const MAX_QUOTED_CHARS: usize = 20;

/// Why a CSV file was refused, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvError {
    /// The 1-based line number of the problem; 0 when the problem is the file as a whole
    /// (too large, empty, no data rows).
    pub line: usize,
    /// The 1-based column (field) number of the problem, when it lies in one field.
    pub column: Option<usize>,
    /// What is wrong, in plain words, without the line and column (see [`fmt::Display`]).
    pub message: String,
}

impl CsvError {
    fn file(message: impl Into<String>) -> Self {
        CsvError {
            line: 0,
            column: None,
            message: message.into(),
        }
    }

    fn at(line: usize, column: Option<usize>, message: impl Into<String>) -> Self {
        CsvError {
            line,
            column,
            message: message.into(),
        }
    }
}

/// Shows the place then the problem, e.g. `line 12, column 65: label 10 is outside 0..9`,
/// `line 3, column 65: the row has 64 columns, expected 65`, or just the message when the
/// problem is the file as a whole.
impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => f.write_str(&self.message),
            (line, None) => write!(f, "line {line}: {}", self.message),
            (line, Some(column)) => write!(f, "line {line}, column {column}: {}", self.message),
        }
    }
}

impl std::error::Error for CsvError {}

/// Parses and validates a CSV of digits: each data row is 64 pixels (whole numbers 0..=16)
/// then the label (0..=9), comma-separated. See the [module docs](self) for what else is
/// accepted.
///
/// # Errors
///
/// A [`CsvError`] for the first problem found: input over [`MAX_CSV_BYTES`] (checked
/// before anything else), an empty file, binary or non-UTF-8 content, an over-long line, a
/// blank line before the end, a row without exactly 65 columns, a value that is empty, not
/// a number or not a whole number, a pixel outside 0..=16, a label outside 0..=9, a header
/// anywhere but the first line, or no data rows at all.
pub fn parse_csv(bytes: &[u8]) -> Result<Dataset, CsvError> {
    let body = csv_body(bytes)?;
    let mut rows = CsvRows::with_capacity_for(body.len());
    for (index, raw) in body.split(|&b| b == b'\n').enumerate() {
        rows.read_line(index + 1, raw)?;
    }
    rows.finish()
}

/// The input without its UTF-8 byte-order mark, after the checks on the file as a whole
/// that come before any line is read: its size, UTF-16 text and emptiness.
fn csv_body(bytes: &[u8]) -> Result<&[u8], CsvError> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(CsvError::file(format!(
            "the file is too large ({}); the limit is {}",
            size_text(bytes.len()),
            size_text(MAX_CSV_BYTES)
        )));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CsvError::file(
            "the file is UTF-16 text; save it as UTF-8 (or plain ASCII) CSV",
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::file("the file is empty"));
    }
    Ok(body)
}

/// The rows read so far, and what the lines read so far say about the ones to come.
struct CsvRows {
    dataset: Dataset,
    /// Whether the first line was a header.
    header: bool,
    /// The first blank line since the last non-blank one: an error only if more rows follow.
    blank_since: Option<usize>,
}

impl CsvRows {
    /// Room for as many rows as `body_len` bytes can hold: a valid row is at least 130
    /// bytes ("0," × 64 + label + newline).
    fn with_capacity_for(body_len: usize) -> Self {
        let capacity = body_len / (2 * COLUMNS);
        CsvRows {
            dataset: Dataset {
                images: Vec::with_capacity(capacity),
                labels: Vec::with_capacity(capacity),
            },
            header: false,
            blank_since: None,
        }
    }

    /// Reads line number `line` (its bytes without the `\n`): a row, a header, or a blank.
    fn read_line(&mut self, line: usize, raw: &[u8]) -> Result<(), CsvError> {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if let Some((image, label)) = plain_row(raw) {
            return self.push(image, label);
        }
        let text = line_text(raw, line)?;
        check_line_length(raw, line)?;
        if text.trim_ascii().is_empty() {
            self.blank_since.get_or_insert(line);
            return Ok(());
        }
        self.refuse_blank_before()?;
        let (fields, count) = split_fields(text);
        if count > 1 && looks_like_header(&fields[..count.min(COLUMNS)]) {
            check_header(line, count, text)?;
            self.header = true;
            return Ok(());
        }
        if count != COLUMNS {
            return Err(column_count_error(line, count, text, "the row"));
        }
        let (image, label) = parse_row(&fields, line)?;
        self.push(image, label)
    }

    /// Adds a data row, refused when a blank line came before it.
    fn push(&mut self, image: Image, label: u8) -> Result<(), CsvError> {
        self.refuse_blank_before()?;
        self.dataset.images.push(image);
        self.dataset.labels.push(label);
        Ok(())
    }

    /// An error at the blank line before the current non-blank one, if there was one.
    fn refuse_blank_before(&self) -> Result<(), CsvError> {
        match self.blank_since {
            Some(blank) => Err(blank_line_error(blank)),
            None => Ok(()),
        }
    }

    /// The data set, or an error when no line was a data row.
    fn finish(self) -> Result<Dataset, CsvError> {
        if !self.dataset.is_empty() {
            return Ok(self.dataset);
        }
        Err(CsvError::file(if self.header {
            "no data rows: the file has a header but nothing below it"
        } else {
            "no data rows"
        }))
    }
}

/// The fast path for the common case: a valid row of plain integers and commas, nothing
/// else. `None` sends the line through the general path, which accepts the other forms and
/// explains what is wrong with bad rows.
fn plain_row(raw: &[u8]) -> Option<(Image, u8)> {
    let mut image: Image = [0; PIXELS];
    let mut field = 0;
    let mut value = 0u8;
    let mut digits = 0;
    for &b in raw {
        match b {
            // Valid values have at most two digits ("16"), so `value` cannot overflow.
            b'0'..=b'9' if digits < 2 => {
                value = value * 10 + (b - b'0');
                digits += 1;
            }
            b',' if digits > 0 && value <= MAX_PIXEL && field < PIXELS => {
                image[field] = value;
                field += 1;
                value = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    (field == PIXELS && digits > 0 && usize::from(value) < CLASSES).then_some((image, value))
}

fn blank_line_error(line: usize) -> CsvError {
    CsvError::at(
        line,
        None,
        "the line is blank; blank lines are only allowed at the end of the file",
    )
}

/// The line as text, or an error at its first byte that is not text: a control character
/// (binary data) or a byte sequence that is not UTF-8.
fn line_text(raw: &[u8], line: usize) -> Result<&str, CsvError> {
    let control = raw.iter().position(|&b| is_binary_byte(b));
    let (position, message) = match (std::str::from_utf8(raw), control) {
        (Ok(text), None) => return Ok(text),
        (Err(e), control) if control.is_none_or(|c| c > e.valid_up_to()) => {
            let position = e.valid_up_to();
            (
                position,
                format!(
                    "byte 0x{:02X} is not valid UTF-8; a CSV file must be plain text \
                     (UTF-8 or ASCII)",
                    raw[position]
                ),
            )
        }
        (_, control) => {
            let position = control.unwrap_or(0);
            (
                position,
                format!(
                    "found binary data (byte 0x{:02X}); this is not a CSV text file",
                    raw[position]
                ),
            )
        }
    };
    let column = 1 + raw[..position].iter().filter(|&&b| b == b',').count();
    Err(CsvError::at(line, Some(column), message))
}

/// An error when the line is longer than [`MAX_LINE_BYTES`].
fn check_line_length(raw: &[u8], line: usize) -> Result<(), CsvError> {
    if raw.len() <= MAX_LINE_BYTES {
        return Ok(());
    }
    Err(CsvError::at(
        line,
        None,
        format!(
            "the line is {} bytes long; lines longer than {} bytes are refused",
            group_digits(raw.len()),
            group_digits(MAX_LINE_BYTES)
        ),
    ))
}

/// The first [`COLUMNS`] comma-separated fields of `text`, cleaned (see [`clean`]), and how
/// many fields the line has in all; slots past the count stay empty.
fn split_fields(text: &str) -> ([&str; COLUMNS], usize) {
    let mut fields = [""; COLUMNS];
    let mut count = 0;
    for field in text.split(',') {
        if let Some(slot) = fields.get_mut(count) {
            *slot = clean(field);
        }
        count += 1;
    }
    (fields, count)
}

/// An error unless a header of `count` fields on line `line` is allowed: only on the
/// first line, and with as many columns as a row.
fn check_header(line: usize, count: usize, text: &str) -> Result<(), CsvError> {
    if line > 1 {
        return Err(CsvError::at(
            line,
            Some(1),
            "this looks like a header row; a header is only allowed on the first line",
        ));
    }
    if count != COLUMNS {
        return Err(column_count_error(line, count, text, "the header"));
    }
    Ok(())
}

/// The pixels and the label of a row of exactly [`COLUMNS`] fields, or an error at the
/// first field that is not an acceptable value.
fn parse_row(fields: &[&str; COLUMNS], line: usize) -> Result<(Image, u8), CsvError> {
    let mut image: Image = [0; PIXELS];
    for (column, (pixel, field)) in image.iter_mut().zip(fields).enumerate() {
        *pixel = parse_pixel(field).map_err(|m| CsvError::at(line, Some(column + 1), m))?;
    }
    let label = parse_label(fields[PIXELS]).map_err(|m| CsvError::at(line, Some(COLUMNS), m))?;
    Ok((image, label))
}

/// Control characters other than tab and carriage return: no text file has them.
fn is_binary_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\r') || b == 0x7F
}

/// The field without surrounding spaces or tabs, and without one pair of double quotes.
fn clean(field: &str) -> &str {
    let field = trim_blanks(field);
    match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => trim_blanks(inner),
        None => field,
    }
}

/// The text without leading and trailing spaces and tabs (faster than `trim_matches`).
fn trim_blanks(text: &str) -> &str {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    // Both ends are next to ASCII bytes or the ends of the text: character boundaries.
    &text[start..end]
}

/// A header row: no field is a number (nor NaN or infinity) and at least one is not empty.
fn looks_like_header(fields: &[&str]) -> bool {
    fields.iter().all(|f| !is_numberish(f)) && fields.iter().any(|f| !f.is_empty())
}

fn column_count_error(line: usize, count: usize, text: &str, what: &str) -> CsvError {
    let plural = if count == 1 { "column" } else { "columns" };
    let mut message = format!(
        "{what} has {count} {plural}, expected {COLUMNS} ({PIXELS} pixels, then the label)"
    );
    if text.contains(';') {
        message.push_str(
            "; the values look separated by semicolons, but they must be separated by commas",
        );
    } else if text.contains('\t') {
        message
            .push_str("; the values look separated by tabs, but they must be separated by commas");
    }
    // Point at the first missing column, or the first extra one.
    let column = if count < COLUMNS {
        count + 1
    } else {
        COLUMNS + 1
    };
    CsvError::at(line, Some(column), message)
}

/// Why a field is not an acceptable whole number.
enum Problem {
    Empty,
    NotNumber,
    NotWhole,
}

fn parse_pixel(field: &str) -> Result<u8, String> {
    match parse_whole(field) {
        Ok(value) if (0..=i64::from(MAX_PIXEL)).contains(&value) => Ok(value as u8),
        Ok(value) if value < 0 => Err(format!(
            "pixel value {} is negative; pixels are 0..{MAX_PIXEL}",
            truncate(field)
        )),
        Ok(_) => Err(format!(
            "pixel value {} is outside 0..{MAX_PIXEL}",
            truncate(field)
        )),
        Err(Problem::Empty) => Err("the pixel value is empty".to_owned()),
        Err(Problem::NotNumber) => Err(format!("pixel value {} is not a number", quote(field))),
        Err(Problem::NotWhole) => Err(format!(
            "pixel value {} is not a whole number",
            quote(field)
        )),
    }
}

fn parse_label(field: &str) -> Result<u8, String> {
    let last = CLASSES - 1;
    match parse_whole(field) {
        Ok(value) if (0..CLASSES as i64).contains(&value) => Ok(value as u8),
        Ok(_) => Err(format!("label {} is outside 0..{last}", truncate(field))),
        Err(Problem::Empty) => Err("the label is missing (the last field is empty)".to_owned()),
        Err(Problem::NotNumber) => Err(format!("label {} is not a number", quote(field))),
        Err(Problem::NotWhole) => Err(format!("label {} is not a whole number", quote(field))),
    }
}

/// A whole number, saturated to the range of `i64`. Plain integers take a fast path; other
/// numbers (`5.0`, `1.6e+01`, `3.5`) are parsed as floats and must have no fractional part.
fn parse_whole(field: &str) -> Result<i64, Problem> {
    if field.is_empty() {
        return Err(Problem::Empty);
    }
    let bytes = field.as_bytes();
    let (negative, digits) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    if !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
        let magnitude = digits
            .iter()
            .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
        return Ok(if negative { -magnitude } else { magnitude });
    }
    if !looks_numeric(field) {
        return Err(Problem::NotNumber);
    }
    let value: f64 = field.parse().map_err(|_| Problem::NotNumber)?;
    if value.fract() != 0.0 {
        return Err(Problem::NotWhole);
    }
    // `as` saturates, and an overflowing exponent gives ±infinity, which saturates too.
    Ok(value as i64)
}

/// Decimal number syntax: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
/// Unlike `f64::from_str` it refuses `NaN`, `inf` and `infinity`.
fn looks_numeric(field: &str) -> bool {
    let b = field.as_bytes();
    let mut i = 0;
    let digits_at = |mut i: usize| {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i, i - start)
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let (next, before) = digits_at(i);
    i = next;
    let mut after = 0;
    if i < b.len() && b[i] == b'.' {
        (i, after) = digits_at(i + 1);
    }
    if before + after == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let (next, exponent) = digits_at(i);
        if exponent == 0 {
            return false;
        }
        i = next;
    }
    i == b.len()
}

/// A number, or what `f64::from_str` reads as one: NaN and infinity included.
fn is_numberish(field: &str) -> bool {
    if looks_numeric(field) {
        return true;
    }
    let unsigned = field.trim_start_matches(['+', '-']);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
}

/// At most [`MAX_QUOTED_CHARS`] characters of a value, with `…` when cut.
fn truncate(field: &str) -> String {
    match field.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &field[..end]),
        None => field.to_owned(),
    }
}

/// A value in double quotes (escaped like a Rust string), cut after
/// [`MAX_QUOTED_CHARS`] characters.
fn quote(field: &str) -> String {
    match field.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{:?}…", &field[..end]),
        None => format!("{field:?}"),
    }
}

/// `12,345,678`.
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A byte count in the largest fitting unit: `512 bytes`, `4.0 KiB`, `47.7 MiB`.
fn size_text(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB {
        let mib = b / (KIB * KIB);
        if mib.fract() == 0.0 {
            format!("{mib:.0} MiB")
        } else {
            format!("{mib:.1} MiB")
        }
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid row: pixels `i % 17`, shifted by `seed`, and label `seed % 10`.
    fn row(seed: usize) -> String {
        let mut fields: Vec<String> = (0..PIXELS).map(|i| ((i + seed) % 17).to_string()).collect();
        fields.push((seed % CLASSES).to_string());
        fields.join(",")
    }

    fn rows(n: usize) -> String {
        (0..n).map(|i| row(i) + "\n").collect()
    }

    fn header() -> String {
        let mut fields: Vec<String> = (1..=PIXELS).map(|i| format!("Attribute{i}")).collect();
        fields.push("class".to_owned());
        fields.join(",")
    }

    /// The row of `row(seed)` with field `column` (1-based) replaced by `value`.
    fn row_with(seed: usize, column: usize, value: &str) -> String {
        let mut fields: Vec<String> = row(seed).split(',').map(str::to_owned).collect();
        fields[column - 1] = value.to_owned();
        fields.join(",")
    }

    fn err(text: &str) -> CsvError {
        parse_csv(text.as_bytes()).expect_err("should be refused")
    }

    fn ok(text: &str) -> Dataset {
        parse_csv(text.as_bytes()).expect("should be accepted")
    }

    #[test]
    fn parses_values_in_order() {
        let data = ok(&rows(3));
        assert_eq!(data.len(), 3);
        assert_eq!(data.labels, vec![0, 1, 2]);
        assert_eq!(data.images[1][0], 1);
        assert_eq!(data.images[1][15], 16);
        assert_eq!(data.images[1][16], 0);
        assert_eq!(data.images[2][63], (63 + 2) % 17);
    }

    #[test]
    fn accepts_header_crlf_bom_spaces_and_trailing_blank_lines() {
        let plain = ok(&rows(4));
        let with_header = ok(&format!("{}\n{}", header(), rows(4)));
        assert_eq!(with_header, plain);
        let crlf = rows(4).replace('\n', "\r\n");
        assert_eq!(ok(&crlf), plain);
        let bom = format!("\u{FEFF}{}", rows(4));
        assert_eq!(ok(&bom), plain);
        let bom_header_crlf = format!("\u{FEFF}{}\r\n{crlf}", header());
        assert_eq!(ok(&bom_header_crlf), plain);
        let no_final_newline = rows(4).trim_end().to_owned();
        assert_eq!(ok(&no_final_newline), plain);
        let spaced: String = rows(4)
            .lines()
            .map(|l| l.replace(',', " , ") + "  \t\n")
            .collect();
        assert_eq!(ok(&format!("  {spaced}")), plain);
        let blank_tail = format!("{}\n\n  \r\n\t\n", rows(4));
        assert_eq!(ok(&blank_tail), plain);
    }

    #[test]
    fn accepts_quoted_numbers_and_whole_floats() {
        let plain = ok(&rows(2));
        let quoted: String = rows(2)
            .lines()
            .map(|l| {
                l.split(',')
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            })
            .collect();
        assert_eq!(ok(&quoted), plain);
        let floats: String = rows(2)
            .lines()
            .map(|l| {
                l.split(',')
                    .map(|f| format!("{f}.0"))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            })
            .collect();
        assert_eq!(ok(&floats), plain);
        // numpy.savetxt's default float format.
        let scientific: String = rows(2)
            .lines()
            .map(|l| {
                l.split(',')
                    .map(|f| format!("{:.18e}", f.parse::<f64>().unwrap()).replace("e", "e+0"))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            })
            .collect();
        assert!(scientific.starts_with("0.000000000000000000e+00,1.000000000000000000e+00"));
        assert_eq!(ok(&scientific), plain);
        assert_eq!(ok(&row_with(0, 1, "+16")).images[0][0], 16);
        assert_eq!(ok(&row_with(0, 1, "007")).images[0][0], 7);
        assert_eq!(ok(&row_with(0, 65, "-0")).labels[0], 0);
    }

    #[test]
    fn refuses_oversized_input_before_parsing() {
        // Not even valid text: the size is checked first.
        let big = vec![0xFFu8; MAX_CSV_BYTES + 1];
        let e = parse_csv(&big).unwrap_err();
        assert_eq!(e.line, 0);
        assert_eq!(e.column, None);
        assert_eq!(
            e.to_string(),
            "the file is too large (10.0 MiB); the limit is 10 MiB"
        );
        let fifty = vec![b'0'; 50 * 1024 * 1024];
        assert_eq!(
            parse_csv(&fifty).unwrap_err().message,
            "the file is too large (50 MiB); the limit is 10 MiB"
        );
    }

    #[test]
    fn accepts_input_of_exactly_the_limit() {
        let mut text = rows(1).into_bytes();
        text.resize(MAX_CSV_BYTES, b'\n');
        assert_eq!(parse_csv(&text).unwrap().len(), 1);
    }

    #[test]
    fn refuses_empty_files() {
        for text in ["", "\n", "  \r\n\n", "\u{FEFF}", "\u{FEFF}\n"] {
            let e = err(text);
            assert_eq!((e.line, e.column), (0, None), "{text:?}");
            assert_eq!(e.to_string(), "the file is empty");
        }
    }

    #[test]
    fn refuses_header_only() {
        let e = err(&format!("{}\n", header()));
        assert_eq!((e.line, e.column), (0, None));
        assert!(e.message.starts_with("no data rows"), "{e}");
    }

    #[test]
    fn refuses_wrong_column_counts() {
        let short = row(0).rsplit_once(',').unwrap().0.to_owned();
        let e = err(&format!("{}{short}\n", rows(2)));
        assert_eq!((e.line, e.column), (3, Some(65)));
        assert_eq!(
            e.to_string(),
            "line 3, column 65: the row has 64 columns, expected 65 (64 pixels, then the label)"
        );
        let e = err(&format!("{},0\n", row(0)));
        assert_eq!((e.line, e.column), (1, Some(66)));
        assert!(e.message.contains("has 66 columns, expected 65"), "{e}");
        let e = err("1,2,3\n");
        assert_eq!((e.line, e.column), (1, Some(4)));
        assert!(e.message.contains("has 3 columns"), "{e}");
        let e = err("5\n");
        assert!(e.message.contains("has 1 column, expected 65"), "{e}");
    }

    #[test]
    fn names_semicolon_and_tab_separators() {
        let e = err(&rows(2).replace(',', ";"));
        assert_eq!((e.line, e.column), (1, Some(2)));
        assert!(e.message.contains("has 1 column"), "{e}");
        assert!(e.message.contains("semicolons"), "{e}");
        let e = err(&rows(2).replace(',', "\t"));
        assert_eq!(e.line, 1);
        assert!(e.message.contains("tabs"), "{e}");
    }

    #[test]
    fn refuses_bad_values_naming_line_and_column() {
        let cases: [(usize, &str, &str); 17] = [
            (1, "abc", "pixel value \"abc\" is not a number"),
            (5, "3.5", "pixel value \"3.5\" is not a whole number"),
            (5, "NaN", "pixel value \"NaN\" is not a number"),
            (5, "inf", "pixel value \"inf\" is not a number"),
            (5, "1e", "pixel value \"1e\" is not a number"),
            (7, "-1", "pixel value -1 is negative; pixels are 0..16"),
            (7, "-0.5", "pixel value \"-0.5\" is not a whole number"),
            (64, "17", "pixel value 17 is outside 0..16"),
            (64, "1.7e1", "pixel value 1.7e1 is outside 0..16"),
            (2, "", "the pixel value is empty"),
            (2, "\"\"", "the pixel value is empty"),
            (65, "10", "label 10 is outside 0..9"),
            (65, "-1", "label -1 is outside 0..9"),
            (65, "", "the label is missing (the last field is empty)"),
            (65, "seven", "label \"seven\" is not a number"),
            (65, "2.5", "label \"2.5\" is not a whole number"),
            (
                3,
                "99999999999999999999999999",
                "pixel value 99999999999999999999… is outside 0..16",
            ),
        ];
        for (column, value, message) in cases {
            let text = format!("{}{}\n{}", rows(11), row_with(3, column, value), rows(2));
            let e = err(&text);
            assert_eq!(
                (e.line, e.column, e.message.as_str()),
                (12, Some(column), message),
                "value {value:?}"
            );
        }
        let e = err(&row_with(0, 65, "10"));
        assert_eq!(e.to_string(), "line 1, column 65: label 10 is outside 0..9");
    }

    #[test]
    fn quotes_long_values_truncated() {
        let value = "x".repeat(100);
        let e = err(&row_with(0, 9, &value));
        assert_eq!(e.column, Some(9));
        assert_eq!(
            e.message,
            format!("pixel value \"{}\"… is not a number", "x".repeat(20))
        );
        // Cut on a character boundary.
        let e = err(&row_with(0, 9, &"é".repeat(30)));
        assert_eq!(
            e.message,
            format!("pixel value \"{}\"… is not a number", "é".repeat(20))
        );
    }

    #[test]
    fn refuses_binary_and_non_utf8() {
        let mut bytes = rows(2).into_bytes();
        let third = row(2);
        let at = third.find(",5,").unwrap() + 1;
        let mut bad = third.into_bytes();
        bad[at] = 0x00;
        bytes.extend_from_slice(&bad);
        let e = parse_csv(&bytes).unwrap_err();
        assert_eq!((e.line, e.column), (3, Some(4)));
        assert_eq!(
            e.message,
            "found binary data (byte 0x00); this is not a CSV text file"
        );
        bad[at] = 0xFF;
        let bytes = [rows(2).into_bytes(), bad].concat();
        let e = parse_csv(&bytes).unwrap_err();
        assert_eq!((e.line, e.column), (3, Some(4)));
        assert!(e.message.contains("byte 0xFF is not valid UTF-8"), "{e}");
        // A PNG signature.
        let e = parse_csv(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert_eq!((e.line, e.column), (1, Some(1)));
        assert!(e.message.contains("0x89"), "{e}");
        let e = parse_csv(b"\xFF\xFEa\0,\0").unwrap_err();
        assert_eq!(e.line, 0);
        assert!(e.message.contains("UTF-16"), "{e}");
        // The first bad byte wins, whichever kind.
        let e = parse_csv(b"1,\x01,\xFF").unwrap_err();
        assert_eq!(e.column, Some(2));
        let e = parse_csv(b"1,\xFF,\x01").unwrap_err();
        assert_eq!(e.column, Some(2));
        assert!(e.message.contains("UTF-8"), "{e}");
    }

    #[test]
    fn refuses_long_lines() {
        let long = format!("{}{}\n", row(0), " ".repeat(MAX_LINE_BYTES));
        let e = err(&format!("{}{long}", rows(6)));
        assert_eq!((e.line, e.column), (7, None));
        assert!(e.to_string().starts_with("line 7: the line is 4,"), "{e}");
        assert!(
            e.message
                .ends_with("lines longer than 4,096 bytes are refused"),
            "{e}"
        );
        // Just under the limit is fine.
        let padded = format!("{}{}", row(0), " ".repeat(MAX_LINE_BYTES - row(0).len()));
        assert_eq!(padded.len(), MAX_LINE_BYTES);
        assert_eq!(ok(&padded).len(), 1);
    }

    #[test]
    fn refuses_blank_lines_before_the_end() {
        let e = err(&format!("{}\n{}", rows(4), rows(1)));
        assert_eq!((e.line, e.column), (5, None));
        assert!(e.message.contains("blank"), "{e}");
        let e = err(&format!("\n{}", rows(1)));
        assert_eq!(e.line, 1);
    }

    #[test]
    fn refuses_headers_after_the_first_line() {
        let e = err(&format!("{}{}\n{}", rows(3), header(), rows(1)));
        assert_eq!((e.line, e.column), (4, Some(1)));
        assert!(e.message.contains("header"), "{e}");
        let e = err(&format!("{}\n{}\n{}", header(), header(), rows(1)));
        assert_eq!(e.line, 2);
    }

    #[test]
    fn header_rules() {
        // A header with the wrong number of columns.
        let short = header().rsplit_once(',').unwrap().0.to_owned();
        let e = err(&format!("{short}\n{}", rows(1)));
        assert_eq!((e.line, e.column), (1, Some(65)));
        assert!(
            e.message
                .starts_with("the header has 64 columns, expected 65"),
            "{e}"
        );
        // A first line that mixes names and numbers is a data row, and a bad one.
        let mixed = header().replacen("Attribute2", "2", 1);
        let e = err(&format!("{mixed}\n{}", rows(1)));
        assert_eq!((e.line, e.column), (1, Some(1)));
        assert_eq!(e.message, "pixel value \"Attribute1\" is not a number");
        // A line of NaNs is data, not a header.
        let nans = vec!["NaN"; COLUMNS].join(",");
        let e = err(&format!("{nans}\n{}", rows(1)));
        assert_eq!((e.line, e.column), (1, Some(1)));
        // Quoted header names are still a header.
        let quoted = header()
            .split(',')
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(ok(&format!("{quoted}\n{}", rows(2))).len(), 2);
    }

    #[test]
    fn display_forms() {
        let e = CsvError::at(12, Some(65), "label 10 is outside 0..9");
        assert_eq!(
            e.to_string(),
            "line 12, column 65: label 10 is outside 0..9"
        );
        assert_eq!(CsvError::at(3, None, "x").to_string(), "line 3: x");
        assert_eq!(
            CsvError::file("the file is empty").to_string(),
            "the file is empty"
        );
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<CsvError>(&json).unwrap(), e);
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().contains("column 65"));
    }

    #[test]
    fn helpers() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(4096), "4,096");
        assert_eq!(group_digits(12_345_678), "12,345,678");
        assert_eq!(size_text(100), "100 bytes");
        assert_eq!(size_text(4096), "4.0 KiB");
        assert_eq!(size_text(MAX_CSV_BYTES), "10 MiB");
        for yes in ["0", "-1", "+2", "3.", ".5", "1e5", "1.6E+01", "0.0e-0"] {
            assert!(looks_numeric(yes), "{yes}");
        }
        for no in [
            "", "-", ".", "e5", "1e", "1e+", "NaN", "inf", "1.2.3", "1,2", "0x10", " 1",
        ] {
            assert!(!looks_numeric(no), "{no}");
        }
        assert!(is_numberish("-Infinity"));
        assert!(!is_numberish("class"));
        assert_eq!(clean("  \"  7 \" \t"), "7");
        assert_eq!(clean("\""), "\"");
    }

    #[test]
    fn plain_row_fast_path_takes_only_valid_plain_rows() {
        let (image, label) = plain_row(row(5).as_bytes()).unwrap();
        let data = ok(&format!(" {}", row(5)));
        assert_eq!((image, label), (data.images[0], data.labels[0]));
        assert_eq!(plain_row(row_with(0, 1, "16").as_bytes()).unwrap().0[0], 16);
        assert_eq!(plain_row(row_with(0, 65, "9").as_bytes()).unwrap().1, 9);
        for (column, value) in [
            (1, "17"),
            (1, "007"),
            (1, ""),
            (1, "-1"),
            (1, " 1"),
            (65, "10"),
            (65, ""),
            (65, "1,2"),
            (64, "1.0"),
        ] {
            assert_eq!(
                plain_row(row_with(0, column, value).as_bytes()),
                None,
                "{value:?}"
            );
        }
        let short = row(0).rsplit_once(',').unwrap().0.to_owned();
        assert_eq!(plain_row(short.as_bytes()), None);
        assert_eq!(plain_row(b""), None);
        assert_eq!(plain_row(format!("{},", row(0)).as_bytes()), None);
    }

    #[test]
    fn parses_5620_rows_fast() {
        let text = rows(5620);
        let start = std::time::Instant::now();
        let data = ok(&text);
        let first = start.elapsed();
        assert_eq!(data.len(), 5620);
        // The best of a few runs, so a busy machine does not fail the test.
        let best = (0..5)
            .map(|_| {
                let start = std::time::Instant::now();
                let _ = parse_csv(text.as_bytes());
                start.elapsed()
            })
            .min()
            .unwrap()
            .min(first);
        if !cfg!(debug_assertions) {
            assert!(best.as_millis() < 10, "parsing 5,620 rows took {best:?}");
        }
    }
}
