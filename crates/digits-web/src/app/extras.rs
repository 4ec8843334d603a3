//! The sections beyond the notebook (issue 5): their element handles, their memory, the
//! wiring of their controls, and the routing of the worker's answers to them.
//!
//! Each section has its own file: [`draw_view`](super::draw_view),
//! [`model_io`](super::model_io), [`export`](super::export), [`embed`](super::embed),
//! [`linked_view`](super::linked_view), [`compare_view`](super::compare_view); the
//! probabilities-and-maps panel they share is [`inspect`](super::inspect).

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::drawing::PAD_CELLS;
use digits_cnn::metrics::Evaluation;
use web_sys::{
    HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTableSectionElement,
};

use super::App;
use crate::dom::by_id;
use crate::protocol::{Request, Response, TestPrediction};
use crate::run_record::RunRecord;
use crate::settings::PageSettings;

/// The extra sections' elements.
pub struct ExtraUi {
    pub draw_pad: HtmlCanvasElement,
    pub draw_undo: HtmlButtonElement,
    pub draw_clear: HtmlButtonElement,
    pub draw_input: HtmlCanvasElement,
    pub draw_prediction: HtmlElement,
    pub chart_draw_probs: HtmlCanvasElement,
    pub draw_maps: HtmlElement,

    pub confusion_grid_body: HtmlTableSectionElement,
    pub linked_caption: HtmlElement,
    pub linked_thumbs: HtmlElement,
    pub wrong_list: HtmlElement,
    pub linked_detail: HtmlElement,
    pub linked_input: HtmlCanvasElement,
    pub linked_info: HtmlElement,
    pub chart_linked_probs: HtmlCanvasElement,
    pub linked_maps: HtmlElement,

    pub compare_a: HtmlSelectElement,
    pub compare_b: HtmlSelectElement,
    pub compare_metric: HtmlSelectElement,
    pub compare_persist: HtmlInputElement,
    pub compare_clear: HtmlButtonElement,
    pub compare_error: HtmlElement,
    pub chart_compare: HtmlCanvasElement,
    pub runs_body: HtmlTableSectionElement,

    pub model_save: HtmlButtonElement,
    pub model_file: HtmlInputElement,
    pub model_evaluate: HtmlButtonElement,
    pub model_train_further: HtmlButtonElement,
    pub model_info: HtmlElement,
    pub model_error: HtmlElement,

    pub export_history_csv: HtmlButtonElement,
    pub export_metrics_csv: HtmlButtonElement,
    pub export_json: HtmlButtonElement,
    pub copy_link: HtmlButtonElement,
    pub share_link: HtmlInputElement,
    pub export_status: HtmlElement,
}

impl ExtraUi {
    fn find() -> Result<Self, String> {
        Ok(Self {
            draw_pad: by_id("draw-pad")?,
            draw_undo: by_id("draw-undo")?,
            draw_clear: by_id("draw-clear")?,
            draw_input: by_id("draw-input")?,
            draw_prediction: by_id("draw-prediction")?,
            chart_draw_probs: by_id("chart-draw-probs")?,
            draw_maps: by_id("draw-maps")?,
            confusion_grid_body: by_id("confusion-grid-body")?,
            linked_caption: by_id("linked-caption")?,
            linked_thumbs: by_id("linked-thumbs")?,
            wrong_list: by_id("wrong-list")?,
            linked_detail: by_id("linked-detail")?,
            linked_input: by_id("linked-input")?,
            linked_info: by_id("linked-info")?,
            chart_linked_probs: by_id("chart-linked-probs")?,
            linked_maps: by_id("linked-maps")?,
            compare_a: by_id("compare-a")?,
            compare_b: by_id("compare-b")?,
            compare_metric: by_id("compare-metric")?,
            compare_persist: by_id("compare-persist")?,
            compare_clear: by_id("compare-clear")?,
            compare_error: by_id("compare-error")?,
            chart_compare: by_id("chart-compare")?,
            runs_body: by_id("runs-body")?,
            model_save: by_id("model-save")?,
            model_file: by_id("model-file")?,
            model_evaluate: by_id("model-evaluate")?,
            model_train_further: by_id("model-train-further")?,
            model_info: by_id("model-info")?,
            model_error: by_id("model-error")?,
            export_history_csv: by_id("export-history-csv")?,
            export_metrics_csv: by_id("export-metrics-csv")?,
            export_json: by_id("export-json")?,
            copy_link: by_id("copy-link")?,
            share_link: by_id("share-link")?,
            export_status: by_id("export-status")?,
        })
    }
}

