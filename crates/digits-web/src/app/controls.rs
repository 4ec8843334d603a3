//! The user's events: buttons, the CSV picker and drop zone, the feature-map index and the
//! clickable samples.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Element, Event, EventTarget, File, KeyboardEvent, MouseEvent};

use super::App;
use crate::dom::on;
use crate::protocol::Request;

/// Connects every control of the page to the app.
pub(super) fn wire(app: &Rc<App>) {
    let ui = &app.ui;
    let click = |target: &EventTarget, action: fn(&Rc<App>)| {
        let app = app.clone();
        on::<MouseEvent>(target, "click", move |_| action(&app));
    };
    click(&ui.train_start, |app| app.start_training());
    click(&ui.train_pause, |app| app.toggle_pause());
    click(&ui.train_stop, |app| app.stop());
    click(&ui.kfold_start, |app| app.start_cross_validation());
    click(&ui.sample_refresh, |app| app.send(Request::NewSample));
    click(&ui.data_bundled, |app| app.use_bundled());

    let picker_app = app.clone();
    on::<Event>(&ui.csv_file, "change", move |_| {
        let input = &picker_app.ui.csv_file;
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            picker_app.load_file(file);
        }
        // Choosing the same file again must load it again.
        input.set_value("");
    });
    wire_drop_zone(app);

    let index_app = app.clone();
    on::<Event>(&ui.fm_index, "change", move |_| {
        index_app.show_maps_of_chosen_row()
    });
    wire_samples(app);
}

/// Dropping a file on `#data-drop` loads it; dropping elsewhere does nothing (instead of
/// the browser leaving the page to open the file).
fn wire_drop_zone(app: &Rc<App>) {
    let zone = &app.ui.data_drop;
    let highlight = |zone: &Element, on: bool| {
        let _ = zone.class_list().toggle_with_force("dragging", on);
    };
    let over_zone = zone.clone();
    on::<DragEvent>(zone, "dragover", move |event| {
        event.prevent_default();
        highlight(&over_zone, true);
    });
    let left_zone = zone.clone();
    on::<DragEvent>(zone, "dragleave", move |_| highlight(&left_zone, false));
    let drop_app = app.clone();
    on::<DragEvent>(zone, "drop", move |event| {
        event.prevent_default();
        event.stop_propagation();
        highlight(&drop_app.ui.data_drop, false);
        let file: Option<File> = event
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            drop_app.load_file(file);
        }
    });
    let document: EventTarget = crate::dom::document().into();
    on::<DragEvent>(&document, "dragover", |event| event.prevent_default());
    on::<DragEvent>(&document, "drop", |event| event.prevent_default());
}

/// A click on a sample, or Enter/Space on a focused one, opens its feature maps.
fn wire_samples(app: &Rc<App>) {
    let sample_row = |event: &Event| -> Option<usize> {
        let target: Element = event.target()?.dyn_into().ok()?;
        let sample = target.closest("canvas.sample").ok()??;
        sample.get_attribute("data-index")?.parse().ok()
    };
    let click_app = app.clone();
    on::<MouseEvent>(&app.ui.samples, "click", move |event| {
        if let Some(row) = sample_row(&event) {
            click_app.choose_row(row);
        }
    });
    let key_app = app.clone();
    on::<KeyboardEvent>(&app.ui.samples, "keydown", move |event| {
        if matches!(event.key().as_str(), "Enter" | " ")
            && let Some(row) = sample_row(&event)
        {
            event.prevent_default();
            key_app.choose_row(row);
        }
    });
}
