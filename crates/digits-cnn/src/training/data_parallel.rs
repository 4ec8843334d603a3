//! Data-parallel training: one optimizer step from gradients computed on shards of a batch.
//!
//! The concept has one name in every crate: this module is the core's half (the shard step
//! and the [`Peers`] link); the CLI's `--workers` runs shards on threads
//! (`crates/digits-cli/src/data_parallel.rs`) and the page runs them in a pool of helper Web
//! Workers (`crates/digits-web/src/parallel.rs`).
//!
//! Several identical [`Trainer`]s (same settings, same seed, same rows: each in its own
//! thread or Web Worker) split every mini-batch into `shards` contiguous parts. Each computes
//! the gradient of its part (with the plain step's own forward/backward pass), scaled by the
//! part's share of the batch; the parts are summed in shard order and every trainer applies
//! that same sum with its own optimizer. Since the sum is the gradient of the whole batch and
//! every trainer runs the same code on the same numbers, their weights stay identical, and a
//! run depends only on its seed and its shard count.
//!
//! Batch normalization normalises each shard by that shard's statistics (as Keras does on
//! several devices), and its moving mean and variance are not exchanged: each trainer keeps
//! its own, from the shards it computes (they travel as zeros in the gradient vector). They
//! still depend only on the seed and the shard count; the primary evaluates with its own.
//!
//! Shard 0 (the *primary*) is the trainer the page reports on. After each epoch but the last,
//! every shard evaluates its share of the held-out rows (the test rows, then the validation
//! rows) with the epoch's weights, the helpers sending their class probabilities with their
//! next part; the primary reports the epoch once they are in, before it applies that step, so
//! the report, and what is shown with it, are of the epoch's weights. (Evaluating the test
//! rows costs several training steps: on one shard, it kept the others waiting.) Networks
//! with batch normalization are the exception: each shard keeps its own moving statistics, so
//! the primary evaluates alone, while the helpers compute the next epoch's first batch without
//! it. Each shard draws its
//! dropout masks from its own generator; with one shard, the generator is the trainer's own,
//! so a one-shard run is the plain [`Trainer::step`] run.
//!
//! The primary reaches its peers through [`Peers`], so this module stays free of any browser
//! API: the Web Worker's implementation posts messages; tests call helper trainers directly.

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use web_time::Instant;

use std::ops::Range;

use super::{BatchGradients, EpochReport, EpochTally, Trainer};
use crate::CLASSES;
use crate::prediction::tensor_values;

/// The gradient of one shard of a batch, with what the epoch report needs from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardPart {
    /// Every parameter's gradient, in module order, flattened, scaled by this shard's share
    /// of the batch.
    pub gradients: Vec<f32>,
    /// The shard's mean loss times its rows.
    pub loss_sum: f64,
    /// Rows of the shard the network classified right (before the step).
    pub correct: usize,
    /// When the sum this shard applied before computing the part ended an epoch: the class
    /// probabilities ([`CLASSES`] a row, flattened) of its share of the held-out rows, with
    /// the epoch's weights (see the module docs). Empty otherwise.
    pub evaluated: Vec<f32>,
}

/// The primary's link to the other shards' trainers.
pub trait Peers {
    /// Asks every peer to apply `previous` (the summed gradients of the last step, if any)
    /// and then compute its part of the next batch. Their parts come back through
    /// [`Trainer::deliver`], in any order.
    fn begin_step(&mut self, previous: Option<&[f32]>);
}

/// A trainer's data-parallel state.
pub(super) struct Parallel {
    /// This trainer's shard.
    shard: usize,
    /// Shards per batch.
    shards: usize,
    /// Draws this shard's dropout masks (`None`: the trainer's own generator).
    pub(super) dropout: Option<StdRng>,
    /// The primary's peers (`None` on helpers).
    peers: Option<Box<dyn Peers>>,
    /// The parts of the step in progress, by shard.
    parts: Vec<Option<ShardPart>>,
    /// Whether a step is in progress (begun, not yet applied).
    open: bool,
    /// The summed gradients of the last step, for the peers to apply.
    last_sum: Option<Vec<f32>>,
    /// When the step in progress began.
    started: Option<Instant>,
    /// The epoch that ended with the last step applied, until the helpers' shares of its
    /// evaluation come in.
    pending: Option<PendingEpoch>,
    /// Whether the shards share each epoch's evaluation (decided once, at
    /// [`Trainer::set_shard`]; see the module docs).
    shares_evaluation: bool,
}

