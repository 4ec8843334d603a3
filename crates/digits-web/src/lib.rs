//! Digit Lab's page: trains the course notebook's CNN on the UCI 8×8 digits in the browser.
//!
//! Two wasm entry points share this crate (see `src/bin`):
//! - the **app**, on the page's main thread, owns the DOM and draws every chart with plotters
//!   on `<canvas>` (`app`, `charts`, `dom`; wasm only). It never trains.
//! - the **worker**, a dedicated Web Worker, owns the data, the network and the training
//!   (`worker`, wasm only, around the browser-free [`session`]).
//!
//! They talk only through the typed messages of [`protocol`]. The page's URL parameters and
//! element ids are a public contract, documented in `docs/page-contract.md`. Every text the page
//! shows comes from one catalogue, [`i18n`].

pub mod format;
pub mod i18n;
pub mod notebook;
pub mod protocol;
pub mod ready_queue;
pub mod run_record;
pub mod session;
pub mod settings;
pub mod warm_up;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod charts;
#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
pub mod parallel;
#[cfg(target_arch = "wasm32")]
mod wire;
#[cfg(target_arch = "wasm32")]
pub mod worker;
