//! How one number of a first-layer feature map is computed: the input window under the
//! kernel, the kernel's weights, their products, the sum plus the bias, and the activation.
//!
//! Plain arithmetic on a [`FirstConv`]'s numbers, so the page recomputes any cell at once
//! when it is clicked, and the result equals the map's value (up to the order the
//! convolution sums its products in, a few units in the last place).

use serde::{Deserialize, Serialize};

use super::FirstConv;
use crate::arch::Activation;

/// One cell of one map, worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvArithmetic {
    /// The filter (map).
    pub filter: usize,
    /// The cell's row.
    pub row: usize,
    /// The cell's column.
    pub col: usize,
    /// The input under the kernel, `kernel × kernel`, row-major; `None` outside the input,
    /// where 'same' padding reads zeros.
    pub window: Vec<Option<f32>>,
    /// The kernel's weights, row-major.
    pub weights: Vec<f32>,
    /// Each window value times its weight (0 in the padding).
    pub products: Vec<f32>,
    /// The filter's bias.
    pub bias: f32,
    /// The products' sum plus the bias: the value before the activation.
    pub sum: f32,
    /// The layer's activation.
    pub activation: Activation,
    /// The activation of the sum: the map's value at the cell.
    pub value: f32,
}

impl FirstConv {
    /// The arithmetic of cell (`row`, `col`) of map `filter`; `None` outside the maps.
    pub fn arithmetic(&self, filter: usize, row: usize, col: usize) -> Option<ConvArithmetic> {
        if filter >= self.filters || row >= self.height || col >= self.width {
            return None;
        }
        let reach = (self.kernel / 2) as isize;
        let window: Vec<Option<f32>> = (-reach..=reach)
            .flat_map(|dy| (-reach..=reach).map(move |dx| (dy, dx)))
            .map(|(dy, dx)| self.input_at(row as isize + dy, col as isize + dx))
            .collect();
        let weights = self.kernel_of(filter).to_vec();
        let products: Vec<f32> = window
            .iter()
            .zip(&weights)
            .map(|(x, w)| x.map_or(0.0, |x| x * w))
            .collect();
        let bias = self.biases[filter];
        let sum = products.iter().sum::<f32>() + bias;
        Some(ConvArithmetic {
            filter,
            row,
            col,
            window,
            weights,
            products,
            bias,
            sum,
            activation: self.activation,
            value: activate(self.activation, sum),
        })
    }

    /// The input at (`row`, `col`), `None` outside it (the zero padding).
    fn input_at(&self, row: isize, col: isize) -> Option<f32> {
        let inside =
            (0..self.height as isize).contains(&row) && (0..self.width as isize).contains(&col);
        inside.then(|| self.input[row as usize * self.width + col as usize])
    }
}

/// `activation` of one number.
fn activate(activation: Activation, x: f32) -> f32 {
    match activation {
        Activation::Relu => x.max(0.0),
        Activation::Tanh => x.tanh(),
        Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
        Activation::Linear => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::backend::BackendKind;
    use crate::data::bundled;
    use crate::model::DigitsCnn;
    use crate::prediction::InputScale;

    /// Every cell's worked-out value equals the map's (for every activation, kernel size,
    /// a layer after pooling and batch normalization, and corners in the padding), and its
    /// sum is the products' plus the bias.
    #[test]
    fn the_sum_and_value_equal_the_feature_maps() {
        let device = BackendKind::Flex.device();
        let image = bundled().images[4];
        for spec in [
            "conv16",
            "conv6x5:tanh",
            "conv4x7:sigmoid",
            "pool,bn,conv3x1:linear",
        ] {
            let model = DigitsCnn::seeded(&spec.parse::<Arch>().unwrap(), &device, 11);
            let first = FirstConv::of(&model, &image, InputScale::Unit, &device).unwrap();
            for filter in 0..first.filters {
                for row in 0..first.height {
                    for col in 0..first.width {
                        let cell = first.arithmetic(filter, row, col).unwrap();
                        let map = first.map(filter)[row * first.width + col];
                        assert!(
                            (cell.value - map).abs() <= 1e-5 * (1.0 + map.abs()),
                            "{spec} filter {filter} ({row}, {col}): {} vs {map}",
                            cell.value
                        );
                        let products: f32 = cell.products.iter().sum();
                        assert!((cell.sum - products - cell.bias).abs() < 1e-6);
                    }
                }
            }
            let corner = first.arithmetic(0, 0, 0).unwrap();
            let outside = corner.window.iter().filter(|x| x.is_none()).count();
            let reach = first.kernel / 2;
            assert_eq!(
                outside,
                first.kernel * first.kernel - (reach + 1) * (reach + 1)
            );
            assert!(first.arithmetic(first.filters, 0, 0).is_none());
            assert!(first.arithmetic(0, first.height, 0).is_none());
        }
    }

    /// A hand-computed cell: a 3×3 kernel of ones, bias 0.5, ReLU, at the top-left corner of
    /// an input 1, 2, 3, … row by row: the window's inside is 1, 2, 9, 10 (the padding 0).
    #[test]
    fn a_hand_computed_corner() {
        let first = FirstConv {
            layer: "conv2d".into(),
            filters: 1,
            kernel: 3,
            height: 8,
            width: 8,
            activation: Activation::Relu,
            input: (1..=64).map(|v| v as f32).collect(),
            weights: vec![1.0; 9],
            biases: vec![0.5],
            maps: vec![0.0; 64],
        };
        let cell = first.arithmetic(0, 0, 0).unwrap();
        let window = [
            None,
            None,
            None,
            None,
            Some(1.0),
            Some(2.0),
            None,
            Some(9.0),
            Some(10.0),
        ];
        assert_eq!(cell.window, window);
        assert_eq!(cell.sum, 22.5);
        assert_eq!(cell.value, 22.5);
    }
}
