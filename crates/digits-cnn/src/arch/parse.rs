//! The spec's grammar (see `arch.rs`): tokens to [`LayerSpec`]s, each error naming its layer.

use super::{Activation, ArchError, LayerSpec, Pooling};

/// Filters a conv layer may have.
const FILTERS: std::ops::RangeInclusive<usize> = 1..=256;
/// Kernel sides a conv layer may have (odd ones only).
const KERNELS: std::ops::RangeInclusive<usize> = 1..=7;
/// Units a dense layer may have.
const UNITS: std::ops::RangeInclusive<usize> = 1..=4096;
/// Largest dropout rate.
const MAX_RATE: f64 = 0.9;

/// The layers of `spec`, or the first token's error.
pub(super) fn layers(spec: &str) -> Result<Vec<LayerSpec>, ArchError> {
    if spec.is_empty() {
        return Err(ArchError {
            layer: None,
            message: "the spec is empty: write at least one layer, e.g. conv16".into(),
        });
    }
    spec.split(',')
        .enumerate()
        .map(|(index, token)| {
            layer(&token.to_lowercase()).map_err(|e| ArchError::at(index, token, e))
        })
        .collect()
}

/// One token (lowercased) as a layer, or what is wrong with it.
fn layer(token: &str) -> Result<LayerSpec, String> {
    if token.is_empty() {
        return Err("empty layer (two commas in a row, or one at an end?)".into());
    }
    if token.chars().any(char::is_whitespace) {
        return Err("spaces are not allowed in a spec".into());
    }
    match token {
        "pool" => return Ok(LayerSpec::Pool(Pooling::Max)),
        "avgpool" => return Ok(LayerSpec::Pool(Pooling::Average)),
        "bn" => return Ok(LayerSpec::BatchNorm),
        _ => {}
    }
    if let Some(rest) = token.strip_prefix("conv") {
        conv(rest)
    } else if let Some(rest) = token.strip_prefix("dense") {
        dense(rest)
    } else if let Some(rest) = token.strip_prefix("drop") {
        dropout(rest)
    } else {
        Err("unknown layer (expected conv, pool, avgpool, bn, drop or dense)".into())
    }
}

/// What follows `conv`: `<F>[x<K>][:<act>]`.
fn conv(rest: &str) -> Result<LayerSpec, String> {
    let (body, activation) = activation(rest)?;
    let (filters, size) = leading_number(body, "a filter count after conv")?;
    in_range(filters, &FILTERS, "filters")?;
    let kernel = match size {
        "" => 3,
        _ => kernel(size)?,
    };
    Ok(LayerSpec::Conv {
        filters,
        kernel,
        activation,
    })
}

/// A conv layer's `x<K>`.
fn kernel(size: &str) -> Result<usize, String> {
    let Some(digits) = size.strip_prefix('x') else {
        return Err(format!(
            "unexpected `{size}` after the filter count (expected x<kernel> or :<activation>)"
        ));
    };
    let (kernel, rest) = leading_number(digits, "a kernel size after x")?;
    if !rest.is_empty() {
        return Err(format!("unexpected `{rest}` after the kernel size"));
    }
    if !KERNELS.contains(&kernel) || kernel % 2 == 0 {
        return Err(format!("kernel {kernel} must be odd, from 1 to 7"));
    }
    Ok(kernel)
}

/// What follows `dense`: `<U>[:<act>]`.
fn dense(rest: &str) -> Result<LayerSpec, String> {
    let (body, activation) = activation(rest)?;
    let (units, rest) = leading_number(body, "a unit count after dense")?;
    if !rest.is_empty() {
        return Err(format!(
            "unexpected `{rest}` after the unit count (expected :<activation>)"
        ));
    }
    in_range(units, &UNITS, "units")?;
    Ok(LayerSpec::Dense { units, activation })
}

/// What follows `drop`: the rate.
fn dropout(rest: &str) -> Result<LayerSpec, String> {
    if rest.is_empty() {
        return Err("expected a rate after drop, e.g. drop0.25".into());
    }
    let rate: f64 = rest
        .parse()
        .map_err(|_| format!("`{rest}` is not a rate (expected e.g. drop0.25)"))?;
    if !(0.0..=MAX_RATE).contains(&rate) {
        return Err(format!("rate {rest} is outside 0..{MAX_RATE}"));
    }
    Ok(LayerSpec::Dropout(rate))
}

/// Splits `:<act>` off a token's end (`relu` when absent).
fn activation(rest: &str) -> Result<(&str, Activation), String> {
    let Some((body, name)) = rest.split_once(':') else {
        return Ok((rest, Activation::Relu));
    };
    let found = Activation::ALL.into_iter().find(|a| a.name() == name);
    let activation = found.ok_or_else(|| {
        format!("unknown activation `{name}` (expected relu, tanh, sigmoid or linear)")
    })?;
    Ok((body, activation))
}

/// The decimal number `text` starts with and what follows it; `expected` names it if absent.
fn leading_number<'a>(text: &'a str, expected: &str) -> Result<(usize, &'a str), String> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, rest) = text.split_at(end);
    if digits.is_empty() {
        return Err(format!("expected {expected}"));
    }
    let number = digits
        .parse()
        .map_err(|_| format!("{digits} is too large"))?;
    Ok((number, rest))
}

/// Refuses a count outside its range.
fn in_range(
    count: usize,
    range: &std::ops::RangeInclusive<usize>,
    what: &str,
) -> Result<(), String> {
    if range.contains(&count) {
        Ok(())
    } else {
        Err(format!(
            "{count} {what} is outside {}..{}",
            range.start(),
            range.end()
        ))
    }
}