/// An epoch whose evaluation the shards share, waiting for the helpers' shares.
struct PendingEpoch {
    tally: EpochTally,
    /// The primary's share's class probabilities.
    probabilities: Vec<[f32; CLASSES]>,
    /// Seconds the primary spent on its share.
    seconds: f64,
}

impl Parallel {
    pub(super) fn new(seed: u64, shard: usize, shards: usize, shares_evaluation: bool) -> Self {
        let dropout = (shards > 1).then(|| {
            StdRng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(shard as u64 + 1))
        });
        Self {
            shard,
            shards,
            dropout,
            peers: None,
            parts: vec![None; shards],
            open: false,
            last_sum: None,
            started: None,
            pending: None,
            shares_evaluation,
        }
    }
}

impl Trainer {
    /// Makes this trainer shard `shard` of `shards` of every batch (see the module docs).
    /// Call before the first step; `shards` = 1 is plain training.
    pub fn set_shard(&mut self, shard: usize, shards: usize) {
        assert!(shards >= 1 && shard < shards, "shard {shard} of {shards}");
        // Only when the weights the shards keep identical are the whole model: no batch
        // normalization's moving statistics.
        let shares_evaluation = shards > 1 && self.config.arch.non_trainable_parameters() == 0;
        self.parallel = Some(Box::new(Parallel::new(
            self.config.seed,
            shard,
            shards,
            shares_evaluation,
        )));
    }

    /// Makes this trainer the primary (shard 0) of `shards`, reaching the others through
    /// `peers`. [`step`](Self::step) then begins a step (asking the peers for their parts)
    /// and applies it once [`deliver`](Self::deliver) has brought every part.
    pub fn set_peers(&mut self, shards: usize, peers: Box<dyn Peers>) {
        self.set_shard(0, shards);
        if let Some(parallel) = &mut self.parallel {
            parallel.peers = Some(peers);
        }
    }

    /// Whether helpers built by [`Trainer::new`] from this trainer's settings and
    /// [`train_rows`](Self::train_rows) would start in step with it: it was built by `new`
    /// (not resumed from a model) and has not stepped yet.
    pub fn can_shard(&self) -> bool {
        self.from_seed
            && self.batches.at_epoch_start()
            && self.progress.epochs_done == 0
            && self.parallel.is_none()
    }

    /// The training rows, as given (validation rows included: a helper built from them
    /// carves the same ones off).
    pub fn train_rows(&self) -> crate::data::Dataset {
        self.held_out.given.clone()
    }

    /// The rows reported on as `test` (helpers need them for their share of each epoch's
    /// evaluation).
    pub fn test_rows(&self) -> &crate::data::Dataset {
        &self.held_out.test
    }

    /// Whether the shards share each epoch's evaluation (see the module docs).
    fn shares_evaluation(&self) -> bool {
        self.parallel.as_ref().is_some_and(|p| p.shares_evaluation)
    }

    /// The held-out rows (the test rows, then the validation rows) this shard evaluates.
    fn evaluation_share(&self) -> Range<usize> {
        let (shard, shards) = self
            .parallel
            .as_ref()
            .map_or((0, 1), |p| (p.shard, p.shards));
        let rows = self.held_out_rows();
        rows * shard / shards..rows * (shard + 1) / shards
    }

    /// This trainer's shard (0 unless a helper).
    pub fn shard(&self) -> usize {
        self.parallel.as_ref().map_or(0, |p| p.shard)
    }

    /// Whether the primary waits for its peers' parts: stepping does nothing until then.
    /// (Not while its own part of the step is still to compute.)
    pub fn is_waiting(&self) -> bool {
        self.parallel.as_ref().is_some_and(|p| {
            p.open && p.parts[p.shard].is_some() && p.parts.iter().any(Option::is_none)
        })
    }

    /// Hands the primary a peer's part of the step in progress.
    pub fn deliver(&mut self, shard: usize, part: ShardPart) {
        if let Some(parallel) = &mut self.parallel
            && parallel.open
            && shard < parallel.shards
        {
            parallel.parts[shard] = Some(part);
        }
    }

