use super::*;

/// Specs with parameter counts and summaries computed by hand (Keras' formulas: a conv has
/// K·K·C·F + F, a dense layer I·U + U, batch normalization 4·C with its moving mean and
/// variance, pools, dropout and flatten none), as `(spec, total, [(layer, Keras shape,
/// parameters)])`.
#[allow(clippy::type_complexity)]
const TABLE: &[(&str, usize, &[(&str, &[usize], usize)])] = &[
    (
        // 5×5 kernel, tanh, average pooling, batch norm on maps, a linear dense layer.
        "conv8x5:tanh,avgpool,bn,dense32:linear",
        208 + 32 + 4_128 + 330,
        &[
            ("conv2d (Conv2D)", &[8, 8, 8], 5 * 5 * 8 + 8),
            ("average_pooling2d (AveragePooling2D)", &[4, 4, 8], 0),
            (
                "batch_normalization (BatchNormalization)",
                &[4, 4, 8],
                4 * 8,
            ),
            ("flatten (Flatten)", &[128], 0),
            ("dense (Dense)", &[32], 128 * 32 + 32),
            ("dense_1 (Dense)", &[10], 32 * 10 + 10),
        ],
    ),
    (
        // 1×1 and 7×7 kernels, sigmoid, pooled down to 1×1, no dense layer of its own.
        "conv4x1,conv6x7:sigmoid,pool,pool,pool",
        8 + 1_182 + 70,
        &[
            ("conv2d (Conv2D)", &[8, 8, 4], 4 + 4),
            ("conv2d_1 (Conv2D)", &[8, 8, 6], 7 * 7 * 4 * 6 + 6),
            ("max_pooling2d (MaxPooling2D)", &[4, 4, 6], 0),
            ("max_pooling2d_1 (MaxPooling2D)", &[2, 2, 6], 0),
            ("max_pooling2d_2 (MaxPooling2D)", &[1, 1, 6], 0),
            ("flatten (Flatten)", &[6], 0),
            ("dense (Dense)", &[10], 6 * 10 + 10),
        ],
    ),
    (
        // Dense layers only, batch norm on units, tanh.
        "dense64,bn,drop0.5,dense16:tanh",
        4_160 + 256 + 1_040 + 170,
        &[
            ("flatten (Flatten)", &[64], 0),
            ("dense (Dense)", &[64], 64 * 64 + 64),
            ("batch_normalization (BatchNormalization)", &[64], 4 * 64),
            ("dropout (Dropout)", &[64], 0),
            ("dense_1 (Dense)", &[16], 64 * 16 + 16),
            ("dense_2 (Dense)", &[10], 16 * 10 + 10),
        ],
    ),
    (
        // Batch norm of the input, a linear 5×5 conv, average pooling, dropout last.
        "bn,conv32,conv32x5:linear,avgpool,drop0.1",
        4 + 320 + 25_632 + 5_130,
        &[
            ("batch_normalization (BatchNormalization)", &[8, 8, 1], 4),
            ("conv2d (Conv2D)", &[8, 8, 32], 9 * 32 + 32),
            ("conv2d_1 (Conv2D)", &[8, 8, 32], 5 * 5 * 32 * 32 + 32),
            ("average_pooling2d (AveragePooling2D)", &[4, 4, 32], 0),
            ("dropout (Dropout)", &[4, 4, 32], 0),
            ("flatten (Flatten)", &[512], 0),
            ("dense (Dense)", &[10], 512 * 10 + 10),
        ],
    ),
];

/// The presets' totals, by hand as above.
const PRESET_PARAMETERS: [(&str, usize); 6] = [
    // 160 + 4,640 + 18,496 + 8,320 + 66,048 + 5,130: the notebook's Keras summary.
    ("notebook", 102_794),
    // conv 80, conv 9·8·16+16 = 1,168, dense 64·32+32 = 2,080, output 330.
    ("small", 3_658),
    ("no-dropout", 102_794),
    ("relu-dense", 102_794),
    // 320 + 9,248 + 18,496 + 36,928 + 73,856 + dense 128·256+256 = 33,024 + 2,570.
    ("deeper", 174_442),
    // The notebook's convs and dense 128 (160 + 4,640 + 18,496 + 8,320), batch norms
    // 4·(16 + 32 + 64 + 128) = 960, output 128·10+10 = 1,290.
    ("batch-norm", 33_866),
];

#[test]
fn parameter_counts_and_shapes_match_the_hand_computed_table() {
    for &(spec, total, rows) in TABLE {
        let arch: Arch = spec.parse().unwrap();
        let summary = arch.summary();
        let got: Vec<(&str, &[usize], usize)> = summary
            .iter()
            .map(|row| {
                (
                    row.layer.as_str(),
                    row.output_shape.as_slice(),
                    row.parameters,
                )
            })
            .collect();
        assert_eq!(got, rows, "{spec}");
        assert_eq!(arch.parameters(), total, "{spec}");
    }
    let norms: Vec<usize> = TABLE
        .iter()
        .map(|(spec, ..)| spec.parse::<Arch>().unwrap().non_trainable_parameters())
        .collect();
    assert_eq!(norms, [2 * 8, 0, 2 * 64, 2]);
}

