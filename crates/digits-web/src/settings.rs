//! The page's settings: read from the URL (the automation contract in
//! `docs/page-contract.md`) and from the settings form, with one set of rules for both.
//!
//! Ranges come from [`TrainConfig::validate`] wherever the core defines them, so the page, the
//! worker and the CLI cannot disagree about what is accepted.

use std::fmt;

use digits_cnn::arch::Arch;
use digits_cnn::backend::BackendKind;
use digits_cnn::cross_validation::{DEFAULT_FOLDS, FOLDS};
use digits_cnn::data::{Augmentation, BundledData, SplitKind};
use digits_cnn::prediction::InputScale;
use digits_cnn::training::{Optimizer, TrainConfig};

use crate::i18n::{Key, Lang, t, tr, unknown_language};

/// The URL parameter naming the data (`data=uci|digits`). Not a [`Setting`]: the data is
/// chosen in the Data section, not in the training form.
pub const DATA_PARAM: &str = "data";

/// The URL parameter naming the page's language (`lang=en|es|zh`). Not a [`Setting`]: it
/// changes the words, not the run; without it the page speaks the browser's language.
pub const LANG_PARAM: &str = "lang";

/// The data the page loads when the URL names none: the notebook's.
pub const DEFAULT_DATA: BundledData = BundledData::Uci;

/// Largest accepted seed: the largest integer a JavaScript number holds exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// One user-facing setting: a URL parameter and a form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// Epochs to train.
    Epochs,
    /// Batch size.
    Batch,
    /// Adam's learning rate.
    Lr,
    /// The run's seed.
    Seed,
    /// Share of rows held out for testing (the core's `TrainConfig::test_size`).
    TestSize,
    /// Cross-validation folds.
    Folds,
    /// Input scaling.
    Scale,
    /// Burn backend.
    Backend,
    /// How the rows are divided into training and test rows (the core's `SplitKind`).
    Split,
    /// What is done to the training images each epoch (the core's `Augmentation`).
    Augment,
    /// Share of the training rows kept aside for a validation loss (`TrainConfig::validation`).
    Validation,
    /// Epochs without a better validation loss before training stops early.
    Patience,
    /// The network, as a spec string (the core's `Arch`; section 2's editor).
    Arch,
    /// The update rule (the core's `Optimizer`).
    Optimizer,
}

impl Setting {
    /// Every setting, in the form's order.
    /// (`Validation` comes before `Patience`, which needs it.)
    pub const ALL: [Setting; 14] = [
        Setting::Arch,
        Setting::Optimizer,
        Setting::Epochs,
        Setting::Batch,
        Setting::Lr,
        Setting::Seed,
        Setting::TestSize,
        Setting::Scale,
        Setting::Backend,
        Setting::Split,
        Setting::Augment,
        Setting::Validation,
        Setting::Patience,
        Setting::Folds,
    ];

