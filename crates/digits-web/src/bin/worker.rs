//! The training worker's entry point (built by Trunk as a Web Worker, started by
//! `web/worker-loader.js`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    digits_web::worker::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("The Digit Lab worker runs in a browser: build it with `trunk build --release`.");
}
