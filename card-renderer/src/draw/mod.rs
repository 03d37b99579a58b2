//! One module per kind of image, over shared painting primitives.

pub mod card;
pub mod paint;
