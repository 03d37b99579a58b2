//! Names and messages people type: normalisation is stable (cleaning clean text changes
//! nothing), accepted text respects its caps and carries no control or invisible formatting
//! characters, and moderation answers for anything without panicking.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ruban_fuzz_checks::text_moderation(data));
