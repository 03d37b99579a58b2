//! Itemising (font per grapheme, bidi level) and shaping with rustybuzz.
//!
//! A paragraph is shaped once at 1 px per em; every size tried while fitting scales those
//! advances, so shrink-to-fit costs no reshaping. Lines are shaped again at draw time, in
//! visual order, so that Arabic joins and Hebrew reads right to left.

use std::ops::Range;

use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::{FontId, FontSet, PICTURE_ADVANCE, REPLACEMENT, Style};

/// A run of text drawn by one face at one bidi level.
#[derive(Debug, Clone)]
pub struct Item {
    /// Byte range in the paragraph.
    pub range: Range<usize>,
    /// The face that draws it.
    pub font: FontId,
}

/// A paragraph ready for line breaking: its text (with undrawable graphemes already replaced),
/// its items, and the advance of every cluster at 1 px per em.
pub struct Shaped {
    /// The text as it will be drawn.
    pub text: String,
    /// Font runs in logical order.
    pub items: Vec<Item>,
    /// Prefix sums of advances (em) per byte: width of `a..b` is `prefix[b] - prefix[a]`.
    prefix: Vec<f32>,
}

impl Shaped {
    /// Itemises and shapes `text` (one paragraph, no newlines).
    pub fn new(fonts: &FontSet, style: Style, text: &str) -> Self {
        let mut drawn = String::with_capacity(text.len());
        let mut items: Vec<Item> = Vec::new();
        for g in text.graphemes(true) {
            let (font, g) = match fonts.pick(style, g) {
                Some(f) => (f, g),
                None => (fonts.replacement_font(), "\u{FFFD}"),
            };
            let start = drawn.len();
            drawn.push_str(g);
            match items.last_mut() {
                Some(last) if last.font == font => last.range.end = drawn.len(),
                _ => items.push(Item { range: start..drawn.len(), font }),
            }
        }
        let mut advance = vec![0.0f32; drawn.len() + 1];
        let bidi = BidiInfo::new(&drawn, None);
        for item in &items {
            if FontSet::is_picture(item.font) {
                for (i, _) in drawn[item.range.clone()].grapheme_indices(true) {
                    advance[item.range.start + i] += PICTURE_ADVANCE;
                }
                continue;
            }
            // Split the item further by bidi level so each shaping call has one direction.
            for (range, level) in level_runs(&bidi.levels, item.range.clone()) {
                let out = shape_run(fonts, item.font, &drawn[range.clone()], level.is_rtl());
                let upem = fonts.face(item.font).upem;
                for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
                    advance[range.start + info.cluster as usize] += pos.x_advance as f32 / upem;
                }
            }
        }
        let mut prefix = Vec::with_capacity(advance.len());
        let mut sum = 0.0;
        prefix.push(0.0);
        for a in &advance[..drawn.len()] {
            sum += a;
            prefix.push(sum);
        }
        Self { text: drawn, items, prefix }
    }

    /// Advance width of a byte range, in em.
    pub fn width(&self, range: Range<usize>) -> f32 {
        self.prefix[range.end] - self.prefix[range.start]
    }

    /// Whether any grapheme had to be replaced by the fallback glyph.
    pub fn has_replacement(&self) -> bool {
        self.text.contains(REPLACEMENT)
    }
}

/// Splits `range` into maximal runs of equal bidi level.
pub fn level_runs(levels: &[Level], range: Range<usize>) -> Vec<(Range<usize>, Level)> {
    let mut runs = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        if levels[i] != levels[start] {
            runs.push((start..i, levels[start]));
            start = i;
        }
    }
    if start < range.end {
        runs.push((start..range.end, levels[start]));
    }
    runs
}

/// Shapes one run of one face in one direction.
pub fn shape_run(fonts: &FontSet, font: FontId, text: &str, rtl: bool) -> rustybuzz::GlyphBuffer {
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    buf.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    rustybuzz::shape(&fonts.face(font).face, &[], buf)
}
