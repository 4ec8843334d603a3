//! Section 2, the model: the network editor (`#arch-spec`, the preset menu, the optimizer)
//! and the Keras-style summary of the network shown.
//!
//! The summary is computed here, on the main thread, with the core's `arch` module: parsing
//! a spec and inferring its shapes is browser-free and takes microseconds, so it follows
//! every keystroke without a round trip to the worker. Start reads `#arch-spec` and
//! `#set-optimizer` like every other setting (`settings.rs`, [`Setting::Arch`]). The layer
//! list beside the spec is `network_editor.rs`.

use std::rc::Rc;

use web_sys::{
    Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTableSectionElement,
};

use digits_cnn::arch::{Arch, ArchError, PRESETS, Preset};
use digits_cnn::training::Optimizer;

use super::App;
use crate::dom::{by_id, create, fill_rows, on, set_attr, set_text};
use crate::format::thousands;
use crate::i18n::{Key, t};
use crate::settings::Setting;

/// The preset menu's value when the spec is none of the presets.
const CUSTOM: &str = "";

/// Section 2's elements.
pub(super) struct ModelSection {
    /// The network's spec, editable.
    pub(super) spec: HtmlInputElement,
    /// The preset menu.
    pub(super) preset: HtmlSelectElement,
    /// Why the spec cannot be built (role=alert).
    pub(super) error: HtmlElement,
    /// The model summary's rows.
    pub(super) summary_body: HtmlTableSectionElement,
    /// The model summary's total.
    pub(super) summary_total: HtmlElement,
}

impl ModelSection {
    /// Finds every element, or names the first one missing.
    pub(super) fn find() -> Result<Self, String> {
        Ok(Self {
            spec: by_id(Setting::Arch.input_id())?,
            preset: by_id("arch-preset")?,
            error: by_id("arch-error")?,
            summary_body: by_id("summary-body")?,
            summary_total: by_id("summary-total")?,
        })
    }
}

/// Fills the preset menu from the core's [`PRESETS`] and the optimizer menu from
/// [`Optimizer::ALL`], before the URL's settings are put into the form.
pub(super) fn fill_menus() -> Result<(), String> {
    let preset: HtmlSelectElement = by_id("arch-preset")?;
    add_option(&preset, CUSTOM, t(Key::PresetCustom));
    for Preset { name, title, .. } in PRESETS {
        add_option(&preset, name, preset_title(name).unwrap_or(title));
    }
    let optimizer: HtmlSelectElement = by_id(Setting::Optimizer.input_id())?;
    for choice in Optimizer::ALL {
        add_option(&optimizer, choice.name(), choice.name());
    }
    Ok(())
}

/// A preset's title in the page's language (the core's [`Preset::title`] is English); `None`
/// for a preset the catalogue does not know yet.
fn preset_title(name: &str) -> Option<&'static str> {
    let key = match name {
        "notebook" => Key::PresetNotebook,
        "small" => Key::PresetSmall,
        "no-dropout" => Key::PresetNoDropout,
        "relu-dense" => Key::PresetReluDense,
        "deeper" => Key::PresetDeeper,
        "batch-norm" => Key::PresetBatchNorm,
        _ => return None,
    };
    Some(t(key))
}

fn add_option(select: &HtmlSelectElement, value: &str, label: &str) {
    let option: Element = create("option");
    set_attr(&option, "value", value);
    set_text(&option, label);
    let _ = select.append_child(&option);
}

/// Follows the spec as it is typed and the preset menu; shows the form's network.
pub(super) fn wire(app: &Rc<App>) {
    let a = app.clone();
    on::<Event>(&app.model.spec, "input", move |_| {
        a.show_arch();
        a.show_layers();
    });
    let a = app.clone();
    on::<Event>(&app.model.preset, "change", move |_| a.use_preset());
    app.show_arch();
}

impl App {
    /// The spec in `#arch-spec`, parsed.
    pub(super) fn form_arch(&self) -> Result<Arch, ArchError> {
        self.model.spec.value().trim().parse()
    }

    /// Puts `arch` into the editor (normalised) and shows it, in the layer list too.
    pub(super) fn set_arch(&self, arch: &Arch) {
        self.model.spec.set_value(&arch.to_string());
        self.show_arch();
        self.show_layers();
    }

    /// The summary of the spec in the editor, or why it cannot be built; the preset menu
    /// names the preset it is, if any.
    pub(super) fn show_arch(&self) {
        let parsed = self.form_arch();
        match &parsed {
            Ok(arch) => {
                set_text(&self.model.error, "");
                self.show_summary(arch);
            }
            Err(error) => {
                set_text(&self.model.error, &error.message);
                fill_rows(&self.model.summary_body, &[], true);
                set_text(&self.model.summary_total, "–");
                set_attr(&self.model.summary_total, "data-value", "");
            }
        }
        let preset = parsed
            .ok()
            .and_then(|arch| PRESETS.into_iter().find(|preset| preset.arch() == arch));
        self.model
            .preset
            .set_value(preset.map_or(CUSTOM, |preset| preset.name));
    }

    /// The preset menu's choice goes into the editor.
    fn use_preset(&self) {
        if let Some(preset) = Preset::named(&self.model.preset.value()) {
            self.set_arch(&preset.arch());
        }
    }

    /// Fills `#summary-table` with one row per layer and the total.
    fn show_summary(&self, arch: &Arch) {
        let rows: Vec<Vec<String>> = arch
            .summary()
            .iter()
            .map(|row| {
                vec![
                    row.layer.clone(),
                    row.shape_text(),
                    thousands(row.parameters),
                ]
            })
            .collect();
        fill_rows(&self.model.summary_body, &rows, true);
        let parameters = arch.parameters();
        set_text(&self.model.summary_total, &thousands(parameters));
        set_attr(
            &self.model.summary_total,
            "data-value",
            &parameters.to_string(),
        );
    }
}
