//! `#status` (state and epoch for tests, a sentence for people), the controls' enabled
//! states, and the polite live region.

use web_sys::HtmlElement;

use super::App;
use super::state::Status;
use crate::dom::{by_id, now_ms, set_attr, set_text};
use crate::i18n::{Key, t, tr};

/// `#status` and the live region.
pub(super) struct StatusLine {
    /// The run's state, for people and tests.
    pub(super) element: HtmlElement,
    /// The polite live region for announcements.
    pub(super) announcer: HtmlElement,
}

impl StatusLine {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            element: by_id("status")?,
            announcer: by_id("announcer")?,
        })
    }
}

/// The least time between two per-epoch announcements, so screen readers are not flooded.
const ANNOUNCE_EVERY_MS: f64 = 15_000.0;

impl App {
    /// Sets the run's state and its sentence; `data-epoch` follows the state's epoch count.
    pub(super) fn show_status(&self, status: Status, text: &str) {
        let epoch = {
            let mut state = self.state.borrow_mut();
            state.status = status;
            state.epoch
        };
        set_attr(&self.status.element, "data-state", status.name());
        set_attr(&self.status.element, "data-epoch", &epoch.to_string());
        set_text(&self.status.element, text);
        self.train.pause.set_disabled(!status.has_run());
        self.train.stop.set_disabled(!status.has_run());
        set_text(
            &self.train.pause,
            t(if status == Status::Paused {
                Key::TrainResume
            } else {
                Key::TrainPause
            }),
        );
        set_attr(
            &self.train.pause,
            "aria-pressed",
            if status == Status::Paused {
                "true"
            } else {
                "false"
            },
        );
    }

    /// Records a finished epoch in `data-epoch` (its text comes with the next status).
    pub(super) fn set_epoch(&self, epoch: usize) {
        self.state.borrow_mut().epoch = epoch;
        set_attr(&self.status.element, "data-epoch", &epoch.to_string());
    }

    /// Announces `text` through the live region now.
    pub(super) fn announce(&self, text: &str) {
        self.state.borrow_mut().last_announcement = now_ms();
        set_text(&self.status.announcer, text);
    }

    /// Announces per-epoch progress, at most once per [`ANNOUNCE_EVERY_MS`].
    pub(super) fn announce_progress(&self, text: &str) {
        let due = now_ms() - self.state.borrow().last_announcement >= ANNOUNCE_EVERY_MS;
        if due {
            self.announce(text);
        }
    }

    /// The current run failed: error state with its message.
    pub(super) fn on_failed(&self, message: &str) {
        self.show_status(
            Status::Error,
            &tr(Key::StatusError, &[("message", &message)]),
        );
        self.announce(&tr(Key::AnnounceError, &[("message", &message)]));
    }
}
