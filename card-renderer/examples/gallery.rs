//! Renders every design and kind of image into a folder, to look at them:
//! `cargo run --release -p card-renderer --example gallery -- /tmp/gallery`
use card_renderer::{Assets, CardSpec, Design, Locale, Message, Name, encode, render_card};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "gallery".into());
    std::fs::create_dir_all(&dir)?;
    let assets = Assets::embedded()?;
    for (i, d) in Design::ALL.into_iter().enumerate() {
        let locale = if i % 2 == 0 {
            Locale::FrCa
        } else {
            Locale::EnCa
        };
        let spec = CardSpec {
            to: Name::parse(["Alexandre", "Élodie 👩‍🏫", "ᓄᓇᕕᒃ Nunavik", "Zoé", "محمد", "Maël 🇶🇨"][i])?,
            from: Some(Name::parse("Mme Tremblay, 5e année")?),
            message: (i % 3 != 2).then(|| Message::parse("Ton exposé sur les volcans était vraiment impressionnant. Continue comme ça, ta persévérance fait toute la différence\u{202F}! 🎉👏🏽").unwrap()),
            design: d,
            locale,
        };
        std::fs::write(
            format!("{dir}/card-{}.png", d.id()),
            encode::png(&render_card(&assets, &spec))?,
        )?;
    }
    Ok(())
}