    /// Its URL parameter name.
    pub fn param(self) -> &'static str {
        match self {
            Setting::Epochs => "epochs",
            Setting::Batch => "batch",
            Setting::Lr => "lr",
            Setting::Seed => "seed",
            Setting::TestSize => "test_size",
            Setting::Folds => "folds",
            Setting::Scale => "scale",
            Setting::Backend => "backend",
            Setting::Split => "split",
            Setting::Augment => "augment",
            Setting::Validation => "val",
            Setting::Patience => "patience",
            Setting::Arch => "arch",
            Setting::Optimizer => "optimizer",
        }
    }

    /// The id of its form field.
    pub fn input_id(self) -> &'static str {
        match self {
            Setting::Epochs => "set-epochs",
            Setting::Batch => "set-batch",
            Setting::Lr => "set-lr",
            Setting::Seed => "set-seed",
            Setting::TestSize => "set-test-size",
            Setting::Folds => "set-folds",
            Setting::Scale => "set-scale",
            Setting::Backend => "set-backend",
            Setting::Split => "set-split",
            Setting::Augment => "set-augment",
            Setting::Validation => "set-validation",
            Setting::Patience => "set-patience",
            Setting::Arch => "arch-spec",
            Setting::Optimizer => "set-optimizer",
        }
    }

    /// Its label for people, in the page's language.
    pub fn label(self) -> &'static str {
        t(match self {
            Setting::Epochs => Key::SettingEpochs,
            Setting::Batch => Key::SettingBatch,
            Setting::Lr => Key::SettingLr,
            Setting::Seed => Key::SettingSeed,
            Setting::TestSize => Key::SettingTestSize,
            Setting::Folds => Key::SettingFolds,
            Setting::Scale => Key::SettingScale,
            Setting::Backend => Key::SettingBackend,
            Setting::Split => Key::SettingSplit,
            Setting::Augment => Key::SettingAugment,
            Setting::Validation => Key::SettingValidation,
            Setting::Patience => Key::SettingPatience,
            Setting::Arch => Key::SettingArch,
            Setting::Optimizer => Key::SettingOptimizer,
        })
    }

    /// Other URL parameter names a setting answers to: `test`, the name of the test size
    /// before it was called `test_size` everywhere, so that links written then still work.
    /// (The copy link writes [`Setting::param`].)
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Setting::TestSize => &["test"],
            Setting::Epochs
            | Setting::Batch
            | Setting::Lr
            | Setting::Seed
            | Setting::Folds
            | Setting::Scale
            | Setting::Backend
            | Setting::Split
            | Setting::Augment
            | Setting::Validation
            | Setting::Patience
            | Setting::Arch
            | Setting::Optimizer => &[],
        }
    }

    /// The setting named by a URL parameter (its name or an alias).
    pub fn from_param(name: &str) -> Option<Setting> {
        Setting::ALL
            .into_iter()
            .find(|s| s.param() == name || s.aliases().contains(&name))
    }
}

/// Everything the page's controls and URL set.
#[derive(Clone, Debug, PartialEq)]
pub struct PageSettings {
    /// The data to load at start-up (`data=`), and the data a recorded run used: a bundled
    /// set, or `None` for a CSV file.
    pub data: Option<BundledData>,
    /// The training run's settings.
    pub config: TrainConfig,
    /// Cross-validation folds.
    pub folds: usize,
    /// Start on load (`autostart=1`).
    pub autostart: bool,
    /// With `autostart`, cross-validate instead of training (`kfold=1`).
    pub kfold: bool,
    /// Sections or controls to hide (`hide=draw,cv,train-stop`), as given.
    pub hide: Vec<String>,
    /// The compact layout for an iframe (`embed=1`).
    pub embed: bool,
    /// The page's language when the URL names one (`lang=`); else the browser's.
    pub lang: Option<Lang>,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self {
            data: Some(DEFAULT_DATA),
            config: TrainConfig::default(),
            folds: DEFAULT_FOLDS,
            autostart: false,
            kfold: false,
            hide: Vec::new(),
            embed: false,
            lang: None,
        }
    }
}

/// A value that was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingError {
    /// The parameter's name, e.g. `epochs`.
    pub name: String,
    /// The value as given.
    pub value: String,
    /// Why it is refused.
    pub reason: String,
    /// The default used instead.
    pub default: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = tr(
            Key::NotAccepted,
            &[
                ("name", &self.name),
                ("value", &self.value),
                ("reason", &self.reason),
            ],
        );
        f.write_str(&text)
    }
}

