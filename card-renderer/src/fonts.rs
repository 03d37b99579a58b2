//! The bundled fonts and the per-grapheme fallback between them.
//!
//! Fonts are compiled in (`include_bytes!`) so that the renderer never reads system fonts and
//! a process only pages in the parts of a font it actually draws (the 11 MB colour-emoji font
//! costs nothing until an emoji is drawn).

use rustybuzz::Face;
use rustybuzz::ttf_parser::GlyphId;

/// Index of a face in [`FontSet`].
pub type FontId = u8;

/// The look a piece of text asks for; each style has its own fallback chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// Body text (messages, names in lists).
    Regular,
    /// Names and headings.
    Bold,
    /// The script headline ("Bravo!"); falls back to the bold chain.
    Display,
}

/// How a face's glyphs are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceKind {
    /// Vector outlines, filled in the text colour.
    Outline,
    /// Colour bitmaps (CBDT), drawn as images.
    ColorBitmap,
}

/// One loaded face.
pub struct FontFace {
    /// File stem, for debugging and tests.
    pub name: &'static str,
    /// The shaping face (derefs to `ttf_parser::Face`).
    pub face: Face<'static>,
    /// Outline or colour bitmap.
    pub kind: FaceKind,
    /// Units per em, as f32 for scaling.
    pub upem: f32,
    /// The same file for rasterising outlines with `ab_glyph` (outline faces only).
    pub glyphs: Option<ab_glyph::FontRef<'static>>,
}

impl FontFace {
    fn new(name: &'static str, data: &'static [u8], kind: FaceKind) -> Self {
        // The fonts are compiled in and checked by the tests: a parse failure is a build defect.
        let face = Face::from_slice(data, 0).unwrap_or_else(|| panic!("bundled font {name} does not parse"));
        let upem = face.units_per_em() as f32;
        let glyphs = match kind {
            FaceKind::Outline => Some(
                ab_glyph::FontRef::try_from_slice(data)
                    .unwrap_or_else(|e| panic!("bundled font {name} does not parse for rasterising: {e}")),
            ),
            FaceKind::ColorBitmap => None,
        };
        Self { name, face, kind, upem, glyphs }
    }

    /// Whether the face maps `c` to a real glyph.
    pub fn has_char(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g != GlyphId(0))
    }

    /// Ascender as a fraction of the em.
    pub fn ascender(&self) -> f32 {
        f32::from(self.face.ascender()) / self.upem
    }

    /// Descender (positive) as a fraction of the em.
    pub fn descender(&self) -> f32 {
        -f32::from(self.face.descender()) / self.upem
    }
}

macro_rules! font {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/fonts/", $file))
    };
}

/// Indices into [`FontSet::faces`].
mod id {
    pub const ANDIKA: u8 = 0;
    pub const ANDIKA_BOLD: u8 = 1;
    pub const LOBSTER: u8 = 2;
    pub const EMOJI: u8 = 3;
    pub const SYLLABICS: u8 = 4;
    pub const SYLLABICS_BOLD: u8 = 5;
    pub const ARABIC: u8 = 6;
    pub const ARABIC_BOLD: u8 = 7;
    pub const HEBREW: u8 = 8;
    pub const HEBREW_BOLD: u8 = 9;
    pub const DEJAVU: u8 = 10;
    pub const DEJAVU_BOLD: u8 = 11;
    pub const DROID: u8 = 12;
}

/// Emoji the bundled font cannot draw rightly, drawn from our own art instead: (the grapheme
/// without variation selectors, its SVG). 🇶🇨 is no country's flag, so the emoji font shows it
/// as an unknown flag; Quebec children type it.
const PICTURES: &[(&str, &str)] = &[("\u{1F1F6}\u{1F1E8}", include_str!("../../assets/art/flag-quebec.svg"))];

/// The first [`FontId`] of a picture (see [`FontSet::picture`]); faces are numbered below it.
pub const PICTURE_BASE: FontId = 200;

/// A picture's advance, in em.
pub const PICTURE_ADVANCE: f32 = 1.34;

/// Where a picture inks relative to the pen and the baseline, in em: (left, top, width, height),
/// a 3:2 flag standing on the baseline like an emoji.
pub const PICTURE_BOX: (f32, f32, f32, f32) = (0.07, -0.86, 1.2, 0.8);

/// All bundled faces and the fallback chains over them.
pub struct FontSet {
    faces: Vec<FontFace>,
    pictures: Vec<resvg::usvg::Tree>,
}

