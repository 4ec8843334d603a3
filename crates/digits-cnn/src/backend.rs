//! Choosing the burn backend at run time.
//!
//! The model code is backend-free (`Tensor<D>` over a runtime [`Device`]); this picks which
//! CPU backend executes it. `flex` is the fast pure-Rust default (SIMD128 in wasm); `ndarray`
//! is the notebook author's named choice, deprecated upstream and several times slower here.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// A CPU backend the model can run on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// burn's `flex` backend: the default.
    #[default]
    Flex,
    /// burn's `ndarray` backend (deprecated upstream, kept selectable).
    #[serde(rename = "ndarray")]
    NdArray,
}

impl BackendKind {
    /// Every backend this build offers, default first.
    pub const ALL: [BackendKind; 2] = [BackendKind::Flex, BackendKind::NdArray];

    /// The name used on the command line, in URLs and in saved files.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Flex => "flex",
            BackendKind::NdArray => "ndarray",
        }
    }

    /// The inference device of this backend (no autodiff).
    pub fn device(self) -> Device {
        match self {
            #[cfg(feature = "flex")]
            BackendKind::Flex => Device::flex(),
            #[cfg(feature = "ndarray")]
            #[allow(deprecated)] // selectable on purpose: see the module doc
            BackendKind::NdArray => Device::ndarray(),
            #[allow(unreachable_patterns)]
            other => panic!("this build has no `{}` backend", other.name()),
        }
    }

    /// The training device of this backend (autodiff enabled).
    pub fn training_device(self) -> Device {
        self.device().autodiff()
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BackendKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "flex" => Ok(BackendKind::Flex),
            "ndarray" => Ok(BackendKind::NdArray),
            other => Err(format!(
                "unknown backend `{other}` (expected flex or ndarray)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in BackendKind::ALL {
            assert_eq!(kind.name().parse::<BackendKind>(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert!("cuda".parse::<BackendKind>().unwrap_err().contains("cuda"));
    }

    #[test]
    fn training_device_has_autodiff() {
        for kind in BackendKind::ALL {
            assert!(kind.training_device().is_autodiff());
            assert!(!kind.device().is_autodiff());
        }
    }
}
