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
use crate::format::{decimal_digits, percent, thousands};
use crate::i18n::{Key, list, t, tr};
use crate::protocol::ProjectionView;

/// A click opens the nearest point within this many CSS pixels.
const REACH: f64 = 10.0;

/// The projection drawn and where its plot landed on the canvas (again at each redraw).
type Shown = Rc<RefCell<Option<(Rc<ProjectionView>, PlotFrame)>>>;

/// The projection's elements and what it shows.
pub(super) struct ProjectionSection {
    /// The scatter plot.
    canvas: HtmlCanvasElement,
    /// Its summary, also its text alternative.
    summary: HtmlElement,
    /// The projection drawn and where its plot is.
    drawn: Shown,
}

impl ProjectionSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            canvas: by_id("projection")?,
            summary: by_id("projection-summary")?,
            drawn: Shown::default(),
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
    /// Draws a new projection (and again at each new width) and says what it shows.
    pub(super) fn show_projection(&self, view: ProjectionView) {
        let section = &self.projection;
        let started = now_ms();
        let points = view.projection.points.len();
        set_attr(&section.canvas, "data-points", &points.to_string());
        set_attr(&section.canvas, "data-epoch", &view.epoch.to_string());
        let text = describe(&view);
        set_attr(&section.canvas, "aria-label", &text);
        set_text(&section.summary, &text);
        let (canvas, drawn, view) = (section.canvas.clone(), section.drawn.clone(), Rc::new(view));
        self.draw_chart(&section.canvas, move || {
            draw_projection(&canvas, &drawn, &view)
        });
        // What this update cost the main thread (the e2e test prints it).
        let spent = now_ms() - started;
        set_attr(&section.canvas, "data-draw-ms", &format!("{spent:.1}"));
    }

    /// The data row of the point nearest a click on the plot (within [`REACH`]); an error
    /// when the point's image is not in the loaded data; `None` off the points.
    fn projection_row_at(&self, event: &MouseEvent) -> Option<Result<usize, &'static str>> {
        let canvas = &self.projection.canvas;
        let rect = canvas.get_bounding_client_rect();
        // Canvas pixels per CSS pixel, across and down.
        let across = f64::from(canvas.width()) / rect.width().max(1.0);
        let down = f64::from(canvas.height()) / rect.height().max(1.0);
        let x = (f64::from(event.client_x()) - rect.left()) * across;
        let y = (f64::from(event.client_y()) - rect.top()) * down;
        let drawn = self.projection.drawn.borrow();
        let (view, frame) = drawn.as_ref()?;
        let (nearest, distance) = view
            .projection
            .points
            .iter()
            .map(|&p| {
                let (px, py) = frame.to_pixels(p);
                ((px - x) / across).hypot((py - y) / down)
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
                .ok_or(t(Key::ProjectionFromTestFile)),
        )
    }
}

/// Draws `view` on `canvas` at its width, remembers where its plot landed in `drawn`, and
/// marks its most isolated point in `data-isolated` (canvas pixels and its row).
fn draw_projection(
    canvas: &HtmlCanvasElement,
    drawn: &Shown,
    view: &Rc<ProjectionView>,
) -> Result<(), String> {
    let frame = charts::projection(canvas, &view.projection, view.epoch)?;
    if let Some(i) = most_isolated(view, &frame) {
        // Where a test (or a curious reader) can click to open a point for sure.
        let (x, y) = frame.to_pixels(view.projection.points[i]);
        let row = view.rows.get(i).map_or(String::new(), usize::to_string);
        set_attr(canvas, "data-isolated", &format!("{x:.1},{y:.1},{row}"));
    }
    *drawn.borrow_mut() = Some((view.clone(), frame));
    Ok(())
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
        .map(|(class, s)| {
            tr(
                Key::ClassCentre,
                &[
                    ("class", &class),
                    ("x", &decimal_digits(s[0] / s[2], 1)),
                    ("y", &decimal_digits(s[1] / s[2], 1)),
                ],
            )
        })
        .collect();
    let wrong = projection
        .labels
        .iter()
        .zip(&projection.predicted)
        .filter(|(l, p)| l != p)
        .count();
    let [first, second] = projection.explained.map(|e| percent(f64::from(e)));
    tr(
        Key::ProjectionLabel,
        &[
            ("epoch", &view.epoch),
            ("rows", &thousands(projection.points.len())),
            ("units", &projection.dims),
            ("first", &first),
            ("second", &second),
            ("wrong", &thousands(wrong)),
            ("centres", &list(&centres)),
        ],
    )
}
