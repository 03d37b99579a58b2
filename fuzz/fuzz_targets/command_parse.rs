//! Any text a chat delivers goes through the command parser: it must never panic, and what it
//! extracts must be pieces of what was typed.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ruban_fuzz_checks::command_parse(data));
