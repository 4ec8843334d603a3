//! Section 4's explanations, under the feature maps: "Why this prediction" (the occlusion
//! and saliency maps of the image the student looks at, for the predicted class or one they
//! pick), "What the filters are" (the first convolution's kernels beside their maps) and
//! "How one number is computed" (a clicked map cell worked out, `#conv-arithmetic`).
//!
//! The image is the one last chosen anywhere: a data row here or among the class samples,
//! a test image of the linked views, the drawing pad. The worker computes the explanation
//! (`session/explain.rs`, the core's `digits_cnn::explain`) and sends it again with the
//! watched feature maps while a run goes on; a clicked cell's arithmetic is recomputed here
//! from the numbers it sent (`FirstConv::arithmetic`), at once.

use std::cell::RefCell;
use std::rc::Rc;

use digits_cnn::SIDE;
use digits_cnn::explain::{ConvArithmetic, FirstConv, Occlusion};
use digits_cnn::feature_maps::normalise;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, HtmlCanvasElement, HtmlElement, HtmlSelectElement, HtmlTableSectionElement,
    KeyboardEvent, MouseEvent,
};

use super::App;
use super::feature_maps::{image_title, prediction_sentence};
use crate::charts;
use crate::dom::{by_id, create, fill_rows, on, set_attr, set_list_attr, set_text};
use crate::format::{decimal, decimal_digits, percent};
use crate::i18n::{Key, list, t, tr};
use crate::protocol::{ExplainTarget, ExplanationView, ImageRef, Request};

/// Side of a kernel's canvas, in pixels.
const KERNEL_CANVAS: u32 = 48;
/// Side of a map's canvas, in pixels.
const MAP_CANVAS: u32 = 64;

/// The explanations' elements and memory.
pub(super) struct ExplainSection {
    /// The class explained (`#explain-class`; empty: the predicted one).
    class: HtmlSelectElement,
    /// What occlusion blanks at a time (`#explain-occlude`).
    occlude: HtmlSelectElement,
    /// Which image, network and class the maps explain.
    info: HtmlElement,
    /// A refused explanation.
    error: HtmlElement,
    /// The occlusion map over the digit.
    occlusion: HtmlCanvasElement,
    /// The saliency map over the digit.
    saliency: HtmlCanvasElement,
    /// One kernel and its map per filter of the first convolution.
    kernels: HtmlElement,
    /// A clicked map cell, worked out.
    arithmetic: HtmlElement,
    /// The arithmetic's rows, one per kernel row.
    arithmetic_rows: HtmlTableSectionElement,
    /// What the section remembers.
    state: RefCell<ExplainState>,
}

/// What the explanations remember.
#[derive(Default)]
struct ExplainState {
    /// The image explained, the last one chosen anywhere.
    image: Option<ImageRef>,
    /// The first convolution of the last explanation, for clicked cells.
    first_conv: Option<FirstConv>,
    /// The clicked cell (filter, row, column), worked out again with each explanation.
    cell: Option<(usize, usize, usize)>,
}

impl ExplainSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            class: by_id("explain-class")?,
            occlude: by_id("explain-occlude")?,
            info: by_id("explain-info")?,
            error: by_id("explain-error")?,
            occlusion: by_id("explain-occlusion")?,
            saliency: by_id("explain-saliency")?,
            kernels: by_id("kernels")?,
            arithmetic: by_id("conv-arithmetic")?,
            arithmetic_rows: by_id("conv-arithmetic-rows")?,
            state: RefCell::default(),
        })
    }

    /// What the menus ask for, for `image`.
    fn target(&self, image: ImageRef) -> ExplainTarget {
        ExplainTarget {
            image,
            class: self.class.value().parse().ok(),
            occlusion: self.occlude.value().parse().unwrap_or_default(),
        }
    }
}

