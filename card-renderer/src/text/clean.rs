//! Cleaning untrusted text before it is measured, stored or drawn.
//!
//! The same function runs in the renderer (which refuses to draw unvalidated text) and in the
//! bot core (which must store exactly what it would draw), so there is one definition of
//! "clean".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::is_emoji_cluster;

/// At most this many combining marks are kept on one base character ("Zalgo" text would
/// otherwise stack marks far outside any line box).
pub const MAX_MARKS: usize = 3;

/// Normalises untrusted text: "fancy" mathematical letters to plain ones, NFC, no control,
/// bidi-override or invisible characters, at most [`MAX_MARKS`] stacked marks, whitespace
/// collapsed and trimmed. No-break spaces (U+00A0, U+202F) are kept: French punctuation needs
/// them.
pub fn clean(input: &str) -> String {
    let mut plain = String::with_capacity(input.len());
    for c in input.chars() {
        if is_fancy_letter(c) {
            decompose_compatible(c, |d| plain.push(d));
        } else {
            plain.push(c);
        }
    }
    let nfc: String = plain.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let mut pending_space = false;
    for g in nfc.graphemes(true) {
        let emoji = is_emoji_cluster(g);
        let mut kept = String::with_capacity(g.len());
        for c in g.chars() {
            if is_collapsible_space(c) {
                // A space can sit inside a cluster (after a prepended mark such as U+070F):
                // what came before it is written first, so the space stays between the two.
                push_kept(&mut out, &mut kept, &mut pending_space);
                pending_space = true;
                continue;
            }
            if is_invisible(c) && !(emoji && matches!(c, '\u{200D}' | '\u{FE0F}' | '\u{E0020}'..='\u{E007F}')) {
                continue;
            }
            kept.push(c);
        }
        push_kept(&mut out, &mut kept, &mut pending_space);
    }
    // Stacked marks are capped once the text is whole: removing characters can leave marks
    // that now start the text or decompose differently, and can join marks that were apart
    // (« a◌̐◌̐ NUL ◌̐◌̐ » stacks four once the NUL goes). Cap, compose, until composing changes
    // nothing more (each round only removes or composes characters, so this ends).
    let mut text: String = out.nfc().collect();
    loop {
        let again: String = cap_stacked_marks(&text).nfc().collect();
        if again == text {
            return text;
        }
        text = again;
    }
}

/// Appends `kept` (if any) to `out`, after one space if a space is pending.
fn push_kept(out: &mut String, kept: &mut String, pending_space: &mut bool) {
    if kept.is_empty() {
        return;
    }
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(kept);
    kept.clear();
}

/// Keeps at most [`MAX_MARKS`] combining marks per grapheme cluster, as the first pass does
/// (counted per cluster, a zero-width joiner between marks does not reset the count).
fn cap_stacked_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for g in s.graphemes(true) {
        let mut marks = 0;
        for c in g.chars() {
            if is_combining_mark(c) {
                marks += 1;
                if marks > MAX_MARKS {
                    continue;
                }
            }
            out.push(c);
        }
    }
    out
}

/// Number of user-perceived characters (extended grapheme clusters).
pub fn grapheme_count(s: &str) -> usize {
    s.graphemes(true).count()
}

/// Mathematical alphanumerics, full-width forms and circled or squared letters: people paste
/// them as "fancy fonts"; they are drawn as the plain letters they stand for.
fn is_fancy_letter(c: char) -> bool {
    matches!(c,
        '\u{1D400}'..='\u{1D7FF}'
        | '\u{FF01}'..='\u{FF5E}'
        | '\u{24B6}'..='\u{24E9}'
        | '\u{1F130}'..='\u{1F149}'
        | '\u{1F150}'..='\u{1F169}')
}

fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}')
}

/// Whether `text` shows anything: a character that is not a space, a combining mark alone, or
/// an invisible one. A name of a lone zero-width joiner (kept as part of an emoji cluster) or
/// of marks only would be drawn as nothing and counted as someone.
pub fn shows_something(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && !is_invisible(c) && !is_combining_mark(c))
}

/// Controls, bidi controls and zero-width characters: invisible, and able to reorder or hide
/// what others see.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `text_moderation` fuzz target: marks apart until a control character
    /// between them went stacked four high, and a second cleaning cut one more.
    /// Also found by `text_moderation`: a space inside a cluster (after U+070F, a mark that
    /// prepends itself to what follows) vanished on the second cleaning.
    #[test]
    fn a_space_inside_a_cluster_is_kept_once() {
        let once = clean("\u{70f}\n\0\0\0^\u{5}\0\0");
        assert_eq!(clean(&once), once);
        assert_eq!(clean("\u{70f} ^"), "\u{70f} ^");
    }

    /// A third: marks on both sides of a kept zero-width joiner, counted per cluster.
    #[test]
    fn marks_around_a_joiner_are_counted_per_cluster() {
        let once = clean("L\u{fffd}\u{310}\u{310}\0\u{200d}\u{310}\u{310}");
        assert_eq!(clean(&once), once);
    }

    #[test]
    fn marks_joined_by_a_removed_character_are_capped_too() {
        let once = clean("a\u{310}\u{310}\0\0\0\u{310}\u{310}");
        assert_eq!(once, "a\u{310}\u{310}\u{310}");
        assert_eq!(clean(&once), once);
    }

    #[test]
    fn fancy_letters_become_plain() {
        assert_eq!(clean("𝗧𝗲𝘀𝘁 𝓣𝓮𝓼𝓽"), "Test Test");
        assert_eq!(clean("Ｂｒａｖｏ"), "Bravo");
    }

    #[test]
    fn invisible_and_bidi_controls_are_removed() {
        assert_eq!(clean("Al\u{202E}ex\u{200B}\u{0007}"), "Alex");
        assert_eq!(clean("  Élodie \n\t Tremblay  "), "Élodie Tremblay");
    }

    #[test]
    fn nfc_and_french_spaces_are_kept() {
        assert_eq!(clean("E\u{301}lodie"), "Élodie");
        assert_eq!(clean("«\u{202F}Bravo\u{202F}!\u{202F}»"), "«\u{202F}Bravo\u{202F}!\u{202F}»");
    }

    #[test]
    fn emoji_sequences_survive() {
        for e in ["👩\u{200D}🏫", "👏🏽", "🇶🇨", "❤\u{FE0F}", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"]
        {
            assert_eq!(clean(e), e);
        }
    }

    #[test]
    fn stacked_marks_are_limited() {
        let zalgo = format!("a{}", "\u{0301}".repeat(40));
        let cleaned = clean(&zalgo);
        assert!(cleaned.chars().filter(|&c| is_combining_mark(c)).count() <= MAX_MARKS);
        assert_eq!(grapheme_count(&cleaned), 1);
    }

    /// Issue 34: a name of invisible characters only (a lone zero-width joiner, marks, format
    /// characters) is no name: every door refuses it as empty, while emoji sequences joined by
    /// U+200D stay.
    #[test]
    fn invisible_only_names_are_empty() {
        for raw in ["\u{200D}", "\u{200D}\u{200D}", "\u{FE0F}", "\u{0301}\u{0301}", "\u{200B} \u{2060}", "\u{E0041}"] {
            assert!(crate::Name::parse(raw).is_err(), "{raw:?} was taken as a name");
        }
        for raw in ["Zoé", "👩\u{200D}🏫", "Léa ❤️", "محمد"] {
            assert!(crate::Name::parse(raw).is_ok(), "{raw:?}");
        }
    }
}
