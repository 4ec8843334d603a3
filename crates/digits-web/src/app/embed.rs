//! Teachers' presets: `embed=1` (the compact layout for an iframe: no page header or
//! footer, tighter spacing, fits 800×600 without sideways scrolling) and `hide=` (sections
//! or single controls to hide). See `docs/page-contract.md` for the names.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::dom::{document, set_text};
use crate::i18n::{Key, list, tr};
use crate::settings::PageSettings;

/// The section names `hide=` accepts, each hiding `#<name>-section`.
pub const SECTIONS: [&str; 12] = [
    "data", "model", "train", "maps", "evaluate", "cv", "draw", "linked", "inside", "compare",
    "files", "export",
];

/// The element `name` hides: a section, the header or footer, or any element by id (a form
/// field together with its label).
fn target(name: &str) -> Option<Element> {
    let document = document();
    match name {
        "header" => document.query_selector(".page-header").ok().flatten(),
        "footer" => document.query_selector(".page-footer").ok().flatten(),
        _ if SECTIONS.contains(&name) => document.get_element_by_id(&format!("{name}-section")),
        _ => {
            let element = document.get_element_by_id(name)?;
            let label = element.closest("label").ok().flatten();
            Some(label.unwrap_or(element))
        }
    }
}

/// Applies `embed` and `hide`; names that match nothing are reported in `#param-error`.
pub fn apply(settings: &PageSettings, param_error: &HtmlElement) {
    if settings.embed
        && let Some(root) = document().document_element()
    {
        let _ = root.class_list().add_1("embed");
    }
    let mut unknown = Vec::new();
    for name in &settings.hide {
        match target(name).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            Some(element) => {
                element.set_hidden(true);
                let _ = element.class_list().add_1("preset-hidden");
            }
            None => unknown.push(name.as_str()),
        }
    }
    if !unknown.is_empty() {
        let before = param_error.text_content().unwrap_or_default();
        let message = tr(
            Key::HideUnknown,
            &[("unknown", &list(&unknown)), ("sections", &list(&SECTIONS))],
        );
        let text = if before.is_empty() {
            message
        } else {
            format!("{before} {message}")
        };
        set_text(param_error, &text);
    }
}
