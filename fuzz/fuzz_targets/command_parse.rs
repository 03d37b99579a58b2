//! Any text a chat delivers goes through the command parser: it must never panic, and what it
//! extracts must be pieces of what was typed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruban_core::parse::{parse, tokens};

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    for token in tokens(&text) {
        // Tokens come from the text (quotes and spaces dropped), never from thin air.
        assert!(token.chars().all(|c| text.contains(c)), "token {token:?} not from {text:?}");
    }
    let _ = parse(&text, flag & 1 == 1);
});
