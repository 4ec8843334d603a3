//! The page's languages: which one is in use, and every text the page shows in each of them.
//!
//! All words live in one catalogue, [`catalogue`] (`i18n/catalogue.rs`): one entry per
//! [`Key`], its text in every [`Lang`]. Rust code writes `t(Key::Start)`, or
//! `tr(Key::EpochOf, &[("epoch", &3), ("epochs", &100)])` for a text with `{placeholders}`;
//! `index.html` names keys in `data-i18n="Key"` (text), `data-i18n-html` (text with markup
//! such as `<code>`), `data-i18n-aria` (`aria-label`) and `data-i18n-title` (`title`),
//! which the page fills at start-up (`app::language`). Numbers follow the language through
//! [`crate::format`]. Messages of the core and the worker that name a CSV line or a spec's
//! layer stay in English inside a translated frame ("… was not loaded: {error}").
//!
//! To add a key: add one entry to `i18n/catalogue.rs` (every language's text, in
//! [`Lang::ALL`]'s order; a missing one does not compile, an empty one or a placeholder
//! missing in one language fails `cargo test`), then `cargo test -p digits-web i18n` with
//! `UPDATE_CATALOGUE=1` rewrites `tests/e2e/catalogue.json`, which the e2e test reads.
//! To add a language: add it to [`Lang`] (its code, name and locale), then a text to every
//! entry of the catalogue (the compiler lists each entry still missing it).

use std::cell::Cell;
use std::fmt::Display;

mod catalogue;

pub use catalogue::Key;

/// A language of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Spanish.
    Es,
    /// Simplified Chinese.
    Zh,
}

/// How many languages the catalogue holds: each entry has this many texts.
pub const LANGS: usize = Lang::ALL.len();

impl Lang {
    /// Every language, in the catalogue's order (each entry's texts are in this order).
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Zh];

    /// Its code in the `lang=` URL parameter.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }

    /// Its name in itself, for the language menu (`#language`).
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Zh => "中文（简体）",
        }
    }

    /// Its BCP 47 tag, for `<html lang>` and `Intl.NumberFormat`.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language a `lang=` value names (`en`, `es`, `zh`, any case).
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// The first of the browser's preferred languages (`navigator.languages`, e.g. `es-MX`,
    /// `zh-CN`) that the page speaks, by its primary subtag; English when none is.
    pub fn preferred<S: AsRef<str>>(tags: &[S]) -> Lang {
        tags.iter()
            .find_map(|tag| Lang::from_code(tag.as_ref().split(['-', '_']).next()?))
            .unwrap_or_default()
    }

    /// Its position in [`Lang::ALL`], which is its column in the catalogue.
    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Es => 1,
            Lang::Zh => 2,
        }
    }
}

/// The error of a `lang=` value the page does not speak.
pub fn unknown_language(code: &str) -> String {
    let codes: Vec<&str> = Lang::ALL.iter().map(|lang| lang.code()).collect();
    tr(
        Key::UnknownLanguage,
        &[("value", &code.trim()), ("codes", &list(&codes))],
    )
}

thread_local! {
    /// The language the page shows, set once at start-up.
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes `lang` the language of every later [`t`] and [`tr`] (and of numbers, through
/// [`crate::format`], once the page installs its writer).
pub fn set_language(lang: Lang) {
    CURRENT.with(|current| current.set(lang));
}

/// The language the page shows.
pub fn language() -> Lang {
    CURRENT.with(Cell::get)
}

impl Key {
    /// Its text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        self.texts()[lang.index()]
    }

    /// The key named `name` (its identifier, as `index.html` writes it in `data-i18n`).
    pub fn named(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|key| key.name() == name)
    }
}

/// A key's text in the page's language.
pub fn t(key: Key) -> &'static str {
    key.text(language())
}

