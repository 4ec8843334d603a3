//! What the page remembers about the run as a whole: its state for `#status` and its
//! progress. Everything else a section remembers lives in that section's module.

use crate::settings::PageSettings;

/// The run's state as `#status[data-state]` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing running (also after Stop).
    Idle,
    /// A run is going.
    Training,
    /// A run is held.
    Paused,
    /// The last run finished.
    Done,
    /// The last run failed, or the worker crashed.
    Error,
}

impl Status {
    /// The `data-state` value.
    pub fn name(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Training => "training",
            Status::Paused => "paused",
            Status::Done => "done",
            Status::Error => "error",
        }
    }

    /// Whether a run exists (going or held).
    pub fn has_run(self) -> bool {
        matches!(self, Status::Training | Status::Paused)
    }
}

/// The kind of run in progress (or last run), with what the status sentences and progress
/// bars need of it. (The worker's own run, with its trainer, is `session::ActiveRun`.)
#[derive(Clone, Debug, PartialEq)]
pub enum RunProgress {
    /// No run yet.
    None,
    /// A training run of `epochs` epochs.
    Train {
        /// Planned epochs.
        epochs: usize,
    },
    /// A cross-validation.
    CrossValidate {
        /// Number of folds.
        folds: usize,
        /// Epochs per fold.
        epochs: usize,
        /// The fold going on, from 1 (0 before the first).
        fold: usize,
        /// Training seconds of the folds already finished.
        elapsed_before: f64,
        /// Training seconds of the current fold so far.
        fold_elapsed: f64,
    },
    /// A sweep (the Sweep panel).
    Sweep {
        /// Trainings in all.
        runs: usize,
        /// Epochs of each.
        epochs: usize,
        /// The training going on, from 1.
        run: usize,
        /// Its last finished epoch.
        epoch: usize,
    },
}

impl RunProgress {
    /// The planned epochs of a training run; `None` without one (no run yet, or a
    /// cross-validation or sweep, whose epochs are per training).
    pub fn training_epochs(&self) -> Option<usize> {
        match self {
            RunProgress::Train { epochs } => Some(*epochs),
            RunProgress::None | RunProgress::CrossValidate { .. } | RunProgress::Sweep { .. } => {
                None
            }
        }
    }
}

/// What the page remembers about the run, across its sections (each section keeps its own
/// state next to its element handles).
pub struct State {
    /// `#status[data-state]`.
    pub status: Status,
    /// `#status[data-epoch]`: epochs finished in the run (over all folds when
    /// cross-validating).
    pub epoch: usize,
    /// The current or last run.
    pub run: RunProgress,
    /// When the live region last spoke (ms since load).
    pub last_announcement: f64,
    /// The settings read from the URL at start-up.
    pub settings: PageSettings,
    /// Start a run as soon as the first data is loaded (`autostart=1`).
    pub autostart: bool,
}

impl State {
    /// The state at start-up, from the URL's settings.
    pub fn new(settings: PageSettings) -> Self {
        Self {
            status: Status::Idle,
            epoch: 0,
            run: RunProgress::None,
            last_announcement: f64::NEG_INFINITY,
            autostart: settings.autostart,
            settings,
        }
    }
}
