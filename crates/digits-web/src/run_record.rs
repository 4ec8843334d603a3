//! A finished run as files: the per-epoch history and the metrics as CSV, the whole run as
//! a JSON record, and the URL query that reproduces its settings. Browser-free, so tested
//! natively; the page's export buttons and its run history (compare view) use it.

use digits_cnn::CLASSES;
use digits_cnn::arch::Arch;
use digits_cnn::data::{Augmentation, BundledData, SplitKind};
use digits_cnn::metrics::Evaluation;
use digits_cnn::training::{EpochReport, Optimizer};
use serde::{Deserialize, Serialize};

use crate::format::percent;
use crate::i18n::{Key, tr};
use crate::protocol::Workers;
use crate::settings::{DATA_PARAM, LANG_PARAM, PageSettings, Setting};

/// The record format's version, bumped when a field changes meaning.
pub const RECORD_VERSION: u32 = 1;

/// Everything about one training run: settings, data, history and final metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// [`RECORD_VERSION`].
    pub version: u32,
    /// The program, e.g. `digit-lab 0.1.0`.
    pub app: String,
    /// The run's number in this tab's history, from 1.
    pub run: usize,
    /// The settings, by URL parameter name (`epochs`, `batch`, `lr`, `seed`, …).
    pub settings: Settings,
    /// The seed of split, weights, shuffles and dropout (also in `settings`).
    pub seed: u64,
    /// Where the data came from.
    pub data_source: String,
    /// Rows of the loaded data.
    pub data_rows: usize,
    /// Rows trained on.
    pub train_rows: usize,
    /// Rows held out for testing.
    pub test_rows: usize,
    /// Whether the run continued a loaded or earlier network.
    pub continued: bool,
    /// The workers that trained it; `None` when not known (a network loaded and not
    /// trained here, or a record saved before records named them).
    #[serde(default)]
    pub workers: Option<Workers>,
    /// Every epoch, in order.
    pub history: Vec<EpochReport>,
    /// Final metrics on the test rows, when the run finished.
    pub metrics: Option<Metrics>,
    /// Counts of (true class, predicted class), rows true.
    pub confusion_matrix: Option<Vec<Vec<u32>>>,
}

/// A run's settings under their URL parameter names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch: usize,
    /// Learning rate.
    pub lr: f64,
    /// Seed.
    pub seed: u64,
    /// Test size (share of rows held out). Records written before the parameter was
    /// renamed `test_size` call it `test`; they still read.
    #[serde(alias = "test")]
    pub test_size: f64,
    /// `raw` or `unit`.
    pub scale: String,
    /// `flex` or `ndarray`.
    pub backend: String,
    /// Cross-validation folds.
    pub folds: usize,
    /// The bundled data set trained on (`uci`, `digits`); absent for a CSV file. Every
    /// field from here on is absent from records written before it existed: they read as
    /// the notebook's (`uci` was not bundled then, so those runs had no `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BundledData>,
    /// `random`, `stratified` or `writers`.
    #[serde(default)]
    pub split: SplitKind,
    /// `none` or `shift`.
    #[serde(default)]
    pub augment: Augmentation,
    /// Share of the training rows kept aside for validation (0: none).
    #[serde(default)]
    pub val: f64,
    /// Early stopping's patience in epochs (0: none).
    #[serde(default)]
    pub patience: usize,
    /// The network's spec (normalised).
    #[serde(default)]
    pub arch: Arch,
    /// `adam`, `sgd` or `rmsprop`.
    #[serde(default)]
    pub optimizer: Optimizer,
}

impl Settings {
    /// The data's name in lists (run labels, the compare table): the bundled set's, or
    /// `own CSV`.
    pub fn data_name(&self) -> &'static str {
        self.data.map_or("own CSV", BundledData::name)
    }

    /// The settings of `page`.
    pub fn of(page: &PageSettings) -> Self {
        let c = &page.config;
        Self {
            epochs: c.epochs,
            batch: c.batch_size,
            lr: c.learning_rate,
            seed: c.seed,
            test_size: c.test_size,
            scale: c.scale.name().into(),
            backend: c.backend.name().into(),
            folds: page.folds,
            data: page.data,
            split: c.split,
            augment: c.augment,
            val: c.validation,
            patience: c.patience,
            arch: c.arch.clone(),
            optimizer: c.optimizer,
        }
    }
}

