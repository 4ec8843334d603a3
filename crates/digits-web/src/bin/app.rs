//! The page's main-thread entry point (built by Trunk from `index.html`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    digits_web::app::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("The Digit Lab page runs in a browser: build it with `trunk build --release`.");
}
