//! The network built from an [`Arch`]: a sequence of layer modules, as a burn module.
//!
//! The notebook's network ([`Arch::notebook`]) is the default:
//!
//! ```text
//! Conv 3×3 same, 16 + ReLU → MaxPool 2×2 → Dropout .25
//! Conv 3×3 same, 32 + ReLU → MaxPool 2×2 → Dropout .25
//! Conv 3×3 same, 64 + ReLU → MaxPool 2×2 → Dropout .25
//! Flatten(64) → Dense 128 + sigmoid → Dropout .25 → Dense 512 + sigmoid → Dropout .25
//! → Dense 10 (softmax)
//! ```
//!
//! The custom ops ([`crate::ops`]) are the fast path wherever a layer's shape allows: 3×3
//! convolutions (any channel count), a ReLU convolution followed by max-pooling (fused),
//! dense layers and sigmoids. They equal burn's own layers (the sigmoid to within a few
//! ulps), which run everything else: other kernels, tanh, average pooling and batch
//! normalization.
//!
//! Weights start as Keras starts them (Glorot-uniform kernels, zero biases; batch norm γ 1,
//! β 0, moving mean 0 and variance 1), drawn layer by layer from the caller's seeded
//! generator, and dropout masks come from the caller's generator too, so a run depends on its
//! seed alone, not on burn's process-wide random state.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Initializer, Linear, LinearConfig, PaddingConfig2d};
use burn::optim::GradientsParams;
use burn::tensor::activation::{relu, tanh};
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};

use crate::CLASSES;
use crate::arch::{Activation, Arch, LayerSpec, Pooling, Shape, SummaryRow};
use crate::ops::{conv3x3, dropout, flatten, relu_max_pool, sigmoid};

/// Keras' batch-normalization momentum (the moving statistics keep 0.99 of themselves).
pub const BATCH_NORM_MOMENTUM: f64 = 0.99;
/// Keras' batch-normalization epsilon.
pub const BATCH_NORM_EPSILON: f64 = 1e-3;

/// A network built from its [`Arch`].
#[derive(Module, Debug)]
pub struct DigitsCnn {
    /// One module per layer of the spec, in order.
    layers: Vec<Layer>,
    /// The implicit output layer: dense 10 (softmax applied by the loss and the predictions).
    output: Linear,
    /// The spec the layers were built from.
    #[module(skip)]
    arch: Arch,
}

/// One layer of the network.
#[derive(Module, Debug)]
pub enum Layer {
    /// A 'same' convolution and its activation.
    Conv(Conv),
    /// 2×2 max-pooling, stride 2.
    MaxPool(MaxPool2d),
    /// 2×2 average pooling, stride 2.
    AvgPool(AvgPool2d),
    /// Batch normalization over channels (or units).
    BatchNorm(BatchNorm),
    /// Dropout at a rate.
    Dropout(Dropout),
    /// A dense layer and its activation (the input flattened first if it is maps).
    Dense(Dense),
}

/// A convolution layer: burn's `Conv2d` holds the weights.
#[derive(Module, Debug)]
pub struct Conv {
    conv: Conv2d,
    #[module(skip)]
    activation: Activation,
}

/// A dense layer: burn's `Linear` holds the weights.
#[derive(Module, Debug)]
pub struct Dense {
    linear: Linear,
    #[module(skip)]
    activation: Activation,
}

/// Dropout with masks from the caller's generator (burn's `Dropout` draws from its own).
#[derive(Module, Debug)]
pub struct Dropout {
    #[module(skip)]
    rate: f64,
}

/// What flows between layers: feature maps, or (after a flatten) vectors.
enum Flow {
    Maps(Tensor<4>),
    Flat(Tensor<2>),
}

impl Flow {
    /// The maps; a layer that needs them only follows maps (checked when the spec is parsed).
    fn maps(self) -> Tensor<4> {
        match self {
            Flow::Maps(maps) => maps,
            Flow::Flat(_) => unreachable!("an Arch never puts a map layer after a dense one"),
        }
    }

