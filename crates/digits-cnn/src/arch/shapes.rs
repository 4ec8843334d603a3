//! Shape inference on the 1×8×8 input, as Keras computes it: each layer's output shape, its
//! parameters and its Keras name (`conv2d`, `conv2d_1`, …), the implicit flatten and the
//! output layer included.

use std::collections::HashMap;

use super::{ArchError, LayerSpec, Pooling};
use crate::{CLASSES, SIDE};

/// What flows between layers (without the batch dimension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Feature maps: channels × height × width.
    Maps {
        /// Channels.
        channels: usize,
        /// Rows.
        height: usize,
        /// Columns.
        width: usize,
    },
    /// A vector of units (after a flatten).
    Flat(usize),
}

impl Shape {
    /// The input: one 8×8 image.
    pub const INPUT: Shape = Shape::Maps {
        channels: 1,
        height: SIDE,
        width: SIDE,
    };

    /// Values per example.
    pub fn size(self) -> usize {
        match self {
            Shape::Maps {
                channels,
                height,
                width,
            } => channels * height * width,
            Shape::Flat(units) => units,
        }
    }

    /// The features a batch normalization normalises: channels, or units.
    pub fn features(self) -> usize {
        match self {
            Shape::Maps { channels, .. } => channels,
            Shape::Flat(units) => units,
        }
    }

    /// As Keras prints it, channels last and without the batch: `[8, 8, 16]` or `[128]`.
    pub fn keras_dims(self) -> Vec<usize> {
        match self {
            Shape::Maps {
                channels,
                height,
                width,
            } => vec![height, width, channels],
            Shape::Flat(units) => vec![units],
        }
    }
}

/// One row of the network's summary: a layer, its output and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerShape {
    /// Keras' layer name, e.g. `conv2d_1`.
    pub name: String,
    /// Keras' layer class, e.g. `Conv2D`.
    pub class: &'static str,
    /// The layer's output.
    pub shape: Shape,
    /// Parameters as Keras counts them (batch norm's moving statistics included).
    pub parameters: usize,
    /// The spec layer (from 0) this row is; `None` for the implicit flatten and output.
    pub spec_index: Option<usize>,
}

/// Every layer's output shape, the implicit flatten and output layer included, or the first
/// layer whose input does not fit it.
pub(super) fn infer(layers: &[LayerSpec]) -> Result<Vec<LayerShape>, ArchError> {
    let mut rows = Rows::default();
    let mut shape = Shape::INPUT;
    for (index, layer) in layers.iter().enumerate() {
        if let (LayerSpec::Dense { .. }, Shape::Maps { .. }) = (layer, shape) {
            shape = rows.flatten(shape);
        }
        let (class, output, parameters) =
            layer_output(layer, shape).map_err(|e| ArchError::at(index, &layer.to_string(), e))?;
        rows.push(class, output, parameters, Some(index));
        shape = output;
    }
    if let Shape::Maps { .. } = shape {
        shape = rows.flatten(shape);
    }
    let output = Shape::Flat(CLASSES);
    rows.push(Class::Dense, output, dense_parameters(shape, CLASSES), None);
    Ok(rows.rows)
}

/// The rows so far and how many layers of each class they hold (for Keras' name suffixes).
#[derive(Default)]
struct Rows {
    rows: Vec<LayerShape>,
    counts: HashMap<Class, usize>,
}

impl Rows {
    fn push(&mut self, class: Class, shape: Shape, parameters: usize, spec_index: Option<usize>) {
        let count = self.counts.entry(class).or_default();
        let name = class.layer_name(*count);
        *count += 1;
        self.rows.push(LayerShape {
            name,
            class: class.names().0,
            shape,
            parameters,
            spec_index,
        });
    }

    /// Adds Keras' `Flatten` of `shape`, returning its output.
    fn flatten(&mut self, shape: Shape) -> Shape {
        let flat = Shape::Flat(shape.size());
        self.push(Class::Flatten, flat, 0, None);
        flat
    }
}

/// A Keras layer class: its name in a summary, and the base of its layers' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Class {
    Conv2D,
    MaxPooling2D,
    AveragePooling2D,
    BatchNormalization,
    Dropout,
    Flatten,
    Dense,
}

impl Class {
    /// Keras' class name and the base of its automatic layer names.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Class::Conv2D => ("Conv2D", "conv2d"),
            Class::MaxPooling2D => ("MaxPooling2D", "max_pooling2d"),
            Class::AveragePooling2D => ("AveragePooling2D", "average_pooling2d"),
            Class::BatchNormalization => ("BatchNormalization", "batch_normalization"),
            Class::Dropout => ("Dropout", "dropout"),
            Class::Flatten => ("Flatten", "flatten"),
            Class::Dense => ("Dense", "dense"),
        }
    }

    /// Keras' automatic name of the `count`-th (from 0) layer of this class: `conv2d`,
    /// `conv2d_1`, ….
    fn layer_name(self, count: usize) -> String {
        let (_, base) = self.names();
        match count {
            0 => base.to_string(),
            n => format!("{base}_{n}"),
        }
    }
}

/// A layer's Keras class, output shape and parameters on `input`, or why it does not fit.
fn layer_output(layer: &LayerSpec, input: Shape) -> Result<(Class, Shape, usize), String> {
    match *layer {
        LayerSpec::Conv {
            filters, kernel, ..
        } => {
            let (channels, height, width) = maps(input, "conv")?;
            let output = Shape::Maps {
                channels: filters,
                height,
                width,
            };
            Ok((
                Class::Conv2D,
                output,
                kernel * kernel * channels * filters + filters,
            ))
        }
        LayerSpec::Pool(pooling) => {
            let (channels, height, width) = maps(input, "pooling")?;
            if height < 2 || width < 2 {
                return Err(format!("its input is {height}×{width}, too small to pool"));
            }
            let output = Shape::Maps {
                channels,
                height: height / 2,
                width: width / 2,
            };
            let class = match pooling {
                Pooling::Max => Class::MaxPooling2D,
                Pooling::Average => Class::AveragePooling2D,
            };
            Ok((class, output, 0))
        }
        LayerSpec::BatchNorm => Ok((Class::BatchNormalization, input, 4 * input.features())),
        LayerSpec::Dropout(_) => Ok((Class::Dropout, input, 0)),
        LayerSpec::Dense { units, .. } => Ok((
            Class::Dense,
            Shape::Flat(units),
            dense_parameters(input, units),
        )),
    }
}

/// A dense layer's weights and biases from `input` (already flat) to `units`.
fn dense_parameters(input: Shape, units: usize) -> usize {
    input.size() * units + units
}

/// The input as feature maps, or an error: `layer` needs maps and gets a flat vector.
fn maps(input: Shape, layer: &str) -> Result<(usize, usize, usize), String> {
    match input {
        Shape::Maps {
            channels,
            height,
            width,
        } => Ok((channels, height, width)),
        Shape::Flat(_) => Err(format!(
            "its input is flat (after a dense layer); {layer} needs feature maps"
        )),
    }
}
