//! The optimizer of a run: `adam` (the notebook's), `sgd` or `rmsprop`, each with Keras'
//! default hyper-parameters apart from the learning rate.

use std::fmt;
use std::str::FromStr;

use burn::optim::momentum::MomentumConfig;
use burn::optim::{
    AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, RmsPropConfig, SgdConfig,
};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::ops::{AdamFactors, adam_step};

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
            Optimizer::Adam => ModuleOptimizer::from(Adam::KERAS),
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

/// Adam as burn's `Adam` computes it (no weight decay, no AMSGrad), each parameter's update
/// one fused op ([`adam_step`]), its state burn's own.
#[derive(Clone, Debug)]
struct Adam {
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
}

impl Adam {
    /// Keras' defaults (and burn's, but for ε): β₁ 0.9, β₂ 0.999, ε 1e-7.
    const KERAS: Adam = Adam {
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: KERAS_EPSILON,
    };
}

impl burn::optim::Optimizer for Adam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        learning_rate: LearningRate,
        parameter: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        // Before the first step both moments are zero: β·0 + x is x, as burn's first step.
        let (time, moments) = match state {
            Some(AdamState { momentum }) => {
                (momentum.time + 1, [momentum.moment_1, momentum.moment_2])
            }
            None => (1, [grad.zeros_like(), grad.zeros_like()]),
        };
        let factors = AdamFactors::new(self.beta_1, self.beta_2, self.epsilon, learning_rate, time);
        let [parameter, moment_1, moment_2] = adam_step(parameter, grad, moments, factors);
        let momentum = AdaptiveMomentumState::new(time, moment_1, moment_2);
        (parameter, Some(AdamState::new(momentum)))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        AdamState::new(state.momentum.to_device(device))
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
    use burn::optim::{AdamConfig, Optimizer as _};
    use burn::tensor::Tolerance;

    use super::*;
    use crate::backend::BackendKind;
    use crate::ops::varied;

    #[test]
    fn adam_equals_burns_adam_bitwise_on_flex_and_closely_on_every_backend() {
        for kind in BackendKind::ALL {
            let device = kind.device();
            let values = |salt| varied([20, 15], salt, &device);
            let burns = AdamConfig::new().with_epsilon(KERAS_EPSILON).build();
            let ours = Adam::KERAS;
            let (mut expected, mut expected_state) = (values(0), None);
            let (mut got, mut state) = (values(0), None);
            for step in 1..=4 {
                let grad = values(step);
                (expected, expected_state) =
                    burns.step(1e-3, expected, grad.clone(), expected_state);
                (got, state) = ours.step(1e-3, got, grad, state);
            }
            let [expected_state, state] = [expected_state, state].map(|s| s.expect("a state"));
            assert_eq!(state.momentum.time, expected_state.momentum.time);
            let pairs = [
                (got, expected),
                (state.momentum.moment_1, expected_state.momentum.moment_1),
                (state.momentum.moment_2, expected_state.momentum.moment_2),
            ];
            for (got, expected) in pairs {
                let (got, expected) = (got.into_data(), expected.into_data());
                match kind {
                    BackendKind::Flex => assert_eq!(got, expected),
                    BackendKind::NdArray => {
                        got.assert_approx_eq::<f32>(&expected, Tolerance::absolute(1e-6))
                    }
                }
            }
        }
    }

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