    /// Flattened, as Keras' `Flatten` (a no-op on vectors).
    fn flat(self) -> Tensor<2> {
        match self {
            Flow::Maps(maps) => flatten(maps),
            Flow::Flat(flat) => flat,
        }
    }
}

/// The activations of the conv and pool layers for a batch, in network order.
pub struct Activations {
    /// `(Keras layer name, [batch, channels, height, width])` for every conv and pool layer.
    pub layers: Vec<(String, Tensor<4>)>,
    /// The logits, `[batch, 10]`.
    pub logits: Tensor<2>,
}

impl DigitsCnn {
    /// A freshly initialised `arch` on `device`, its weights drawn from `rng` layer by layer.
    pub fn new(arch: &Arch, device: &Device, rng: &mut StdRng) -> Self {
        let shapes = arch.shapes();
        let mut input = Shape::INPUT;
        let mut layers = Vec::with_capacity(arch.layers().len());
        for (spec, shape) in arch
            .layers()
            .iter()
            .zip(shapes.iter().filter(|s| s.spec_index.is_some()))
        {
            layers.push(Layer::new(spec, input, device, rng));
            input = shape.shape;
        }
        Self {
            layers,
            output: dense(input.size(), CLASSES, device, rng),
            arch: arch.clone(),
        }
    }

    /// A freshly initialised `arch` whose weights come from `seed` alone.
    pub fn seeded(arch: &Arch, device: &Device, seed: u64) -> Self {
        Self::new(arch, device, &mut StdRng::seed_from_u64(seed))
    }

    /// The spec this network was built from.
    pub fn arch(&self) -> &Arch {
        &self.arch
    }

    /// Logits `[batch, 10]` for images `[batch, 1, 8, 8]`.
    ///
    /// With `dropout` set, each dropout layer zeroes units drawn from that generator and
    /// scales the rest by 1/(1 − rate), and batch normalization uses the batch's statistics
    /// (on an autodiff device), as in training; without it the network is deterministic.
    pub fn forward(&self, images: Tensor<4>, dropout: Option<&mut StdRng>) -> Tensor<2> {
        dense_product(&self.output, self.run(images, dropout, None))
    }

    /// Evaluation-mode forward pass that also returns every conv and pool activation.
    pub fn forward_with_activations(&self, images: Tensor<4>) -> Activations {
        let mut layers = Vec::new();
        let logits = dense_product(&self.output, self.run(images, None, Some(&mut layers)));
        Activations { layers, logits }
    }

    /// Evaluation-mode forward pass that also returns the last hidden layer's activations
    /// (the output layer's input, flattened), `[batch, features]`, before the logits: where
    /// the network has placed each image just before it decides (see
    /// [`crate::explain::projection`]).
    pub fn forward_with_hidden(&self, images: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        let hidden = self.run(images, None, None);
        let logits = dense_product(&self.output, hidden.clone());
        (hidden, logits)
    }

    /// The forward pass up to the output layer's (flattened) input; with `maps`, collects
    /// every conv and pool layer's output (and runs them unfused, so the conv's own output
    /// exists).
    fn run(
        &self,
        images: Tensor<4>,
        mut dropout: Option<&mut StdRng>,
        mut maps: Option<&mut Vec<(String, Tensor<4>)>>,
    ) -> Tensor<2> {
        let names = maps.as_ref().map(|_| self.layer_names());
        let mut flow = Flow::Maps(images);
        let mut index = 0;
        while index < self.layers.len() {
            let fused = maps.is_none() && self.fuses_relu_pool(index);
            flow = match (&self.layers[index], fused) {
                (Layer::Conv(conv), true) => Flow::Maps(relu_max_pool(conv.convolve(flow.maps()))),
                (layer, _) => layer.forward(flow, dropout.as_deref_mut()),
            };
            if let (Some(maps), Some(names), Flow::Maps(x)) = (maps.as_deref_mut(), &names, &flow)
                && matches!(
                    self.layers[index],
                    Layer::Conv(_) | Layer::MaxPool(_) | Layer::AvgPool(_)
                )
            {
                maps.push((names[index].clone(), x.clone()));
            }
            index += if fused { 2 } else { 1 };
        }
        flow.flat()
    }

