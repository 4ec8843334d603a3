//! The page's language (the catalogue is [`crate::i18n`]): chosen at start-up from `lang=`,
//! else the browser's preferred languages (`navigator.languages`), else English; shown in
//! `<html lang>` and the menu `#language` (choosing another reloads the page with `lang=`,
//! keeping the other parameters); applied to `index.html`'s `data-i18n*` elements and to
//! numbers, through `Intl.NumberFormat`.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlSelectElement};

use crate::dom::{by_id, create, document, on, set_attr, set_text};
use crate::format::set_number_writer;
use crate::i18n::{Key, Lang, language, set_language, t};
use crate::settings::LANG_PARAM;

/// Makes the page speak `from_url` (the `lang=` parameter), or else the browser's language:
/// every later text and number follows it.
pub fn choose(from_url: Option<Lang>) {
    set_language(from_url.unwrap_or_else(browser_language));
    set_number_writer(intl_number);
}

/// The first language of `navigator.languages` the page speaks (English if none).
fn browser_language() -> Lang {
    let tags: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default();
    Lang::preferred(&tags)
}

/// Sets `<html lang>`, writes the chosen language's text into every element `index.html`
/// marks with a key, and fills and connects the language menu.
pub fn apply() -> Result<(), String> {
    let lang = language();
    if let Some(root) = document().document_element() {
        set_attr(&root, "lang", lang.locale());
    }
    translate("data-i18n", set_text);
    translate("data-i18n-html", |element, text| {
        element.set_inner_html(text)
    });
    translate("data-i18n-aria", |element, text| {
        set_attr(element, "aria-label", text)
    });
    translate("data-i18n-title", |element, text| {
        set_attr(element, "title", text)
    });
    fill_menu(lang)
}

/// Calls `write` with every element that has `attribute` and its key's text.
fn translate(attribute: &str, write: impl Fn(&Element, &str)) {
    let Ok(elements) = document().query_selector_all(&format!("[{attribute}]")) else {
        return;
    };
    for element in (0..elements.length()).filter_map(|i| elements.item(i)) {
        let Some(element) = element.dyn_ref::<Element>() else {
            continue;
        };
        let name = element.get_attribute(attribute).unwrap_or_default();
        match Key::named(&name) {
            Some(key) => write(element, t(key)),
            None => web_sys::console::warn_1(&format!("{attribute}: no key {name}").into()),
        }
    }
}

/// Fills `#language` with every language (each in its own name) and reloads the page in the
/// chosen one.
fn fill_menu(lang: Lang) -> Result<(), String> {
    let menu: HtmlSelectElement = by_id("language")?;
    for option in Lang::ALL {
        let element: Element = create("option");
        set_attr(&element, "value", option.code());
        set_attr(&element, "lang", option.locale());
        set_text(&element, option.name());
        let _ = menu.append_child(&element);
    }
    menu.set_value(lang.code());
    let chosen = menu.clone();
    on::<Event>(&menu, "change", move |_| reload_in(&chosen.value()));
    Ok(())
}

/// Reloads the page with `lang=code` and the other parameters as they are.
fn reload_in(code: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    if let Ok(url) = web_sys::Url::new(&href) {
        url.search_params().set(LANG_PARAM, code);
        let _ = window.location().set_href(&url.href());
    }
}

thread_local! {
    /// One `Intl.NumberFormat` per (decimals, percent), made on first use.
    static FORMATS: RefCell<HashMap<(usize, bool), Intl::NumberFormat>> = RefCell::new(HashMap::new());
}

/// Writes a number the page's language's way (`97,5 %` in Spanish) with
/// `Intl.NumberFormat`; see [`crate::format::NumberWriter`].
fn intl_number(value: f64, decimals: usize, percent: bool) -> String {
    FORMATS.with(|formats| {
        let mut formats = formats.borrow_mut();
        let format = formats
            .entry((decimals, percent))
            .or_insert_with(|| number_format(decimals, percent));
        format
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(value))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| value.to_string())
    })
}

/// An `Intl.NumberFormat` for the page's language.
fn number_format(decimals: usize, percent: bool) -> Intl::NumberFormat {
    let options = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&options, &name.into(), &value);
    };
    set("minimumFractionDigits", (decimals as u32).into());
    set("maximumFractionDigits", (decimals as u32).into());
    if percent {
        set("style", "percent".into());
    }
    let locales = Array::of1(&language().locale().into());
    Intl::NumberFormat::new(&locales, &options)
}