impl PageSettings {
    /// Settings from URL parameters (already percent-decoded), in order. Each invalid value
    /// is reported and its default kept; unknown parameters are ignored, as other pages'
    /// parameters may share the URL.
    pub fn from_query<I, K, V>(pairs: I) -> (PageSettings, Vec<SettingError>)
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut settings = PageSettings::default();
        let mut errors = Vec::new();
        for (name, value) in in_form_order(pairs) {
            let (name, value) = (name.as_ref(), value.as_ref());
            let outcome = match name {
                "autostart" => parse_flag(value).map(|on| settings.autostart = on),
                "kfold" => parse_flag(value).map(|on| settings.kfold = on),
                "embed" => parse_flag(value).map(|on| settings.embed = on),
                "hide" => parse_names(value).map(|names| settings.hide.extend(names)),
                DATA_PARAM => parse_data(value).map(|data| settings.data = Some(data)),
                LANG_PARAM => Lang::from_code(value)
                    .ok_or_else(|| unknown_language(value))
                    .map(|lang| settings.lang = Some(lang)),
                _ => match Setting::from_param(name) {
                    Some(setting) => settings.set(setting, value),
                    None => Ok(()),
                },
            };
            if let Err(reason) = outcome {
                let default = match Setting::from_param(name) {
                    Some(setting) => PageSettings::default().get(setting),
                    None if name == DATA_PARAM => DEFAULT_DATA.name().into(),
                    None if name == LANG_PARAM => t(Key::BrowserLanguage).into(),
                    None => "off".into(),
                };
                errors.push(SettingError {
                    name: name.into(),
                    value: value.into(),
                    reason,
                    default,
                });
            }
        }
        (settings, errors)
    }

    /// Settings from the form's fields; every invalid field is reported.
    pub fn from_fields<I, V>(fields: I) -> Result<PageSettings, Vec<SettingError>>
    where
        I: IntoIterator<Item = (Setting, V)>,
        V: AsRef<str>,
    {
        let mut settings = PageSettings::default();
        let errors: Vec<SettingError> = fields
            .into_iter()
            .filter_map(|(setting, value)| {
                let value = value.as_ref();
                settings
                    .set(setting, value)
                    .err()
                    .map(|reason| SettingError {
                        name: setting.label().into(),
                        value: value.into(),
                        reason,
                        default: PageSettings::default().get(setting),
                    })
            })
            .collect();
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }

    /// Sets one setting from text, leaving everything unchanged if the text is refused.
    pub fn set(&mut self, setting: Setting, value: &str) -> Result<(), String> {
        let value = value.trim();
        let mut config = self.config.clone();
        match setting {
            Setting::Epochs => config.epochs = parse_count(value)?,
            Setting::Batch => config.batch_size = parse_count(value)?,
            Setting::Lr => config.learning_rate = parse_number(value)?,
            Setting::TestSize => config.test_size = parse_number(value)?,
            Setting::Scale => config.scale = value.parse::<InputScale>()?,
            Setting::Backend => config.backend = value.parse::<BackendKind>()?,
            Setting::Split => config.split = value.parse::<SplitKind>()?,
            Setting::Augment => config.augment = value.parse::<Augmentation>()?,
            Setting::Validation => config.validation = parse_number(value)?,
            Setting::Patience => config.patience = parse_count(value)?,
            Setting::Arch => config.arch = value.parse::<Arch>().map_err(|e| e.message)?,
            Setting::Optimizer => config.optimizer = value.parse::<Optimizer>()?,
            Setting::Seed => {
                let seed = value.parse::<u64>().map_err(|_| not_whole(value))?;
                if seed > MAX_SEED {
                    return Err(outside(seed, 0, MAX_SEED));
                }
                config.seed = seed;
            }
            Setting::Folds => {
                let folds = parse_count(value)?;
                if !FOLDS.contains(&folds) {
                    return Err(outside(folds, FOLDS.start(), FOLDS.end()));
                }
                self.folds = folds;
                return Ok(());
            }
        }
        config.validate().map_err(|e| e.message)?;
        self.config = config;
        Ok(())
    }

    /// One setting's value as text, as a form field shows it.
    pub fn get(&self, setting: Setting) -> String {
        let c = &self.config;
        match setting {
            Setting::Epochs => c.epochs.to_string(),
            Setting::Batch => c.batch_size.to_string(),
            Setting::Lr => c.learning_rate.to_string(),
            Setting::Seed => c.seed.to_string(),
            Setting::TestSize => c.test_size.to_string(),
            Setting::Folds => self.folds.to_string(),
            Setting::Scale => c.scale.name().into(),
            Setting::Backend => c.backend.name().into(),
            Setting::Split => c.split.name().into(),
            Setting::Augment => c.augment.name().into(),
            Setting::Validation => c.validation.to_string(),
            Setting::Patience => c.patience.to_string(),
            Setting::Arch => c.arch.to_string(),
            Setting::Optimizer => c.optimizer.name().into(),
        }
    }
}