    /// The weights of every layer that has some, in network order, the output layer last:
    /// a convolution's or dense layer's kernel, batch normalization's scale γ (biases and
    /// moving statistics left out). Named as Keras names the layers.
    pub fn layer_weights(&self) -> Vec<LayerValues> {
        self.weighted_layers()
            .into_iter()
            .map(|(layer, weight)| LayerValues {
                layer,
                values: weight.values(),
            })
            .collect()
    }

    /// The gradients in `grads` of the same weights as [`layer_weights`](Self::layer_weights)
    /// (zeros for a weight that has none, e.g. a layer that was not reached).
    pub fn layer_gradients(&self, grads: &GradientsParams) -> Vec<LayerValues> {
        self.weighted_layers()
            .into_iter()
            .map(|(layer, weight)| LayerValues {
                layer,
                values: weight.gradient(grads),
            })
            .collect()
    }

    /// Every layer with weights, by its Keras name, with the parameter that holds them.
    fn weighted_layers(&self) -> Vec<(String, Weight<'_>)> {
        let names = self.layer_names();
        let mut layers: Vec<(String, Weight<'_>)> = self
            .layers
            .iter()
            .zip(names)
            .filter_map(|(layer, name)| Some((name, layer.weight()?)))
            .collect();
        let output = self.arch.shapes().pop().map(|s| s.name).unwrap_or_default();
        layers.push((output, Weight::Matrix(&self.output.weight)));
        layers
    }

    /// Whether layer `index` is a ReLU convolution followed by max-pooling, whose ReLU and
    /// pooling the fused op computes (the convolution itself is the fast op's when 3×3).
    fn fuses_relu_pool(&self, index: usize) -> bool {
        let pooled = matches!(self.layers.get(index + 1), Some(Layer::MaxPool(_)));
        match &self.layers[index] {
            Layer::Conv(conv) => pooled && conv.activation == Activation::Relu,
            Layer::MaxPool(_)
            | Layer::AvgPool(_)
            | Layer::BatchNorm(_)
            | Layer::Dropout(_)
            | Layer::Dense(_) => false,
        }
    }

    /// Keras' name of each spec layer, by index.
    fn layer_names(&self) -> Vec<String> {
        let shapes = self.arch.shapes();
        shapes
            .into_iter()
            .filter(|shape| shape.spec_index.is_some())
            .map(|shape| shape.name)
            .collect()
    }

    /// The Keras-style summary: one row per layer with its output shape and parameters.
    pub fn summary(&self) -> Vec<SummaryRow> {
        self.arch.summary()
    }
}

/// One layer's weights (or their gradients), flattened.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerValues {
    /// Keras' layer name, e.g. `conv2d_1` or `dense_2`.
    pub layer: String,
    /// The values, in the parameter's own order.
    pub values: Vec<f32>,
}

/// The parameter that holds a layer's weights, of whichever rank.
enum Weight<'a> {
    Kernel4(&'a Param<Tensor<4>>),
    Matrix(&'a Param<Tensor<2>>),
    Vector(&'a Param<Tensor<1>>),
}

impl Weight<'_> {
    /// The weights, flattened.
    fn values(&self) -> Vec<f32> {
        match self {
            Weight::Kernel4(param) => read(param.val()),
            Weight::Matrix(param) => read(param.val()),
            Weight::Vector(param) => read(param.val()),
        }
    }

    /// Their gradient in `grads`, flattened (zeros when it has none).
    fn gradient(&self, grads: &GradientsParams) -> Vec<f32> {
        let found = match self {
            Weight::Kernel4(param) => grads.get::<4>(param.id).map(read),
            Weight::Matrix(param) => grads.get::<2>(param.id).map(read),
            Weight::Vector(param) => grads.get::<1>(param.id).map(read),
        };
        found.unwrap_or_else(|| vec![0.0; self.values().len()])
    }
}

/// A tensor's values, read back.
fn read<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data()
        .try_into_vec::<f32>()
        .expect("weights are f32")
}

