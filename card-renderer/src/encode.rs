//! Encoding pixmaps: PNG (default), JPEG (smaller uploads) and a one-page PDF for printing.
//!
//! PNG settings are a measured choice (see the README's table): deflate level 1 over the Up
//! filter encodes a card in about 2–3 ms; zlib level 6, the peers' default, takes five times
//! longer for a file only a third smaller, and fdeflate's ultra-fast mode halves the time
//! but doubles the size. Opaque images are written as RGB (no
//! alpha channel), which also shrinks them by a quarter. No text chunk, no time stamp: the
//! same input gives the same bytes, and no personal data rides along in metadata.

use tiny_skia::Pixmap;

use crate::error::RenderError;

/// Straight (non-premultiplied) RGBA bytes of a pixmap.
fn straight_rgba(pixmap: &Pixmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    out
}

/// Writes the RGB bytes of an opaque pixmap into `out` in one pass; false if a pixel is not
/// opaque (then `out` holds garbage).
fn opaque_rgb(pixmap: &Pixmap, out: &mut [u8]) -> bool {
    let src = pixmap.data();
    let mut all = 255u8;
    for (d, c) in out.chunks_exact_mut(12).zip(src.chunks_exact(16)) {
        all &= c[3] & c[7] & c[11] & c[15];
        let quad: [u8; 12] = [c[0], c[1], c[2], c[4], c[5], c[6], c[8], c[9], c[10], c[12], c[13], c[14]];
        d.copy_from_slice(&quad);
    }
    let done = src.len() / 16;
    for (d, c) in out[done * 12..].chunks_exact_mut(3).zip(src[done * 16..].chunks_exact(4)) {
        all &= c[3];
        d.copy_from_slice(&c[..3]);
    }
    all == 255
}

/// Encodes a PNG.
pub fn png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    // Cards are opaque: one pass copies and checks, into this thread's reused row buffer;
    // anything else takes the general path.
    crate::scratch::with_rows(pixmap.data().len() / 4 * 3, |rgb| {
        if opaque_rgb(pixmap, rgb) {
            write_png(pixmap, png::ColorType::Rgb, rgb)
        } else {
            write_png(pixmap, png::ColorType::Rgba, &straight_rgba(pixmap))
        }
    })
}

fn write_png(pixmap: &Pixmap, color: png::ColorType, data: &[u8]) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(data.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_deflate_compression(png::DeflateCompression::Level(1));
        enc.set_filter(png::Filter::Up);
        let mut writer = enc.write_header().map_err(|e| RenderError::Encode(e.to_string()))?;
        writer.write_image_data(data).map_err(|e| RenderError::Encode(e.to_string()))?;
        writer.finish().map_err(|e| RenderError::Encode(e.to_string()))?;
    }
    Ok(out)
}

/// Encodes a JPEG at `quality` (1–100), on white where the image is transparent.
pub fn jpeg(pixmap: &Pixmap, quality: u8) -> Result<Vec<u8>, RenderError> {
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for p in pixmap.pixels() {
        // Premultiplied over white: c + (255 - a).
        let inv = 255 - p.alpha();
        rgb.extend_from_slice(&[
            p.red().saturating_add(inv),
            p.green().saturating_add(inv),
            p.blue().saturating_add(inv),
        ]);
    }
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    let (w, h) = (
        u16::try_from(pixmap.width()).map_err(|_| RenderError::Encode("image too wide for JPEG".into()))?,
        u16::try_from(pixmap.height()).map_err(|_| RenderError::Encode("image too tall for JPEG".into()))?,
    );
    enc.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}

/// A one-page PDF holding the image at full page size: `width_pt` x `height_pt` points
/// (1/72 inch). The image is embedded as JPEG (DCTDecode), which every printer driver reads.
pub fn pdf(pixmap: &Pixmap, width_pt: f32, height_pt: f32, title: &str) -> Result<Vec<u8>, RenderError> {
    let image = jpeg(pixmap, 92)?;
    let content = format!("q {width_pt} 0 0 {height_pt} 0 0 cm /Im0 Do Q\n");
    // The title is metadata the reader shows; keep it ASCII-safe with a hex string.
    let title_hex: String =
        std::iter::once("FEFF".to_owned()).chain(title.encode_utf16().map(|u| format!("{u:04X}"))).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] \
             /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        )
        .into_bytes(),
    ];
    let mut img = format!(
        "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB \
         /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        pixmap.width(),
        pixmap.height(),
        image.len()
    )
    .into_bytes();
    img.extend_from_slice(&image);
    img.extend_from_slice(b"\nendstream");
    objects.push(img);
    objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()).into_bytes());
    objects.push(format!("<< /Title <{title_hex}> /Producer (Ruban) >>").into_bytes());

    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            objects.len()
        )
        .as_bytes(),
    );
    Ok(out)
}
