//! Charts drawn again when their width changes: a phone turned sideways, a window resized.
//!
//! Every chart is drawn at its canvas's CSS width ([`charts::paint_to_width`]), so a canvas
//! only shrunk by CSS would show small, blurred text. [`ResizableCharts`] keeps how to draw
//! each chart, and a throttled `resize` listener draws again those whose width changed.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, HtmlCanvasElement};

use super::App;
use crate::charts::{self, PerEpochChart};
use crate::dom::on;

/// How long after a `resize` the charts are drawn again: one redraw per gesture or drag.
const THROTTLE_MS: i32 = 150;

/// One chart: its canvas and how to draw its last numbers.
type Redraw = Rc<dyn Fn() -> Result<(), String>>;

/// The page's charts and their last drawings, by canvas id.
#[derive(Default)]
pub struct ResizableCharts {
    drawings: RefCell<HashMap<String, (HtmlCanvasElement, Redraw)>>,
    /// A redraw is planned (the throttle).
    planned: Cell<bool>,
}

impl App {
    /// Draws a chart on `canvas` now with `draw`, and again with it whenever the canvas's
    /// width changes (until the canvas leaves the page); `draw` owns the numbers it shows.
    pub(super) fn draw_chart(
        &self,
        canvas: &HtmlCanvasElement,
        draw: impl Fn() -> Result<(), String> + 'static,
    ) {
        self.draw(draw());
        let mut drawings = self.resizable_charts.drawings.borrow_mut();
        // Charts made on the fly (a layer's histograms) go with their canvas.
        drawings.retain(|_, (canvas, _)| canvas.is_connected());
        drawings.insert(canvas.id(), (canvas.clone(), Rc::new(draw)));
    }

    /// [`draw_chart`](Self::draw_chart) for a chart of values per epoch.
    pub(super) fn draw_per_epoch(&self, canvas: &HtmlCanvasElement, chart: PerEpochChart) {
        let target = canvas.clone();
        self.draw_chart(canvas, move || chart.draw(&target));
    }

    /// Draws again every chart whose canvas is shown at another width than it was drawn at.
    fn redraw_resized_charts(&self) {
        self.resizable_charts.planned.set(false);
        let redraws: Vec<Redraw> = self
            .resizable_charts
            .drawings
            .borrow()
            .values()
            .filter(|(canvas, _)| charts::needs_redraw(canvas))
            .map(|(_, redraw)| redraw.clone())
            .collect();
        for redraw in redraws {
            self.draw(redraw());
        }
    }
}

/// Plans [`App::redraw_resized_charts`] [`THROTTLE_MS`] after a `resize`, at most one at a
/// time.
pub(super) fn wire(app: &Rc<App>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let weak = Rc::downgrade(app);
    on::<Event>(&window.clone().into(), "resize", move |_| {
        let Some(app) = weak.upgrade() else { return };
        if app.resizable_charts.planned.replace(true) {
            return;
        }
        let later = Rc::downgrade(&app);
        let redraw = Closure::once_into_js(move || {
            if let Some(app) = later.upgrade() {
                app.redraw_resized_charts();
            }
        });
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            redraw.unchecked_ref(),
            THROTTLE_MS,
        );
    });
}