    /// The primary's step, one piece per call: begins the first step (the peers start on
    /// their parts), computes its own part, and once every part is in, applies their sum
    /// (returning the epoch's report when it ended one).
    ///
    /// The peers are asked for the next step *before* the primary applies the sum itself, so
    /// their optimizer step and part overlap its optimizer step, evaluation and report; the
    /// primary's own part of that step comes with the next call.
    pub(super) fn parallel_step(&mut self) -> Option<EpochReport> {
        let parallel = self.parallel.as_mut().expect("parallel state");
        if !parallel.open {
            // The first step of a run (or of more epochs after it ended).
            let previous = parallel.last_sum.take();
            parallel.started = Some(Instant::now());
            if let Some(peers) = &mut parallel.peers {
                peers.begin_step(previous.as_deref());
            }
        }
        let parallel = self.parallel.as_mut().expect("parallel state");
        if parallel.parts[parallel.shard].is_none() {
            let part = self.shard_part();
            let parallel = self.parallel.as_mut().expect("parallel state");
            parallel.parts[parallel.shard] = Some(part);
            return None;
        }
        if parallel.parts.iter().any(Option::is_none) {
            return None;
        }
        if let Some(pending) = parallel.pending.take() {
            // The parts stay for the next call, which applies them.
            return Some(self.report_shared_epoch(pending));
        }
        let parts: Vec<ShardPart> = parallel.parts.iter_mut().filter_map(Option::take).collect();
        let sum = sum_gradients(&parts);
        let started = parallel.started.take();
        let last_step = self.is_last_step();
        let parallel = self.parallel.as_mut().expect("parallel state");
        if last_step {
            // Kept for the peers in case the run is continued.
            parallel.last_sum = Some(sum.clone());
        } else if let Some(peers) = &mut parallel.peers {
            peers.begin_step(Some(&sum));
        }
        let end = if last_step || !self.shares_evaluation() {
            EpochEnd::Report
        } else {
            EpochEnd::ReportShared
        };
        let report = self.apply_sum(&sum, &parts, end, started);
        if !last_step && let Some(parallel) = &mut self.parallel {
            // The next step is under way at the peers; this trainer's part comes next call.
            parallel.open = true;
            parallel.started = Some(Instant::now());
        }
        report
    }

    /// Whether the step in progress is the run's last.
    fn is_last_step(&self) -> bool {
        let end = self.batches.next(self.config.batch_size).end;
        end >= self.batches.rows() && self.progress.epochs_done + 1 >= self.config.epochs
    }

    /// A helper's step: applies `previous` (the last step's summed gradients, if any), then
    /// computes and returns this shard's part of the next batch.
    pub fn helper_step(&mut self, previous: Option<&[f32]>) -> Option<ShardPart> {
        let mut evaluated = Vec::new();
        if let Some(sum) = previous {
            let epochs_done = self.progress.epochs_done;
            self.apply_sum(sum, &[], EpochEnd::Quiet, None);
            if self.progress.epochs_done > epochs_done
                && !self.is_finished()
                && self.shares_evaluation()
            {
                evaluated = self
                    .held_out_probabilities(self.evaluation_share())
                    .concat();
            }
        }
        if self.is_finished() {
            return None;
        }
        Some(ShardPart {
            evaluated,
            ..self.shard_part()
        })
    }

    /// The primary's report of an epoch whose evaluation the shards shared, once every part
    /// of the next step (with the helpers' shares) is in. Should a share be missing (a helper
    /// without the test rows), the primary evaluates every row itself: the weights are still
    /// the epoch's.
    fn report_shared_epoch(&mut self, pending: PendingEpoch) -> EpochReport {
        let started = Instant::now();
        let parts = self.parallel.as_ref().map(|p| &p.parts[1..]);
        let mut probabilities = pending.probabilities;
        for part in parts.into_iter().flatten().flatten() {
            probabilities.extend(
                part.evaluated
                    .chunks_exact(CLASSES)
                    .map(|row| <[f32; CLASSES]>::try_from(row).expect("rows of CLASSES")),
            );
        }
        if probabilities.len() != self.held_out_rows() {
            probabilities = self.held_out_probabilities(0..self.held_out_rows());
        }
        let seconds = pending.seconds + started.elapsed().as_secs_f64();
        self.report_epoch(pending.tally, &probabilities, seconds)
    }

