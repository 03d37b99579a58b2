//! What each fuzz target checks beyond « no crash », written once. The cargo-fuzz targets in
//! `fuzz/` (nightly, libFuzzer) call these on generated inputs; `ruban-tests`'s
//! `fuzz_corpora` test calls them on every input committed in `fuzz/corpus/<target>/` on the
//! stable toolchain, so a regression on a known input fails the ordinary test run.
//!
//! Each function panics (an assertion naming what broke) on an input that breaks its property.

use std::sync::{Arc, OnceLock};

use card_renderer::fonts::Style;
use card_renderer::text::clean::{clean, grapheme_count};
use card_renderer::text::{Rect, TextSpec, VAlign, layout};
use card_renderer::{Assets, Message, Name, render_avatar};
use ruban_core::parse::{parse, tokens};
use ruban_vocabulary::Locale;

/// A target's check: panics on an input that breaks the target's property.
pub type Check = fn(&[u8]);

/// The targets, by the name of their corpus folder, with their check.
pub const TARGETS: [(&str, Check); 4] = [
    ("avatar_decode", avatar_decode),
    ("command_parse", command_parse),
    ("text_layout", text_layout),
    ("text_moderation", text_moderation),
];

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Arc<Assets>> = OnceLock::new();
    ASSETS.get_or_init(|| Assets::embedded().expect("bundled assets load"))
}

/// Any bytes sent as a profile photo: a 512 × 512 avatar or a typed error, never a panic, never
/// an allocation the decoder's caps do not allow.
pub fn avatar_decode(data: &[u8]) {
    if let Ok(avatar) = render_avatar(assets(), data, Locale::FrCa) {
        assert_eq!((avatar.width(), avatar.height()), (512, 512));
    }
}

/// Any text a chat delivers goes through the command parser (the first byte says whether the
/// platform resolved a target): never a panic, and the tokens are pieces of what was typed.
pub fn command_parse(data: &[u8]) {
    let Some((&flag, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    for token in tokens(&text) {
        // Tokens come from the text (quotes and spaces dropped), never from thin air.
        assert!(token.chars().all(|c| text.contains(c)), "token {token:?} not from {text:?}");
    }
    let _ = parse(&text, flag & 1 == 1);
}

/// Laying out any allowed message in any box (the first four bytes give the box and the
/// style): never more lines than allowed, and the ink inside the box unless the text had to
/// shrink to the smallest size.
pub fn text_layout(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let (dims, rest) = data.split_at(4);
    let Ok(message) = Message::parse(&String::from_utf8_lossy(rest)) else { return };
    let w = 120.0 + f32::from(dims[0]) * 3.0;
    let h = 40.0 + f32::from(dims[1]) * 1.5;
    let max_lines = usize::from(dims[2] % 8) + 1;
    let style = if dims[3] & 1 == 0 { Style::Regular } else { Style::Bold };
    let area = Rect::new(10.0, 10.0, w, h);
    let spec = TextSpec {
        text: message.as_str(),
        style,
        max_size: 60.0,
        min_size: 20.0,
        line_height: 1.25,
        max_lines,
        valign: VAlign::Center,
    };
    let laid = layout(&assets().fonts, &spec, area);
    assert!(laid.lines.len() <= max_lines || laid.size <= 6.0, "{} lines for {max_lines}", laid.lines.len());
    if let Some(ink) = laid.ink {
        assert!(laid.size <= 6.0 || area.contains(&ink), "ink {ink:?} outside {area:?}");
    }
}

/// Names and messages people type: cleaning is idempotent and leaves no control character,
/// accepted names and messages respect their caps, and moderation answers for anything.
pub fn text_moderation(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let once = clean(&text);
    assert_eq!(clean(&once), once, "cleaning is idempotent");
    assert!(!once.chars().any(char::is_control), "no control character survives: {once:?}");
    if let Ok(name) = Name::parse(&text) {
        assert!(grapheme_count(name.as_str()) <= Name::MAX);
        assert!(!name.as_str().contains('\n'));
    }
    if let Ok(message) = Message::parse(&text) {
        assert!(grapheme_count(message.as_str()) <= Message::MAX);
    }
    let _ = ruban_core::moderation::is_acceptable(&text);
}
