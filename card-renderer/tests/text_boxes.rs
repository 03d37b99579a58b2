//! Property tests: for random allowed inputs, every text pixel stays inside its box, whatever
//! the script, the emoji or the length.

mod common;

use card_renderer::draw::card::{SIZE, draw_people_texts, text_areas};
use card_renderer::fonts::Style;
use card_renderer::text::{Rect, TextSpec, VAlign, layout};
use card_renderer::{CardSpec, Message, Name};
use common::assets;
use proptest::prelude::*;
use ruban_vocabulary::{Design, Locale};

/// Pieces people actually type, from every script and emoji kind the renderer supports.
const PIECES: &[&str] = &[
    "a",
    "W",
    "m",
    "é",
    "É",
    "ç",
    "œ",
    "Œ",
    "’",
    "«\u{202F}",
    "\u{202F}»",
    "\u{202F}!",
    " ",
    " ",
    " ",
    "-",
    "—",
    "Ŵ",
    "ẞ",
    "ᓄ",
    "ᓇ",
    "ᕕ",
    "ᒃ",
    "ع",
    "ر",
    "ب",
    "ש",
    "ל",
    "ו",
    "ם",
    "小",
    "明",
    "💚",
    "🎉",
    "👏🏽",
    "👩‍🏫",
    "🇶🇨",
    "👨‍👩‍👧‍👦",
    "𝗧",
    "𝓣",
    "\u{E000}",
    "1",
    "2",
    "Wolfgang",
    "persévérance",
    "Ÿ",
    "ǅ",
    "ﷺ",
    "ꧠ",
    "a\u{0301}\u{0302}\u{0303}",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..max).prop_map(|v| v.concat())
}

fn capped<T>(raw: &str, parse: impl Fn(&str) -> Result<T, card_renderer::RenderError>, max: usize) -> Option<T> {
    // Keep whole graphemes up to the cap, so every generated input is an allowed one.
    use unicode_segmentation::UnicodeSegmentation;
    let cut: String = raw.graphemes(true).take(max).collect();
    parse(&cut).ok()
}

fn inflate(r: Rect, by: f32) -> Rect {
    Rect::new(r.x - by, r.y - by, r.w + 2.0 * by, r.h + 2.0 * by)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn card_text_never_leaves_its_boxes(to in text(60), from in text(60), message in text(400), design in 0usize..6, english: bool) {
        let Some(to) = capped(&to, Name::parse, Name::MAX) else { return Ok(()) };
        let spec = CardSpec {
            to,
            from: capped(&from, Name::parse, Name::MAX),
            message: capped(&message, Message::parse, Message::MAX),
            design: Design::ALL[design],
            locale: if english { Locale::EnCa } else { Locale::FrCa },
        };
        let mut pm = card_renderer::draw::paint::canvas(SIZE, SIZE);
        draw_people_texts(&mut pm, &assets(), &spec);
        // One pixel of antialiasing may bleed past the outline's box.
        let areas = text_areas().map(|r| inflate(r, 1.0));
        for (i, p) in pm.pixels().iter().enumerate() {
            if p.alpha() == 0 { continue; }
            let (x, y) = ((i as u32 % SIZE) as f32 + 0.5, (i as u32 / SIZE) as f32 + 0.5);
            let inside = areas.iter().any(|a| x >= a.x && y >= a.y && x <= a.x + a.w && y <= a.y + a.h);
            prop_assert!(inside, "text pixel at ({x}, {y}) outside every box for {spec:?}");
        }
    }

    #[test]
    fn layout_ink_fits_any_box(raw in text(300), w in 120f32..900.0, h in 40f32..400.0, lines in 1usize..8) {
        let Some(m) = capped(&raw, Message::parse, Message::MAX) else { return Ok(()) };
        let area = Rect::new(10.0, 10.0, w, h);
        let spec = TextSpec { text: m.as_str(), style: Style::Regular, max_size: 60.0, min_size: 20.0, line_height: 1.25, max_lines: lines, valign: VAlign::Center };
        let laid = layout(&assets().fonts, &spec, area);
        if let Some(ink) = laid.ink {
            prop_assert!(laid.size <= 6.0 || area.contains(&ink), "ink {ink:?} outside {area:?} at {} px", laid.size);
        }
        prop_assert!(laid.lines.len() <= lines || laid.size <= 6.0);
    }
}

#[test]
fn nothing_is_silently_cut() {
    // Every grapheme of an allowed message is drawn: the laid-out lines hold all of it.
    let message = Message::parse(&"Bravo! ".repeat(40)).unwrap();
    let spec = TextSpec {
        text: message.as_str(),
        style: Style::Regular,
        max_size: 50.0,
        min_size: 24.0,
        line_height: 1.3,
        max_lines: 9,
        valign: VAlign::Center,
    };
    let laid = layout(&assets().fonts, &spec, text_areas()[1]);
    let joined: String = laid.lines.concat().split_whitespace().collect();
    let expected: String = message.as_str().split_whitespace().collect();
    assert_eq!(joined, expected);
}
