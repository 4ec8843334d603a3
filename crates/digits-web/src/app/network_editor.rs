//! Section 2's layer list: the network in `#arch-spec` as one row per layer (a kind menu and
//! that kind's fields), with add, remove, move up and move down buttons.
//!
//! The list and `#arch-spec` stay in sync both ways: a spec that builds (typed, a preset, the
//! URL, a model file) redraws the rows; a change in the rows writes their tokens into
//! `#arch-spec`, and the core's parser (through [`App::show_arch`]) normalises the spec or names
//! the layer at fault. The rows are the list's only memory: moving a layer moves its `<li>`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement, MouseEvent,
};

use digits_cnn::arch::{Activation, LayerSpec, Pooling};

use super::{App, on_click};
use crate::dom::{by_id, create, on, set_text};
use crate::i18n::{Key, t, tr};

/// The kind menu's values, as the spec's tokens begin.
const KINDS: [&str; 6] = ["conv", "pool", "avgpool", "bn", "drop", "dense"];

/// The layer a new row or a changed kind starts with.
fn default_layer(kind: &str) -> LayerSpec {
    match kind {
        "conv" => LayerSpec::Conv {
            filters: 16,
            kernel: 3,
            activation: Activation::Relu,
        },
        "pool" => LayerSpec::Pool(Pooling::Max),
        "avgpool" => LayerSpec::Pool(Pooling::Average),
        "bn" => LayerSpec::BatchNorm,
        "drop" => LayerSpec::Dropout(0.25),
        _ => LayerSpec::Dense {
            units: 32,
            activation: Activation::Relu,
        },
    }
}

/// Section 2's layer list.
pub(super) struct NetworkEditor {
    /// One `<li>` per layer.
    pub(super) list: HtmlElement,
    /// Appends a layer.
    pub(super) add: HtmlButtonElement,
}

impl NetworkEditor {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            list: by_id("arch-layers")?,
            add: by_id("arch-add")?,
        })
    }
}

/// Connects the rows' fields and buttons (delegated to the list) and Add.
pub(super) fn wire(app: &Rc<App>) {
    let a = app.clone();
    on::<Event>(&app.network_editor.list, "input", move |event| {
        a.on_layer_field(&event)
    });
    let a = app.clone();
    on::<MouseEvent>(&app.network_editor.list, "click", move |event| {
        a.on_layer_button(&event)
    });
    on_click(app, &app.network_editor.add, |app| app.add_layer());
    app.show_layers();
}

impl App {
    /// Redraws the rows from the spec in `#arch-spec`, if it builds (else they stay as they
    /// are, so a half-typed spec does not wipe them).
    pub(super) fn show_layers(&self) {
        let Ok(arch) = self.form_arch() else {
            return;
        };
        let list = &self.network_editor.list;
        list.set_inner_html("");
        for layer in arch.layers() {
            let _ = list.append_child(&layer_row(layer));
        }
        self.renumber_layers();
    }

    /// A field of a row changed: a new kind gets that kind's default fields; then the spec.
    fn on_layer_field(&self, event: &Event) {
        let Some(field) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if field.get_attribute("data-field").as_deref() == Some("kind")
            && let (Some(row), Some(kind)) = (
                field.closest("li").ok().flatten(),
                field.dyn_ref::<HtmlSelectElement>(),
            )
        {
            row.set_inner_html(&row_html(&default_layer(&kind.value())));
            self.renumber_layers();
            focus(&row, "[data-field=kind]");
        }
        self.write_spec_from_layers();
    }

    /// Move up, move down or remove: the row's `<li>` moves or goes; the focus stays on the
    /// button pressed (or its neighbour's after a removal) for the keyboard.
    fn on_layer_button(&self, event: &MouseEvent) {
        let Some(button) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let (Some(action), Some(row)) = (
            button.get_attribute("data-action"),
            button.closest("li").ok().flatten(),
        ) else {
            return;
        };
        let list = &self.network_editor.list;
        match action.as_str() {
            "up" => {
                if let Some(previous) = row.previous_element_sibling() {
                    let _ = list.insert_before(&row, Some(&previous));
                }
                focus(&row, "[data-action=up]");
            }
            "down" => {
                if let Some(next) = row.next_element_sibling() {
                    let _ = list.insert_before(&next, Some(&row));
                }
                focus(&row, "[data-action=down]");
            }
            "remove" => {
                let neighbour = row
                    .next_element_sibling()
                    .or_else(|| row.previous_element_sibling());
                row.remove();
                match neighbour {
                    Some(neighbour) => focus(&neighbour, "[data-action=remove]"),
                    None => {
                        let _ = self.network_editor.add.focus();
                    }
                }
            }
            _ => return,
        }
        self.renumber_layers();
        self.write_spec_from_layers();
    }

    /// Add: a dense layer at the end, its kind menu focused.
    fn add_layer(&self) {
        let row = layer_row(&default_layer("dense"));
        let _ = self.network_editor.list.append_child(&row);
        self.renumber_layers();
        focus(&row, "[data-field=kind]");
        self.write_spec_from_layers();
    }

