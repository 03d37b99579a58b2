//! `ruban render …`: one image to a file, from flags or a JSON spec, and certificates for a
//! whole class from a CSV file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use card_renderer::{
    Assets, BadgeSize, BadgeSpec, CardSpec, CertificateSpec, ClassBadgeSpec, Format, Label, Logo, Message, Name,
    Reason, certificate_pdf_with_logo, encode_as, render_badge_in, render_card_in, render_certificate_with_logo,
    render_class_badge_in,
};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use ruban_vocabulary::{Design, Locale};
use time::Date;

/// What to render.
#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// An encouragement card (1080 x 1080).
    ///
    /// Example: ruban render card --to "Élodie" --from "Mme Tremblay" --design oser --out carte.png
    Card(CardArgs),
    /// A ribbon pledge badge (1080 x 1080, or 512 x 512 with --size 512).
    ///
    /// Example: ruban render badge --name "Zoé" --number 1234 --out badge.png
    Badge(BadgeArgs),
    /// A class badge: the class, its school, the count and up to 40 first names.
    ///
    /// Example: ruban render class-badge --class "5e année B" --count 28 --names "Léa,Noah,Zoé" --out classe.png
    ClassBadge(ClassBadgeArgs),
    /// A certificate of recognition (US Letter, 300 dpi), as PNG, JPEG or PDF (from --out's
    /// extension); with --csv, one certificate per row (PNG and PDF) into --out-dir.
    ///
    /// Example: ruban render certificate --to "Élodie" --reason "sa persévérance en lecture" --giver "Mme Tremblay" --out certificat.pdf
    ///
    /// CSV columns (a header row is required): name, reason, giver, and optionally
    /// organization, date (YYYY-MM-DD) and lang (fr-CA or en-CA).
    Certificate(CertificateArgs),
    /// A round 512 x 512 profile picture framed by the ribbon, from a PNG, JPEG, WebP or GIF.
    ///
    /// Example: ruban render avatar --photo moi.jpg --out avatar.png
    Avatar(AvatarArgs),
}

/// Options every image shares.
#[derive(Debug, Args)]
pub struct Common {
    /// Language of the fixed texts: fr-CA (default) or en-CA.
    #[arg(long = "lang", default_value = "fr-CA")]
    lang: String,
    /// png (default) or jpeg; a .jpg/.jpeg --out implies jpeg.
    #[arg(long)]
    format: Option<String>,
    /// Read the whole description from a JSON file instead of flags.
    #[arg(long, value_name = "FILE.json")]
    spec: Option<PathBuf>,
}

/// `ruban render card`.
#[derive(Debug, Args)]
pub struct CardArgs {
    /// Who the card is for (at most 40 characters).
    #[arg(long, required_unless_present = "spec")]
    to: Option<String>,
    /// Who signs it.
    #[arg(long)]
    from: Option<String>,
    /// The message (at most 280 characters); without it, a suggested one is drawn.
    #[arg(long)]
    message: Option<String>,
    /// celebrer, reconnaitre, oser, investir, reussir, encourager, merci, or 1 to 7.
    #[arg(long, default_value = "celebrer")]
    design: String,
    #[command(flatten)]
    common: Common,
    /// Where to write the image.
    #[arg(long)]
    out: PathBuf,
}

/// `ruban render badge`.
#[derive(Debug, Args)]
pub struct BadgeArgs {
    /// The public name the person chose (optional).
    #[arg(long)]
    name: Option<String>,
    /// The pledge's number in the green wave.
    #[arg(long, required_unless_present = "spec")]
    number: Option<u64>,
    /// The day of the pledge (YYYY-MM-DD; default today).
    #[arg(long)]
    date: Option<String>,
    /// 1080 (default) or 512.
    #[arg(long, default_value_t = 1080)]
    size: u32,
    #[command(flatten)]
    common: Common,
    /// Where to write the image.
    #[arg(long)]
    out: PathBuf,
}

