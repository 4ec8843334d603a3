//! Section 7, draw your own digit: a 32×32 pad (mouse, touch, pen, keyboard) with Undo
//! and Clear, the 8×8 input it makes (the data set's own preprocessing, in the core's
//! `drawing` module), and the network's live prediction, probabilities and feature maps.
//!
//! Predictions run in the worker. At most one is on its way at a time: changes made
//! meanwhile are sent together once it answers, which keeps the main thread free however
//! fast the pointer moves.
//!
//! The worker answers through `session/feature_maps.rs` (`Request::Inspect`).

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::drawing::{PAD_CELLS, PAD_SIDE, downsample};
use digits_cnn::metrics::predicted_class;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CanvasRenderingContext2d, Event, HtmlButtonElement, HtmlCanvasElement, HtmlElement,
    KeyboardEvent, MouseEvent, PointerEvent,
};

use super::App;
use super::inspect::Panel;
use crate::charts;
use crate::dom::{by_id, on, remove_attr, set_attr, set_text};
use crate::format::percent;
use crate::i18n::{Key, t, tr};
use crate::protocol::{FeatureMapsView, ImageRef, Inspector, Request};

/// Section 7's elements and memory.
pub(super) struct DrawSection {
    /// The 32×32 drawing pad.
    pub(super) pad: HtmlCanvasElement,
    /// Undoes the last stroke.
    pub(super) undo: HtmlButtonElement,
    /// Clears the pad.
    pub(super) clear: HtmlButtonElement,
    /// The drawing as the network's 8×8 input.
    pub(super) input: HtmlCanvasElement,
    /// The network's answer.
    pub(super) prediction: HtmlElement,
    /// Its class probabilities.
    pub(super) chart_probabilities: HtmlCanvasElement,
    /// The drawing's feature maps.
    pub(super) maps: HtmlElement,
    /// What the drawing pad remembers.
    pub(super) state: RefCell<DrawState>,
}

impl DrawSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            pad: by_id("draw-pad")?,
            undo: by_id("draw-undo")?,
            clear: by_id("draw-clear")?,
            input: by_id("draw-input")?,
            prediction: by_id("draw-prediction")?,
            chart_probabilities: by_id("chart-draw-probs")?,
            maps: by_id("draw-maps")?,
            state: RefCell::default(),
        })
    }
}

/// Marks `#draw-prediction` while a prediction is in flight (the answer for the drawing as it
/// is now is on its way), so screen readers and the tests do not take the previous stroke's
/// answer for this one's. Only [`App::set_in_flight`] writes it.
const BUSY: &str = "aria-busy";

/// Connects the pad and its buttons.
pub(super) fn wire(app: &Rc<App>) {
    let pad = &app.draw.pad;
    let a = app.clone();
    on::<PointerEvent>(pad, "pointerdown", move |event| a.stroke_start(&event));
    let a = app.clone();
    on::<PointerEvent>(pad, "pointermove", move |event| a.stroke_move(&event));
    for name in ["pointerup", "pointercancel"] {
        let a = app.clone();
        on::<PointerEvent>(pad, name, move |event| a.stroke_end(&event));
    }
    let a = app.clone();
    on::<KeyboardEvent>(pad, "keydown", move |event| a.pad_key(&event));
    for name in ["focus", "blur"] {
        let a = app.clone();
        on::<Event>(pad, name, move |_| a.paint_pad());
    }
    let a = app.clone();
    on::<MouseEvent>(&app.draw.undo, "click", move |_| a.undo_drawing());
    let a = app.clone();
    on::<MouseEvent>(&app.draw.clear, "click", move |_| a.clear_drawing());
    app.paint_pad();
}