/// The URL's pairs with the settings among them in [`Setting::ALL`]'s order (the rest
/// first, and each name's values in their URL order, so the last one wins): a setting that
/// needs another (`patience` needs `val`) is then read after it, wherever the URL has it.
fn in_form_order<K: AsRef<str>, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut pairs: Vec<(K, V)> = pairs.into_iter().collect();
    pairs.sort_by_key(|(name, _)| {
        Setting::from_param(name.as_ref())
            .and_then(|setting| Setting::ALL.iter().position(|&s| s == setting))
            .map_or(0, |position| position + 1)
    });
    pairs
}

/// A bundled data set's name.
fn parse_data(value: &str) -> Result<BundledData, String> {
    let value = value.trim();
    BundledData::from_name(value).ok_or_else(|| tr(Key::NotBundled, &[("value", &value)]))
}

/// The reason for a number outside `low..high` (both included).
fn outside(value: impl fmt::Display, low: impl fmt::Display, high: impl fmt::Display) -> String {
    tr(
        Key::Outside,
        &[("value", &value), ("low", &low), ("high", &high)],
    )
}

fn not_whole(value: &str) -> String {
    tr(Key::NotWhole, &[("value", &value)])
}

/// A non-negative whole number (its range is checked by the caller).
fn parse_count(value: &str) -> Result<usize, String> {
    value.parse().map_err(|_| not_whole(value))
}

/// A finite decimal number such as `0.001` or `1e-3`.
fn parse_number(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(number),
        _ => Err(tr(Key::NotANumber, &[("value", &value)])),
    }
}

/// A comma-separated list of names (`draw,cv,train-stop`): letters, digits and dashes.
fn parse_names(value: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = value
        .split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    match names
        .iter()
        .find(|name| !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        Some(bad) => Err(tr(Key::NotAName, &[("value", bad)])),
        None => Ok(names),
    }
}