/// `ruban render class-badge`.
#[derive(Debug, Args)]
pub struct ClassBadgeArgs {
    /// The class's name.
    #[arg(long = "class", required_unless_present = "spec")]
    class_name: Option<String>,
    /// The school.
    #[arg(long)]
    school: Option<String>,
    /// How many people pledged (default: the number of names).
    #[arg(long)]
    count: Option<u64>,
    /// First names, separated by commas.
    #[arg(long, value_delimiter = ',')]
    names: Vec<String>,
    /// The day (YYYY-MM-DD; default today).
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    common: Common,
    /// Where to write the image.
    #[arg(long)]
    out: PathBuf,
}

/// `ruban render certificate`.
#[derive(Debug, Args)]
pub struct CertificateArgs {
    /// Who receives it.
    #[arg(long, required_unless_present_any = ["spec", "csv"])]
    to: Option<String>,
    /// Why (at most 160 characters).
    #[arg(long, required_unless_present_any = ["spec", "csv"])]
    reason: Option<String>,
    /// Who gives it.
    #[arg(long, required_unless_present_any = ["spec", "csv"])]
    giver: Option<String>,
    /// The school or organism.
    #[arg(long)]
    organization: Option<String>,
    /// The date written on it (YYYY-MM-DD; default today).
    #[arg(long)]
    date: Option<String>,
    /// The school's or the region's logo (PNG, JPEG, WebP, GIF or SVG), printed between the
    /// signature and the date; with --csv, on every certificate.
    #[arg(long)]
    logo: Option<PathBuf>,
    /// A CSV of recipients: one certificate (PNG and PDF) per row.
    #[arg(long, requires = "out_dir", conflicts_with = "out")]
    csv: Option<PathBuf>,
    /// The folder for --csv's certificates.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// Where to write the certificate (.png, .jpg or .pdf).
    #[arg(long, required_unless_present = "csv")]
    out: Option<PathBuf>,
}

/// `ruban render avatar`.
#[derive(Debug, Args)]
pub struct AvatarArgs {
    /// The photo.
    #[arg(long)]
    photo: PathBuf,
    /// Language of the caption.
    #[arg(long = "lang", default_value = "fr-CA")]
    lang: String,
    /// Where to write the image.
    #[arg(long)]
    out: PathBuf,
}

/// Runs one render command.
/// Images carry `edition`, today's campaign (or the next), or no year between campaigns.
pub fn run(
    cmd: RenderCommand,
    edition: Option<ruban_vocabulary::Campaign>,
    clock: &ruban_vocabulary::Clock,
) -> Result<()> {
    let assets = Assets::embedded()?;
    let edition = edition.as_ref();
    match cmd {
        RenderCommand::Card(a) => {
            let spec: CardSpec = match &a.common.spec {
                Some(path) => read_spec(path)?,
                None => CardSpec {
                    to: Name::parse(a.to.as_deref().unwrap_or_default()).context("--to")?,
                    from: a.from.as_deref().map(Name::parse).transpose().context("--from")?,
                    message: a.message.as_deref().map(Message::parse).transpose().context("--message")?,
                    design: a.design.parse::<Design>().context("--design")?,
                    locale: locale(&a.common.lang)?,
                },
            };
            write(
                &a.out,
                &encode_as(&render_card_in(&assets, &spec, edition), format(a.common.format.as_deref(), &a.out)?)?,
            )
        }
        RenderCommand::Badge(a) => {
            let spec: BadgeSpec = match &a.common.spec {
                Some(path) => read_spec(path)?,
                None => BadgeSpec {
                    name: a.name.as_deref().map(Name::parse).transpose().context("--name")?,
                    number: a.number.unwrap_or_default(),
                    date: date(a.date.as_deref(), clock)?,
                    locale: locale(&a.common.lang)?,
                    size: match a.size {
                        1080 => BadgeSize::Large,
                        512 => BadgeSize::Small,
                        other => bail!("--size {other}: use 1080 or 512"),
                    },
                },
            };
            write(
                &a.out,
                &encode_as(&render_badge_in(&assets, &spec, edition), format(a.common.format.as_deref(), &a.out)?)?,
            )
        }
        RenderCommand::ClassBadge(a) => {
            let spec: ClassBadgeSpec = match &a.common.spec {
                Some(path) => read_spec(path)?,
                None => {
                    let names = a
                        .names
                        .iter()
                        .filter(|n| !n.trim().is_empty())
                        .map(|n| Name::parse(n).with_context(|| format!("--names: {n:?}")))
                        .collect::<Result<Vec<_>>>()?;
                    ClassBadgeSpec {
                        class_name: Label::parse(a.class_name.as_deref().unwrap_or_default()).context("--class")?,
                        school: a.school.as_deref().map(Label::parse).transpose().context("--school")?,
                        count: a.count.unwrap_or(names.len() as u64),
                        names,
                        date: date(a.date.as_deref(), clock)?,
                        locale: locale(&a.common.lang)?,
                        group: false,
                    }
                }
            };
            write(
                &a.out,
                &encode_as(
                    &render_class_badge_in(&assets, &spec, edition),
                    format(a.common.format.as_deref(), &a.out)?,
                )?,
            )
        }
        RenderCommand::Certificate(a) => certificate(&assets, a, edition, clock),
        RenderCommand::Avatar(a) => {
            let photo = std::fs::read(&a.photo).with_context(|| format!("cannot read {}", a.photo.display()))?;
            let pixmap = card_renderer::render_avatar_in(&assets, &photo, locale(&a.lang)?, edition)
                .with_context(|| format!("{}", a.photo.display()))?;
            write(&a.out, &encode_as(&pixmap, format(None, &a.out)?)?)
        }
    }
}

