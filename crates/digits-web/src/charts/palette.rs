//! Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies), plus the
//! grey ramps and viridis used for images. Series also differ by line style, never by colour
//! alone.

use plotters::style::RGBColor;

/// Text.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Axes and borders.
pub const AXIS: RGBColor = RGBColor(120, 120, 120);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(228, 228, 228);

/// Okabe–Ito blue: training series, counts.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion: test series.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito bluish green.
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito reddish purple.
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);

/// The training series' colour.
pub const TRAIN: RGBColor = BLUE;
/// The test series' colour.
pub const TEST: RGBColor = VERMILLION;
/// Validation series (dashed, like the test series they sit beside).
pub const VALIDATION: RGBColor = GREEN;

const CLASS_COLOURS: [RGBColor; 5] = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE];

/// The colour of class `class` 0..9; classes 5..9 reuse 0..4's colours and are drawn dashed
/// (see [`class_dashed`]).
pub fn class_colour(class: usize) -> RGBColor {
    CLASS_COLOURS[class % CLASS_COLOURS.len()]
}

/// Whether class `class`'s line is dashed.
pub fn class_dashed(class: usize) -> bool {
    class >= CLASS_COLOURS.len()
}

/// A digit's pixel 0..=16 as ink on paper: 0 white, 16 black (matplotlib's `gray_r`).
pub fn ink(value: u8) -> RGBColor {
    let level = 255 - (u32::from(value.min(16)) * 255 / 16) as u8;
    RGBColor(level, level, level)
}

/// Viridis, sampled at nine points (matplotlib's map, as the notebook shows feature maps).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 45, 123),
    (59, 82, 139),
    (44, 114, 142),
    (33, 145, 140),
    (40, 174, 128),
    (94, 201, 98),
    (173, 220, 48),
    (253, 231, 37),
];

/// A normalised feature-map level 0..=255 in viridis.
pub fn viridis(level: u8) -> RGBColor {
    let t = f32::from(level) / 255.0 * (VIRIDIS.len() - 1) as f32;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f32;
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A share 0..1 of the heatmap's scale, from white to blue.
pub fn heat(share: f64) -> RGBColor {
    from_white(RGBColor(8, 48, 107), share.clamp(0.0, 1.0))
}

/// Whether text on a heatmap cell of `share` should be white to stay readable.
pub fn heat_needs_light_text(share: f64) -> bool {
    share > 0.5
}

/// A signed share −1..1 on a diverging scale: blue below zero, white at zero, vermillion
/// above (the palette's colour-blind-safe pair), for kernels and occlusion drops.
pub fn diverging(share: f64) -> RGBColor {
    let s = share.clamp(-1.0, 1.0);
    from_white(if s < 0.0 { BLUE } else { VERMILLION }, s.abs())
}

/// The colour a share `t` (0..=1) of the way from white to `to`: the scales that start
/// white ([`heat`], [`diverging`]).
fn from_white(to: RGBColor, t: f64) -> RGBColor {
    let mix = |to: u8| (255.0 + (f64::from(to) - 255.0) * t).round() as u8;
    RGBColor(mix(to.0), mix(to.1), mix(to.2))
}
