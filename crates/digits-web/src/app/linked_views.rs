//! Section 8, linked views: a confusion matrix whose cells list their test images, each
//! image opening its probabilities and feature maps, and the most confidently wrong test
//! images. The worker sends every test row's probabilities with each evaluation
//! (`Response::TestPredictions`); the cells' lists are cut from them, so a cell lists exactly
//! its count.
//!
//! The worker's side is `session/evaluate.rs` (the test rows' predictions).

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::CLASSES;
use digits_cnn::metrics::predicted_class;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, EventTarget, HtmlButtonElement, HtmlCanvasElement, HtmlElement,
    HtmlTableSectionElement, KeyboardEvent, MouseEvent,
};

use super::App;
use super::inspect::Panel;
use crate::charts;
use crate::dom::{by_id, create, on, set_attr, set_text};
use crate::format::percent;
use crate::i18n::{self, Key, t, tr};
use crate::protocol::{FeatureMapsView, ImageRef, Inspector, Request, TestPrediction};

/// Section 8's elements and memory.
pub(super) struct LinkedViewsSection {
    /// The clickable confusion matrix.
    pub(super) grid_body: HtmlTableSectionElement,
    /// Which cell is listed.
    pub(super) caption: HtmlElement,
    /// The chosen cell's test images.
    pub(super) thumbs: HtmlElement,
    /// The most confident mistakes.
    pub(super) wrong_list: HtmlElement,
    /// The chosen image's panel.
    pub(super) detail: HtmlElement,
    /// The chosen image.
    pub(super) input: HtmlCanvasElement,
    /// What the network says about it.
    pub(super) info: HtmlElement,
    /// Its class probabilities.
    pub(super) chart_probabilities: HtmlCanvasElement,
    /// Its feature maps.
    pub(super) maps: HtmlElement,
    /// What the linked views remember.
    pub(super) state: RefCell<LinkedViewsState>,
}

impl LinkedViewsSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            grid_body: by_id("confusion-grid-body")?,
            caption: by_id("linked-caption")?,
            thumbs: by_id("linked-thumbs")?,
            wrong_list: by_id("wrong-list")?,
            detail: by_id("linked-detail")?,
            input: by_id("linked-input")?,
            info: by_id("linked-info")?,
            chart_probabilities: by_id("chart-linked-probs")?,
            maps: by_id("linked-maps")?,
            state: RefCell::default(),
        })
    }
}

/// How many confidently wrong images are shown.
const WRONG: usize = 12;
/// A thumbnail's canvas side.
const THUMB: u32 = 48;

/// Connects the grid, the thumbnails and the notebook's confusion table.
pub(super) fn wire(app: &Rc<App>) {
    open_cell_on_click(app, &app.linked_views.grid_body, |_, event| {
        grid_cell(event)
    });
    // The evaluation's own confusion table: a click on a count opens that cell too.
    open_cell_on_click(app, &app.evaluate.confusion_body, |_, event| {
        confusion_table_cell(event)
    });
    // The heatmap: a click on a cell opens it (the chart records where its cells are).
    open_cell_on_click(app, &app.evaluate.chart_confusion, |app, event| {
        heatmap_cell(&app.evaluate.chart_confusion, event)
    });
    for list in [&app.linked_views.thumbs, &app.linked_views.wrong_list] {
        inspect_thumb_on_click(app, list);
    }
}

/// Opens the (true, predicted) cell that `cell_at` finds under a click on `target`.
fn open_cell_on_click(
    app: &Rc<App>,
    target: &EventTarget,
    cell_at: impl Fn(&App, &MouseEvent) -> Option<(usize, usize)> + 'static,
) {
    let a = app.clone();
    on::<MouseEvent>(target, "click", move |event| {
        if let Some((truth, predicted)) = cell_at(&a, &event) {
            a.show_cell(truth, predicted);
        }
    });
}

/// Inspects the thumbnail in `list` that is clicked, or focused when Enter or Space is
/// pressed.
fn inspect_thumb_on_click(app: &Rc<App>, list: &EventTarget) {
    let a = app.clone();
    on::<MouseEvent>(list, "click", move |event| {
        if let Some(row) = thumb_row(&event) {
            a.inspect_row(row);
        }
    });
    let a = app.clone();
    on::<KeyboardEvent>(list, "keydown", move |event| {
        if matches!(event.key().as_str(), "Enter" | " ")
            && let Some(row) = thumb_row(&event)
        {
            event.prevent_default();
            a.inspect_row(row);
        }
    });
}

/// The (true, predicted) cell of the clickable grid under a click, from its button's
/// `data-true` and `data-pred`.
fn grid_cell(event: &MouseEvent) -> Option<(usize, usize)> {
    let cell = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button[data-true]").ok().flatten())?;
    let read = |name: &str| cell.get_attribute(name).and_then(|v| v.parse().ok());
    Some((read("data-true")?, read("data-pred")?))
}