/// The final metrics on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Mean cross-entropy.
    pub test_loss: f64,
    /// Accuracy 0..1.
    pub test_accuracy: f64,
    /// Macro precision.
    pub precision_macro: f64,
    /// Macro recall.
    pub recall_macro: f64,
    /// Macro F1.
    pub f1_macro: f64,
    /// Macro one-vs-rest AUC.
    pub auc_macro: f64,
}

impl Metrics {
    /// The headline numbers of `evaluation`.
    pub fn of(evaluation: &Evaluation) -> Self {
        let r = &evaluation.report;
        Self {
            test_loss: evaluation.loss,
            test_accuracy: evaluation.accuracy,
            precision_macro: r.precision_macro,
            recall_macro: r.recall_macro,
            f1_macro: r.f1_macro,
            auc_macro: evaluation.auc_macro,
        }
    }
}

impl RunRecord {
    /// A run's record; `evaluation` is `None` for an unfinished run.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        run: usize,
        settings: &PageSettings,
        data_source: &str,
        data_rows: usize,
        split: (usize, usize),
        continued: bool,
        history: &[EpochReport],
        evaluation: Option<&Evaluation>,
    ) -> Self {
        Self {
            version: RECORD_VERSION,
            app: format!("digit-lab {}", env!("CARGO_PKG_VERSION")),
            run,
            settings: Settings::of(settings),
            seed: settings.config.seed,
            data_source: data_source.into(),
            data_rows,
            train_rows: split.0,
            test_rows: split.1,
            continued,
            workers: None,
            history: history.to_vec(),
            metrics: evaluation.map(Metrics::of),
            confusion_matrix: evaluation
                .map(|e| e.confusion.counts.iter().map(|row| row.to_vec()).collect()),
        }
    }

    /// The record as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a run record serialises")
    }

    /// A short name for lists: `Run 2 · uci · writers · shift · seed 7 · unit · lr 0.001 ·
    /// 100 epochs · 96.4%` (the data, split and augmentation are what a student compares).
    pub fn label(&self) -> String {
        let s = &self.settings;
        let mut label = tr(
            Key::RunLabel,
            &[
                ("run", &self.run),
                ("data", &s.data_name()),
                ("split", &s.split),
                ("augment", &s.augment.name()),
                ("seed", &s.seed),
                ("scale", &s.scale),
                ("lr", &s.lr),
                ("epochs", &self.history.len()),
            ],
        );
        if let Some(m) = &self.metrics {
            label.push_str(&format!(" · {}", percent(m.test_accuracy)));
        }
        label
    }
}

/// Number formatting for CSV: shortest exact representation, empty for non-finite values.
fn csv_number(value: f64) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        String::new()
    }
}

