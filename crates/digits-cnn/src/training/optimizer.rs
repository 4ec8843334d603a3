//! The optimizer of a run: `adam` (the notebook's), `sgd` or `rmsprop`, each with Keras'
//! default hyper-parameters apart from the learning rate.

use std::fmt;
use std::str::FromStr;

use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, RmsPropConfig, SgdConfig};
use serde::{Deserialize, Serialize};

/// Keras' epsilon for Adam and RMSprop (burn's default is 1e-5).
pub const KERAS_EPSILON: f32 = 1e-7;
/// Keras' `SGD` momentum as Digit Lab uses it (Keras' own default is 0).
pub const SGD_MOMENTUM: f64 = 0.9;
/// Keras' RMSprop decay of the squared-gradient average (`rho`).
pub const RMSPROP_RHO: f32 = 0.9;

/// Which update rule trains the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimizer {
    /// Adam (β₁ 0.9, β₂ 0.999, ε 1e-7): the notebook's.
    #[default]
    Adam,
    /// Stochastic gradient descent with momentum 0.9 (not Nesterov).
    Sgd,
    /// RMSprop (ρ 0.9, ε 1e-7, no momentum, not centred).
    #[serde(rename = "rmsprop")]
    RmsProp,
}

impl Optimizer {
    /// Every optimizer, the default first.
    pub const ALL: [Optimizer; 3] = [Optimizer::Adam, Optimizer::Sgd, Optimizer::RmsProp];

    /// The name used on the command line, in URLs and in saved records.
    pub fn name(self) -> &'static str {
        match self {
            Optimizer::Adam => "adam",
            Optimizer::Sgd => "sgd",
            Optimizer::RmsProp => "rmsprop",
        }
    }

    /// A fresh burn optimizer with these hyper-parameters.
    pub fn init(self) -> ModuleOptimizer {
        match self {
            Optimizer::Adam => AdamConfig::new().with_epsilon(KERAS_EPSILON).init(),
            Optimizer::Sgd => {
                // Keras' momentum: v ← m·v − lr·g, which is burn's with no dampening.
                let momentum = MomentumConfig::new()
                    .with_momentum(SGD_MOMENTUM)
                    .with_dampening(0.0);
                SgdConfig::new().with_momentum(Some(momentum)).init()
            }
            Optimizer::RmsProp => RmsPropConfig::new()
                .with_alpha(RMSPROP_RHO)
                .with_momentum(0.0)
                .with_epsilon(KERAS_EPSILON)
                .init(),
        }
    }
}

impl fmt::Display for Optimizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Optimizer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Optimizer::ALL
            .into_iter()
            .find(|optimizer| optimizer.name() == s)
            .ok_or_else(|| format!("unknown optimizer `{s}` (expected adam, sgd or rmsprop)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for optimizer in Optimizer::ALL {
            assert_eq!(optimizer.name().parse::<Optimizer>(), Ok(optimizer));
            assert_eq!(
                serde_json::to_string(&optimizer).unwrap(),
                format!("\"{optimizer}\"")
            );
        }
        assert!(
            "adagrad"
                .parse::<Optimizer>()
                .unwrap_err()
                .contains("adagrad")
        );
    }
}