/// `1`/`true` or `0`/`false`.
fn parse_flag(value: &str) -> Result<bool, String> {
    match value.trim() {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(tr(Key::NotAFlag, &[("value", &other)])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_notebooks() {
        let (settings, errors) = PageSettings::from_query(Vec::<(&str, &str)>::new());
        assert!(errors.is_empty());
        assert_eq!(settings, PageSettings::default());
        let text: Vec<String> = Setting::ALL.iter().map(|&s| settings.get(s)).collect();
        assert_eq!(
            text,
            [
                digits_cnn::arch::NOTEBOOK,
                "adam",
                "100",
                "128",
                "0.001",
                "42",
                "0.2",
                "raw",
                "flex",
                "random",
                "none",
                "0",
                "0",
                "5"
            ]
        );
        assert_eq!(settings.data, Some(BundledData::Uci));
    }

    #[test]
    fn every_parameter_is_read() {
        let (settings, errors) = PageSettings::from_query([
            ("epochs", "3"),
            ("batch", "64"),
            ("lr", "1e-2"),
            ("seed", "7"),
            ("test", "0.25"),
            ("folds", "2"),
            ("scale", "unit"),
            ("backend", "ndarray"),
            ("data", "digits"),
            ("split", "writers"),
            ("augment", "shift"),
            ("val", "0.1"),
            ("patience", "3"),
            ("autostart", "1"),
            ("kfold", "1"),
            ("lang", "zh"),
            ("utm_source", "anything"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let c = &settings.config;
        assert_eq!(
            (c.epochs, c.batch_size, c.learning_rate, c.seed),
            (3, 64, 0.01, 7)
        );
        assert_eq!(
            (c.test_size, c.scale, c.backend),
            (0.25, InputScale::Unit, BackendKind::NdArray)
        );
        assert_eq!(
            (settings.folds, settings.autostart, settings.kfold),
            (2, true, true)
        );
        assert_eq!(settings.lang, Some(Lang::Zh));
        assert_eq!(
            (settings.data, c.split, c.augment, c.validation, c.patience),
            (
                Some(BundledData::Digits),
                SplitKind::Writers,
                Augmentation::Shift,
                0.1,
                3
            )
        );
    }

    #[test]
    fn invalid_values_are_named_and_fall_back_to_defaults() {
        let bad = [
            ("epochs", "0"),
            ("epochs", "1e9"),
            ("batch", "0"),
            ("lr", "-1"),
            ("lr", "NaN"),
            ("test", "1"),
            ("folds", "1"),
            ("seed", "9007199254740992"),
            ("scale", "log"),
            ("backend", "cuda"),
            ("autostart", "yes"),
            ("data", "mnist"),
            ("split", "folds"),
            ("augment", "flip"),
            ("val", "1"),
            ("patience", "-1"),
            ("patience", "2"),
            ("arch", "convx"),
            ("arch", "conv8,pool,pool,pool,pool"),
            ("optimizer", "adagrad"),
            ("lang", "fr"),
        ];
        for (name, value) in bad {
            let (settings, errors) = PageSettings::from_query([(name, value)]);
            assert_eq!(settings, PageSettings::default(), "{name}={value}");
            assert_eq!(errors.len(), 1, "{name}={value}");
            let message = errors[0].to_string();
            assert!(
                message.contains(name) && message.contains(value),
                "{message}"
            );
        }
        let (_, errors) = PageSettings::from_query([("epochs", "0")]);
        assert_eq!(errors[0].default, "100");
        let (_, errors) = PageSettings::from_query([("data", "mnist")]);
        assert_eq!(errors[0].default, "uci");
        assert!(
            errors[0].reason.contains("expected uci or digits"),
            "{errors:?}"
        );
        let (_, errors) = PageSettings::from_query([("patience", "2")]);
        assert!(
            errors[0].reason.contains("set validation above 0"),
            "{errors:?}"
        );
    }

    #[test]
    fn arch_and_optimizer_are_read_normalised_and_named_when_bad() {
        let (settings, errors) = PageSettings::from_query([
            ("arch", "CONV8x5:tanh,avgpool,bn,dense32"),
            ("optimizer", "sgd"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            settings.get(Setting::Arch),
            "conv8x5:tanh,avgpool,bn,dense32"
        );
        assert_eq!(settings.config.optimizer, Optimizer::Sgd);
        let (_, errors) = PageSettings::from_query([("arch", "convx")]);
        assert!(
            errors[0].reason.contains("expected a filter count"),
            "{errors:?}"
        );
        assert_eq!(errors[0].default, digits_cnn::arch::NOTEBOOK);
    }

    #[test]
    fn patience_reads_after_val_wherever_the_url_has_it() {
        let (settings, errors) =
            PageSettings::from_query([("patience", "3"), ("epochs", "5"), ("val", "0.2")]);
        assert!(errors.is_empty(), "{errors:?}");
        let c = &settings.config;
        assert_eq!((c.patience, c.validation, c.epochs), (3, 0.2, 5));
        let (settings, _) = PageSettings::from_query([("epochs", "5"), ("epochs", "7")]);
        assert_eq!(settings.config.epochs, 7, "the last value wins");
    }

    #[test]
    fn the_test_size_answers_to_test_size_and_to_test() {
        for name in ["test_size", "test"] {
            let (settings, errors) = PageSettings::from_query([(name, "0.3")]);
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(settings.config.test_size, 0.3, "{name}");
            let (_, errors) = PageSettings::from_query([(name, "1.5")]);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].name, name);
            assert_eq!(errors[0].default, "0.2");
        }
        assert_eq!(Setting::TestSize.param(), "test_size");
    }

    #[test]
    fn hide_and_embed_are_read() {
        let (settings, errors) =
            PageSettings::from_query([("embed", "1"), ("hide", "Draw, cv,,train-stop")]);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(settings.embed);
        assert_eq!(settings.hide, ["draw", "cv", "train-stop"]);
        let (settings, errors) = PageSettings::from_query([("hide", "draw,<b>")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("hide"));
        assert!(settings.hide.is_empty());
    }

    #[test]
    fn the_form_reports_every_bad_field() {
        let fields = [
            (Setting::Epochs, "0"),
            (Setting::Batch, "12"),
            (Setting::Lr, "x"),
        ];
        let errors = PageSettings::from_fields(fields).unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Epochs", "Learning rate"]);
        let ok = PageSettings::from_fields([(Setting::Epochs, " 3 ")]).unwrap();
        assert_eq!(ok.config.epochs, 3);
    }
}