    /// This shard's part of the current batch (shuffling first at an epoch's start).
    fn shard_part(&mut self) -> ShardPart {
        let (shard, shards) = self
            .parallel
            .as_ref()
            .map_or((0, 1), |p| (p.shard, p.shards));
        if let Some(parallel) = &mut self.parallel {
            parallel.open = true;
        }
        let batch = self.next_batch();
        let first_batch_to_helpers = !self.shares_evaluation();
        let (from, to) = shard_range(
            batch.start,
            batch.len(),
            (shard, shards),
            first_batch_to_helpers,
        );
        if from == to {
            return ShardPart {
                gradients: vec![0.0; self.network.model().num_params()],
                loss_sum: 0.0,
                correct: 0,
                evaluated: Vec::new(),
            };
        }
        let BatchGradients {
            mut grads,
            loss_sum,
            correct,
        } = self.batch_gradients(from..to);
        let scale = (to - from) as f32 / batch.len() as f32;
        let mut flatten = Flatten {
            grads: &mut grads,
            out: Vec::new(),
            scale,
        };
        self.network.model().visit(&mut flatten);
        ShardPart {
            gradients: flatten.out,
            loss_sum,
            correct,
            evaluated: Vec::new(),
        }
    }

    /// One optimizer step with the batch's summed gradients; closes the step and, at an
    /// epoch's end, finishes the epoch as `end` says.
    fn apply_sum(
        &mut self,
        sum: &[f32],
        parts: &[ShardPart],
        end: EpochEnd,
        started: Option<Instant>,
    ) -> Option<EpochReport> {
        let mut unflatten = Unflatten {
            flat: sum,
            offset: 0,
            grads: GradientsParams::new(),
            device: self.config.backend.device(),
        };
        self.network.model().visit(&mut unflatten);
        let batch_end = self.batches.next(self.config.batch_size).end;
        if end != EpochEnd::Quiet {
            self.keep_epoch_gradients(batch_end, &unflatten.grads);
        }
        self.network
            .update(self.config.learning_rate, unflatten.grads);
        if let Some(parallel) = &mut self.parallel {
            parallel.open = false;
        }
        let loss_sum = parts.iter().map(|p| p.loss_sum).sum::<f64>();
        let correct = parts.iter().map(|p| p.correct).sum::<usize>();
        if !self.close_batch(batch_end, loss_sum, correct, started) {
            return None;
        }
        match end {
            EpochEnd::Report => Some(self.finish_epoch()),
            EpochEnd::ReportShared => {
                let started = Instant::now();
                let probabilities = self.held_out_probabilities(self.evaluation_share());
                let tally = self.end_epoch();
                if let Some(parallel) = &mut self.parallel {
                    parallel.pending = Some(PendingEpoch {
                        tally,
                        probabilities,
                        seconds: started.elapsed().as_secs_f64(),
                    });
                }
                None
            }
            EpochEnd::Quiet => {
                // A helper: the primary reports; keep the counters consistent anyway.
                self.end_epoch();
                None
            }
        }
    }

    /// The trainable weights, flattened in module order (to compare trainers). Batch
    /// normalization's moving statistics are left out: each trainer keeps its own, from the
    /// batch statistics of the shards it computes (so they differ between trainers, and are
    /// still fixed by the seed and the worker count).
    pub fn flat_weights(&self) -> Vec<f32> {
        struct Weights(Vec<f32>);
        impl ModuleVisitor for Weights {
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                if !param.val().is_require_grad() {
                    return;
                }
                self.0.extend(tensor_values(param.val()));
            }
        }
        let mut weights = Weights(Vec::new());
        self.network.model().visit(&mut weights);
        weights.0
    }
}

/// How a trainer applying a step's sum finishes an epoch the step ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EpochEnd {
    /// Evaluates every held-out row and reports (one shard, the primary's last epoch, or
    /// batch normalization).
    Report,
    /// Evaluates its share of the held-out rows and reports once the helpers' shares are in
    /// (see the module docs).
    ReportShared,
    /// A helper: only counts the epoch.
    Quiet,
}

