//! Small DOM helpers: finding elements, setting text and attributes, building table rows,
//! and listening to events.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, Element, Event, EventTarget, HtmlTableSectionElement};

/// The page's document.
pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the app runs on a page")
}

/// The element with `id`, as type `T`; an error names the missing or mistyped element.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, String> {
    document()
        .get_element_by_id(id)
        .ok_or_else(|| format!("the page has no #{id}"))?
        .dyn_into::<T>()
        .map_err(|_| format!("#{id} is not the expected kind of element"))
}

/// A new element of type `T`.
pub fn create<T: JsCast>(tag: &str) -> T {
    document()
        .create_element(tag)
        .expect("a valid tag name")
        .dyn_into::<T>()
        .expect("the tag makes that element type")
}

/// Replaces an element's text.
pub fn set_text(element: &Element, text: &str) {
    element.set_text_content(Some(text));
}

/// Sets an attribute (setting a string attribute cannot fail for valid names).
pub fn set_attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Sets attribute `name` to `values`, comma-separated, every digit kept: the numbers a
/// canvas shows, for tests and embedding pages to read (`data-values`).
pub fn set_list_attr<T: ToString>(element: &Element, name: &str, values: &[T]) {
    let values: Vec<String> = values.iter().map(T::to_string).collect();
    set_attr(element, name, &values.join(","));
}

/// Removes an attribute.
pub fn remove_attr(element: &Element, name: &str) {
    let _ = element.remove_attribute(name);
}

/// Replaces a table section's rows. Each row is `(header cell, data cells)`: the first cell
/// is a `<th scope="row">` when `header` is set, every other cell a `<td>`.
pub fn fill_rows(body: &HtmlTableSectionElement, rows: &[Vec<String>], header: bool) {
    body.set_inner_html("");
    for cells in rows {
        append_row(body, cells, header);
    }
}

/// Appends one row to a table section (see [`fill_rows`]).
pub fn append_row(body: &HtmlTableSectionElement, cells: &[String], header: bool) {
    let row: Element = create("tr");
    for (i, text) in cells.iter().enumerate() {
        let cell: Element = if header && i == 0 {
            let th: Element = create("th");
            set_attr(&th, "scope", "row");
            th
        } else {
            create("td")
        };
        set_text(&cell, text);
        let _ = row.append_child(&cell);
    }
    let _ = body.append_child(&row);
}

/// Calls `handler` on every `event` at `target`, for the page's lifetime.
pub fn on<E: JsCast + 'static>(
    target: &EventTarget,
    event: &str,
    mut handler: impl FnMut(E) + 'static,
) {
    let closure = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
        if let Ok(e) = e.dyn_into::<E>() {
            handler(e);
        }
    });
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    // The page's listeners live as long as the page.
    closure.forget();
}

/// Milliseconds since the page loaded.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
