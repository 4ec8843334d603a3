use super::*;
use crate::backend::BackendKind;

fn model() -> DigitsCnn {
    DigitsCnn::new(
        &Arch::notebook(),
        &BackendKind::Flex.device(),
        &mut StdRng::seed_from_u64(1),
    )
}

/// The notebook's parameters (Keras' summary total).
const NOTEBOOK_PARAMETERS: usize = 102_794;

#[test]
fn summary_matches_the_keras_table() {
    let summary = model().summary();
    let counts: Vec<usize> = summary.iter().map(|r| r.parameters).collect();
    assert_eq!(
        counts,
        [
            160, 0, 0, 4_640, 0, 0, 18_496, 0, 0, 0, 8_320, 0, 66_048, 0, 5_130
        ]
    );
    assert_eq!(counts.iter().sum::<usize>(), NOTEBOOK_PARAMETERS);
    assert_eq!(model().num_params(), NOTEBOOK_PARAMETERS);
    assert_eq!(summary[0].shape_text(), "(None, 8, 8, 16)");
    assert_eq!(summary[7].shape_text(), "(None, 1, 1, 64)");
    let names: Vec<&str> = summary.iter().map(|r| r.layer.as_str()).collect();
    assert_eq!(
        names,
        [
            "conv2d (Conv2D)",
            "max_pooling2d (MaxPooling2D)",
            "dropout (Dropout)",
            "conv2d_1 (Conv2D)",
            "max_pooling2d_1 (MaxPooling2D)",
            "dropout_1 (Dropout)",
            "conv2d_2 (Conv2D)",
            "max_pooling2d_2 (MaxPooling2D)",
            "dropout_2 (Dropout)",
            "flatten (Flatten)",
            "dense (Dense)",
            "dropout_3 (Dropout)",
            "dense_1 (Dense)",
            "dropout_4 (Dropout)",
            "dense_2 (Dense)",
        ]
    );
}

#[test]
fn forward_gives_logits_per_image_and_activations_of_every_layer() {
    let model = model();
    let device = BackendKind::Flex.device();
    let images = Tensor::<4>::ones([3, 1, 8, 8], &device);
    assert_eq!(model.forward(images.clone(), None).dims(), [3, 10]);
    let activations = model.forward_with_activations(images.clone());
    let shapes: Vec<[usize; 4]> = activations.layers.iter().map(|(_, t)| t.dims()).collect();
    assert_eq!(
        shapes,
        [
            [3, 16, 8, 8],
            [3, 16, 4, 4],
            [3, 32, 4, 4],
            [3, 32, 2, 2],
            [3, 64, 2, 2],
            [3, 64, 1, 1]
        ]
    );
    // The unfused pass (collecting maps) gives the fused pass's logits.
    activations.logits.into_data().assert_approx_eq::<f32>(
        &model.forward(images, None).into_data(),
        burn::tensor::Tolerance::absolute(1e-5),
    );
}

#[test]
fn same_seed_same_weights() {
    let logits = |seed| {
        let device = BackendKind::Flex.device();
        let model = DigitsCnn::new(&Arch::notebook(), &device, &mut StdRng::seed_from_u64(seed));
        let images = Tensor::<4>::ones([1, 1, 8, 8], &device);
        model
            .forward(images, None)
            .into_data()
            .try_into_vec::<f32>()
            .unwrap()
    };
    assert_eq!(logits(7), logits(7));
    assert_ne!(logits(7), logits(8));
}

#[test]
fn dropout_mask_drops_about_a_quarter_and_rescales_the_rest() {
    let mask = dropout_mask(100_003, 0.25, &mut StdRng::seed_from_u64(3));
    assert_eq!(mask.len(), 100_003);
    let dropped = mask.iter().filter(|&&m| m == 0.0).count() as f64 / mask.len() as f64;
    assert!((dropped - 0.25).abs() < 0.01, "dropped {dropped}");
    assert!(
        mask.iter()
            .all(|&m| m == 0.0 || (m - 4.0 / 3.0).abs() < 1e-6)
    );
}