/// The rows `from..to` (positions in the epoch's order) that `shard` of `shards` computes
/// of the batch of `batch` rows starting at `cursor`: an equal share, except that with
/// `first_batch_to_helpers` an epoch's first batch goes to the helpers alone, computed while
/// the primary evaluates alone (see the module docs) instead of waiting for it.
fn shard_range(
    cursor: usize,
    batch: usize,
    (shard, shards): (usize, usize),
    first_batch_to_helpers: bool,
) -> (usize, usize) {
    let (shard, shards) = match (cursor, shard) {
        (0, 0) if shards > 1 && first_batch_to_helpers => return (cursor, cursor),
        (0, _) if shards > 1 && first_batch_to_helpers => (shard - 1, shards - 1),
        _ => (shard, shards),
    };
    (
        cursor + batch * shard / shards,
        cursor + batch * (shard + 1) / shards,
    )
}

/// The parts' gradients summed, in shard order.
fn sum_gradients(parts: &[ShardPart]) -> Vec<f32> {
    let mut sum = parts[0].gradients.clone();
    for part in &parts[1..] {
        for (total, value) in sum.iter_mut().zip(&part.gradients) {
            *total += value;
        }
    }
    sum
}

/// Takes every parameter's gradient out of `grads`, flattened in module order.
struct Flatten<'a> {
    grads: &'a mut GradientsParams,
    out: Vec<f32>,
    scale: f32,
}

impl ModuleVisitor for Flatten<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        match self.grads.remove::<D>(param.id) {
            Some(gradient) => {
                let mut values = tensor_values(gradient);
                if self.scale != 1.0 {
                    values.iter_mut().for_each(|v| *v *= self.scale);
                }
                self.out.extend(values);
            }
            None => {
                let count = param.val().shape().num_elements();
                self.out.extend(std::iter::repeat_n(0.0, count));
            }
        }
    }
}

/// Builds gradients from a flat vector in module order.
struct Unflatten<'a> {
    flat: &'a [f32],
    offset: usize,
    grads: GradientsParams,
    device: Device,
}

