//! `digits train --workers N`: data-parallel training on N threads, as the page does across
//! its pool of helper Web Workers (`crates/digits-web/src/parallel.rs`). The shard step
//! itself is the core's (`digits_cnn::training::Peers`, in
//! `crates/digits-cnn/src/training/data_parallel.rs`): each thread computes the gradient of
//! its shard of every batch and the primary (this thread) applies their sum. A run depends on
//! its seed and its worker count.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use digits_cnn::data::Dataset;
use digits_cnn::training::{EpochReport, Peers, ShardPart, TrainConfig, Trainer};

/// What the primary asks a helper thread.
enum Ask {
    /// Apply the last step's sum (if any), then compute your part of the next batch.
    Step(Option<Vec<f32>>),
}

struct ThreadPeers(Vec<Sender<Ask>>);

impl Peers for ThreadPeers {
    fn begin_step(&mut self, previous: Option<&[f32]>) {
        for helper in &self.0 {
            let _ = helper.send(Ask::Step(previous.map(<[f32]>::to_vec)));
        }
    }
}

/// Trains `trainer` (fresh, built by `Trainer::new` from `config` and `train`) on `workers`
/// threads, calling `on_epoch` after each epoch.
pub fn train(
    trainer: &mut Trainer,
    workers: usize,
    config: &TrainConfig,
    train: &Dataset,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Result<(), String> {
    if !trainer.can_shard() {
        return Err("--workers needs a fresh run".into());
    }
    let (parts_tx, parts_rx) = channel::<(usize, ShardPart)>();
    // Each helper evaluates its share of the test rows after an epoch.
    let test = trainer.test_rows().clone();
    let mut asks = Vec::new();
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    for shard in 1..workers {
        let (ask_tx, ask_rx) = channel::<Ask>();
        let rows = (train.clone(), test.clone());
        let (config, parts_tx) = (config.clone(), parts_tx.clone());
        asks.push(ask_tx);
        threads.push(std::thread::spawn(move || {
            helper((shard, workers), config, rows, ask_rx, parts_tx)
        }));
    }
    drop(parts_tx);
    trainer.set_peers(workers, Box::new(ThreadPeers(asks)));
    let result = (|| {
        while !trainer.is_finished() {
            let report = trainer.step();
            if trainer.is_waiting() {
                for _ in 1..workers {
                    let (shard, part) = parts_rx.recv().map_err(|_| "a helper thread stopped")?;
                    trainer.deliver(shard, part);
                }
            }
            if let Some(report) = report {
                on_epoch(&report);
            }
        }
        Ok(())
    })();
    // Dropping the trainer's peers closes the helpers' channels; they end.
    trainer.set_shard(0, 1);
    for thread in threads {
        let _ = thread.join();
    }
    result
}

/// Shard `shard` of `shards`, training on `train` and evaluating its share of `test`.
fn helper(
    (shard, shards): (usize, usize),
    config: TrainConfig,
    (train, test): (Dataset, Dataset),
    asks: Receiver<Ask>,
    parts: Sender<(usize, ShardPart)>,
) {
    let Ok(mut trainer) = Trainer::new(config, &train, &test) else {
        return;
    };
    trainer.set_shard(shard, shards);
    while let Ok(Ask::Step(previous)) = asks.recv() {
        if let Some(part) = trainer.helper_step(previous.as_deref())
            && parts.send((shard, part)).is_err()
        {
            return;
        }
    }
}
