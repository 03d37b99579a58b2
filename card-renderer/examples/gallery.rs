//! Renders every kind of image, every design and both languages into a folder, with contact
//! sheets (`sheet-*.png`) to look at them side by side:
//! `cargo run --release -p card-renderer --example gallery -- /tmp/gallery`
use card_renderer::*;
use image::{RgbaImage, imageops};
use ruban_vocabulary::*;
use time::macros::date;

const FIRST: [&str; 20] = [
    "Léa",
    "Noah",
    "Florence",
    "William",
    "Alice",
    "Liam",
    "Olivia",
    "Thomas",
    "Emma",
    "Jacob",
    "Charlotte",
    "Nathan",
    "Béatrice",
    "Logan",
    "Rosalie",
    "Édouard",
    "Maëlle",
    "Ayaan",
    "Aylin",
    "Tiiva",
];

fn rgba(pm: &Pixmap) -> RgbaImage {
    let mut img = RgbaImage::new(pm.width(), pm.height());
    for (dst, p) in img.pixels_mut().zip(pm.pixels()) {
        let c = p.demultiply();
        *dst = image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
    }
    img
}

/// Images laid in a grid of `cols` columns, each scaled to `cell` px wide.
fn sheet(images: &[RgbaImage], cols: u32, cell: u32) -> RgbaImage {
    let scaled: Vec<RgbaImage> = images
        .iter()
        .map(|i| {
            let h = cell * i.height() / i.width();
            imageops::resize(i, cell, h, imageops::FilterType::Triangle)
        })
        .collect();
    let row_h = scaled.iter().map(|i| i.height()).max().unwrap_or(0) + 8;
    let rows = (scaled.len() as u32).div_ceil(cols);
    let mut out = RgbaImage::from_pixel(cols * (cell + 8), rows * row_h, image::Rgba([90, 90, 90, 255]));
    for (n, img) in scaled.iter().enumerate() {
        let (c, r) = (n as u32 % cols, n as u32 / cols);
        imageops::overlay(&mut out, img, i64::from(c * (cell + 8)), i64::from(r * row_h));
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "gallery".into());
    std::fs::create_dir_all(&dir)?;
    let assets = Assets::embedded()?;
    let save = |name: &str, pm: &Pixmap| -> Result<RgbaImage, Box<dyn std::error::Error>> {
        std::fs::write(format!("{dir}/{name}.png"), encode::png(pm)?)?;
        Ok(rgba(pm))
    };
    let long: String = "Persévérer, c’est avancer un pas à la fois, même quand c’est difficile. "
        .repeat(4)
        .chars()
        .take(280)
        .collect();
    let mut cards = Vec::new();
    for (i, d) in Design::ALL.into_iter().enumerate() {
        for locale in [Locale::FrCa, Locale::EnCa] {
            let message = match (i % 3, locale) {
                (0, _) => Some("Bravo!".to_owned()),
                (1, Locale::FrCa) => Some(long.clone()),
                (1, Locale::EnCa) => Some("You did it, and you never gave up. 🎉".to_owned()),
                _ => None,
            };
            let spec = CardSpec {
                to: Name::parse(["Alexandre", "Élodie 👩‍🏫", "ᓄᓇᕕᒃ Nunavik", "Zoé", "محمد", "Maël 🇶🇨"][i])?,
                from: Some(Name::parse("Mme Tremblay, 5e année")?),
                message: message.map(|m| Message::parse(&m)).transpose()?,
                design: d,
                locale,
            };
            cards.push(save(&format!("card-{}-{locale}", d.id()), &render_card(&assets, &spec))?);
        }
    }
    // Between campaigns, none announced: no year, no dates.
    let spec =
        CardSpec {
            to: Name::parse("Léa")?, from: None, message: None, design: Design::Celebrer, locale: Locale::FrCa
        };
    cards.push(save("card-between-campaigns", &render_card_in(&assets, &spec, None))?);
    sheet(&cards, 4, 400).save(format!("{dir}/sheet-cards.png"))?;

    let mut badges = Vec::new();
    for locale in [Locale::FrCa, Locale::EnCa] {
        for size in [BadgeSize::Large, BadgeSize::Small] {
            let spec = BadgeSpec {
                name: Some(Name::parse("Zoé 💚")?),
                number: 1234,
                date: date!(2026 - 02 - 19),
                locale,
                size,
            };
            badges.push(save(&format!("badge-{locale}-{}", size.pixels()), &render_badge(&assets, &spec))?);
        }
        for n in [0usize, 8, 24, 40] {
            let spec = ClassBadgeSpec {
                class_name: Label::parse("5e année, groupe 52")?,
                school: Some(Label::parse("École Saint-Jean-Baptiste")?),
                count: (n as u64 * 13 / 10).max(1),
                names: (0..n).map(|i| Name::parse(FIRST[i % FIRST.len()]).unwrap()).collect(),
                date: date!(2026 - 02 - 19),
                locale,
                group: false,
            };
            badges.push(save(&format!("class-{n}-{locale}"), &render_class_badge(&assets, &spec))?);
        }
        let mut photo = image::RgbImage::new(800, 600);
        for (x, y, p) in photo.enumerate_pixels_mut() {
            *p = image::Rgb([(x / 4) as u8, (y / 3) as u8, 160]);
        }
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(photo).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
        badges.push(save(&format!("avatar-{locale}"), &render_avatar(&assets, &png, locale)?)?);
    }
    sheet(&badges, 4, 400).save(format!("{dir}/sheet-badges.png"))?;

    let mut certs = Vec::new();
    for locale in [Locale::FrCa, Locale::EnCa] {
        let cert = CertificateSpec {
            recipient: Name::parse("Élodie Tremblay-Gagnon")?,
            reason: Reason::parse(match locale {
                Locale::FrCa => "pour sa persévérance en mathématiques et son sourire qui encourage toute la classe",
                Locale::EnCa => "for sticking with math all year and a smile that lifts the whole class",
            })?,
            giver: Name::parse("Mme Nadia Boucher")?,
            organization: Some(Label::parse("École primaire Saint-Jean-Baptiste")?),
            date: date!(2026 - 02 - 19),
            locale,
        };
        certs.push(save(&format!("certificate-{locale}"), &render_certificate(&assets, &cert))?);
        std::fs::write(format!("{dir}/certificate-{locale}.pdf"), certificate_pdf(&assets, &cert)?)?;
    }
    sheet(&certs, 2, 800).save(format!("{dir}/sheet-certificates.png"))?;

    // The ribbon alone, at 64 px and 1000 px high, on white and on the campaign's green.
    let svg = std::env::var("RIBBON_SVG").map_or_else(
        |_| include_str!("../../assets/art/ribbon.svg").to_owned(),
        |p| std::fs::read_to_string(p).expect("RIBBON_SVG names a readable file"),
    );
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())?;
    for h in [64u32, 1000] {
        let size = tree.size();
        let s = h as f32 / size.height();
        let w = (size.width() * s).ceil() as u32;
        let mut pm = Pixmap::new(w * 2 + 16, h).ok_or("pixmap")?;
        pm.fill(tiny_skia::Color::from_rgba8(255, 255, 255, 255));
        let green = tiny_skia::Rect::from_xywh((w + 16) as f32, 0.0, w as f32, h as f32).ok_or("rect")?;
        pm.fill_rect(
            green,
            &tiny_skia::Paint {
                shader: tiny_skia::Shader::SolidColor(tiny_skia::Color::from_rgba8(43, 168, 74, 255)),
                ..Default::default()
            },
            tiny_skia::Transform::identity(),
            None,
        );
        resvg::render(&tree, tiny_skia::Transform::from_scale(s, s), &mut pm.as_mut());
        resvg::render(&tree, tiny_skia::Transform::from_row(s, 0.0, 0.0, s, (w + 16) as f32, 0.0), &mut pm.as_mut());
        std::fs::write(format!("{dir}/ribbon-{h}.png"), encode::png(&pm)?)?;
    }
    Ok(())
}