/// The logo named by --logo, read and checked before anything is drawn.
fn logo(path: Option<&Path>) -> Result<Option<Logo>> {
    let Some(path) = path else { return Ok(None) };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read the logo {}", path.display()))?;
    Ok(Some(Logo::parse(&bytes).with_context(|| format!("--logo {}", path.display()))?))
}

fn certificate(
    assets: &Assets,
    a: CertificateArgs,
    edition: Option<&ruban_vocabulary::Campaign>,
    clock: &ruban_vocabulary::Clock,
) -> Result<()> {
    let logo = logo(a.logo.as_deref())?;
    if let (Some(csv), Some(dir)) = (&a.csv, &a.out_dir) {
        let (lang, day) = (locale(&a.common.lang)?, date(a.date.as_deref(), clock)?);
        return certificate_batch(assets, csv, dir, lang, day, edition, logo.as_ref());
    }
    let out = a.out.clone().context("--out is required")?;
    let spec: CertificateSpec = match &a.common.spec {
        Some(path) => read_spec(path)?,
        None => CertificateSpec {
            recipient: Name::parse(a.to.as_deref().unwrap_or_default()).context("--to")?,
            reason: Reason::parse(a.reason.as_deref().unwrap_or_default()).context("--reason")?,
            giver: Name::parse(a.giver.as_deref().unwrap_or_default()).context("--giver")?,
            organization: a.organization.as_deref().map(Label::parse).transpose().context("--organization")?,
            date: date(a.date.as_deref(), clock)?,
            locale: locale(&a.common.lang)?,
        },
    };
    if extension(&out) == "pdf" {
        return write(&out, &certificate_pdf_with_logo(assets, &spec, edition, logo.as_ref())?);
    }
    let pixmap = render_certificate_with_logo(assets, &spec, edition, logo.as_ref());
    write(&out, &encode_as(&pixmap, format(a.common.format.as_deref(), &out)?)?)
}

