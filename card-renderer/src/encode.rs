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
    jpeg_sampled(pixmap, quality, None)
}

/// [`jpeg`] with the chroma subsampling given (the encoder's choice by quality otherwise).
fn jpeg_sampled(
    pixmap: &Pixmap,
    quality: u8,
    sampling: Option<jpeg_encoder::SamplingFactor>,
) -> Result<Vec<u8>, RenderError> {
    let mut rgb = vec![0u8; pixmap.data().len() / 4 * 3];
    for (px, out) in pixmap.data().chunks_exact(4).zip(rgb.chunks_exact_mut(3)) {
        // Premultiplied over white: c + (255 - a).
        let inv = 255 - px[3];
        out[0] = px[0].saturating_add(inv);
        out[1] = px[1].saturating_add(inv);
        out[2] = px[2].saturating_add(inv);
    }
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    if let Some(sampling) = sampling {
        enc.set_sampling_factor(sampling);
    }
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
    pdf_pages(&[jpeg_page(pixmap)?], width_pt, height_pt, title)
}

/// One page of [`pdf_pages`]: a pixmap already encoded as JPEG (so pages can be encoded on
/// several cores), with its size in pixels.
#[derive(Debug, Clone)]
pub struct JpegPage {
    bytes: Vec<u8>,
    width: u32,
    height: u32,
}

impl JpegPage {
    /// A page from JPEG bytes already made by [`jpeg_page`] elsewhere (another thread).
    pub fn from_jpeg(bytes: Vec<u8>, width: u32, height: u32) -> Self {
        Self { bytes, width, height }
    }
}

/// Encodes `pixmap` as a page for [`pdf_pages`] (JPEG, quality 92).
pub fn jpeg_page(pixmap: &Pixmap) -> Result<JpegPage, RenderError> {
    Ok(JpegPage { bytes: jpeg_print(pixmap)?, width: pixmap.width(), height: pixmap.height() })
}

/// A page to print (a certificate at 300 dpi) as JPEG: quality 92 with the chroma at half
/// resolution (4:2:0), which no printer shows at 300 dpi and which halves the encoding's work
/// (a class's 30 pages are encoded in one go).
pub fn jpeg_print(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    jpeg_sampled(pixmap, 92, Some(jpeg_encoder::SamplingFactor::F_2_2))
}

/// A PDF with one page per image, each filling a `width_pt` x `height_pt` page (a class's
/// certificates, to print in one go). Written by hand for the same reason as [`pdf`]: a PDF
/// holding JPEG images needs no more than these few objects.
pub fn pdf_pages(pages: &[JpegPage], width_pt: f32, height_pt: f32, title: &str) -> Result<Vec<u8>, RenderError> {
    let content = format!("q {width_pt} 0 0 {height_pt} 0 0 cm /Im0 Do Q\n");
    // The title is metadata the reader shows; keep it ASCII-safe with a hex string.
    let title_hex: String =
        std::iter::once("FEFF".to_owned()).chain(title.encode_utf16().map(|u| format!("{u:04X}"))).collect();
    // Objects: 1 the catalog, 2 the page tree, then three per page (the page, its image, its
    // content), then the document's information.
    let page_obj = |i: usize| 3 + 3 * i;
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", page_obj(i))).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).into_bytes(),
    ];
    for (i, page) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] \
                 /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                page_obj(i) + 1,
                page_obj(i) + 2
            )
            .into_bytes(),
        );
        let mut img = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB \
             /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            page.width,
            page.height,
            page.bytes.len()
        )
        .into_bytes();
        img.extend_from_slice(&page.bytes);
        img.extend_from_slice(b"\nendstream");
        objects.push(img);
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()).into_bytes());
    }
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