    /// Each row's number, in its label and its buttons' names.
    fn renumber_layers(&self) {
        let rows = self.network_editor.list.children();
        for index in 0..rows.length() {
            let Some(row) = rows.item(index) else {
                continue;
            };
            let n = index + 1;
            if let Ok(Some(number)) = row.query_selector(".layer-number") {
                set_text(&number, &tr(Key::LayerNumber, &[("n", &n)]));
            }
            for (action, name) in [
                ("up", tr(Key::MoveLayerUp, &[("n", &n)])),
                ("down", tr(Key::MoveLayerDown, &[("n", &n)])),
                ("remove", tr(Key::RemoveLayer, &[("n", &n)])),
            ] {
                if let Ok(Some(button)) = row.query_selector(&format!("[data-action={action}]")) {
                    let _ = button.set_attribute("aria-label", &name);
                }
            }
        }
    }

    /// The rows' tokens into `#arch-spec`, normalised when they build.
    fn write_spec_from_layers(&self) {
        let rows = self.network_editor.list.children();
        let tokens: Vec<String> = (0..rows.length())
            .filter_map(|index| rows.item(index))
            .map(|row| row_token(&row))
            .collect();
        self.model.spec.set_value(&tokens.join(","));
        if let Ok(arch) = self.form_arch() {
            self.model.spec.set_value(&arch.to_string());
        }
        self.show_arch();
    }
}

/// Focuses the element of `row` that `selector` finds.
fn focus(row: &Element, selector: &str) {
    if let Some(element) = row
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A new row for `layer` (numbered by [`App::renumber_layers`]).
fn layer_row(layer: &LayerSpec) -> Element {
    let row: Element = create("li");
    let _ = row.set_attribute("class", "arch-layer");
    row.set_inner_html(&row_html(layer));
    row
}

/// A row's content: the kind menu, the kind's fields, the buttons. Every value comes from a
/// `LayerSpec` (numbers and fixed names), never from typed text.
fn row_html(layer: &LayerSpec) -> String {
    let kind = kind_of(layer);
    let kinds: String = KINDS.iter().map(|k| option(k, k, *k == kind)).collect();
    let fields = match *layer {
        LayerSpec::Conv {
            filters,
            kernel,
            activation,
        } => {
            let kernels: String = [1, 3, 5, 7]
                .iter()
                .map(|k| option(&k.to_string(), &format!("{k}×{k}"), *k == kernel))
                .collect();
            format!(
                r#"{}<label>{} <select data-field="kernel">{kernels}</select></label>{}"#,
                number_field(t(Key::LayerFilters), "filters", filters, "1", "256", "1"),
                t(Key::LayerKernel),
                activation_field(activation)
            )
        }
        LayerSpec::Dense { units, activation } => format!(
            "{}{}",
            number_field(t(Key::LayerUnits), "units", units, "1", "4096", "1"),
            activation_field(activation)
        ),
        LayerSpec::Dropout(rate) => {
            number_field(t(Key::LayerRate), "rate", rate, "0", "0.9", "0.05")
        }
        LayerSpec::Pool(_) | LayerSpec::BatchNorm => String::new(),
    };
    let remove = t(Key::LayerRemove);
    format!(
        r#"<label><span class="layer-number"></span> <select data-field="kind">{kinds}</select></label>{fields}<span class="layer-buttons"><button type="button" data-action="up">↑</button><button type="button" data-action="down">↓</button><button type="button" data-action="remove">{remove}</button></span>"#
    )
}

/// The kind menu's value for `layer`.
fn kind_of(layer: &LayerSpec) -> &'static str {
    match layer {
        LayerSpec::Conv { .. } => "conv",
        LayerSpec::Pool(Pooling::Max) => "pool",
        LayerSpec::Pool(Pooling::Average) => "avgpool",
        LayerSpec::BatchNorm => "bn",
        LayerSpec::Dropout(_) => "drop",
        LayerSpec::Dense { .. } => "dense",
    }
}

fn option(value: &str, label: &str, selected: bool) -> String {
    let selected = if selected { " selected" } else { "" };
    format!(r#"<option value="{value}"{selected}>{label}</option>"#)
}

fn number_field(
    label: &str,
    field: &str,
    value: impl std::fmt::Display,
    min: &str,
    max: &str,
    step: &str,
) -> String {
    format!(
        r#"<label>{label} <input type="number" data-field="{field}" value="{value}" min="{min}" max="{max}" step="{step}" inputmode="decimal"></label>"#
    )
}

fn activation_field(chosen: Activation) -> String {
    let options: String = Activation::ALL
        .iter()
        .map(|a| option(a.name(), a.name(), *a == chosen))
        .collect();
    let label = t(Key::LayerActivation);
    format!(r#"<label>{label} <select data-field="activation">{options}</select></label>"#)
}

/// A row as a spec token, e.g. `conv16x3:relu` (the parser normalises it).
fn row_token(row: &Element) -> String {
    let value = |field: &str| {
        let element = row
            .query_selector(&format!("[data-field={field}]"))
            .ok()
            .flatten();
        element
            .as_ref()
            .and_then(|e| e.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
            .or_else(|| {
                element
                    .as_ref()
                    .and_then(|e| e.dyn_ref::<HtmlSelectElement>().map(|s| s.value()))
            })
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let kind = value("kind");
    match kind.as_str() {
        "conv" => format!(
            "conv{}x{}:{}",
            value("filters"),
            value("kernel"),
            value("activation")
        ),
        "drop" => format!("drop{}", value("rate")),
        "dense" => format!("dense{}:{}", value("units"), value("activation")),
        _ => kind,
    }
}
