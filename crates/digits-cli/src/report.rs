//! Human-readable lines and tables for the terminal.

use std::fmt::Write;

use digits_cnn::arch::Arch;
use digits_cnn::baselines::BaselineResult;
use digits_cnn::cross_validation::{CrossValidationSummary, FoldResult};
use digits_cnn::metrics::Evaluation;
use digits_cnn::sweep::SweepResult;
use digits_cnn::training::EpochReport;

/// One line per finished epoch (with the validation figures when there are validation
/// rows).
pub fn epoch_line(e: &EpochReport, epochs: usize) -> String {
    let validation = match (e.val_loss, e.val_accuracy) {
        (Some(loss), Some(accuracy)) => format!("  val_loss {loss:.4}  val_acc {accuracy:.4}"),
        _ => String::new(),
    };
    format!(
        "epoch {:>3}/{epochs}  loss {:.4}  acc {:.4}{validation}  test_loss {:.4}  test_acc {:.4}  {:.2} s  {:.0} samples/s",
        e.epoch,
        e.train_loss,
        e.train_accuracy,
        e.test_loss,
        e.test_accuracy,
        e.elapsed_seconds,
        e.samples_per_second
    )
}

/// What early stopping did: the epoch whose weights were kept, and whether the run stopped
/// before its last configured epoch.
pub fn early_stopping_line(history: &[EpochReport], best: usize) -> String {
    let val_loss = history[best - 1].val_loss.unwrap_or(f64::NAN);
    format!(
        "early stopping: kept epoch {best}'s weights (val_loss {val_loss:.4}) after {} epochs",
        history.len()
    )
}

/// The final report: accuracy, macro precision/recall/F1, AUC and the confusion matrix.
pub fn evaluation_report(e: &Evaluation) -> String {
    let mut out = String::new();
    let r = &e.report;
    let _ = writeln!(out, "test loss      {:.4}", e.loss);
    let _ = writeln!(out, "test accuracy  {:.4}", e.accuracy);
    let _ = writeln!(
        out,
        "macro          precision {:.4}  recall {:.4}  F1 {:.4}  AUC {:.4}",
        r.precision_macro, r.recall_macro, r.f1_macro, e.auc_macro
    );
    let _ = writeln!(
        out,
        "confusion matrix (rows: true class, columns: predicted)"
    );
    let _ = writeln!(
        out,
        "      {}",
        (0..10).map(|c| format!("{c:>4}")).collect::<String>()
    );
    for (class, row) in e.confusion.counts.iter().enumerate() {
        let cells: String = row.iter().map(|n| format!("{n:>4}")).collect();
        let _ = writeln!(out, "  {class:>2}  {cells}");
    }
    out
}

/// One line per finished fold.
pub fn fold_line(f: &FoldResult, folds: usize, seconds: f64) -> String {
    format!(
        "fold {}/{folds}  loss {:.4}  accuracy {:.4}  {seconds:.1} s",
        f.fold, f.loss, f.accuracy
    )
}

/// The cross-validation result.
pub fn cross_validation_line(s: &CrossValidationSummary) -> String {
    format!(
        "mean accuracy {:.4} ± {:.4}  mean loss {:.4} ± {:.4}",
        s.mean_accuracy, s.std_accuracy, s.mean_loss, s.std_loss
    )
}

/// The model summary as Keras prints it, with its spec.
pub fn summary_table(arch: &Arch) -> String {
    let rows = arch.summary();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<44}{:<22}{:>10}",
        "Layer (type)", "Output Shape", "Param #"
    );
    let _ = writeln!(out, "{}", "─".repeat(76));
    for row in &rows {
        let _ = writeln!(
            out,
            "{:<44}{:<22}{:>10}",
            row.layer,
            row.shape_text(),
            row.parameters
        );
    }
    let _ = writeln!(out, "{}", "─".repeat(76));
    let total = arch.parameters();
    let fixed = arch.non_trainable_parameters();
    let _ = writeln!(out, "Total params: {total}");
    let _ = writeln!(out, "Trainable params: {}", total - fixed);
    let _ = writeln!(out, "Non-trainable params: {fixed}");
    let _ = writeln!(out, "Spec: {arch}");
    out
}

/// The network and optimizer a run trains, for its first line.
pub fn network_line(arch: &Arch, optimizer: impl std::fmt::Display, learning_rate: f64) -> String {
    format!(
        "network: {arch} ({} parameters); optimizer {optimizer}, learning rate {learning_rate}",
        arch.parameters()
    )
}

/// One sweep combination: mean ± std test accuracy over its seeds, parameters, seconds per
/// epoch; `best` marks the best row.
pub fn sweep_line(r: &SweepResult, best: bool) -> String {
    format!(
        "{} accuracy {:.4} ± {:.4}  parameters {:>7}  {:.3} s/epoch  lr {}  {}",
        if best { "*" } else { " " },
        r.mean_accuracy,
        r.std_accuracy,
        r.parameters,
        r.seconds_per_epoch,
        r.learning_rate,
        r.arch
    )
}

/// One line per baseline: its test accuracy, macro F1 and seconds.
pub fn baseline_line(b: &BaselineResult) -> String {
    format!(
        "{:<9} {:<21} test accuracy {:.4}  macro F1 {:.4}  fit {:.3} s  predict {:.3} s",
        b.model.name(),
        format!("({})", b.model.title()),
        b.evaluation.accuracy,
        b.evaluation.report.f1_macro,
        b.seconds,
        b.predict_seconds
    )
}