/// Connects the menus and the map cells: a click, or on a focused map Enter (its centre)
/// and the arrow keys (the next cell).
pub(super) fn wire(app: &Rc<App>) {
    for menu in [&app.explain.class, &app.explain.occlude] {
        let menu_app = app.clone();
        on::<Event>(menu, "change", move |_| menu_app.request_explanation());
    }
    let click_app = app.clone();
    on::<MouseEvent>(&app.explain.kernels, "click", move |event| {
        if let Some((canvas, filter)) = map_canvas(event.target()) {
            let width = f64::from(canvas.client_width().max(1));
            let height = f64::from(canvas.client_height().max(1));
            let x = f64::from(event.offset_x()) / width;
            let y = f64::from(event.offset_y()) / height;
            click_app.choose_cell(filter, y, x);
        }
    });
    let key_app = app.clone();
    on::<KeyboardEvent>(&app.explain.kernels, "keydown", move |event| {
        let step = match event.key().as_str() {
            "Enter" | " " => (0, 0),
            "ArrowUp" => (-1, 0),
            "ArrowDown" => (1, 0),
            "ArrowLeft" => (0, -1),
            "ArrowRight" => (0, 1),
            _ => return,
        };
        if let Some((_, filter)) = map_canvas(event.target()) {
            event.prevent_default();
            key_app.step_cell(filter, step);
        }
    });
}

/// The map canvas an event hit, with its filter.
fn map_canvas(target: Option<web_sys::EventTarget>) -> Option<(HtmlCanvasElement, usize)> {
    let canvas: HtmlCanvasElement = target?.dyn_into().ok()?;
    let filter = canvas.get_attribute("data-filter")?.parse().ok()?;
    (canvas.class_name() == "kernel-map").then_some((canvas, filter))
}

impl App {
    /// Explains `image` from now on (the image the student just chose somewhere).
    pub(super) fn explain_image(&self, image: ImageRef) {
        self.explain.state.borrow_mut().image = Some(image);
        self.request_explanation();
    }

    /// Asks for the explanation of the chosen image with the menus' class and occlusion.
    fn request_explanation(&self) {
        let image = self.explain.state.borrow().image.clone();
        if let Some(image) = image {
            self.send(Request::Explain {
                target: self.explain.target(image),
            });
        }
    }

    /// Draws an explanation, unless the student has since chosen another image or class
    /// (its own answer is on its way).
    pub(super) fn show_explanation(&self, view: &ExplanationView) {
        let current = self.explain.state.borrow().image.clone();
        if current.map(|image| self.explain.target(image)) != Some(view.target.clone()) {
            return;
        }
        set_text(&self.explain.error, "");
        let explanation = &view.explanation;
        let what = image_title(&view.target.image, view.label);
        let (class, predicted) = (explanation.class, explanation.predicted);
        let confidence = |c: u8| percent(f64::from(explanation.probabilities[usize::from(c)]));
        let prediction = prediction_sentence(&what, view.epoch, predicted, &confidence(predicted));
        set_text(
            &self.explain.info,
            &tr(
                Key::ExplainInfo,
                &[
                    ("prediction", &prediction),
                    ("class", &class),
                    ("confidence", &confidence(class)),
                ],
            ),
        );
        set_attr(&self.explain.info, "data-class", &class.to_string());
        set_attr(&self.explain.info, "data-predicted", &predicted.to_string());
        match view.target.image {
            ImageRef::Row(row) => set_attr(&self.explain.info, "data-row", &row.to_string()),
            ImageRef::Pixels(_) => crate::dom::remove_attr(&self.explain.info, "data-row"),
        }
        let blanked = t(match view.target.occlusion {
            Occlusion::Pixel => Key::BlankedPixel,
            Occlusion::Block => Key::BlankedBlock,
        });
        let occlusion = &explanation.occlusion;
        self.draw_explanation_map(&self.explain.occlusion, &view.pixels, occlusion, true);
        set_attr(
            &self.explain.occlusion,
            "aria-label",
            &tr(
                Key::OcclusionLabel,
                &[
                    ("what", &what),
                    ("class", &class),
                    ("blanked", &blanked),
                    ("top", &largest_cells(occlusion)),
                ],
            ),
        );
        let saliency = &explanation.saliency;
        self.draw_explanation_map(&self.explain.saliency, &view.pixels, saliency, false);
        set_attr(
            &self.explain.saliency,
            "aria-label",
            &tr(
                Key::SaliencyLabel,
                &[
                    ("what", &what),
                    ("class", &class),
                    ("top", &largest_cells(saliency)),
                ],
            ),
        );
        self.explain.state.borrow_mut().first_conv = explanation.first_conv.clone();
        match &explanation.first_conv {
            Some(first) => self.draw_kernels(first),
            None => {
                self.explain.kernels.set_inner_html("");
                set_text(&self.explain.kernels, t(Key::NoConvolution));
            }
        }
        self.show_cell_arithmetic();
    }

