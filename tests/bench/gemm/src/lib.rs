//! The matrix products of one data-parallel shard's training step (64 rows of the notebook's
//! network, every layer's forward product and its two backward ones), each called through
//! `gemm::gemm` with the operand layouts `digits-cnn`'s ops pass it (`ops/gemm.rs`,
//! `ops/conv3x3.rs`, `ops/dense.rs`), so the browser's and the native GEMM can be timed apart
//! from the rest of a step (issue 16). The wasm build exports plain functions (no bindings);
//! `tests/bench/gemm.mjs` times them in headless Chromium and `examples/native.rs` natively.

/// How a product's operands lie in memory.
#[derive(Clone, Copy)]
enum Layout {
    /// `A · B`, both row-major.
    Plain,
    /// `Aᵀ · B`: A stored `k × m` (a weight gradient from the kept input).
    LhsTransposed,
    /// `A · Bᵀ`: B stored `n × k` (a weight seen transposed).
    RhsTransposed,
}

/// One product `[m × k] · [k × n]`, with the bias rows as its starting output when `bias`.
struct Product {
    name: &'static str,
    m: usize,
    k: usize,
    n: usize,
    layout: Layout,
    bias: bool,
}

const fn product(name: &'static str, [m, k, n]: [usize; 3], layout: Layout, bias: bool) -> Product {
    Product {
        name,
        m,
        k,
        n,
        layout,
        bias,
    }
}

use Layout::{LhsTransposed, Plain, RhsTransposed};

/// A 64-row shard's products: 4,096 / 1,024 / 256 pixels into the three 3×3 convolutions
/// (16, 32, 64 channels; the first layer's input gradient is never asked for), then the dense
/// layers 64 → 128 → 512 → 10.
const PRODUCTS: [Product; 17] = [
    product("conv1 forward", [4096, 9, 16], RhsTransposed, true),
    product("conv1 weight gradient", [16, 4096, 9], LhsTransposed, false),
    product("conv2 forward", [1024, 144, 32], RhsTransposed, true),
    product(
        "conv2 weight gradient",
        [32, 1024, 144],
        LhsTransposed,
        false,
    ),
    product("conv2 input gradient", [1024, 32, 144], Plain, false),
    product("conv3 forward", [256, 288, 64], RhsTransposed, true),
    product(
        "conv3 weight gradient",
        [64, 256, 288],
        LhsTransposed,
        false,
    ),
    product("conv3 input gradient", [256, 64, 288], Plain, false),
    product("dense1 forward", [64, 64, 128], Plain, true),
    product(
        "dense1 weight gradient",
        [64, 64, 128],
        LhsTransposed,
        false,
    ),
    product("dense1 input gradient", [64, 128, 64], RhsTransposed, false),
    product("dense2 forward", [64, 128, 512], Plain, true),
    product(
        "dense2 weight gradient",
        [128, 64, 512],
        LhsTransposed,
        false,
    ),
    product(
        "dense2 input gradient",
        [64, 512, 128],
        RhsTransposed,
        false,
    ),
    product("dense3 forward", [64, 512, 10], Plain, true),
    product(
        "dense3 weight gradient",
        [512, 64, 10],
        LhsTransposed,
        false,
    ),
    product("dense3 input gradient", [64, 10, 512], RhsTransposed, false),
];

/// How many products there are.
#[unsafe(no_mangle)]
pub extern "C" fn products() -> u32 {
    PRODUCTS.len() as u32
}

/// Multiply-adds in product `index`.
#[unsafe(no_mangle)]
pub extern "C" fn multiply_adds(index: u32) -> f64 {
    let p = &PRODUCTS[index as usize];
    (p.m * p.k * p.n) as f64
}

/// Repetitions of product `index` in one timing: about 1.5·10⁸ multiply-adds (tens of
/// milliseconds, well above the browser's coarsened clock), at least 5.
#[unsafe(no_mangle)]
pub extern "C" fn reps(index: u32) -> u32 {
    (1.5e8 / multiply_adds(index)).round().max(5.0) as u32
}

/// Repetitions of every product before any is timed, so the code and caches are warm.
#[unsafe(no_mangle)]
pub extern "C" fn warm_up_reps() -> u32 {
    50
}

/// Where product `index`'s name starts in memory (UTF-8, [`name_len`] bytes).
#[unsafe(no_mangle)]
pub extern "C" fn name_ptr(index: u32) -> *const u8 {
    PRODUCTS[index as usize].name.as_ptr()
}

/// The length in bytes of product `index`'s name.
#[unsafe(no_mangle)]
pub extern "C" fn name_len(index: u32) -> u32 {
    PRODUCTS[index as usize].name.len() as u32
}

/// Product `index`'s name.
pub fn name(index: u32) -> &'static str {
    PRODUCTS[index as usize].name
}

/// Computes product `index` `reps` times on fixed operands; returns the output's sum, so
/// nothing is optimised away.
#[unsafe(no_mangle)]
pub extern "C" fn run(index: u32, reps: u32) -> f32 {
    let Product {
        m,
        k,
        n,
        layout,
        bias,
        ..
    } = PRODUCTS[index as usize];
    let lhs: Vec<f32> = (0..m * k)
        .map(|i| (i * 7 % 13) as f32 * 0.1 - 0.6)
        .collect();
    let rhs: Vec<f32> = (0..k * n)
        .map(|i| (i * 5 % 11) as f32 * 0.1 - 0.5)
        .collect();
    let mut out = vec![0.25f32; m * n];
    // (row stride, column stride) of each operand, in elements.
    let (lhs_rs, lhs_cs) = match layout {
        LhsTransposed => (1, m as isize),
        Plain | RhsTransposed => (k as isize, 1),
    };
    let (rhs_rs, rhs_cs) = match layout {
        RhsTransposed => (1, k as isize),
        Plain | LhsTransposed => (n as isize, 1),
    };
    for _ in 0..reps {
        // SAFETY: both operands hold m·k and k·n elements and the strides above view them as
        // m×k and k×n; `out` holds m·n, written row-major (rows n apart).
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                out.as_mut_ptr(),
                1,
                n as isize,
                bias,
                lhs.as_ptr(),
                lhs_cs,
                lhs_rs,
                rhs.as_ptr(),
                rhs_cs,
                rhs_rs,
                1.0,
                1.0,
                false,
                false,
                false,
                gemm::Parallelism::None,
            );
        }
    }
    out.iter().sum()
}
