//! One module per kind of image, over shared painting primitives.

pub mod avatar;
pub mod badge;
pub mod card;
pub mod certificate;
pub mod class_badge;
pub mod paint;
pub mod wall;
