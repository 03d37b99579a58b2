//! Any bytes sent as a profile photo: a framed avatar or a typed error, never a panic, never
//! an allocation the caps do not allow.
#![no_main]

use std::sync::OnceLock;

use card_renderer::{Assets, Locale, render_avatar};
use libfuzzer_sys::fuzz_target;

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<std::sync::Arc<Assets>> = OnceLock::new();
    ASSETS.get_or_init(|| Assets::embedded().expect("bundled assets load"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(avatar) = render_avatar(assets(), data, Locale::FrCa) {
        assert_eq!((avatar.width(), avatar.height()), (512, 512));
    }
});
