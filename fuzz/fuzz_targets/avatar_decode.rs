//! Any bytes sent as a profile photo: a framed avatar or a typed error, never a panic, never
//! an allocation the caps do not allow.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ruban_fuzz_checks::avatar_decode(data));
