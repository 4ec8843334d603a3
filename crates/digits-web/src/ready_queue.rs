//! "Hold messages until the receiver listens": a Web Worker drops messages posted before its
//! script has set its handler, so both links the page makes (the page to its training
//! worker, `app/link.rs`, and the training worker to its helpers, `parallel.rs`) hold their
//! messages in a [`ReadyQueue`] until the other side says it is ready.

use std::cell::{Cell, RefCell};

/// Messages of type `M` held until the receiver is ready, then posted in order.
pub struct ReadyQueue<M> {
    ready: Cell<bool>,
    held: RefCell<Vec<M>>,
}

impl<M> Default for ReadyQueue<M> {
    fn default() -> Self {
        Self {
            ready: Cell::new(false),
            held: RefCell::new(Vec::new()),
        }
    }
}

impl<M> ReadyQueue<M> {
    /// Posts `message` with `post` now if the receiver is ready, else holds it.
    pub fn send(&self, message: M, post: impl FnOnce(&M)) {
        if self.ready.get() {
            post(&message);
        } else {
            self.held.borrow_mut().push(message);
        }
    }

    /// The receiver is ready: posts every held message in order, and the next ones at once.
    pub fn set_ready(&self, mut post: impl FnMut(&M)) {
        self.ready.set(true);
        let held = std::mem::take(&mut *self.held.borrow_mut());
        for message in &held {
            post(message);
        }
    }

    /// Whether the receiver said it is ready.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// A new receiver: not ready, nothing held (messages for the old one are dropped).
    pub fn reset(&self) {
        self.ready.set(false);
        self.held.borrow_mut().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_until_ready_then_posts_in_order() {
        let queue = ReadyQueue::default();
        let posted = RefCell::new(Vec::new());
        queue.send(1, |m| posted.borrow_mut().push(*m));
        queue.send(2, |m| posted.borrow_mut().push(*m));
        assert!(posted.borrow().is_empty());
        queue.set_ready(|m| posted.borrow_mut().push(*m));
        queue.send(3, |m| posted.borrow_mut().push(*m));
        assert_eq!(*posted.borrow(), [1, 2, 3]);
        queue.reset();
        queue.send(4, |m| posted.borrow_mut().push(*m));
        assert!(!queue.is_ready());
        assert_eq!(*posted.borrow(), [1, 2, 3]);
    }
}