    /// An explanation was refused: say why (the worker's reason, in English, framed).
    pub(super) fn on_explanation_refused(&self, message: &str) {
        set_text(
            &self.explain.error,
            &tr(Key::ExplanationRefused, &[("message", &message)]),
        );
    }

    /// Draws `values` over `pixels` into `canvas`, with its numbers (`data-values`).
    fn draw_explanation_map(
        &self,
        canvas: &HtmlCanvasElement,
        pixels: &[u8],
        values: &[f32],
        signed: bool,
    ) {
        self.draw(charts::explain::over_digit(canvas, pixels, values, signed));
        set_list_attr(canvas, "data-values", values);
    }

    /// Draws every kernel of `first` beside its map, one figure per filter (made afresh when
    /// the layer's shape changes).
    fn draw_kernels(&self, first: &FirstConv) {
        let container = &self.explain.kernels;
        let shape = format!(
            "{} {}×{}×{} {}×{}",
            first.layer, first.filters, first.kernel, first.kernel, first.height, first.width
        );
        if container.get_attribute("data-shape").as_deref() != Some(shape.as_str()) {
            build_kernel_figures(container, first);
            set_attr(container, "data-shape", &shape);
            self.explain.state.borrow_mut().cell = None;
            self.explain.arithmetic.set_hidden(true);
        }
        set_attr(container, "data-layer", &first.layer);
        let limit = charts::explain::largest_magnitude(&first.weights);
        let kernels = container.get_elements_by_class_name("kernel-weights");
        let maps = container.get_elements_by_class_name("kernel-map");
        for filter in 0..first.filters {
            let (Some(kernel), Some(map)) = (
                kernels.item(filter as u32).and_then(canvas),
                maps.item(filter as u32).and_then(canvas),
            ) else {
                continue;
            };
            let weights = first.kernel_of(filter);
            self.draw(charts::explain::kernel(
                &kernel,
                weights,
                first.kernel,
                limit,
            ));
            let values = first.map(filter);
            self.draw(charts::explain::map(&map, &normalise(values), first.width));
            set_list_attr(&map, "data-values", values);
            let weights: Vec<String> = weights
                .iter()
                .map(|&w| decimal_digits(f64::from(w), 2))
                .collect();
            set_attr(
                &kernel,
                "aria-label",
                &tr(
                    Key::KernelLabel,
                    &[
                        ("filter", &filter),
                        ("side", &first.kernel),
                        ("weights", &weights.join(" ")),
                    ],
                ),
            );
        }
    }

    /// Works out the cell at (`y`, `x`), shares 0..1 of map `filter`'s height and width.
    fn choose_cell(&self, filter: usize, y: f64, x: f64) {
        let Some((height, width)) = self
            .explain
            .state
            .borrow()
            .first_conv
            .as_ref()
            .map(|first| (first.height, first.width))
        else {
            return;
        };
        let cell = |share: f64, n: usize| ((share * n as f64) as usize).min(n - 1);
        self.explain.state.borrow_mut().cell = Some((filter, cell(y, height), cell(x, width)));
        self.show_cell_arithmetic();
    }

    /// Moves the chosen cell of map `filter` by `step` (rows, columns), staying inside the
    /// map; a map without a chosen cell starts at its centre.
    fn step_cell(&self, filter: usize, (down, right): (isize, isize)) {
        let (height, width, chosen) = {
            let state = self.explain.state.borrow();
            let Some(first) = state.first_conv.as_ref() else {
                return;
            };
            let chosen = state.cell.filter(|&(f, _, _)| f == filter);
            (first.height, first.width, chosen)
        };
        let (row, col) = match chosen {
            Some((_, row, col)) => (
                row.saturating_add_signed(down).min(height - 1),
                col.saturating_add_signed(right).min(width - 1),
            ),
            None => (height / 2, width / 2),
        };
        self.explain.state.borrow_mut().cell = Some((filter, row, col));
        self.show_cell_arithmetic();
    }

    /// Shows the chosen cell's arithmetic with the current network's numbers.
    fn show_cell_arithmetic(&self) {
        let state = self.explain.state.borrow();
        let worked = state
            .cell
            .zip(state.first_conv.as_ref())
            .and_then(|((filter, row, col), first)| first.arithmetic(filter, row, col));
        let Some(worked) = worked else {
            return;
        };
        let layer = state.first_conv.as_ref().map_or("", |f| f.layer.as_str());
        show_arithmetic(
            &self.explain.arithmetic,
            &self.explain.arithmetic_rows,
            layer,
            &worked,
        );
    }
}

