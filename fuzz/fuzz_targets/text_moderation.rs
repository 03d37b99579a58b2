//! Names and messages people type: normalisation is stable (cleaning clean text changes
//! nothing), accepted text respects its caps and carries no control or invisible formatting
//! characters, and moderation answers for anything without panicking.
#![no_main]

use card_renderer::text::clean::{clean, grapheme_count};
use card_renderer::{Message, Name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