#[test]
fn presets_build_with_their_hand_computed_counts() {
    let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
    let expected: Vec<&str> = PRESET_PARAMETERS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected);
    for (name, parameters) in PRESET_PARAMETERS {
        let preset = Preset::named(name).unwrap();
        assert_eq!(preset.arch().parameters(), parameters, "{name}");
        assert_eq!(
            preset.arch().to_string(),
            preset.spec,
            "{name} is normalised"
        );
    }
    assert_eq!(Arch::notebook(), Preset::named("notebook").unwrap().arch());
    assert_eq!(Arch::default().to_string(), NOTEBOOK);
    assert_eq!(Preset::named("huge"), None);
}

#[test]
fn specs_round_trip_through_their_normalised_text() {
    let specs = TABLE
        .iter()
        .map(|(spec, ..)| *spec)
        .chain(PRESETS.iter().map(|p| p.spec));
    for spec in specs {
        let arch: Arch = spec.parse().unwrap();
        assert_eq!(arch.to_string(), spec);
        assert_eq!(arch.to_string().parse::<Arch>().unwrap(), arch);
        let json = serde_json::to_string(&arch).unwrap();
        assert_eq!(json, format!("\"{spec}\""));
        assert_eq!(serde_json::from_str::<Arch>(&json).unwrap(), arch);
    }
    let written = "CONV16x3:RELU,Pool,Drop.5,conv8X5:Tanh,AVGPOOL,BN,dense8:Linear,DENSE4:relu";
    let arch: Arch = written.parse().unwrap();
    assert_eq!(
        arch.to_string(),
        "conv16,pool,drop0.5,conv8x5:tanh,avgpool,bn,dense8:linear,dense4"
    );
}

#[test]
fn every_error_names_the_layer_and_the_problem() {
    let cases = [
        (
            "",
            "the spec is empty: write at least one layer, e.g. conv16",
        ),
        (
            "convx",
            "layer 1 (convx): expected a filter count after conv",
        ),
        (
            "conv16,pool,drop0.25,conv32,pool,drop0.25,conv64,pool,drop0.25,pool",
            "layer 10 (pool): its input is 1×1, too small to pool",
        ),
        ("conv0", "layer 1 (conv0): 0 filters is outside 1..256"),
        (
            "pool,conv257",
            "layer 2 (conv257): 257 filters is outside 1..256",
        ),
        (
            "conv16x4",
            "layer 1 (conv16x4): kernel 4 must be odd, from 1 to 7",
        ),
        (
            "conv16x9",
            "layer 1 (conv16x9): kernel 9 must be odd, from 1 to 7",
        ),
        (
            "conv16x",
            "layer 1 (conv16x): expected a kernel size after x",
        ),
        (
            "conv16y",
            "layer 1 (conv16y): unexpected `y` after the filter count (expected x<kernel> or :<activation>)",
        ),
        (
            "conv16x3z",
            "layer 1 (conv16x3z): unexpected `z` after the kernel size",
        ),
        (
            "conv16:swish",
            "layer 1 (conv16:swish): unknown activation `swish` (expected relu, tanh, sigmoid or linear)",
        ),
        (
            "conv99999999999999999999",
            "layer 1 (conv99999999999999999999): 99999999999999999999 is too large",
        ),
        (
            "dense",
            "layer 1 (dense): expected a unit count after dense",
        ),
        (
            "dense5000",
            "layer 1 (dense5000): 5000 units is outside 1..4096",
        ),
        (
            "dense10x3",
            "layer 1 (dense10x3): unexpected `x3` after the unit count (expected :<activation>)",
        ),
        (
            "drop",
            "layer 1 (drop): expected a rate after drop, e.g. drop0.25",
        ),
        (
            "drop0.95",
            "layer 1 (drop0.95): rate 0.95 is outside 0..0.9",
        ),
        (
            "dropx",
            "layer 1 (dropx): `x` is not a rate (expected e.g. drop0.25)",
        ),
        (
            "conv16,lstm8",
            "layer 2 (lstm8): unknown layer (expected conv, pool, avgpool, bn, drop or dense)",
        ),
        (
            "conv16,,pool",
            "layer 2 (): empty layer (two commas in a row, or one at an end?)",
        ),
        (
            "conv16, pool",
            "layer 2 ( pool): spaces are not allowed in a spec",
        ),
        (
            "dense32,conv16",
            "layer 2 (conv16): its input is flat (after a dense layer); conv needs feature maps",
        ),
        (
            "dense32,avgpool",
            "layer 2 (avgpool): its input is flat (after a dense layer); pooling needs feature maps",
        ),
        (
            // 2,560 + 590,080 + 16,384·4,096 + 4,096 + 40,970.
            "conv256,conv256,dense4096",
            "the network has 67746570 parameters, over the cap of 1000000",
        ),
    ];
    for (spec, message) in cases {
        let error = spec.parse::<Arch>().unwrap_err();
        assert_eq!(error.message, message, "{spec}");
        assert_eq!(error.to_string(), message);
    }
    assert_eq!("dense8,conv4".parse::<Arch>().unwrap_err().layer, Some(2));
    assert_eq!(
        "conv256,conv256,dense4096"
            .parse::<Arch>()
            .unwrap_err()
            .layer,
        None
    );
}

#[test]
fn a_wide_network_still_fits_under_the_cap() {
    // conv 2,560 + 9·256·128+128 = 295,040, pool to 4×4×128, dense 2,048·128+128 = 262,272,
    // output 1,290: 561,162.
    let arch: Arch = "conv256,conv128,pool,dense128".parse().unwrap();
    assert_eq!(arch.parameters(), 561_162);
    assert!(arch.parameters() <= MAX_PARAMETERS);
}