/// The character drawn for a grapheme that no bundled font has: a visible replacement
/// character, never an empty box.
pub const REPLACEMENT: char = '\u{FFFD}';

impl FontSet {
    /// Parses the compiled-in fonts.
    pub fn embedded() -> Self {
        use FaceKind::{ColorBitmap, Outline};
        let faces = vec![
            FontFace::new("Andika-Regular", font!("Andika-Regular.ttf"), Outline),
            FontFace::new("Andika-Bold", font!("Andika-Bold.ttf"), Outline),
            FontFace::new("Lobster-Regular", font!("Lobster-Regular.otf"), Outline),
            FontFace::new("NotoColorEmoji", font!("NotoColorEmoji.ttf"), ColorBitmap),
            FontFace::new(
                "NotoSansCanadianAboriginal-Regular",
                font!("NotoSansCanadianAboriginal-Regular.ttf"),
                Outline,
            ),
            FontFace::new("NotoSansCanadianAboriginal-Bold", font!("NotoSansCanadianAboriginal-Bold.ttf"), Outline),
            FontFace::new("NotoSansArabic-Regular", font!("NotoSansArabic-Regular.ttf"), Outline),
            FontFace::new("NotoSansArabic-Bold", font!("NotoSansArabic-Bold.ttf"), Outline),
            FontFace::new("NotoSansHebrew-Regular", font!("NotoSansHebrew-Regular.ttf"), Outline),
            FontFace::new("NotoSansHebrew-Bold", font!("NotoSansHebrew-Bold.ttf"), Outline),
            FontFace::new("DejaVuSans", font!("DejaVuSans.ttf"), Outline),
            FontFace::new("DejaVuSans-Bold", font!("DejaVuSans-Bold.ttf"), Outline),
            FontFace::new("DroidSansFallbackFull", font!("DroidSansFallbackFull.ttf"), Outline),
        ];
        let pictures = PICTURES
            .iter()
            .map(|(_, svg)| {
                resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
                    .unwrap_or_else(|e| panic!("bundled picture does not parse: {e}"))
            })
            .collect();
        Self { faces, pictures }
    }

    /// Whether `id` is a picture drawn from art rather than a face.
    pub fn is_picture(id: FontId) -> bool {
        id >= PICTURE_BASE
    }

    /// The art of picture `id`.
    pub fn picture(&self, id: FontId) -> Option<&resvg::usvg::Tree> {
        id.checked_sub(PICTURE_BASE).and_then(|i| self.pictures.get(usize::from(i)))
    }

    /// The face with this id.
    pub fn face(&self, id: FontId) -> &FontFace {
        &self.faces[usize::from(id)]
    }

    /// The primary face of a style, whose metrics set the line height.
    pub fn primary(&self, style: Style) -> FontId {
        match style {
            Style::Regular => id::ANDIKA,
            Style::Bold => id::ANDIKA_BOLD,
            Style::Display => id::LOBSTER,
        }
    }

    /// The font that draws the replacement character.
    pub fn replacement_font(&self) -> FontId {
        id::DEJAVU
    }

    fn chain(style: Style) -> &'static [FontId] {
        use id::*;
        match style {
            Style::Regular => &[ANDIKA, SYLLABICS, ARABIC, HEBREW, DEJAVU, DROID],
            Style::Bold => &[ANDIKA_BOLD, SYLLABICS_BOLD, ARABIC_BOLD, HEBREW_BOLD, DEJAVU_BOLD, DROID],
            Style::Display => &[LOBSTER, ANDIKA_BOLD, SYLLABICS_BOLD, ARABIC_BOLD, HEBREW_BOLD, DEJAVU_BOLD, DROID],
        }
    }

    /// Picks the face (or picture) for one grapheme cluster, or `None` when no bundled face
    /// draws it (the caller then draws [`REPLACEMENT`]).
    ///
    /// Emoji go to the colour font first; other text goes down the style's chain, taking the
    /// first face that has every character of the cluster (so a base letter and its accents
    /// never come from two fonts), else the first face that has the base character.
    pub fn pick(&self, style: Style, grapheme: &str) -> Option<FontId> {
        let significant = || grapheme.chars().filter(|&c| !is_format_char(c));
        if let Some(i) = PICTURES.iter().position(|(g, _)| significant().eq(g.chars())) {
            return Some(PICTURE_BASE + i as FontId);
        }
        if is_emoji_cluster(grapheme) && significant().all(|c| self.face(id::EMOJI).has_char(c)) {
            return Some(id::EMOJI);
        }
        let chain = Self::chain(style);
        if let Some(&f) = chain.iter().find(|&&f| significant().all(|c| self.face(f).has_char(c))) {
            return Some(f);
        }
        let base = significant().next()?;
        if let Some(&f) = chain.iter().find(|&&f| self.face(f).has_char(base)) {
            return Some(f);
        }
        // A pictograph without emoji presentation that only the emoji font has.
        self.face(id::EMOJI).has_char(base).then_some(id::EMOJI)
    }
}

