//! Laying out any allowed text in any box: never a panic, never more lines than allowed, and
//! the ink inside the box unless the text had to shrink to the smallest size.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ruban_fuzz_checks::text_layout(data));