/// One line per epoch: `epoch,train_loss,train_accuracy,test_loss,test_accuracy,elapsed_seconds,samples_per_second,val_loss,val_accuracy`
/// (the validation cells empty without a validation share).
pub fn history_csv(history: &[EpochReport]) -> String {
    let mut csv = String::from(
        "epoch,train_loss,train_accuracy,test_loss,test_accuracy,elapsed_seconds,samples_per_second,val_loss,val_accuracy\n",
    );
    let optional = |value: Option<f64>| value.map_or(String::new(), csv_number);
    for r in history {
        let cells = [
            r.epoch.to_string(),
            csv_number(r.train_loss),
            csv_number(r.train_accuracy),
            csv_number(r.test_loss),
            csv_number(r.test_accuracy),
            csv_number(r.elapsed_seconds),
            csv_number(r.samples_per_second),
            optional(r.val_loss),
            optional(r.val_accuracy),
        ];
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

/// `metric,class,value` lines: the overall metrics (class empty), then each class's
/// precision, recall, F1, support and AUC, then the confusion matrix as
/// `confusion_true_T_pred_P` counts.
pub fn metrics_csv(evaluation: &Evaluation) -> String {
    let mut csv = String::from("metric,class,value\n");
    let mut line = |metric: &str, class: Option<usize>, value: String| {
        let class = class.map(|c| c.to_string()).unwrap_or_default();
        csv.push_str(&format!("{metric},{class},{value}\n"));
    };
    let m = Metrics::of(evaluation);
    line("test_loss", None, csv_number(m.test_loss));
    line("test_accuracy", None, csv_number(m.test_accuracy));
    line("precision_macro", None, csv_number(m.precision_macro));
    line("recall_macro", None, csv_number(m.recall_macro));
    line("f1_macro", None, csv_number(m.f1_macro));
    line("auc_macro", None, csv_number(m.auc_macro));
    for c in &evaluation.report.per_class {
        let class = Some(usize::from(c.class));
        line("precision", class, csv_number(c.precision));
        line("recall", class, csv_number(c.recall));
        line("f1", class, csv_number(c.f1));
        line("support", class, c.support.to_string());
    }
    for curve in &evaluation.roc {
        line("auc", Some(usize::from(curve.class)), csv_number(curve.auc));
    }
    for truth in 0..CLASSES {
        for predicted in 0..CLASSES {
            line(
                &format!("confusion_true_{truth}_pred_{predicted}"),
                None,
                evaluation.confusion.counts[truth][predicted].to_string(),
            );
        }
    }
    csv
}

/// The URL query (without `?`) that sets every setting of `settings`, e.g.
/// `data=uci&epochs=100&batch=128&lr=0.001&…` (no `data` for a CSV file's run: a link
/// cannot carry the file), then the language when the URL named one (`lang=es`).
pub fn share_query(settings: &PageSettings) -> String {
    let data = settings
        .data
        .map(|data| format!("{DATA_PARAM}={}", data.name()));
    data.into_iter()
        .chain(
            Setting::ALL
                .iter()
                .map(|&s| format!("{}={}", s.param(), settings.get(s))),
        )
        .chain(
            settings
                .lang
                .map(|lang| format!("{LANG_PARAM}={}", lang.code())),
        )
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::WorkerBuild;
    use digits_cnn::metrics::evaluate;

    fn report(epoch: usize) -> EpochReport {
        EpochReport {
            epoch,
            train_loss: 1.5 / epoch as f64,
            train_accuracy: 0.5,
            test_loss: 1.25,
            test_accuracy: 0.75,
            elapsed_seconds: epoch as f64,
            samples_per_second: 1000.0,
            val_loss: None,
            val_accuracy: None,
        }
    }

    fn evaluation() -> Evaluation {
        let mut p0 = [0.0f32; CLASSES];
        p0[0] = 1.0;
        let mut p1 = [0.0f32; CLASSES];
        p1[1] = 0.9;
        p1[2] = 0.1;
        evaluate(&[p0, p1, p0], &[0, 1, 1])
    }

    /// The first run of the bundled data with the default settings.
    fn default_record(history: &[EpochReport], evaluation: Option<&Evaluation>) -> RunRecord {
        let settings = PageSettings::default();
        RunRecord::new(
            1,
            &settings,
            "bundled",
            1797,
            (1437, 360),
            false,
            history,
            evaluation,
        )
    }

    #[test]
    fn history_csv_has_a_header_and_a_line_per_epoch() {
        let csv = history_csv(&[report(1), report(2)]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("epoch,train_loss,"));
        assert!(lines[0].ends_with(",val_loss,val_accuracy"));
        assert_eq!(lines[2], "2,0.75,0.5,1.25,0.75,2,1000,,");
        let validated = EpochReport {
            val_loss: Some(0.5),
            val_accuracy: Some(0.875),
            ..report(1)
        };
        assert!(history_csv(&[validated]).ends_with(",1000,0.5,0.875\n"));
    }

    #[test]
    fn metrics_csv_holds_metrics_classes_and_the_confusion_matrix() {
        let csv = metrics_csv(&evaluation());
        assert!(csv.contains("test_accuracy,,0.6666666666666666\n"), "{csv}");
        assert!(csv.contains("confusion_true_1_pred_0,,1\n"));
        assert!(csv.contains("support,1,2\n"));
        assert!(csv.lines().all(|l| l.split(',').count() == 3));
    }

    #[test]
    fn the_json_record_round_trips_and_holds_everything() {
        let settings = PageSettings::default();
        let e = evaluation();
        let record = RunRecord::new(
            1,
            &settings,
            "bundled",
            1797,
            (1437, 360),
            false,
            &[report(1)],
            Some(&e),
        );
        let json = record.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        for key in [
            "version",
            "settings",
            "seed",
            "data_source",
            "data_rows",
            "history",
            "metrics",
            "confusion_matrix",
        ] {
            assert!(value.get(key).is_some(), "{key} missing in {json}");
        }
        assert_eq!(value["settings"]["epochs"], 100);
        assert_eq!(value["confusion_matrix"][1][0], 1);
        assert_eq!(serde_json::from_str::<RunRecord>(&json).unwrap(), record);
        assert!(record.label().contains("66.7%"));
        assert!(
            record.label().contains("uci · random · none"),
            "{}",
            record.label()
        );
    }

    #[test]
    fn the_share_query_reproduces_the_settings() {
        let (settings, errors) = PageSettings::from_query([
            ("epochs", "7"),
            ("scale", "unit"),
            ("seed", "3"),
            ("data", "digits"),
            ("split", "stratified"),
            ("augment", "shift"),
            ("val", "0.25"),
            ("patience", "4"),
            ("arch", "conv8x5:tanh,avgpool,bn,dense32"),
            ("optimizer", "rmsprop"),
            ("lang", "es"),
        ]);
        assert!(errors.is_empty());
        let query = share_query(&settings);
        assert!(query.ends_with("&lang=es"), "{query}");
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        let (again, errors) = PageSettings::from_query(pairs);
        assert!(errors.is_empty());
        assert_eq!(again, settings);
    }

    /// A record is a file people keep (exports, the compare view's localStorage): this pins
    /// its form, including the parts that come from core structs (`EpochReport` in
    /// `history`), so that renaming a field anywhere breaks this test rather than old files.
    #[test]
    fn the_json_record_keeps_its_form() {
        let record = RunRecord {
            workers: Some(Workers {
                count: 2,
                build: WorkerBuild::RelaxedSimd,
            }),
            ..default_record(&[report(2)], Some(&evaluation()))
        };
        let value: serde_json::Value = serde_json::from_str(&record.to_json()).unwrap();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(
            keys(&value),
            [
                "app",
                "confusion_matrix",
                "continued",
                "data_rows",
                "data_source",
                "history",
                "metrics",
                "run",
                "seed",
                "settings",
                "test_rows",
                "train_rows",
                "version",
                "workers"
            ]
        );
        assert_eq!(value["version"], 1);
        assert_eq!(
            value["workers"],
            serde_json::json!({ "count": 2, "build": "relaxed-simd" })
        );
        assert_eq!(
            value["settings"],
            serde_json::json!({
                "epochs": 100,
                "batch": 128,
                "lr": 0.001,
                "seed": 42,
                "test_size": 0.2,
                "scale": "raw",
                "backend": "flex",
                "folds": 5,
                "data": "uci",
                "split": "random",
                "augment": "none",
                "val": 0.0,
                "patience": 0,
                "arch": digits_cnn::arch::NOTEBOOK,
                "optimizer": "adam"
            })
        );
        assert_eq!(
            value["history"],
            serde_json::json!([{
                "epoch": 2,
                "train_loss": 0.75,
                "train_accuracy": 0.5,
                "test_loss": 1.25,
                "test_accuracy": 0.75,
                "elapsed_seconds": 2.0,
                "samples_per_second": 1000.0
            }])
        );
        assert_eq!(
            keys(&value["metrics"]),
            [
                "auc_macro",
                "f1_macro",
                "precision_macro",
                "recall_macro",
                "test_accuracy",
                "test_loss"
            ]
        );
    }

    /// A record written before the data, split and levers had names (its settings as the
    /// previous version wrote them) reads as the notebook's protocol, without a data name.
    #[test]
    fn records_without_the_data_split_and_levers_still_load() {
        let mut record = default_record(&[report(1)], None);
        let mut value: serde_json::Value = serde_json::from_str(&record.to_json()).unwrap();
        let settings = value["settings"].as_object_mut().unwrap();
        for key in [
            "data",
            "split",
            "augment",
            "val",
            "patience",
            "arch",
            "optimizer",
        ] {
            settings.remove(key);
        }
        record.settings.data = None;
        assert_eq!(serde_json::from_value::<RunRecord>(value).unwrap(), record);
    }

    #[test]
    fn records_saved_before_they_named_the_workers_still_load() {
        let record = default_record(&[report(1)], None);
        let mut value: serde_json::Value = serde_json::from_str(&record.to_json()).unwrap();
        value.as_object_mut().unwrap().remove("workers");
        assert_eq!(serde_json::from_value::<RunRecord>(value).unwrap(), record);
    }

    #[test]
    fn records_saved_with_the_old_test_name_still_load() {
        let record = default_record(&[report(1)], None);
        let json = record.to_json().replace("\"test_size\"", "\"test\"");
        assert!(json.contains("\"test\": 0.2"), "{json}");
        assert_eq!(serde_json::from_str::<RunRecord>(&json).unwrap(), record);
    }
}
