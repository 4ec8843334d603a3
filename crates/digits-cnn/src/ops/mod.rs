//! The network's convolution, ReLU + pooling and sigmoid as burn backend extensions
//! (`#[backend_extension]`): a fused kernel on flex, burn's own ops on ndarray, and a
//! handwritten backward step under autodiff. Each equals the burn ops it replaces (see its
//! tests); the model stays a burn model.

mod conv3x3;
mod relu_max_pool;
mod sigmoid;
#[cfg(feature = "flex")]
mod storage;

pub use conv3x3::{Conv3x3Backend, conv3x3};
pub use relu_max_pool::{ReluMaxPoolBackend, relu_max_pool};
pub use sigmoid::{SigmoidBackend, sigmoid};
