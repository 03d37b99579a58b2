//! One module per kind of image, over shared painting primitives.

pub mod avatar;
pub mod badge;
pub mod card;
pub mod certificate;
pub mod class_badge;
pub mod green;
pub mod paint;
pub mod report;
pub mod wall;

use tiny_skia::Pixmap;

use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba, TextSpec, VAlign, draw_layout, layout};
use ruban_vocabulary::campaign::{Campaign, default_name};

/// The campaign line's two parts: the Journées' name and the week (none between campaigns,
/// when no week is announced).
pub(crate) fn campaign_parts(assets: &Assets, edition: Option<&Campaign>, locale: Locale) -> (String, Option<String>) {
    match edition {
        Some(c) => (c.name(locale).to_owned(), Some(typography(locale, &assets.texts.campaign_dates(c, locale)))),
        None => (default_name(locale).to_owned(), None),
    }
}

/// Draws the campaign line in `area` at `size` px (never smaller: it is read from across a
/// classroom): « Journées de la persévérance scolaire · 16–20 février 2026 » on one line when
/// it fits, else the name on one line and the week under it. Returns the lines drawn and the
/// smallest size used, px.
pub(crate) fn campaign_line(
    pm: &mut Pixmap,
    assets: &Assets,
    edition: Option<&Campaign>,
    locale: Locale,
    area: Rect,
    size: f32,
    color: Rgba,
) -> (usize, f32) {
    let (name, dates) = campaign_parts(assets, edition, locale);
    fn spec(text: &str, size: f32, h: f32) -> TextSpec<'_> {
        TextSpec {
            text,
            style: Style::Bold,
            max_size: size.min(h / 1.2),
            min_size: size.min(h / 1.2),
            line_height: 1.2,
            max_lines: 1,
            valign: VAlign::Center,
        }
    }
    let one = match &dates {
        Some(d) => format!("{name} · {d}"),
        None => name.clone(),
    };
    let whole = layout(&assets.fonts, &spec(&one, size, area.h), area);
    if whole.size >= size.min(area.h / 1.2) || dates.is_none() {
        draw_layout(pm, &assets.fonts, &assets.glyphs, &whole, color);
        return (1, whole.size);
    }
    let mut smallest = size;
    let half = area.h / 2.0;
    for (i, text) in [name.as_str(), dates.as_deref().unwrap_or_default()].into_iter().enumerate() {
        let r = Rect::new(area.x, area.y + half * i as f32, area.w, half);
        let laid = layout(&assets.fonts, &spec(text, size, half), r);
        draw_layout(pm, &assets.fonts, &assets.glyphs, &laid, color);
        smallest = smallest.min(laid.size);
    }
    (2, smallest)
}

/// Where an image's campaign line and footer go, white on its green (a card, a class badge,
/// the wall image): drawn by one function, measured by one test helper, so the three images
/// keep the same inks and the same 4.5:1 guarantee.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WhiteFooter {
    /// The campaign line (name and dates), 44 px.
    pub line: Rect,
    /// The hashtag and the theme, 34 px.
    pub footer: Rect,
}

impl WhiteFooter {
    const LINE_INK: Rgba = Rgba::hex(0xFFFFFF);
    /// The footer's white, a touch softer than the campaign line's.
    const FOOTER_INK: Rgba = Rgba::hex(0xFFFFFF).alpha(235);

    /// Draws the campaign line, then the hashtag and the theme.
    pub(crate) fn draw(self, pm: &mut Pixmap, assets: &Assets, edition: Option<&Campaign>, locale: Locale) {
        campaign_line(pm, assets, edition, locale, self.line, 44.0, Self::LINE_INK);
        paint::TextBox::line(self.footer, Style::Regular, 34.0, 18.0, Self::FOOTER_INK).draw(
            pm,
            assets,
            &footer(assets, edition, locale),
        );
    }

    /// Each area with the ink drawn in it, for the tests that measure what it stands on.
    #[cfg(test)]
    pub(crate) fn areas(self) -> [(Rect, Rgba); 2] {
        [(self.line, Self::LINE_INK), (self.footer, Self::FOOTER_INK)]
    }
}

/// The footer of an image, under the campaign line: the campaign's hashtag and theme, or,
/// between campaigns when none is announced, the year-less hashtag alone (the campaign line
/// above it already names the Journées; no past year on anything new).
pub(crate) fn footer(assets: &Assets, edition: Option<&Campaign>, locale: Locale) -> String {
    match edition {
        Some(c) => c.footer(locale),
        None => assets.texts.get(locale, "hashtag-no-campaign", &[]),
    }
}

/// The hashtag drawn on a badge: the campaign's, or the year-less one between campaigns.
pub(crate) fn hashtag(assets: &Assets, edition: Option<&Campaign>, locale: Locale) -> String {
    match edition {
        Some(c) => c.hashtag.clone(),
        None => assets.texts.get(locale, "hashtag-no-campaign", &[]),
    }
}

/// The part of a cached layer's key that says which campaign it carries.
pub(crate) fn edition_key(edition: Option<&Campaign>) -> String {
    edition.map_or_else(|| "none".to_owned(), |c| c.year.to_string())
}

