//! Laying out any allowed text in any box: never a panic, never more lines than allowed, and
//! the ink inside the box unless the text had to shrink to the smallest size.
#![no_main]

use std::sync::OnceLock;

use card_renderer::fonts::Style;
use card_renderer::text::{Rect, TextSpec, VAlign, layout};
use card_renderer::{Assets, Message};
use libfuzzer_sys::fuzz_target;

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<std::sync::Arc<Assets>> = OnceLock::new();
    ASSETS.get_or_init(|| Assets::embedded().expect("bundled assets load"))
}

fuzz_target!(|data: &[u8]| {
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
});
