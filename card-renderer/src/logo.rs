//! A school's or a region's logo, printed on the certificate: a PNG, JPEG, WebP or GIF (read
//! under the photo decoder's limits) or an SVG (which may not load any file or URL: an `<image>`
//! may only carry its picture inline, as a `data:` URL).

use std::sync::Arc;

use image::imageops::FilterType;
use tiny_skia::{Pixmap, PixmapPaint, Transform};

use crate::error::RenderError;

/// The largest SVG file accepted, in bytes.
const MAX_SVG_BYTES: usize = 2 << 20;

/// A checked logo, ready to draw at any size.
#[derive(Clone)]
pub struct Logo(Kind);

#[derive(Clone)]
enum Kind {
    Raster(Arc<image::RgbaImage>),
    Vector(Arc<resvg::usvg::Tree>),
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Kind::Raster(i) => write!(f, "Logo(raster {}x{})", i.width(), i.height()),
            Kind::Vector(t) => write!(f, "Logo(svg {}x{})", t.size().width(), t.size().height()),
        }
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.trim_start_matches('\u{FEFF}').trim_start().starts_with('<') && head.contains("<svg")
}

impl Logo {
    /// Reads a logo file's bytes; a typed error names what is wrong.
    pub fn parse(bytes: &[u8]) -> Result<Self, RenderError> {
        if looks_like_svg(bytes) {
            if bytes.len() > MAX_SVG_BYTES {
                return Err(RenderError::BadLogo(format!(
                    "the SVG file has {} bytes, at most {MAX_SVG_BYTES} are allowed",
                    bytes.len()
                )));
            }
            let mut options = resvg::usvg::Options::default();
            // Never read a file named by the SVG (nor anything else outside it).
            options.image_href_resolver.resolve_string = Box::new(|_, _| None);
            let tree = resvg::usvg::Tree::from_data(bytes, &options)
                .map_err(|e| RenderError::BadLogo(format!("not a valid SVG file: {e}")))?;
            if tree.size().width() <= 0.0 || tree.size().height() <= 0.0 {
                return Err(RenderError::BadLogo("the SVG has no size".into()));
            }
            return Ok(Self(Kind::Vector(Arc::new(tree))));
        }
        let img = crate::photo::decode(bytes).map_err(|e| match e {
            RenderError::BadPhoto(why) => RenderError::BadLogo(why),
            RenderError::PhotoTooLarge { width, height, max_megapixels } => RenderError::BadLogo(format!(
                "the image is {width} x {height} pixels, at most {max_megapixels} megapixels are allowed"
            )),
            other => other,
        })?;
        Ok(Self(Kind::Raster(Arc::new(img.to_rgba8()))))
    }

    /// Draws the logo as large as fits in `w` x `h` at (`x`, `y`), keeping its proportions,
    /// centred.
    pub(crate) fn draw(&self, pm: &mut Pixmap, x: f32, y: f32, w: f32, h: f32) {
        match &self.0 {
            Kind::Vector(tree) => {
                let size = tree.size();
                let s = (w / size.width()).min(h / size.height());
                let dx = x + (w - size.width() * s) / 2.0;
                let dy = y + (h - size.height() * s) / 2.0;
                resvg::render(tree, Transform::from_row(s, 0.0, 0.0, s, dx, dy), &mut pm.as_mut());
            }
            Kind::Raster(img) => {
                let s = (w / img.width() as f32).min(h / img.height() as f32);
                let (tw, th) = (((img.width() as f32 * s) as u32).max(1), ((img.height() as f32 * s) as u32).max(1));
                let small = image::imageops::resize(img.as_ref(), tw, th, FilterType::CatmullRom);
                let Some(mut layer) = Pixmap::new(tw, th) else { return };
                for (dst, src) in layer.pixels_mut().iter_mut().zip(small.pixels()) {
                    *dst = tiny_skia::ColorU8::from_rgba(src[0], src[1], src[2], src[3]).premultiply();
                }
                let (dx, dy) = (x + (w - tw as f32) / 2.0, y + (h - th as f32) / 2.0);
                pm.draw_pixmap(
                    dx.round() as i32,
                    dy.round() as i32,
                    layer.as_ref(),
                    &PixmapPaint::default(),
                    Transform::identity(),
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_may_not_read_files() {
        // A blue SVG on this machine, and a logo whose <image> names it: it is never loaded.
        let path = std::env::temp_dir().join(format!("ruban-logo-test-{}.svg", std::process::id()));
        let blue = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="blue"/></svg>"#;
        std::fs::write(&path, blue).unwrap();
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="{}"/><rect width="4" height="4" fill="red"/></svg>"#,
            path.display()
        );
        let logo = Logo::parse(svg.as_bytes()).unwrap();
        let _ = std::fs::remove_file(&path);
        let mut pm = Pixmap::new(10, 10).unwrap();
        logo.draw(&mut pm, 0.0, 0.0, 10.0, 10.0);
        assert!(pm.pixel(2, 2).unwrap().red() > 200, "the SVG's own drawing is drawn");
        assert_eq!(pm.pixel(8, 8).unwrap().alpha(), 0, "the file named by the SVG was drawn");
    }

    #[test]
    fn a_png_logo_is_drawn_fitted_and_centred() {
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(40, 20, image::Rgba([0, 128, 0, 255])))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let logo = Logo::parse(&png).unwrap();
        let mut pm = Pixmap::new(100, 100).unwrap();
        logo.draw(&mut pm, 0.0, 0.0, 100.0, 100.0);
        // 40 x 20 fitted into 100 x 100 is 100 x 50, centred: rows 25 to 74.
        assert_eq!(pm.pixel(50, 10).unwrap().alpha(), 0);
        assert!(pm.pixel(50, 50).unwrap().green() > 100);
        assert_eq!(pm.pixel(50, 90).unwrap().alpha(), 0);
    }

    #[test]
    fn what_is_not_a_logo_is_a_typed_error() {
        for bytes in [&b"hello"[..], b"<svg", b"\x89PNG\r\n\x1a\n broken"] {
            let err = Logo::parse(bytes).unwrap_err();
            assert!(matches!(err, RenderError::BadLogo(_)), "{bytes:?}: {err:?}");
            assert!(err.to_string().starts_with("logo cannot be read: "), "{err}");
        }
    }
}