/// The (true, predicted) cell of the evaluation's confusion table under a click: the
/// count's row and column.
fn confusion_table_cell(event: &MouseEvent) -> Option<(usize, usize)> {
    let cell = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("td").ok().flatten())?
        .dyn_into::<web_sys::HtmlTableCellElement>()
        .ok()?;
    let row = cell
        .parent_element()?
        .dyn_into::<web_sys::HtmlTableRowElement>()
        .ok()?;
    // Column 0 is the row's header (the true class).
    let predicted = cell.cell_index() - 1;
    let truth = row.section_row_index();
    ((0..CLASSES as i32).contains(&predicted) && (0..CLASSES as i32).contains(&truth))
        .then_some((truth as usize, predicted as usize))
}

/// The (true, predicted) cell of the confusion heatmap under a click, from the plot area
/// the chart recorded in `data-plot` (canvas pixels: left, top, right, bottom).
fn heatmap_cell(canvas: &HtmlCanvasElement, event: &MouseEvent) -> Option<(usize, usize)> {
    let plot: Vec<f64> = canvas
        .get_attribute("data-plot")?
        .split(',')
        .filter_map(|v| v.parse().ok())
        .collect();
    let [left, top, right, bottom] = plot[..] else {
        return None;
    };
    let rect = canvas.get_bounding_client_rect();
    let x = (f64::from(event.client_x()) - rect.left()) * f64::from(canvas.width())
        / rect.width().max(1.0);
    let y = (f64::from(event.client_y()) - rect.top()) * f64::from(canvas.height())
        / rect.height().max(1.0);
    let cell = |at: f64, from: f64, to: f64| {
        let i = ((at - from) / (to - from) * CLASSES as f64).floor();
        (0.0..CLASSES as f64).contains(&i).then_some(i as usize)
    };
    // True classes run top to bottom, as printed.
    Some((cell(y, top, bottom)?, cell(x, left, right)?))
}

/// The data row of the thumbnail an event happened on.
fn thumb_row(event: &Event) -> Option<usize> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let thumb = target.closest("canvas.thumb").ok()??;
    thumb.get_attribute("data-index")?.parse().ok()
}

/// The probability of the predicted class.
fn confidence(row: &TestPrediction) -> f32 {
    row.probabilities[usize::from(predicted_class(&row.probabilities))]
}

impl App {
    /// Fills the clickable confusion grid from the last evaluation.
    pub(super) fn show_confusion_grid(&self) {
        let Some(counts) = self
            .evaluate
            .state
            .borrow()
            .evaluation
            .as_ref()
            .map(|e| e.confusion.counts)
        else {
            return;
        };
        let body = &self.linked_views.grid_body;
        body.set_inner_html("");
        for (truth, row) in counts.iter().enumerate() {
            let tr: Element = create("tr");
            let th: Element = create("th");
            set_attr(&th, "scope", "row");
            set_text(&th, &truth.to_string());
            let _ = tr.append_child(&th);
            for (predicted, &count) in row.iter().enumerate() {
                let td: Element = create("td");
                let button: HtmlButtonElement = create("button");
                button.set_type("button");
                let kind = if truth == predicted {
                    "cell right"
                } else {
                    "cell wrong"
                };
                set_attr(&button, "class", kind);
                set_attr(&button, "data-true", &truth.to_string());
                set_attr(&button, "data-pred", &predicted.to_string());
                set_attr(&button, "data-count", &count.to_string());
                set_attr(
                    &button,
                    "aria-label",
                    &i18n::tr(
                        Key::CellLabel,
                        &[
                            ("truth", &truth),
                            ("predicted", &predicted),
                            ("count", &count),
                        ],
                    ),
                );
                button.set_disabled(count == 0);
                set_text(&button, &count.to_string());
                let _ = td.append_child(&button);
                let _ = tr.append_child(&td);
            }
            let _ = body.append_child(&tr);
        }
    }

    /// New per-row predictions: the wrong list, and the chosen cell again.
    pub(super) fn set_predictions(&self, rows: Vec<TestPrediction>) {
        let mut wrong: Vec<&TestPrediction> = rows
            .iter()
            .filter(|r| predicted_class(&r.probabilities) != r.label)
            .collect();
        wrong.sort_by(|a, b| confidence(b).total_cmp(&confidence(a)));
        wrong.truncate(WRONG);
        let list = &self.linked_views.wrong_list;
        fill_thumbs(list, &wrong);
        if wrong.is_empty() {
            set_text(list, t(Key::NoneWrong));
        }
        let cell = {
            let mut state = self.linked_views.state.borrow_mut();
            state.predictions = rows;
            state.cell
        };
        if let Some((truth, predicted)) = cell {
            self.show_cell(truth, predicted);
        }
    }

