//! What the page remembers between messages.

use digits_cnn::training::EpochReport;

use crate::protocol::{FoldResult, Request};
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

/// The kind of run in progress (or last run).
#[derive(Clone, Debug, PartialEq)]
pub enum Run {
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
}

/// The page's memory.
pub struct State {
    /// `#status[data-state]`.
    pub status: Status,
    /// `#status[data-epoch]`: epochs finished in the run (over all folds when
    /// cross-validating).
    pub epoch: usize,
    /// The current or last run.
    pub run: Run,
    /// Every epoch of the current training run.
    pub history: Vec<EpochReport>,
    /// Finished folds of the current cross-validation.
    pub folds: Vec<FoldResult>,
    /// Rows of the loaded data.
    pub rows: usize,
    /// The data's name.
    pub source: String,
    /// The request that loaded the current data, to reload it into a restarted worker.
    pub data: Request,
    /// A data request awaiting its answer.
    pub pending_data: Option<Request>,
    /// When the live region last spoke (ms since load).
    pub last_announcement: f64,
    /// When the loss and accuracy charts were last drawn (ms since load).
    pub history_drawn_at: f64,
    /// Whether epochs arrived since the charts were last drawn.
    pub history_stale: bool,
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
            run: Run::None,
            history: Vec::new(),
            folds: Vec::new(),
            rows: 0,
            source: String::new(),
            data: Request::UseBundled,
            pending_data: None,
            last_announcement: f64::NEG_INFINITY,
            history_drawn_at: f64::NEG_INFINITY,
            history_stale: false,
            autostart: settings.autostart,
            settings,
        }
    }
}
