//! Where the digits live (issue 14): the test rows on the last hidden layer's two principal
//! axes in `#projection`, redrawn whenever the worker sends a new projection during a run; a
//! click on a point opens that test image in the linked view (section 8).
//!
//! The worker's side is `session/inside.rs`; the numbers are the core's
//! `digits_cnn::explain::projection`.

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::CLASSES;
use web_sys::{HtmlCanvasElement, HtmlElement, MouseEvent};

use super::App;
use crate::charts::{self, PlotFrame};
use crate::dom::{by_id, now_ms, on, set_attr, set_text};
use crate::format::percent;
use crate::protocol::ProjectionView;

/// A click opens the nearest point within this many canvas pixels.
const REACH: f64 = 10.0;

/// The projection's elements and what it shows.
pub(super) struct ProjectionSection {
    /// The scatter plot.
    canvas: HtmlCanvasElement,
    /// Its summary, also its text alternative.
    summary: HtmlElement,
    /// The projection drawn and where its plot is.
    state: RefCell<Option<(ProjectionView, PlotFrame)>>,
}

impl ProjectionSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            canvas: by_id("projection")?,
            summary: by_id("projection-summary")?,
            state: RefCell::default(),
        })
    }
}

/// Connects clicks on the points.
pub(super) fn wire(app: &Rc<App>) {
    let a = app.clone();
    on::<MouseEvent>(&app.projection.canvas, "click", move |event| {
        let row = a.projection_row_at(&event);
        match row {
            Some(Ok(row)) => a.inspect_row(row),
            Some(Err(message)) => set_text(&a.projection.summary, message),
            None => {}
        }
    });
}

impl App {
    /// Draws a new projection and says what it shows.
    pub(super) fn show_projection(&self, view: ProjectionView) {
        let section = &self.projection;
        let started = now_ms();
        let drawn = charts::projection(&section.canvas, &view.projection, view.epoch);
        let frame = match drawn {
            Ok(frame) => frame,
            Err(message) => return self.draw(Err(message)),
        };
        let points = view.projection.points.len();
        set_attr(&section.canvas, "data-points", &points.to_string());
        set_attr(&section.canvas, "data-epoch", &view.epoch.to_string());
        if let Some(i) = most_isolated(&view, &frame) {
            // Where a test (or a curious reader) can click to open a point for sure.
            let (x, y) = frame.to_pixels(view.projection.points[i]);
            let row = view.rows.get(i).map_or(String::new(), usize::to_string);
            set_attr(
                &section.canvas,
                "data-isolated",
                &format!("{x:.1},{y:.1},{row}"),
            );
        }
        let text = describe(&view);
        set_attr(&section.canvas, "aria-label", &text);
        set_text(&section.summary, &text);
        *section.state.borrow_mut() = Some((view, frame));
        // What this update cost the main thread (the e2e test prints it).
        let spent = now_ms() - started;
        set_attr(&section.canvas, "data-draw-ms", &format!("{spent:.1}"));
    }

    /// The data row of the point nearest a click on the plot (within [`REACH`]); an error
    /// when the point's image is not in the loaded data; `None` off the points.
    fn projection_row_at(&self, event: &MouseEvent) -> Option<Result<usize, &'static str>> {
        let canvas = &self.projection.canvas;
        let rect = canvas.get_bounding_client_rect();
        let x = (f64::from(event.client_x()) - rect.left()) * f64::from(canvas.width())
            / rect.width().max(1.0);
        let y = (f64::from(event.client_y()) - rect.top()) * f64::from(canvas.height())
            / rect.height().max(1.0);
        let state = self.projection.state.borrow();
        let (view, frame) = state.as_ref()?;
        let (nearest, distance) = view
            .projection
            .points
            .iter()
            .map(|&p| {
                let (px, py) = frame.to_pixels(p);
                (px - x).hypot(py - y)
            })
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        if distance > REACH {
            return None;
        }
        Some(
            view.rows
                .get(nearest)
                .copied()
                .ok_or("These test rows come from the test file: only the loaded data's rows open in the linked view."),
        )
    }
}

/// The point farthest from its nearest neighbour on the canvas (so a click on it opens it
/// and no other), if there are points.
fn most_isolated(view: &ProjectionView, frame: &PlotFrame) -> Option<usize> {
    let pixels: Vec<(f64, f64)> = view
        .projection
        .points
        .iter()
        .map(|&p| frame.to_pixels(p))
        .collect();
    (0..pixels.len())
        .map(|i| {
            let (x, y) = pixels[i];
            let nearest = pixels
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &(px, py))| (px - x).hypot(py - y))
                .fold(f64::INFINITY, f64::min);
            (i, nearest)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The text alternative: what the axes hold, the mistakes, and where each class' centre is.
fn describe(view: &ProjectionView) -> String {
    let projection = &view.projection;
    let mut sums = [[0.0f64; 3]; CLASSES];
    for (point, &label) in projection.points.iter().zip(&projection.labels) {
        let sum = &mut sums[usize::from(label)];
        sum[0] += f64::from(point[0]);
        sum[1] += f64::from(point[1]);
        sum[2] += 1.0;
    }
    let centres: Vec<String> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s[2] > 0.0)
        .map(|(class, s)| format!("{class} at ({:.1}, {:.1})", s[0] / s[2], s[1] / s[2]))
        .collect();
    let wrong = projection
        .labels
        .iter()
        .zip(&projection.predicted)
        .filter(|(l, p)| l != p)
        .count();
    let [first, second] = projection.explained.map(|e| percent(f64::from(e)));
    format!(
        "After epoch {}: {} test rows on the two principal axes of the last hidden layer \
         ({} units); axis 1 holds {first} of the variance, axis 2 {second}. {wrong} are \
         misclassified (ringed). Class centres: {}. Click a point to open its image in the \
         linked view.",
        view.epoch,
        projection.points.len(),
        projection.dims,
        centres.join(", ")
    )
}