    /// Lists the test images of confusion cell (true, predicted).
    pub(super) fn show_cell(&self, truth: usize, predicted: usize) {
        let state = self.linked_views.state.borrow();
        let rows: Vec<&TestPrediction> = state
            .predictions
            .iter()
            .filter(|r| {
                usize::from(r.label) == truth
                    && usize::from(predicted_class(&r.probabilities)) == predicted
            })
            .collect();
        let key = if truth == predicted {
            Key::CellCaptionRight
        } else {
            Key::CellCaptionWrong
        };
        set_text(
            &self.linked_views.caption,
            &i18n::tr(
                key,
                &[
                    ("truth", &truth),
                    ("predicted", &predicted),
                    ("count", &rows.len()),
                ],
            ),
        );
        fill_thumbs(&self.linked_views.thumbs, &rows);
        set_attr(&self.linked_views.thumbs, "data-true", &truth.to_string());
        set_attr(
            &self.linked_views.thumbs,
            "data-pred",
            &predicted.to_string(),
        );
        drop(state);
        self.linked_views.state.borrow_mut().cell = Some((truth, predicted));
    }

    /// Asks for a test row's probabilities and maps (shown in the linked view).
    pub(super) fn inspect_row(&self, row: usize) {
        self.send(Request::Inspect {
            inspector: Inspector::LinkedView,
            image: ImageRef::Row(row),
        });
        self.explain_image(ImageRef::Row(row));
    }

    /// An inspection answered: to the view that asked.
    pub(super) fn on_inspection(self: &Rc<Self>, inspector: Inspector, view: &FeatureMapsView) {
        match inspector {
            Inspector::DrawingPad => self.on_drawing_prediction(view),
            Inspector::LinkedView => self.show_linked(view),
        }
    }

    /// An inspection refused: the reason, where the view that asked shows its answers.
    pub(super) fn on_inspection_refused(&self, inspector: Inspector, message: &str) {
        let text = tr(Key::InspectionRefused, &[("message", &message)]);
        match inspector {
            Inspector::DrawingPad => self.on_drawing_refused(&text),
            Inspector::LinkedView => set_text(&self.linked_views.info, &text),
        }
    }

    fn show_linked(&self, view: &FeatureMapsView) {
        self.linked_views.detail.set_hidden(false);
        let row = match view.image {
            ImageRef::Row(row) => row.to_string(),
            ImageRef::Pixels(_) => "?".into(),
        };
        let probabilities = &view.maps.probabilities;
        let predicted = predicted_class(probabilities);
        let confidence = percent(f64::from(probabilities[usize::from(predicted)]));
        let info = match view.label {
            Some(truth) => i18n::tr(
                Key::RowTruePredicted,
                &[
                    ("row", &row),
                    ("truth", &truth),
                    ("predicted", &predicted),
                    ("confidence", &confidence),
                ],
            ),
            None => i18n::tr(
                Key::RowPredicted,
                &[
                    ("row", &row),
                    ("predicted", &predicted),
                    ("confidence", &confidence),
                ],
            ),
        };
        let what = i18n::tr(Key::TestRow, &[("row", &row)]);
        set_text(&self.linked_views.info, &info);
        set_attr(&self.linked_views.detail, "data-index", &row);
        let panel = Panel {
            input: &self.linked_views.input,
            chart: &self.linked_views.chart_probabilities,
            maps: &self.linked_views.maps,
        };
        self.draw_panel(&panel, &what, &view.pixels, &view.maps, view.label);
    }
}

/// Replaces `list`'s thumbnails with one per row (clickable, focusable).
fn fill_thumbs(list: &HtmlElement, rows: &[&TestPrediction]) {
    list.set_inner_html("");
    set_attr(list, "data-count", &rows.len().to_string());
    for row in rows {
        let canvas: HtmlCanvasElement = create("canvas");
        canvas.set_width(THUMB);
        canvas.set_height(THUMB);
        let predicted = predicted_class(&row.probabilities);
        set_attr(&canvas, "class", "thumb");
        set_attr(&canvas, "tabindex", "0");
        set_attr(&canvas, "role", "button");
        set_attr(&canvas, "data-index", &row.index.to_string());
        set_attr(&canvas, "data-true", &row.label.to_string());
        set_attr(&canvas, "data-pred", &predicted.to_string());
        set_attr(
            &canvas,
            "aria-label",
            &i18n::tr(
                Key::ThumbLabel,
                &[
                    ("row", &row.index),
                    ("truth", &row.label),
                    ("predicted", &predicted),
                    ("confidence", &percent(f64::from(confidence(row)))),
                ],
            ),
        );
        let _ = list.append_child(&canvas);
        if let Err(message) = charts::digit(&canvas, &row.pixels, None) {
            web_sys::console::warn_1(&message.into());
        }
    }
}

/// What the linked views remember.
#[derive(Default)]
pub(super) struct LinkedViewsState {
    /// Every test row's prediction, from the last evaluation.
    pub(super) predictions: Vec<TestPrediction>,
    /// The chosen confusion cell (true, predicted).
    pub(super) cell: Option<(usize, usize)>,
}