impl Layer {
    /// The parameter holding this layer's weights, if it has any.
    fn weight(&self) -> Option<Weight<'_>> {
        match self {
            Layer::Conv(conv) => Some(Weight::Kernel4(&conv.conv.weight)),
            Layer::Dense(dense) => Some(Weight::Matrix(&dense.linear.weight)),
            Layer::BatchNorm(norm) => Some(Weight::Vector(&norm.gamma)),
            Layer::MaxPool(_) | Layer::AvgPool(_) | Layer::Dropout(_) => None,
        }
    }

    /// A fresh layer for `spec` on `input`, its weights drawn from `rng`.
    fn new(spec: &LayerSpec, input: Shape, device: &Device, rng: &mut StdRng) -> Self {
        match *spec {
            LayerSpec::Conv {
                filters,
                kernel,
                activation,
            } => Layer::Conv(Conv {
                conv: conv(input.features(), filters, kernel, device, rng),
                activation,
            }),
            LayerSpec::Pool(Pooling::Max) => {
                Layer::MaxPool(MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init())
            }
            LayerSpec::Pool(Pooling::Average) => {
                Layer::AvgPool(AvgPool2dConfig::new([2, 2]).with_strides([2, 2]).init())
            }
            LayerSpec::BatchNorm => Layer::BatchNorm(
                BatchNormConfig::new(input.features())
                    // burn's momentum is the weight of the batch: Keras' complement.
                    .with_momentum(1.0 - BATCH_NORM_MOMENTUM)
                    .with_epsilon(BATCH_NORM_EPSILON)
                    .init(device),
            ),
            LayerSpec::Dropout(rate) => Layer::Dropout(Dropout { rate }),
            LayerSpec::Dense { units, activation } => Layer::Dense(Dense {
                linear: dense(input.size(), units, device, rng),
                activation,
            }),
        }
    }

    /// The layer's output for `flow` (dropout only with a generator).
    fn forward(&self, flow: Flow, dropout: Option<&mut StdRng>) -> Flow {
        match self {
            Layer::Conv(conv) => Flow::Maps(activate(conv.convolve(flow.maps()), conv.activation)),
            Layer::MaxPool(pool) => Flow::Maps(pool.forward(flow.maps())),
            Layer::AvgPool(pool) => Flow::Maps(pool.forward(flow.maps())),
            Layer::BatchNorm(norm) => match flow {
                Flow::Maps(x) => Flow::Maps(norm.forward(x)),
                Flow::Flat(x) => Flow::Flat(norm.forward(x)),
            },
            Layer::Dropout(layer) => match flow {
                Flow::Maps(x) => Flow::Maps(drop(x, layer.rate, dropout)),
                Flow::Flat(x) => Flow::Flat(drop(x, layer.rate, dropout)),
            },
            Layer::Dense(dense) => Flow::Flat(activate(
                dense_product(&dense.linear, flow.flat()),
                dense.activation,
            )),
        }
    }
}

impl Conv {
    /// The convolution without its activation: the fast op for 3×3 kernels, burn's otherwise.
    fn convolve(&self, x: Tensor<4>) -> Tensor<4> {
        let [_, _, kernel, _] = self.conv.weight.dims();
        match (kernel, &self.conv.bias) {
            (3, Some(bias)) => conv3x3(x, self.conv.weight.val(), bias.val()),
            _ => self.conv.forward(x),
        }
    }
}