/// Characters that shape but need no glyph of their own in the chosen face.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{20E3}')
        || ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// Whether a grapheme cluster should be drawn as a colour emoji.
///
/// This follows the spirit of UTS #51 without its full tables: pictographs in the emoji
/// blocks, any cluster with VS16, a ZWJ sequence, a skin-tone modifier or regional indicators.
pub fn is_emoji_cluster(g: &str) -> bool {
    if g.contains('\u{FE0E}') {
        return false;
    }
    g.chars().any(|c| {
        matches!(c,
            '\u{FE0F}' | '\u{200D}' | '\u{20E3}'
            | '\u{1F1E6}'..='\u{1F1FF}'
            | '\u{1F300}'..='\u{1F5FF}'
            | '\u{1F600}'..='\u{1F64F}'
            | '\u{1F680}'..='\u{1F6FF}'
            | '\u{1F900}'..='\u{1FAFF}'
            | '\u{1F004}' | '\u{1F0CF}' | '\u{1F18E}' | '\u{1F191}'..='\u{1F19A}'
            | '\u{231A}' | '\u{231B}' | '\u{23E9}'..='\u{23EC}' | '\u{23F0}' | '\u{23F3}'
            | '\u{25FD}' | '\u{25FE}' | '\u{2614}' | '\u{2615}' | '\u{2648}'..='\u{2653}'
            | '\u{267F}' | '\u{2693}' | '\u{26A1}' | '\u{26AA}' | '\u{26AB}' | '\u{26BD}'
            | '\u{26BE}' | '\u{26C4}' | '\u{26C5}' | '\u{26CE}' | '\u{26D4}' | '\u{26EA}'
            | '\u{26F2}' | '\u{26F3}' | '\u{26F5}' | '\u{26FA}' | '\u{26FD}' | '\u{2705}'
            | '\u{270A}' | '\u{270B}' | '\u{2728}' | '\u{274C}' | '\u{274E}'
            | '\u{2753}'..='\u{2755}' | '\u{2757}' | '\u{2795}'..='\u{2797}' | '\u{27B0}'
            | '\u{27BF}' | '\u{2B1B}' | '\u{2B1C}' | '\u{2B50}' | '\u{2B55}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_font_parses_and_has_its_script() {
        let set = FontSet::embedded();
        assert_eq!(set.pick(Style::Regular, "é"), Some(id::ANDIKA));
        assert_eq!(set.pick(Style::Bold, "œ"), Some(id::ANDIKA_BOLD));
        assert_eq!(set.pick(Style::Regular, "💚"), Some(id::EMOJI));
        assert_eq!(set.pick(Style::Regular, "👩\u{200D}🏫"), Some(id::EMOJI));
        assert_eq!(set.pick(Style::Regular, "🇶🇨".get(..4).unwrap()), Some(id::EMOJI));
        assert_eq!(set.pick(Style::Regular, "🇫🇷"), Some(id::EMOJI));
        assert_eq!(set.pick(Style::Regular, "🇶🇨"), Some(PICTURE_BASE));
        assert_eq!(set.pick(Style::Bold, "🇶🇨\u{FE0F}"), Some(PICTURE_BASE));
        assert!(set.picture(PICTURE_BASE).is_some() && set.picture(id::EMOJI).is_none());
        assert_eq!(set.pick(Style::Regular, "ᓄ"), Some(id::SYLLABICS));
        assert_eq!(set.pick(Style::Regular, "ع"), Some(id::ARABIC));
        assert_eq!(set.pick(Style::Regular, "ש"), Some(id::HEBREW));
        assert_eq!(set.pick(Style::Regular, "漢"), Some(id::DROID));
        assert_eq!(set.pick(Style::Regular, "\u{10FFFD}"), None);
        assert!(set.face(set.replacement_font()).has_char(REPLACEMENT));
    }
}