/// The three cells of an 8×8 map with the largest values, for its text alternative.
fn largest_cells(values: &[f32]) -> String {
    let mut ranked: Vec<usize> = (0..values.len()).collect();
    ranked.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let top: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|&i| {
            tr(
                Key::MapCell,
                &[
                    ("row", &(i / SIDE)),
                    ("col", &(i % SIDE)),
                    ("value", &decimal(f64::from(values[i]))),
                ],
            )
        })
        .collect();
    list(&top)
}

/// One figure per filter in `container`: its kernel and its map (focusable, clickable).
fn build_kernel_figures(container: &HtmlElement, first: &FirstConv) {
    container.set_inner_html("");
    for filter in 0..first.filters {
        let figure: Element = create("figure");
        set_attr(&figure, "class", "kernel");
        let kernel = square_canvas("kernel-weights", filter, KERNEL_CANVAS);
        set_attr(&kernel, "role", "img");
        let map = square_canvas("kernel-map", filter, MAP_CANVAS);
        set_attr(&map, "tabindex", "0");
        set_attr(&map, "role", "button");
        set_attr(
            &map,
            "aria-label",
            &tr(
                Key::KernelMapLabel,
                &[
                    ("filter", &filter),
                    ("height", &first.height),
                    ("width", &first.width),
                ],
            ),
        );
        let caption: Element = create("figcaption");
        set_text(&caption, &tr(Key::FilterCaption, &[("filter", &filter)]));
        for child in [&kernel as &Element, &map, &caption] {
            let _ = figure.append_child(child);
        }
        let _ = container.append_child(&figure);
    }
}

/// A `side`×`side` canvas of `class` for `filter`.
fn square_canvas(class: &str, filter: usize, side: u32) -> HtmlCanvasElement {
    let canvas: HtmlCanvasElement = create("canvas");
    canvas.set_width(side);
    canvas.set_height(side);
    set_attr(&canvas, "class", class);
    set_attr(&canvas, "data-filter", &filter.to_string());
    canvas
}

fn canvas(element: Element) -> Option<HtmlCanvasElement> {
    element.dyn_into().ok()
}

/// Fills `#conv-arithmetic` with `worked`: a row per kernel row (input × weight = product,
/// "pad" where 'same' padding reads 0), then the sum, the bias and the activation.
fn show_arithmetic(
    panel: &HtmlElement,
    rows: &HtmlTableSectionElement,
    layer: &str,
    worked: &ConvArithmetic,
) {
    let side = (worked.weights.len() as f64).sqrt() as usize;
    let cells: Vec<String> = worked
        .window
        .iter()
        .zip(&worked.weights)
        .zip(&worked.products)
        .map(|((x, w), p)| match x {
            Some(x) => format!("{} × {} = {}", short(*x), short(*w), short(*p)),
            None => format!("{} 0 × {} = 0", t(Key::ArithmeticPad), short(*w)),
        })
        .collect();
    let table: Vec<Vec<String>> = cells.chunks(side).map(<[String]>::to_vec).collect();
    fill_rows(rows, &table, false);
    let products: f32 = worked.products.iter().sum();
    let summary = tr(
        Key::ArithmeticSum,
        &[
            ("layer", &layer),
            ("filter", &worked.filter),
            ("row", &worked.row),
            ("col", &worked.col),
            ("products", &short(products)),
            ("bias", &short(worked.bias)),
            ("sum", &short(worked.sum)),
            ("activation", &worked.activation.name()),
            ("value", &short(worked.value)),
        ],
    );
    if let Some(text) = panel.query_selector(".conv-arithmetic-sum").ok().flatten() {
        set_text(&text, &summary);
    }
    for (name, value) in [
        ("data-filter", worked.filter.to_string()),
        ("data-row", worked.row.to_string()),
        ("data-col", worked.col.to_string()),
        ("data-sum", worked.sum.to_string()),
        ("data-value", worked.value.to_string()),
    ] {
        set_attr(panel, name, &value);
    }
    panel.set_hidden(false);
}

/// A number with four decimals, for reading (the data attributes hold every digit).
fn short(x: f32) -> String {
    decimal_digits(f64::from(x), 4)
}