/// A number property of an event (client coordinates are fractional in pointer events).
fn event_coordinate(event: &Event, name: &str) -> f64 {
    js_sys::Reflect::get(event, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

impl App {
    /// Whether a network exists to predict with; the drawing pad starts predicting.
    pub(super) fn set_has_model(self: &Rc<Self>, has: bool) {
        let was = std::mem::replace(&mut self.draw.state.borrow_mut().has_model, has);
        if has && !was {
            self.predict_drawing();
        }
    }

    /// The pointer's position on the pad, in cells (x = column, y = row).
    fn pad_position(&self, event: &PointerEvent) -> (f64, f64) {
        let rect = self.draw.pad.get_bounding_client_rect();
        let side = PAD_SIDE as f64;
        let x = (event_coordinate(event, "clientX") - rect.left()) / rect.width().max(1.0) * side;
        let y = (event_coordinate(event, "clientY") - rect.top()) / rect.height().max(1.0) * side;
        (x, y)
    }

    fn stroke_start(self: &Rc<Self>, event: &PointerEvent) {
        // One finger draws: a second one (a pinch) and the mouse's other buttons do not.
        if !event.is_primary() || (event.pointer_type() == "mouse" && event.button() != 0) {
            return;
        }
        event.prevent_default();
        let _ = self.draw.pad.set_pointer_capture(event.pointer_id());
        let at = self.pad_position(event);
        {
            let mut state = self.draw.state.borrow_mut();
            let before = state.pad.clone();
            state.undo.push(before);
            state.stroke = Some(at);
            paint_brush(&mut state.pad, at);
        }
        self.pad_changed();
    }

    fn stroke_move(self: &Rc<Self>, event: &PointerEvent) {
        let Some(from) = self.draw.state.borrow().stroke else {
            return;
        };
        event.prevent_default();
        let to = self.pad_position(event);
        {
            let mut state = self.draw.state.borrow_mut();
            // Samples at most half a cell apart, so fast strokes have no gaps.
            let steps = ((to.0 - from.0).abs().max((to.1 - from.1).abs()) * 2.0).ceil() as usize;
            for i in 1..=steps.max(1) {
                let t = i as f64 / steps.max(1) as f64;
                let point = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
                paint_brush(&mut state.pad, point);
            }
            state.stroke = Some(to);
        }
        self.pad_changed();
    }

    fn stroke_end(self: &Rc<Self>, event: &PointerEvent) {
        if self.draw.state.borrow_mut().stroke.take().is_some() {
            let _ = self.draw.pad.release_pointer_capture(event.pointer_id());
        }
    }

    /// Arrow keys move the cursor, Space or Enter paints its cell.
    fn pad_key(self: &Rc<Self>, event: &KeyboardEvent) {
        let last = PAD_SIDE - 1;
        let paint = {
            let mut state = self.draw.state.borrow_mut();
            let (row, col) = state.cursor;
            match event.key().as_str() {
                "ArrowUp" => state.cursor = (row.saturating_sub(1), col),
                "ArrowDown" => state.cursor = ((row + 1).min(last), col),
                "ArrowLeft" => state.cursor = (row, col.saturating_sub(1)),
                "ArrowRight" => state.cursor = (row, (col + 1).min(last)),
                " " | "Enter" => {}
                _ => return,
            }
            event.prevent_default();
            matches!(event.key().as_str(), " " | "Enter")
        };
        if paint {
            let mut state = self.draw.state.borrow_mut();
            let before = state.pad.clone();
            state.undo.push(before);
            let (row, col) = state.cursor;
            state.pad[row * PAD_SIDE + col] = 1;
            drop(state);
            self.pad_changed();
        } else {
            self.paint_pad();
        }
    }

    fn undo_drawing(self: &Rc<Self>) {
        let restored = {
            let mut state = self.draw.state.borrow_mut();
            match state.undo.pop() {
                Some(pad) => {
                    state.pad = pad;
                    true
                }
                None => false,
            }
        };
        if restored {
            self.pad_changed();
        }
    }

    fn clear_drawing(self: &Rc<Self>) {
        {
            let mut state = self.draw.state.borrow_mut();
            if state.pad.iter().all(|&c| c == 0) {
                return;
            }
            let before = std::mem::replace(&mut state.pad, vec![0; PAD_CELLS]);
            state.undo.push(before);
        }
        self.pad_changed();
    }

    /// The drawing changed: repaint, show its 8×8 input, ask for a prediction.
    fn pad_changed(self: &Rc<Self>) {
        self.paint_pad();
        let (image, empty, can_undo) = {
            let state = self.draw.state.borrow();
            (
                downsample(&state.pad),
                state.pad.iter().all(|&c| c == 0),
                !state.undo.is_empty(),
            )
        };
        self.draw.undo.set_disabled(!can_undo);
        self.draw.clear.set_disabled(empty);
        self.draw(charts::digit(&self.draw.input, &image, None));
        let values: Vec<String> = image.iter().map(u8::to_string).collect();
        set_attr(&self.draw.input, "data-pixels", &values.join(","));
        set_attr(
            &self.draw.input,
            "aria-label",
            &tr(Key::DrawInputLabel, &[("pixels", &values.join(" "))]),
        );
        self.predict_drawing();
    }

    /// Asks the worker for the drawing's prediction, unless one is on its way.
    pub(super) fn predict_drawing(self: &Rc<Self>) {
        let (image, empty, has_model) = {
            let mut state = self.draw.state.borrow_mut();
            if state.in_flight {
                state.dirty = true;
                return;
            }
            (
                downsample(&state.pad),
                state.pad.iter().all(|&c| c == 0),
                state.has_model,
            )
        };
        let prediction = &self.draw.prediction;
        if empty {
            set_text(prediction, t(Key::DrawPrompt));
            remove_attr(prediction, "data-class");
            return;
        }
        if !has_model {
            set_text(prediction, t(Key::DrawNoModel));
            return;
        }
        self.draw.state.borrow_mut().dirty = false;
        self.set_in_flight(true);
        self.send(Request::Inspect {
            inspector: Inspector::DrawingPad,
            image: ImageRef::Pixels(image.to_vec()),
        });
        self.explain_image(ImageRef::Pixels(image.to_vec()));
    }

    /// The worker's prediction for the drawing.
    pub(super) fn on_drawing_prediction(self: &Rc<Self>, view: &FeatureMapsView) {
        self.set_in_flight(false);
        let (dirty, current) = {
            let state = self.draw.state.borrow();
            (state.dirty, downsample(&state.pad).to_vec())
        };
        if dirty || current != view.pixels {
            // The drawing moved on: ask again rather than show a stale answer.
            self.predict_drawing();
            return;
        }
        let panel = Panel {
            input: &self.draw.input,
            chart: &self.draw.chart_probabilities,
            maps: &self.draw.maps,
        };
        self.draw_panel(&panel, t(Key::YourDrawing), &view.pixels, &view.maps, None);
        let probabilities = &view.maps.probabilities;
        let class = predicted_class(probabilities);
        let network = match view.epoch {
            0 => t(Key::NetworkUntrained).to_string(),
            1 => t(Key::NetworkOneEpoch).to_string(),
            n => tr(Key::NetworkEpochs, &[("epochs", &n)]),
        };
        let prediction = &self.draw.prediction;
        set_text(
            prediction,
            &tr(
                Key::NetworkSays,
                &[
                    ("network", &network),
                    ("class", &class),
                    (
                        "confidence",
                        &percent(f64::from(probabilities[usize::from(class)])),
                    ),
                ],
            ),
        );
        set_attr(prediction, "data-class", &class.to_string());
    }

    /// The worker could not predict the drawing: say why; nothing is on its way.
    pub(super) fn on_drawing_refused(&self, text: &str) {
        self.set_in_flight(false);
        set_text(&self.draw.prediction, text);
    }

    /// Whether a prediction of the drawing is on its way, kept with its `aria-busy` mark.
    fn set_in_flight(&self, in_flight: bool) {
        self.draw.state.borrow_mut().in_flight = in_flight;
        if in_flight {
            set_attr(&self.draw.prediction, BUSY, "true");
        } else {
            remove_attr(&self.draw.prediction, BUSY);
        }
    }

    /// Paints the pad's cells, and the keyboard cursor while the pad has focus.
    pub(super) fn paint_pad(&self) {
        let canvas = &self.draw.pad;
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let state = self.draw.state.borrow();
        let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
        let cell = w / PAD_SIDE as f64;
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, w, h);
        // Block boundaries (every 4 cells): where the 8×8 pixels come from.
        ctx.set_stroke_style_str("#e4e4e4");
        ctx.set_line_width(1.0);
        for i in 1..8 {
            let at = (i * 4) as f64 * cell + 0.5;
            ctx.stroke_rect(at, 0.0, 0.0, h);
            ctx.stroke_rect(0.0, at, w, 0.0);
        }
        ctx.set_fill_style_str("#222222");
        for (i, &on) in state.pad.iter().enumerate() {
            if on != 0 {
                let (row, col) = (i / PAD_SIDE, i % PAD_SIDE);
                ctx.fill_rect(col as f64 * cell, row as f64 * cell, cell, cell);
            }
        }
        let focused = crate::dom::document()
            .active_element()
            .is_some_and(|e| e == ***canvas);
        if focused {
            let (row, col) = state.cursor;
            ctx.set_stroke_style_str("#e69f00");
            ctx.set_line_width(2.0);
            ctx.stroke_rect(
                col as f64 * cell + 1.0,
                row as f64 * cell + 1.0,
                cell - 2.0,
                cell - 2.0,
            );
        }
        let cells: String = state
            .pad
            .iter()
            .map(|&c| if c != 0 { '1' } else { '0' })
            .collect();
        set_attr(canvas, "data-cells", &cells);
    }
}

/// Turns on the 3×3 cells around the cell under `(x, y)` (in cells), inside the pad.
fn paint_brush(pad: &mut [u8], (x, y): (f64, f64)) {
    let side = PAD_SIDE as i64;
    let (col, row) = (x.floor() as i64, y.floor() as i64);
    for r in row - 1..=row + 1 {
        for c in col - 1..=col + 1 {
            if (0..side).contains(&r) && (0..side).contains(&c) {
                pad[(r * side + c) as usize] = 1;
            }
        }
    }
}

/// What the drawing pad remembers.
pub(super) struct DrawState {
    /// The drawing pad's 32×32 cells, row-major, 0 or 1.
    pub(super) pad: Vec<u8>,
    /// The pad before each stroke (or Clear), for Undo.
    pub(super) undo: Vec<Vec<u8>>,
    /// The pointer's last position on the pad (in cells) while a stroke goes on.
    pub(super) stroke: Option<(f64, f64)>,
    /// The keyboard cursor on the pad (row, column).
    pub(super) cursor: (usize, usize),
    /// Whether a network worth predicting with exists (trained, training or loaded).
    pub(super) has_model: bool,
    /// A drawing prediction is on its way.
    pub(super) in_flight: bool,
    /// The drawing changed since the prediction on its way was asked.
    pub(super) dirty: bool,
}

impl Default for DrawState {
    fn default() -> Self {
        Self {
            pad: vec![0; PAD_CELLS],
            undo: Vec::new(),
            stroke: None,
            cursor: (PAD_SIDE / 2, PAD_SIDE / 2),
            has_model: false,
            in_flight: false,
            dirty: false,
        }
    }
}