/// A key's text in the page's language with each `{name}` replaced by its value.
pub fn tr(key: Key, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// `items` as one list in the page's language: `a, b` in English, `a; b` in Spanish (whose
/// decimal comma would make `0,5, 0,7` ambiguous), `a；b` in Chinese.
pub fn list<S: std::borrow::Borrow<str>>(items: &[S]) -> String {
    items.join(t(Key::ListSeparator))
}

/// `text` with each `{name}` of `args` replaced by its value.
fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    args.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), &value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{placeholders}` of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    /// The catalogue as JSON, `{"en": {"Key": "text", …}, "es": …}`: what the e2e test compares
    /// the translated pages against (kept in `tests/e2e/catalogue.json`).
    fn catalogue_json() -> String {
        let languages: serde_json::Map<String, serde_json::Value> = Lang::ALL
            .iter()
            .map(|&lang| {
                let texts: serde_json::Map<String, serde_json::Value> = Key::ALL
                    .iter()
                    .map(|key| (key.name().to_string(), key.text(lang).into()))
                    .collect();
                (lang.code().to_string(), texts.into())
            })
            .collect();
        let mut json = serde_json::to_string_pretty(&serde_json::Value::Object(languages))
            .expect("strings serialise");
        json.push('\n');
        json
    }

    #[test]
    fn every_key_has_a_text_in_every_language_with_the_same_placeholders() {
        for &key in Key::ALL {
            let english = placeholders(key.text(Lang::En));
            for lang in Lang::ALL {
                let text = key.text(lang);
                assert!(!text.trim().is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(
                    placeholders(text),
                    english,
                    "{key:?}'s placeholders in {lang:?}: {text}"
                );
            }
        }
    }

    #[test]
    fn key_names_are_unique_and_found_by_name() {
        for &key in Key::ALL {
            assert_eq!(Key::named(key.name()), Some(key));
        }
        assert_eq!(Key::named("NoSuchKey"), None);
    }

    #[test]
    fn every_key_index_html_names_is_in_the_catalogue() {
        let html = include_str!("../../../index.html");
        let mut named = 0;
        for attribute in [
            "data-i18n=\"",
            "data-i18n-html=\"",
            "data-i18n-aria=\"",
            "data-i18n-title=\"",
        ] {
            for rest in html.split(attribute).skip(1) {
                let name = rest.split('"').next().unwrap_or_default();
                assert!(Key::named(name).is_some(), "index.html names {name}");
                named += 1;
            }
        }
        assert!(named > 100, "index.html names only {named} keys");
    }

    #[test]
    fn placeholders_are_filled() {
        set_language(Lang::Es);
        let text = tr(Key::EpochOf, &[("epoch", &3), ("epochs", &100)]);
        set_language(Lang::En);
        assert_eq!(text, "época 3 de 100");
        assert_eq!(
            tr(Key::EpochOf, &[("epoch", &3), ("epochs", &100)]),
            "epoch 3 of 100"
        );
    }

    #[test]
    fn languages_are_read_from_the_url_and_the_browser() {
        assert_eq!(Lang::from_code("ES"), Some(Lang::Es));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::preferred(&["fr-FR", "es-MX", "en"]), Lang::Es);
        assert_eq!(Lang::preferred(&["zh-CN"]), Lang::Zh);
        assert_eq!(Lang::preferred(&["de"]), Lang::En);
        assert_eq!(Lang::preferred::<&str>(&[]), Lang::En);
        assert!(unknown_language("fr").contains("en, es, zh"));
    }

    /// The e2e test's copy of the catalogue is the catalogue (`UPDATE_CATALOGUE=1` rewrites it).
    #[test]
    fn the_e2e_copy_of_the_catalogue_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/e2e/catalogue.json"
        );
        let json = catalogue_json();
        if std::env::var_os("UPDATE_CATALOGUE").is_some() {
            std::fs::write(path, &json).expect("tests/e2e is writable");
        }
        let saved = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            saved == json,
            "tests/e2e/catalogue.json is stale: run UPDATE_CATALOGUE=1 cargo test --release -p digits-web i18n"
        );
    }
}
