//! The training worker built with the `relaxed-simd` feature: the same code as `worker`, its
//! GEMM kernels multiply-adding with `f32x4.relaxed_madd`. `web/worker-loader.js` starts
//! this build where the browser validates relaxed SIMD, and `worker` elsewhere.

fn main() {
    #[cfg(target_arch = "wasm32")]
    digits_web::worker::start();
}
