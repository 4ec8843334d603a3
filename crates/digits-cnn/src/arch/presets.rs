//! Named networks to start from: the page's preset menu (`#arch-preset`) and the README's
//! examples. Each spec builds (tested in `arch/tests.rs`).

use super::{Arch, NOTEBOOK};

/// A named network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Short name, as a menu value: `notebook`, `small`, ….
    pub name: &'static str,
    /// What it is, in a few words, as a menu label.
    pub title: &'static str,
    /// Its spec.
    pub spec: &'static str,
}

impl Preset {
    /// The preset's network.
    pub fn arch(&self) -> Arch {
        self.spec.parse().expect("every preset builds")
    }

    /// The preset called `name`, if any.
    pub fn named(name: &str) -> Option<Preset> {
        PRESETS.into_iter().find(|preset| preset.name == name)
    }
}

/// Every preset, the notebook's first.
pub const PRESETS: [Preset; 6] = [
    Preset {
        name: "notebook",
        title: "The notebook's network",
        spec: NOTEBOOK,
    },
    Preset {
        name: "small",
        title: "Small and fast",
        spec: "conv8,pool,conv16,pool,dense32",
    },
    Preset {
        name: "no-dropout",
        title: "The notebook's without dropout",
        spec: "conv16,pool,conv32,pool,conv64,pool,dense128:sigmoid,dense512:sigmoid",
    },
    Preset {
        name: "relu-dense",
        title: "The notebook's with ReLU dense layers",
        spec: "conv16,pool,drop0.25,conv32,pool,drop0.25,conv64,pool,drop0.25,dense128,drop0.25,dense512,drop0.25",
    },
    Preset {
        name: "deeper",
        title: "Deeper: two convolutions per block",
        spec: "conv32,conv32,pool,drop0.25,conv64,conv64,pool,drop0.25,conv128,pool,drop0.25,dense256,drop0.5",
    },
    Preset {
        name: "batch-norm",
        title: "With batch normalization",
        spec: "conv16,bn,pool,conv32,bn,pool,conv64,bn,pool,drop0.25,dense128,bn,drop0.25",
    },
];