/// What the extra sections remember.
pub struct ExtraState {
    /// The drawing pad's 32×32 cells, row-major, 0 or 1.
    pub pad: Vec<u8>,
    /// The pad before each stroke (or Clear), for Undo.
    pub undo: Vec<Vec<u8>>,
    /// The pointer's last position on the pad (in cells) while a stroke goes on.
    pub stroke: Option<(f64, f64)>,
    /// The keyboard cursor on the pad (row, column).
    pub cursor: (usize, usize),
    /// Whether a network worth predicting with exists (trained, training or loaded).
    pub has_model: bool,
    /// A drawing prediction is on its way.
    pub in_flight: bool,
    /// The drawing changed since the prediction on its way was asked.
    pub dirty: bool,

    /// The settings of the current or last run, and whether it continued a network.
    pub run_settings: Option<(PageSettings, bool)>,
    /// The last evaluation on the test rows.
    pub evaluation: Option<Evaluation>,
    /// (train, test) rows of the last split.
    pub split: (usize, usize),
    /// Every test row's prediction, from the last evaluation.
    pub predictions: Vec<TestPrediction>,
    /// The chosen confusion cell (true, predicted).
    pub cell: Option<(usize, usize)>,

    /// This tab's finished runs.
    pub runs: Vec<RunRecord>,
}

impl Default for ExtraState {
    fn default() -> Self {
        Self {
            pad: vec![0; PAD_CELLS],
            undo: Vec::new(),
            stroke: None,
            cursor: (16, 16),
            has_model: false,
            in_flight: false,
            dirty: false,
            run_settings: None,
            evaluation: None,
            split: (0, 0),
            predictions: Vec::new(),
            cell: None,
            runs: Vec::new(),
        }
    }
}

/// The extra sections: elements and memory.
pub struct Extras {
    pub ui: ExtraUi,
    pub state: RefCell<ExtraState>,
}

impl Extras {
    /// Finds every element, or names the first one missing.
    pub fn find() -> Result<Self, String> {
        Ok(Self {
            ui: ExtraUi::find()?,
            state: RefCell::new(ExtraState::default()),
        })
    }
}

/// Wires every control of the extra sections.
pub(super) fn wire(app: &Rc<App>) {
    super::draw_view::wire(app);
    super::model_io::wire(app);
    super::export::wire(app);
    super::linked_view::wire(app);
    super::compare_view::wire(app);
}

impl App {
    /// Notes what the extra sections need from a request on its way to the worker.
    pub(super) fn observe_request(&self, request: &Request) {
        let continued = match request {
            Request::Train { .. } => false,
            Request::TrainFurther { .. } => true,
            _ => return,
        };
        if let Some(settings) = self.form_settings() {
            self.extra.state.borrow_mut().run_settings = Some((settings, continued));
        }
    }

    /// Notes what the extra sections need from any answer, before it is shown.
    pub(super) fn observe(self: &Rc<Self>, response: &Response) {
        match response {
            Response::TrainingStarted {
                train_rows,
                test_rows,
                ..
            } => {
                let mut state = self.extra.state.borrow_mut();
                state.split = (*train_rows, *test_rows);
                state.evaluation = None;
                drop(state);
                self.enable_exports();
            }
            Response::Epoch { .. } => self.set_has_model(true),
            Response::TestPredictions { rows } => self.set_predictions(rows.clone()),
            _ => {}
        }
    }

    /// Reacts to the answers of the extra requests, and to the ends of runs.
    pub(super) fn on_extra_response(self: &Rc<Self>, response: Response) {
        match response {
            Response::Inspection { tag, view } => self.on_inspection(&tag, &view),
            Response::InspectionRefused { tag, message } => {
                self.on_inspection_refused(&tag, &message)
            }
            Response::ModelFile { name, bytes } => self.on_model_file(&name, &bytes),
            Response::ModelLoaded { name, info } => self.on_model_loaded(&name, &info),
            Response::ModelRefused { name, message } => self.on_model_refused(&name, &message),
            Response::Evaluated {
                evaluation,
                train_rows,
                test_rows,
            } => self.on_evaluated(&evaluation, train_rows, test_rows),
            Response::TestPredictions { .. } => {}
            other => web_sys::console::warn_1(&format!("unhandled answer {other:?}").into()),
        }
    }

    /// After the app showed a finished run: remember it, export it, link it.
    pub(super) fn after_response(self: &Rc<Self>, response_was_done: Option<&Evaluation>) {
        self.draw_stale_history();
        if let Some(evaluation) = response_was_done {
            self.extra.state.borrow_mut().evaluation = Some(evaluation.clone());
            self.set_has_model(true);
            self.enable_model_actions();
            self.record_run(evaluation);
            self.enable_exports();
            self.show_confusion_grid();
        }
    }

    /// Whether a network exists to predict with; the drawing pad starts predicting.
    pub(super) fn set_has_model(self: &Rc<Self>, has: bool) {
        let was = std::mem::replace(&mut self.extra.state.borrow_mut().has_model, has);
        if has && !was {
            self.predict_drawing();
        }
    }
}
