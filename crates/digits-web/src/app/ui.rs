//! Handles to the page's elements, found once at start-up.
//!
//! The ids are the automation contract of `docs/page-contract.md`; a missing one stops the
//! app with a message naming it.

use wasm_bindgen::JsCast;
use web_sys::{
    Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    HtmlProgressElement, HtmlSelectElement, HtmlTableSectionElement,
};

use crate::dom::by_id;
use crate::settings::Setting;

/// Every element the app reads or writes.
pub struct Ui {
    /// Invalid URL parameters.
    pub param_error: HtmlElement,
    /// The polite live region for announcements.
    pub announcer: HtmlElement,

    /// The data's name.
    pub data_source: HtmlElement,
    /// The data's row count.
    pub data_rows: HtmlElement,
    /// The train/test split's sizes.
    pub split_info: HtmlElement,
    /// Rows per class.
    pub chart_classes: HtmlCanvasElement,
    /// One canvas per class's sample image.
    pub samples: HtmlElement,
    /// Draws a new sample.
    pub sample_refresh: HtmlButtonElement,
    /// The CSV file picker.
    pub csv_file: HtmlInputElement,
    /// The drag-and-drop zone.
    pub data_drop: HtmlElement,
    /// Goes back to the bundled data.
    pub data_bundled: HtmlButtonElement,
    /// A refused CSV's message.
    pub data_error: HtmlElement,

    /// The model summary's rows.
    pub summary_body: HtmlTableSectionElement,
    /// The model summary's total.
    pub summary_total: HtmlElement,

    /// Invalid settings when starting.
    pub settings_error: HtmlElement,
    /// Start training.
    pub train_start: HtmlButtonElement,
    /// Pause or resume.
    pub train_pause: HtmlButtonElement,
    /// Stop.
    pub train_stop: HtmlButtonElement,
    /// The run's state, for people and tests.
    pub status: HtmlElement,
    /// Epochs done of the run.
    pub progress: HtmlProgressElement,
    /// Epoch, elapsed, ETA, samples/s.
    pub progress_text: HtmlElement,
    /// Loss per epoch.
    pub chart_loss: HtmlCanvasElement,
    /// Accuracy per epoch.
    pub chart_accuracy: HtmlCanvasElement,
    /// The per-epoch numbers (the charts' text alternative).
    pub history_body: HtmlTableSectionElement,

    /// The image index for feature maps.
    pub fm_index: HtmlInputElement,
    /// What the network says about that image.
    pub fm_info: HtmlElement,
    /// A refused index.
    pub fm_error: HtmlElement,
    /// The image itself.
    pub fm_original: HtmlCanvasElement,
    /// One canvas per layer.
    pub feature_maps: HtmlElement,

    /// Final test accuracy.
    pub test_accuracy: HtmlElement,
    /// Overall metrics.
    pub metrics_body: HtmlTableSectionElement,
    /// Per-class metrics.
    pub class_body: HtmlTableSectionElement,
    /// The confusion heatmap.
    pub chart_confusion: HtmlCanvasElement,
    /// The confusion matrix's counts.
    pub confusion_body: HtmlTableSectionElement,
    /// ROC curves.
    pub chart_roc: HtmlCanvasElement,

    /// Start cross-validation.
    pub kfold_start: HtmlButtonElement,
    /// Epochs done over all folds.
    pub cv_progress: HtmlProgressElement,
    /// The current fold and epoch.
    pub cv_progress_text: HtmlElement,
    /// Mean fold accuracy.
    pub cv_mean: HtmlElement,
    /// Standard deviations and mean loss.
    pub cv_spread: HtmlElement,
    /// Each fold's loss and accuracy.
    pub chart_cv: HtmlCanvasElement,
    /// One row per fold.
    pub cv_body: HtmlTableSectionElement,
}

impl Ui {
    /// Finds every element, or names the first one missing.
    pub fn find() -> Result<Ui, String> {
        Ok(Ui {
            param_error: by_id("param-error")?,
            announcer: by_id("announcer")?,
            data_source: by_id("data-source")?,
            data_rows: by_id("data-rows")?,
            split_info: by_id("split-info")?,
            chart_classes: by_id("chart-classes")?,
            samples: by_id("samples")?,
            sample_refresh: by_id("sample-refresh")?,
            csv_file: by_id("csv-file")?,
            data_drop: by_id("data-drop")?,
            data_bundled: by_id("data-bundled")?,
            data_error: by_id("data-error")?,
            summary_body: by_id("summary-body")?,
            summary_total: by_id("summary-total")?,
            settings_error: by_id("settings-error")?,
            train_start: by_id("train-start")?,
            train_pause: by_id("train-pause")?,
            train_stop: by_id("train-stop")?,
            status: by_id("status")?,
            progress: by_id("progress")?,
            progress_text: by_id("progress-text")?,
            chart_loss: by_id("chart-loss")?,
            chart_accuracy: by_id("chart-accuracy")?,
            history_body: by_id("history-body")?,
            fm_index: by_id("fm-index")?,
            fm_info: by_id("fm-info")?,
            fm_error: by_id("fm-error")?,
            fm_original: by_id("fm-original")?,
            feature_maps: by_id("feature-maps")?,
            test_accuracy: by_id("test-accuracy")?,
            metrics_body: by_id("metrics-body")?,
            class_body: by_id("class-body")?,
            chart_confusion: by_id("chart-confusion")?,
            confusion_body: by_id("confusion-body")?,
            chart_roc: by_id("chart-roc")?,
            kfold_start: by_id("kfold-start")?,
            cv_progress: by_id("cv-progress")?,
            cv_progress_text: by_id("cv-progress-text")?,
            cv_mean: by_id("cv-mean")?,
            cv_spread: by_id("cv-spread")?,
            chart_cv: by_id("chart-cv")?,
            cv_body: by_id("cv-body")?,
        })
    }

    /// A settings field's current text.
    pub fn setting(&self, setting: Setting) -> Result<String, String> {
        let element: Element = by_id(setting.input_id())?;
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            Ok(input.value())
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            Ok(select.value())
        } else {
            Err(format!("#{} is not a form field", setting.input_id()))
        }
    }

    /// Puts `value` into a settings field.
    pub fn set_setting(&self, setting: Setting, value: &str) -> Result<(), String> {
        let element: Element = by_id(setting.input_id())?;
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            select.set_value(value);
        }
        Ok(())
    }
}