#[test]
fn dropout_mask_unit_i_takes_sixteen_bits_of_the_generators_i_over_four_th_64_bit_draw() {
    for count in [1, 2, 3, 4, 5, 7, 8, 9, 1_001] {
        // With one 32-bit draw first, the 64-bit draws straddle the generator's blocks
        // differently.
        for skip in [false, true] {
            let seeded = || {
                let mut rng = StdRng::seed_from_u64(count as u64);
                if skip {
                    rng.next_u32();
                }
                rng
            };
            let mut masked = seeded();
            let mask = dropout_mask(count, 0.25, &mut masked);
            let mut rng = seeded();
            let draws: Vec<u64> = (0..count.div_ceil(4)).map(|_| rng.next_u64()).collect();
            let expected: Vec<f32> = (0..count)
                .map(|i| {
                    let draw = (draws[i / 4] >> (16 * (i % 4))) as u16;
                    if draw < 16_384 { 0.0 } else { 4.0 / 3.0 }
                })
                .collect();
            assert_eq!(mask, expected, "count {count}, skip {skip}");
            // Both leave the generator at the same place.
            assert_eq!(
                masked.next_u64(),
                rng.next_u64(),
                "count {count}, skip {skip}"
            );
        }
    }
}

/// `activation` through burn's own ops only.
fn plain<const D: usize>(x: Tensor<D>, activation: Activation) -> Tensor<D> {
    match activation {
        Activation::Sigmoid => burn::tensor::activation::sigmoid(x),
        Activation::Relu | Activation::Tanh | Activation::Linear => activate(x, activation),
    }
}

/// The network's forward pass with burn's plain ops only (no custom op, nothing fused).
fn plain_forward(model: &DigitsCnn, images: Tensor<4>) -> Tensor<2> {
    let mut flow = Flow::Maps(images);
    for layer in &model.layers {
        flow = match layer {
            Layer::Conv(conv) => Flow::Maps(plain(conv.conv.forward(flow.maps()), conv.activation)),
            Layer::Dense(dense) => {
                Flow::Flat(plain(dense.linear.forward(flow.flat()), dense.activation))
            }
            other => other.forward(flow, None),
        };
    }
    model.output.forward(flow.flat())
}

#[test]
fn a_non_default_networks_gradient_equals_burns_plain_ops() {
    // Fused ReLU conv + pool, a sigmoid 3×3 conv, a 5×5 tanh conv, batch norm, average
    // pooling, a linear and a sigmoid dense layer.
    let arch: Arch =
        "conv8,pool,conv6:sigmoid,conv4x5:tanh,bn,avgpool,dense12:linear,dense8:sigmoid"
            .parse()
            .unwrap();
    for kind in BackendKind::ALL {
        let device = kind.training_device();
        let model = DigitsCnn::seeded(&arch, &device, 9);
        let images = Tensor::<4>::random(
            [5, 1, 8, 8],
            burn::tensor::Distribution::Uniform(0.0, 16.0),
            &device,
        );
        let gradients = |forward: &dyn Fn(Tensor<4>) -> Tensor<2>| {
            let grads = (forward(images.clone()) * 0.1).sin().sum().backward();
            let mut all = Vec::new();
            for layer in &model.layers {
                match layer {
                    Layer::Conv(conv) => {
                        all.push(conv.conv.weight.grad(&grads).unwrap().into_data())
                    }
                    Layer::Dense(dense) => {
                        all.push(dense.linear.weight.grad(&grads).unwrap().into_data())
                    }
                    Layer::BatchNorm(norm) => {
                        all.push(norm.gamma.grad(&grads).unwrap().into_data())
                    }
                    Layer::MaxPool(_) | Layer::AvgPool(_) | Layer::Dropout(_) => {}
                }
            }
            all.push(model.output.weight.grad(&grads).unwrap().into_data());
            all
        };
        let fast = gradients(&|x| model.forward(x, None));
        let plain = gradients(&|x| plain_forward(&model, x));
        assert_eq!(fast.len(), 7);
        for (got, want) in fast.iter().zip(&plain) {
            got.assert_approx_eq::<f32>(want, burn::tensor::Tolerance::absolute(1e-4));
        }
    }
}

#[test]
fn every_conv_and_pool_layer_of_any_network_has_activations() {
    let arch: Arch = "conv4x5:tanh,avgpool,bn,conv6,pool,dense8".parse().unwrap();
    let device = BackendKind::Flex.device();
    let model = DigitsCnn::seeded(&arch, &device, 2);
    let images = Tensor::<4>::ones([2, 1, 8, 8], &device);
    let activations = model.forward_with_activations(images);
    let layers: Vec<(&str, [usize; 4])> = activations
        .layers
        .iter()
        .map(|(name, t)| (name.as_str(), t.dims()))
        .collect();
    assert_eq!(
        layers,
        [
            ("conv2d", [2, 4, 8, 8]),
            ("average_pooling2d", [2, 4, 4, 4]),
            ("conv2d_1", [2, 6, 4, 4]),
            ("max_pooling2d", [2, 6, 2, 2]),
        ]
    );
    assert_eq!(
        model.num_params(),
        arch.parameters(),
        "moving statistics included"
    );
}