/// One row of a class's CSV.
#[derive(Debug, serde::Deserialize)]
struct Row {
    name: String,
    reason: String,
    giver: String,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// Validates every row first (a bad row renders nothing), then renders on all cores.
fn certificate_batch(
    assets: &Assets,
    csv_path: &Path,
    dir: &Path,
    lang: Locale,
    default_date: Date,
    edition: Option<&ruban_vocabulary::Campaign>,
    logo: Option<&Logo>,
) -> Result<()> {
    let file = std::fs::File::open(csv_path).with_context(|| format!("cannot read {}", csv_path.display()))?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(file);
    let shown = csv_path.display();
    let mut specs = Vec::new();
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2; // the header is line 1
        let row = record.map_err(|e| anyhow::anyhow!("cannot read {shown}: line {line}: {e}"))?;
        let at = |field: &str| format!("cannot read {shown}: line {line}: {field}");
        specs.push(CertificateSpec {
            recipient: Name::parse(&row.name).with_context(|| at("name"))?,
            reason: Reason::parse(&row.reason).with_context(|| at("reason"))?,
            giver: Name::parse(&row.giver).with_context(|| at("giver"))?,
            organization: row
                .organization
                .as_deref()
                .filter(|o| !o.is_empty())
                .map(Label::parse)
                .transpose()
                .with_context(|| at("organization"))?,
            date: match row.date.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => day(d).with_context(|| at("date"))?,
                None => default_date,
            },
            locale: match row.lang.as_deref().filter(|l| !l.is_empty()) {
                Some(l) => locale(l).with_context(|| at("lang"))?,
                None => lang,
            },
        });
    }
    if specs.is_empty() {
        bail!("{shown} has no rows: expected a header (name,reason,giver) and one row per person");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let bar = indicatif::ProgressBar::new(specs.len() as u64).with_style(
        indicatif::ProgressStyle::with_template("{bar:40.green/white} {pos}/{len} certificats · {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let done = AtomicUsize::new(0);
    specs.par_iter().enumerate().try_for_each(|(i, spec)| -> Result<()> {
        let stem = dir.join(format!("{:03}-{}", i + 1, slug(spec.recipient.as_str())));
        let pixmap = render_certificate_with_logo(assets, spec, edition, logo);
        write(&stem.with_extension("png"), &encode_as(&pixmap, Format::Png)?)?;
        let title = assets.texts.get(spec.locale, "certificate-title", &[]);
        write(&stem.with_extension("pdf"), &card_renderer::encode::pdf(&pixmap, 792.0, 612.0, &title)?)?;
        done.fetch_add(1, Ordering::Relaxed);
        bar.inc(1);
        Ok(())
    })?;
    bar.finish_and_clear();
    eprintln!("{} certificates written to {}", done.load(Ordering::Relaxed), dir.display());
    Ok(())
}

/// A file-name-safe form of a name: ASCII letters and digits (accents folded), `-`.
fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut s = String::new();
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 40 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_owned();
    if s.is_empty() { "certificat".to_owned() } else { s }
}

fn read_spec<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("cannot read {}", path.display()))
}

fn locale(tag: &str) -> Result<Locale> {
    Ok(tag.parse::<Locale>()?)
}

fn day(s: &str) -> Result<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("date {s:?} is not YYYY-MM-DD"))
}

fn date(arg: Option<&str>, clock: &ruban_vocabulary::Clock) -> Result<Date> {
    match arg {
        Some(s) => day(s),
        // The process's one clock (RUBAN_TODAY, else today in Montreal).
        None => Ok(clock.today()),
    }
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase()
}

/// The format `out` is written in: its extension's (`.png`, `.jpg`), which `--format` may
/// only repeat. A name that says another format (`x.gif`, `x.png` with `--format jpeg`) is
/// refused rather than written with bytes its name lies about.
fn format(asked: Option<&str>, out: &Path) -> Result<Format> {
    let by_name = match extension(out).as_str() {
        "png" => Some(Format::Png),
        "jpg" | "jpeg" => Some(Format::Jpeg),
        "" => None,
        other => anyhow::bail!("--out {}: .{other} is not a format ruban writes here: use .png or .jpg", out.display()),
    };
    let asked = asked.map(str::parse::<Format>).transpose()?;
    match (asked, by_name) {
        (Some(a), Some(n)) if a != n => {
            anyhow::bail!("--out {}: the name says {n:?} but --format asks for {a:?}", out.display())
        }
        (a, n) => Ok(a.or(n).unwrap_or(Format::Png)),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Élodie Tremblay"), "elodie-tremblay");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("محمد"), "certificat");
    }
}