/// Quebec typography for drawn text, in French: « nº » and « no » before a number become
/// « nᵒ » (a raised o, not an underlined º), and ordinals are raised: « 1ᵉʳ », « 1ʳᵉ »,
/// « 2ᵉ », « 5ᵉ année ». English text is left as it is.
pub(crate) fn typography(locale: Locale, text: &str) -> String {
    if locale != Locale::FrCa {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    let word_char = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    while i < chars.len() {
        let c = chars[i];
        // « nº 12 », « n° 12 »: the sign after n, at the start of a word, before a digit or a space.
        if (c == 'n' || c == 'N')
            && !word_char(i.checked_sub(1).and_then(|p| chars.get(p)))
            && matches!(chars.get(i + 1), Some('º' | '°'))
            && !chars.get(i + 2).is_some_and(|c| c.is_alphabetic())
        {
            out.push(c);
            out.push('ᵒ');
            i += 2;
            continue;
        }
        // Ordinals: digits at the start of a word followed by e, er, re, es, ers, res, ème.
        if c.is_ascii_digit() && !word_char(i.checked_sub(1).and_then(|p| chars.get(p))) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let rest: String = chars[j..chars.len().min(j + 4)].iter().collect();
            let suffix = ["ers", "res", "er", "re", "es", "e"]
                .into_iter()
                .find(|s| rest.starts_with(s) && !word_char(chars.get(j + s.chars().count())));
            out.extend(&chars[i..j]);
            i = j;
            if let Some(sfx) = suffix {
                out.extend(sfx.chars().map(|c| match c {
                    'e' => 'ᵉ',
                    'r' => 'ʳ',
                    's' => 'ˢ',
                    other => other,
                }));
                i += sfx.chars().count();
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_ordinals_and_numero_are_raised() {
        let t = |s| typography(Locale::FrCa, s);
        assert_eq!(t("nº 1 234"), "nᵒ 1 234");
        assert_eq!(t("n° 5"), "nᵒ 5");
        assert_eq!(t("Mme Tremblay, 5e année"), "Mme Tremblay, 5ᵉ année");
        assert_eq!(t("1er mars 2026"), "1ᵉʳ mars 2026");
        assert_eq!(t("la 1re secondaire, les 2es"), "la 1ʳᵉ secondaire, les 2ᵉˢ");
        // Not ordinals: a number inside a word, a unit, a word that only starts like one.
        assert_eq!(t("groupe 52, 3 élèves, A5e, 2euros, 5 km"), "groupe 52, 3 élèves, A5e, 2euros, 5 km");
        assert_eq!(t("nºble"), "nºble");
        assert_eq!(typography(Locale::EnCa, "5e nº"), "5e nº");
    }

    #[test]
    fn the_campaign_line_is_at_least_36_px_on_a_1080_image_in_both_languages() {
        let assets = Assets::embedded().unwrap();
        for locale in [Locale::FrCa, Locale::EnCa] {
            let mut pm = paint::canvas(1080, 1080);
            // The card's, the class badge's and the wall's line (the badge's is the same box).
            let (lines, size) = campaign_line(
                &mut pm,
                &assets,
                Some(&assets.campaign),
                locale,
                Rect::new(50.0, 876.0, 980.0, 112.0),
                44.0,
                Rgba::hex(0xFFFFFF),
            );
            println!("{locale}: {lines} line(s) at {size} px");
            assert!(size >= 36.0 && lines <= 2, "{locale}: {lines} lines at {size} px");
        }
    }

    #[test]
    fn the_raised_letters_are_in_the_bundled_fonts() {
        let fonts = crate::fonts::FontSet::embedded();
        for style in [Style::Regular, Style::Bold] {
            for c in ['ᵒ', 'ᵉ', 'ʳ', 'ˢ'] {
                let f = fonts.pick(style, &c.to_string()).map(|f| fonts.face(f).name);
                assert!(f.is_some_and(|n| n.starts_with("Andika")), "{c} in {style:?} is drawn by {f:?}");
            }
        }
    }
}

/// WCAG contrast, for the tests that measure what small text stands on.
#[cfg(test)]
pub(crate) mod contrast {
    use tiny_skia::Pixmap;

    use crate::text::{Rect, Rgba};

    /// WCAG's relative luminance of an sRGB colour.
    fn luminance(r: u8, g: u8, b: u8) -> f64 {
        let lin = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// The contrast of `ink` (blended over the pixel by its alpha) on the pixel.
    fn of(ink: Rgba, px: [u8; 3]) -> f64 {
        let a = f64::from(ink.3) / 255.0;
        let mix = |i: u8, p: u8| (f64::from(i) * a + f64::from(p) * (1.0 - a)).round() as u8;
        let text = luminance(mix(ink.0, px[0]), mix(ink.1, px[1]), mix(ink.2, px[2]));
        let ground = luminance(px[0], px[1], px[2]);
        (text.max(ground) + 0.05) / (text.min(ground) + 0.05)
    }

    /// The lowest contrast of each area's ink on any pixel of `pm` inside that area (drawn
    /// without the text, so every pixel is what the text stands on).
    pub(crate) fn worst(pm: &Pixmap, areas: &[(Rect, Rgba)]) -> f64 {
        let mut worst = f64::MAX;
        for &(Rect { x, y, w, h }, ink) in areas {
            for py in y as u32..(y + h) as u32 {
                for px in x as u32..(x + w) as u32 {
                    if let Some(p) = pm.pixel(px, py) {
                        worst = worst.min(of(ink, [p.red(), p.green(), p.blue()]));
                    }
                }
            }
        }
        worst
    }
}
