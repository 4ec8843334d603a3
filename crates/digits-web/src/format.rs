//! Numbers and times as the page writes them for people, in the page's language: the page
//! installs a [`NumberWriter`] built on `Intl.NumberFormat` (`app::language`); natively, and
//! until then, numbers are written in English.

use std::cell::Cell;

use crate::i18n::{Key, tr};

/// Writes `value` with exactly `decimals` decimals, grouped in thousands, and as a percentage
/// of a share (`0.975` → `97.5%`) when `percent` is set.
pub type NumberWriter = fn(value: f64, decimals: usize, percent: bool) -> String;

thread_local! {
    /// The writer of every number below.
    static WRITER: Cell<NumberWriter> = const { Cell::new(english) };
}

/// Makes `writer` write every later number (the page's language's, at start-up).
pub fn set_number_writer(writer: NumberWriter) {
    WRITER.with(|current| current.set(writer));
}

/// A number, written by the installed [`NumberWriter`]; one that rounds to zero is written
/// without a sign (`Intl.NumberFormat` would write `-0,000`).
fn number(value: f64, decimals: usize, percent: bool) -> String {
    let shown = if percent { value * 100.0 } else { value };
    let rounds_to_zero = (shown * 10f64.powi(decimals as i32)).round() == 0.0;
    let value = if rounds_to_zero { 0.0 } else { value };
    WRITER.with(|writer| writer.get()(value, decimals, percent))
}

/// English numbers: `102,794`, `0.123`, `97.5%`.
fn english(value: f64, decimals: usize, percent: bool) -> String {
    let value = if percent { value * 100.0 } else { value };
    let text = format!("{:.decimals$}", value.abs());
    let (whole, fraction) = text.split_at(text.find('.').unwrap_or(text.len()));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 2);
    if value < 0.0 {
        out.push('-');
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    if percent {
        out.push('%');
    }
    out
}

/// A whole number with thousands separators: `102,794`.
pub fn thousands(n: usize) -> String {
    number(n as f64, 0, false)
}

/// A share 0..1 as a percentage with one decimal: `97.5%` (`–` when not a number).
pub fn percent(share: f64) -> String {
    percent_digits(share, 1)
}

/// A share 0..1 as a percentage with `decimals` decimals: `99.11%` (`–` when not a number).
pub fn percent_digits(share: f64, decimals: usize) -> String {
    if share.is_finite() {
        number(share, decimals, true)
    } else {
        "–".into()
    }
}

/// A metric with three decimals (`–` when not a number).
pub fn decimal(value: f64) -> String {
    decimal_digits(value, 3)
}

/// A number with `decimals` decimals (`–` when not a number).
pub fn decimal_digits(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        number(value, decimals, false)
    } else {
        "–".into()
    }
}

/// A number in scientific notation with `decimals` decimals: `1.234e-3` (`–` when not a
/// number), the mantissa in the page's language (`1,234e-3` in Spanish).
pub fn scientific(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{value:.decimals$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa: f64 = mantissa.parse().unwrap_or(value);
    format!("{}e{exponent}", number(mantissa, decimals, false))
}

/// A duration in seconds, rounded for reading: `4.2 s`, `3 min 05 s`, `1 h 02 min`.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "–".into();
    }
    if seconds < 10.0 {
        return format!("{} s", number(seconds, 1, false));
    }
    let whole = seconds.round() as u64;
    match whole {
        0..60 => format!("{whole} s"),
        60..3600 => format!("{} min {:02} s", whole / 60, whole % 60),
        _ => format!("{} h {:02} min", whole / 3600, whole / 60 % 60),
    }
}

/// Seconds left for `remaining` epochs at the average pace of the `done` epochs so far.
pub fn eta(elapsed: f64, done: usize, remaining: usize) -> f64 {
    if done == 0 {
        f64::NAN
    } else {
        elapsed / done as f64 * remaining as f64
    }
}

/// The progress line: `Epoch 3 of 100 · 4.1 s elapsed · ETA 2 min 13 s · 1,204 samples/s`.
pub fn progress(epoch: usize, epochs: usize, elapsed: f64, samples_per_second: f64) -> String {
    let eta = eta(elapsed, epoch, epochs.saturating_sub(epoch));
    let rate = if samples_per_second.is_finite() {
        thousands(samples_per_second.round() as usize)
    } else {
        "–".into()
    };
    tr(
        Key::ProgressLine,
        &[
            ("epoch", &epoch),
            ("epochs", &epochs),
            ("elapsed", &duration(elapsed)),
            ("eta", &duration(eta)),
            ("rate", &rate),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(102_794), "102,794");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(0.975), "97.5%");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(decimal(0.12345), "0.123");
        assert_eq!(decimal(-0.0004), "0.000");
        assert_eq!(decimal(-1234.5), "-1,234.500");
        assert_eq!(percent_digits(0.9911, 2), "99.11%");
        assert_eq!(scientific(0.0012346, 3), "1.235e-3");
        assert_eq!(scientific(-250.0, 1), "-2.5e2");
        assert_eq!(scientific(0.0, 0), "0e0");
        assert_eq!(scientific(f64::INFINITY, 3), "–");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(4.24), "4.2 s");
        assert_eq!(duration(42.4), "42 s");
        assert_eq!(duration(185.0), "3 min 05 s");
        assert_eq!(duration(3725.0), "1 h 02 min");
        assert_eq!(duration(f64::NAN), "–");
    }

    #[test]
    fn progress_line_has_epoch_elapsed_eta_and_rate() {
        assert_eq!(
            progress(3, 100, 3.0, 1204.4),
            "Epoch 3 of 100 · 3.0 s elapsed · ETA 1 min 37 s · 1,204 samples/s"
        );
        assert_eq!(
            progress(0, 5, 0.0, f64::NAN),
            "Epoch 0 of 5 · 0.0 s elapsed · ETA – · – samples/s"
        );
    }
}