impl ModuleVisitor for Unflatten<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let shape = param.val().shape();
        let count = shape.num_elements();
        let values = self.flat[self.offset..self.offset + count].to_vec();
        self.offset += count;
        if !param.val().is_require_grad() {
            return; // a moving statistic (batch norm's): no gradient, each trainer keeps its own
        }
        let tensor = Tensor::<D>::from_data(TensorData::new(values, shape), &self.device);
        self.grads.register(param.id, tensor);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::data::{Dataset, bundled, train_test_split};
    use crate::training::{Optimizer, TrainConfig};

    fn split(config: &TrainConfig) -> (Dataset, Dataset) {
        let data = bundled();
        let split = train_test_split(&data.labels, config.test_size, config.seed, false).unwrap();
        (data.subset(&split.train), data.subset(&split.test))
    }

    /// Peers that only record what the primary asked them.
    struct Mailbox(Rc<RefCell<Vec<Option<Vec<f32>>>>>);
    impl Peers for Mailbox {
        fn begin_step(&mut self, previous: Option<&[f32]>) {
            self.0.borrow_mut().push(previous.map(<[f32]>::to_vec));
        }
    }

    /// Trains `epochs` epochs on `shards` shards, the helpers driven in process.
    fn run(shards: usize, epochs: usize) -> (Vec<EpochReport>, Vec<Vec<f32>>) {
        let config = TrainConfig {
            epochs,
            ..TrainConfig::default()
        };
        run_config(config, shards)
    }

    /// Trains as `config` says on `shards` shards, the helpers driven in process.
    fn run_config(config: TrainConfig, shards: usize) -> (Vec<EpochReport>, Vec<Vec<f32>>) {
        run_helpers_seeing(config, shards, true)
    }

    /// [`run_config`], the helpers given the test rows or not.
    fn run_helpers_seeing(
        config: TrainConfig,
        shards: usize,
        test_rows: bool,
    ) -> (Vec<EpochReport>, Vec<Vec<f32>>) {
        let (train, test) = split(&config);
        let helpers_test = if test_rows {
            test.clone()
        } else {
            Dataset::default()
        };
        let mut primary = Trainer::new(config.clone(), &train, &test).unwrap();
        let asks = Rc::new(RefCell::new(Vec::new()));
        primary.set_peers(shards, Box::new(Mailbox(asks.clone())));
        let mut helpers: Vec<Trainer> = (1..shards)
            .map(|shard| {
                let mut helper = Trainer::new(config.clone(), &train, &helpers_test).unwrap();
                helper.set_shard(shard, shards);
                helper
            })
            .collect();
        while !primary.is_finished() {
            if let Some(report) = primary.step() {
                // Shared or not, the evaluation is of the epoch's weights, all rows.
                let test = primary.evaluate();
                assert!((report.test_loss - test.loss).abs() < 1e-6, "{report:?}");
                assert_eq!(report.test_accuracy, test.accuracy, "{report:?}");
                if let Some(val_loss) = report.val_loss {
                    let validation = primary.evaluate_on(&primary.held_out.validation);
                    assert!((val_loss - validation.loss).abs() < 1e-6, "{report:?}");
                }
            }
            let asked: Vec<_> = asks.borrow_mut().drain(..).collect();
            for previous in asked {
                for (index, helper) in helpers.iter_mut().enumerate() {
                    if let Some(part) = helper.helper_step(previous.as_deref()) {
                        primary.deliver(index + 1, part);
                    }
                }
            }
        }
        // The last step's sum, which a run that goes on would send with its next step.
        let last = primary.parallel.as_mut().and_then(|p| p.last_sum.take());
        for helper in &mut helpers {
            assert!(
                helper.helper_step(last.as_deref()).is_none(),
                "the helper is finished too"
            );
        }
        // The primary kept the summed gradients of the epoch's last step, layer by layer.
        let gradients = primary.epoch_gradients();
        let layers = primary.model().layer_weights();
        assert_eq!(gradients.len(), layers.len());
        for (gradient, layer) in gradients.iter().zip(&layers) {
            assert_eq!(gradient.layer, layer.layer);
            assert_eq!(gradient.values.len(), layer.values.len());
            assert!(gradient.values.iter().any(|&g| g != 0.0), "{}", layer.layer);
        }
        let mut weights = vec![primary.flat_weights()];
        weights.extend(helpers.iter().map(Trainer::flat_weights));
        (primary.history().to_vec(), weights)
    }

    /// Each epoch's training loss, test loss and test accuracy (not its timings).
    fn losses(history: &[EpochReport]) -> Vec<(f64, f64, f64)> {
        history
            .iter()
            .map(|r| (r.train_loss, r.test_loss, r.test_accuracy))
            .collect()
    }

    #[test]
    fn shards_share_batches_but_the_helpers_take_an_epochs_first() {
        let ranges = |cursor, batch, shards| -> Vec<(usize, usize)> {
            (0..shards)
                .map(|shard| shard_range(cursor, batch, (shard, shards), true))
                .collect()
        };
        assert_eq!(ranges(256, 128, 2), [(256, 320), (320, 384)]);
        assert_eq!(ranges(256, 5, 3), [(256, 257), (257, 259), (259, 261)]);
        assert_eq!(ranges(0, 128, 2), [(0, 0), (0, 128)]);
        assert_eq!(ranges(0, 128, 3), [(0, 0), (0, 64), (64, 128)]);
        assert_eq!(ranges(0, 128, 1), [(0, 128)]);
        assert_eq!(ranges(128, 128, 1), [(128, 256)]);
        // When the shards share the evaluation, every batch is shared alike.
        assert_eq!(shard_range(0, 128, (0, 2), false), (0, 64));
        assert_eq!(shard_range(0, 128, (1, 2), false), (64, 128));
    }

    /// Each epoch's evaluation is shared out (test and validation rows), but the report is
    /// the primary's evaluation of the epoch's weights (`run_config` checks every report),
    /// early stopping included; a helper without the test rows makes the primary evaluate
    /// them all itself.
    #[test]
    fn shards_share_the_evaluation_of_each_epoch() {
        let config = TrainConfig {
            epochs: 3,
            batch_size: 256,
            validation: 0.2,
            patience: 1,
            arch: "conv8,pool,dense32".parse().unwrap(),
            ..TrainConfig::default()
        };
        let (history, weights) = run_config(config.clone(), 3);
        // At least one epoch before the last, whose evaluation was shared.
        assert!(history.len() >= 2 && history.iter().all(|r| r.val_loss.is_some()));
        // (Early stopping brings the best weights back on the primary alone.)
        assert!(weights[1] == weights[2]);
        let (blind, _) = run_helpers_seeing(config.clone(), 2, false);
        assert_eq!(losses(&blind), losses(&run_config(config.clone(), 2).0));
        let (train, test) = split(&config);
        let mut primary = Trainer::new(config.clone(), &train, &test).unwrap();
        primary.set_shard(0, 2);
        let rows = primary.held_out_rows();
        assert_eq!(primary.evaluation_share(), 0..rows / 2);
        let mut helper = Trainer::new(config.clone(), &train, &test).unwrap();
        helper.set_shard(1, 2);
        assert_eq!(helper.evaluation_share(), rows / 2..rows);
        assert!(helper.shares_evaluation());
        let bn = TrainConfig {
            arch: "conv8,bn,pool".parse().unwrap(),
            ..config
        };
        let mut helper = Trainer::new(bn, &train, &test).unwrap();
        helper.set_shard(1, 2);
        assert!(
            !helper.shares_evaluation(),
            "batch norm: the primary evaluates alone"
        );
    }

    #[test]
    fn one_shard_is_the_plain_step() {
        let config = TrainConfig {
            epochs: 1,
            ..TrainConfig::default()
        };
        let (train, test) = split(&config);
        let mut plain = Trainer::new(config.clone(), &train, &test).unwrap();
        while plain.run_epoch().is_some() {}
        let (history, weights) = run(1, 1);
        assert!(weights[0] == plain.flat_weights());
        assert_eq!(history[0].test_accuracy, plain.history()[0].test_accuracy);
        assert!((history[0].train_loss - plain.history()[0].train_loss).abs() < 1e-9);
    }

    #[test]
    fn shards_keep_identical_weights_learn_and_repeat() {
        let (history, weights) = run(2, 6);
        assert_eq!(history.len(), 6);
        assert!(
            weights[0] == weights[1],
            "the helper's weights follow the primary's"
        );
        let last = history.last().unwrap();
        // One shard: 6 epochs reach about 0.7 on this split.
        assert!(
            last.test_accuracy > 0.5,
            "test accuracy {}",
            last.test_accuracy
        );
        assert!(last.train_loss < history[0].train_loss);
        let (again, _) = run(2, 6);
        assert_eq!(
            losses(&history),
            losses(&again),
            "same seed and shards, same run"
        );
        let (three, weights3) = run(3, 1);
        assert!(weights3[0] == weights3[2]);
        assert_eq!(three.len(), 1);
    }

    /// Augmentation moves the images per row and epoch, whatever the shards: one shard is
    /// still the plain run, and the shards' weights stay identical.
    #[test]
    fn augmented_shards_see_the_same_moved_images() {
        let config = TrainConfig {
            epochs: 2,
            batch_size: 256,
            augment: crate::data::Augmentation::Shift,
            ..TrainConfig::default()
        };
        let (train, test) = split(&config);
        let mut plain = Trainer::new(config.clone(), &train, &test).unwrap();
        while plain.run_epoch().is_some() {}
        let (one, weights) = run_config(config.clone(), 1);
        assert!(weights[0] == plain.flat_weights());
        assert_eq!(losses(&one), losses(plain.history()));
        let (two, weights) = run_config(config.clone(), 2);
        assert!(
            weights[0] == weights[1],
            "the helper's weights follow the primary's"
        );
        assert_eq!(losses(&two), losses(&run_config(config, 2).0));
    }

    /// Any network and optimizer: one shard is the plain run, the shards' weights stay
    /// identical, and a seed and shard count fix the run.
    #[test]
    fn any_network_and_optimizer_trains_in_shards_alike() {
        let runs = [
            (
                "conv8x5:tanh,avgpool,bn,dense32:linear,drop0.3",
                Optimizer::Sgd,
            ),
            ("conv8,bn,pool,drop0.1,dense16:sigmoid", Optimizer::RmsProp),
        ];
        for (spec, optimizer) in runs {
            let config = TrainConfig {
                epochs: 2,
                batch_size: 256,
                arch: spec.parse().unwrap(),
                optimizer,
                ..TrainConfig::default()
            };
            let (train, test) = split(&config);
            let mut plain = Trainer::new(config.clone(), &train, &test).unwrap();
            while plain.run_epoch().is_some() {}
            let (one, weights) = run_config(config.clone(), 1);
            assert!(weights[0] == plain.flat_weights(), "{spec}");
            assert_eq!(losses(&one), losses(plain.history()), "{spec}");
            let (two, weights) = run_config(config.clone(), 2);
            assert!(weights[0] == weights[1], "{spec}: the helper follows");
            assert_eq!(losses(&two), losses(&run_config(config, 2).0), "{spec}");
        }
    }
}
