//! Text: cleaning untrusted input, shaping, fallback, line breaking, shrink-to-fit and drawing.
//!
//! A `chars()` loop is not enough for children's names: a name is a sequence of grapheme
//! clusters (« É » may be two code points, « 👩‍🏫 » is five), each drawn by the first bundled
//! face that has all of it, in visual order for right-to-left scripts.

pub mod clean;
pub mod layout;
pub mod raster;
pub mod shape;

pub use layout::{Layout, PlacedGlyph, Rect, TextSpec, VAlign, layout};
pub use raster::{GlyphCache, Rgba, draw_layout};