/// `linear`'s output for `x`: through the fast op when it has a bias (every layer built
/// here has), burn's `Linear` otherwise.
fn dense_product(linear: &Linear, x: Tensor<2>) -> Tensor<2> {
    match &linear.bias {
        Some(bias) => crate::ops::dense(x, linear.weight.val(), bias.val()),
        None => linear.forward(x),
    }
}

/// `activation` applied to `x`: the sigmoid through the fast op, the others through burn's.
fn activate<const D: usize>(x: Tensor<D>, activation: Activation) -> Tensor<D> {
    match activation {
        Activation::Relu => relu(x),
        Activation::Tanh => tanh(x),
        Activation::Sigmoid => sigmoid(x),
        Activation::Linear => x,
    }
}

/// A 'same' convolution from `input` channels to `filters`, Glorot-uniform, zero bias.
fn conv(input: usize, filters: usize, kernel: usize, device: &Device, rng: &mut StdRng) -> Conv2d {
    let mut layer = Conv2dConfig::new([input, filters], [kernel, kernel])
        .with_padding(PaddingConfig2d::Same)
        .with_initializer(Initializer::Zeros)
        .init(device);
    let area = kernel * kernel;
    layer.weight = glorot(
        [filters, input, kernel, kernel],
        input * area,
        filters * area,
        device,
        rng,
    );
    layer
}

/// A dense layer from `input` to `output` units, Glorot-uniform, zero bias.
fn dense(input: usize, output: usize, device: &Device, rng: &mut StdRng) -> Linear {
    let mut layer = LinearConfig::new(input, output)
        .with_initializer(Initializer::Zeros)
        .init(device);
    layer.weight = glorot([input, output], input, output, device, rng);
    layer
}

/// Glorot-uniform weights (Keras' default kernel initializer): U(±√(6 / (fan_in + fan_out))).
fn glorot<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    fan_out: usize,
    device: &Device,
    rng: &mut StdRng,
) -> Param<Tensor<D>> {
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt() as f32;
    let count = shape.iter().product();
    let values: Vec<f32> = (0..count)
        .map(|_| rng.random_range(-limit..limit))
        .collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// Inverted dropout at `rate` with a mask drawn from `rng`; identity without one.
fn drop<const D: usize>(x: Tensor<D>, rate: f64, rng: Option<&mut StdRng>) -> Tensor<D> {
    let Some(rng) = rng else { return x };
    let shape = x.shape();
    let mask = dropout_mask(shape.num_elements(), rate, rng);
    let mask = Tensor::<D>::from_data(TensorData::new(mask, shape), &x.device());
    dropout(x, mask)
}

/// `count` values, each 0 with probability `rate` and 1/(1 − rate) otherwise.
///
/// Draws 16 bits per unit: exact for rates that are multiples of 1/65536 (0.25 is; others
/// are rounded to the nearest), and far cheaper than one float per unit. The bits come in
/// one `fill_bytes` call, and unit `i` takes bits `16·(i mod 4)..` of the generator's
/// `(i / 4)`-th 64-bit draw (the request is rounded up to whole draws), so the loop that
/// turns them into the mask vectorises.
pub fn dropout_mask(count: usize, rate: f64, rng: &mut impl Rng) -> Vec<f32> {
    let threshold = (rate * 65536.0).round() as u32;
    let keep = (1.0 / (1.0 - rate)) as f32;
    let mut bits = vec![0u8; count.div_ceil(4) * 8];
    rng.fill_bytes(&mut bits);
    bits.chunks_exact(2)
        .take(count)
        .map(|pair| {
            let draw = u32::from(u16::from_le_bytes([pair[0], pair[1]]));
            if draw < threshold { 0.0 } else { keep }
        })
        .collect()
}

mod first_conv;
pub use first_conv::FirstConvPass;

#[cfg(test)]
mod tests;
