//! Renders every design and kind of image into a folder, to look at them:
//! `cargo run --release -p card-renderer --example gallery -- /tmp/gallery`
use card_renderer::*;
use time::macros::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "gallery".into());
    std::fs::create_dir_all(&dir)?;
    let assets = Assets::embedded()?;
    for (i, d) in Design::ALL.into_iter().enumerate() {
        let locale = if i % 2 == 0 { Locale::FrCa } else { Locale::EnCa };
        let spec = CardSpec {
            to: Name::parse(["Alexandre", "Élodie 👩‍🏫", "ᓄᓇᕕᒃ Nunavik", "Zoé", "محمد", "Maël 🇶🇨"][i])?,
            from: Some(Name::parse("Mme Tremblay, 5e année")?),
            message: (i % 3 != 2).then(|| Message::parse("Ton exposé sur les volcans était vraiment impressionnant. Continue comme ça, ta persévérance fait toute la différence\u{202F}! 🎉👏🏽").unwrap()),
            design: d,
            locale,
        };
        std::fs::write(format!("{dir}/card-{}.png", d.id()), encode::png(&render_card(&assets, &spec))?)?;
    }
    for (locale, size) in [(Locale::FrCa, BadgeSize::Large), (Locale::EnCa, BadgeSize::Small)] {
        let spec =
            BadgeSpec {
                name: Some(Name::parse("Zoé 💚")?), number: 1234, date: date!(2026 - 02 - 19), locale, size
            };
        std::fs::write(
            format!("{dir}/badge-{}-{}.png", locale, size.pixels()),
            encode::png(&render_badge(&assets, &spec))?,
        )?;
    }
    let first = [
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
    for (n, count) in [(8usize, 8u64), (40, 52)] {
        let names = (0..n).map(|i| Name::parse(first[i % first.len()]).unwrap()).collect();
        let spec = ClassBadgeSpec {
            class_name: Label::parse("5e année, groupe 52")?,
            school: Some(Label::parse("École Saint-Jean-Baptiste")?),
            count,
            names,
            date: date!(2026 - 02 - 19),
            locale: Locale::FrCa,
        };
        std::fs::write(format!("{dir}/class-{n}.png"), encode::png(&render_class_badge(&assets, &spec))?)?;
    }
    let cert = CertificateSpec {
        recipient: Name::parse("Élodie Tremblay-Gagnon")?,
        reason: Reason::parse("pour sa persévérance en mathématiques et son sourire qui encourage toute la classe")?,
        giver: Name::parse("Mme Nadia Boucher")?,
        organization: Some(Label::parse("École primaire Saint-Jean-Baptiste")?),
        date: date!(2026 - 02 - 19),
        locale: Locale::FrCa,
    };
    std::fs::write(format!("{dir}/certificate.png"), encode::png(&render_certificate(&assets, &cert))?)?;
    std::fs::write(format!("{dir}/certificate.pdf"), certificate_pdf(&assets, &cert)?)?;
    let mut photo = image::RgbImage::new(800, 600);
    for (x, y, p) in photo.enumerate_pixels_mut() {
        *p = image::Rgb([(x / 4) as u8, (y / 3) as u8, 160]);
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(photo).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    std::fs::write(format!("{dir}/avatar.png"), encode::png(&render_avatar(&assets, &png, Locale::FrCa)?)?)?;
    Ok(())
}
