//! Golden images: every design and every edge case of DESIGN's Unicode list, compared with
//! the reviewed references in `tests/golden/`. Regenerate after a deliberate change with
//! `RUBAN_BLESS=1 cargo test -p card-renderer --test golden`, then look at every image.

mod common;

use card_renderer::*;
use common::{assets, check};
use ruban_vocabulary::*;
use time::macros::date;

struct Card(CardSpec);

impl Card {
    fn new(to: &str) -> Self {
        Self(CardSpec {
            to: Name::parse(to).unwrap(),
            from: None,
            message: None,
            design: Design::Celebrer,
            locale: Locale::FrCa,
        })
    }
    fn from(mut self, from: &str) -> Self {
        self.0.from = Some(Name::parse(from).unwrap());
        self
    }
    fn message(mut self, m: &str) -> Self {
        self.0.message = Some(Message::parse(m).unwrap());
        self
    }
    fn design(mut self, d: Design) -> Self {
        self.0.design = d;
        self
    }
    fn english(mut self) -> Self {
        self.0.locale = Locale::EnCa;
        self
    }
    fn check(self, case: &str) {
        check("card", case, &render_card(&assets(), &self.0));
    }
}

#[test]
fn card_celebrer() {
    Card::new("Alexandre")
        .from("Mme Tremblay, 5e année")
        .message("Ton exposé sur les volcans était vraiment impressionnant. Continue comme ça, ta persévérance fait toute la différence\u{202F}!")
        .check("celebrer");
}

#[test]
fn card_reconnaitre_english_suggested() {
    Card::new("Jordan").from("Coach Sam").design(Design::Reconnaitre).english().check("reconnaitre");
}

#[test]
fn card_oser_suggested() {
    Card::new("Maëlle").design(Design::Oser).check("oser");
}

#[test]
fn card_investir() {
    Card::new("William")
        .from("Ta grand-maman")
        .message("Chaque page lue est une graine plantée. Je suis fière de toi!")
        .design(Design::Investir)
        .check("investir");
}

#[test]
fn card_reussir_english() {
    Card::new("Priya")
        .from("Mr. Gagnon")
        .message("You finished your science project and it was amazing. Keep shining!")
        .design(Design::Reussir)
        .english()
        .check("reussir");
}

#[test]
fn card_encourager() {
    Card::new("Noah").from("Ton ami Félix").design(Design::Encourager).check("encourager");
}

#[test]
fn card_merci() {
    Card::new("M. Tremblay")
        .from("Zoé, 5ᵉ année")
        .message("Merci de croire en moi, même les jours où j’en doute.")
        .design(Design::Merci)
        .check("merci");
}

#[test]
fn card_merci_english() {
    Card::new("Coach Sam").from("Liam").design(Design::Merci).english().check("merci_en");
}

#[test]
fn card_longest_name() {
    let name = "Wolfgang-Maximilien Xavier-Wellington WW";
    assert_eq!(name.chars().count(), 40);
    Card::new(name).from(name).message("Bravo!").check("longest_name");
}

#[test]
fn card_longest_message() {
    let unit = "Persévérer, c’est avancer un pas à la fois, même quand c’est difficile. ";
    let message: String = unit.repeat(4).chars().take(280).collect();
    Card::new("Léa")
        .from("Mme Nadia Boucher-Lévesque")
        .message(&message)
        .design(Design::Investir)
        .check("longest_message");
}

#[test]
fn card_unbreakable_word() {
    // One 280-character "word": broken between graphemes, never overflowing.
    let message: String = "Bravoooo".repeat(35);
    Card::new("Zoé").message(&message).design(Design::Reussir).check("unbreakable_word");
}

#[test]
fn card_emoji() {
    Card::new("Élodie 👩‍🏫🇶🇨")
        .from("Ta classe 💚")
        .message("💚 🎉 👏🏽 👩‍🏫 🇶🇨 On est tellement fiers de toi! 🌟🚀")
        .design(Design::Encourager)
        .check("emoji");
}

#[test]
fn card_accents_and_french_punctuation() {
    Card::new("Éloïse-Çédric Œuvray")
        .from("L’équipe-école")
        .message("«\u{202F}Ça, c’est de la persévérance\u{202F}!\u{202F}» Ton œuvre est magnifique\u{202F}: bravo à toi, Ève\u{202F}!")
        .design(Design::Reconnaitre)
        .check("accents");
}

#[test]
fn card_syllabics() {
    Card::new("ᐃᓗᐃᓐᓇᐃᑦ ᓄᓇᕕᒃ")
        .from("ᐊᓂᑦᑎᐊᖅ")
        .message("ᓄᓇᕕᒃ · Nunavik : ᖁᔭᓐᓇᒦᒃ! Tu es une source d’inspiration.")
        .design(Design::Oser)
        .check("syllabics");
}

#[test]
fn card_right_to_left() {
    Card::new("محمد و נועה").from("Mme Haddad").message("برافو! כל הכבוד! Bravo pour ta persévérance.").check("rtl");
}

#[test]
fn card_fallback_glyph() {
    // A private-use character and an unassigned plane-16 code point: no font has them.
    Card::new("Alex \u{E000}\u{10FFFD}").message("Symbole inconnu\u{202F}: \u{E000}").check("fallback_glyph");
}

#[test]
fn card_fancy_letters_and_cjk() {
    Card::new("𝗧𝗲𝘀𝘁 𝓣𝓮𝓼𝓽 小明").message("Ｂｒａｖｏ 𝒂𝒖𝒙 𝒄𝒉𝒂𝒎𝒑𝒊𝒐𝒏𝒔 ! 加油").check("fancy_cjk");
}

#[test]
fn badges() {
    let a = assets();
    let badge = |name: Option<&str>, number, locale, size| BadgeSpec {
        name: name.map(|n| Name::parse(n).unwrap()),
        number,
        date: date!(2026 - 02 - 19),
        locale,
        size,
    };
    check("badge", "fr_1080", &render_badge(&a, &badge(Some("Zoé 💚"), 1234, Locale::FrCa, BadgeSize::Large)));
    check("badge", "en_512", &render_badge(&a, &badge(Some("Jordan"), 1_234_567, Locale::EnCa, BadgeSize::Small)));
    check("badge", "no_name", &render_badge(&a, &badge(None, 1, Locale::FrCa, BadgeSize::Large)));
}

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
    "نور",
    "ᐃᓗᐃᓐᓇ",
];

fn class(n: usize, count: u64, locale: Locale) -> ClassBadgeSpec {
    ClassBadgeSpec {
        class_name: Label::parse("5e année, groupe 52").unwrap(),
        school: Some(Label::parse("École primaire Saint-Jean-Baptiste").unwrap()),
        count,
        names: (0..n).map(|i| Name::parse(FIRST[i % FIRST.len()]).unwrap()).collect(),
        date: date!(2026 - 02 - 19),
        locale,
        group: false,
    }
}

#[test]
fn class_badges() {
    let a = assets();
    check("class_badge", "eight", &render_class_badge(&a, &class(8, 8, Locale::FrCa)));
    check("class_badge", "forty_and_more", &render_class_badge(&a, &class(40, 52, Locale::FrCa)));
    check("class_badge", "no_names_english", &render_class_badge(&a, &class(0, 1, Locale::EnCa)));
    // The most names drawn, each large enough to read on a phone; one more is counted instead.
    check("class_badge", "twenty_four", &render_class_badge(&a, &class(24, 24, Locale::FrCa)));
    check("class_badge", "twenty_five_english", &render_class_badge(&a, &class(25, 25, Locale::EnCa)));
    // A cégep's group: « Notre groupe s’engage! », and 31 pupils without names.
    let group = ClassBadgeSpec {
        class_name: Label::parse("Soins infirmiers 1020").unwrap(),
        school: Some(Label::parse("Cégep de Rimouski").unwrap()),
        group: true,
        ..class(0, 31, Locale::FrCa)
    };
    check("class_badge", "group_fr", &render_class_badge(&a, &group));
}

#[test]
fn certificate() {
    let spec = CertificateSpec {
        recipient: Name::parse("Élodie Tremblay-Gagnon").unwrap(),
        reason: Reason::parse("pour sa persévérance en mathématiques et son sourire qui encourage toute la classe")
            .unwrap(),
        giver: Name::parse("Mme Nadia Boucher").unwrap(),
        organization: Some(Label::parse("École primaire Saint-Jean-Baptiste").unwrap()),
        date: date!(2026 - 02 - 19),
        locale: Locale::FrCa,
    };
    check("certificate", "fr", &render_certificate(&assets(), &spec));
    // With a school's logo (an SVG crest) between the signature and the date.
    let crest = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120"><path d="M50,4 L94,18 C94,70 76,100 50,116 C24,100 6,70 6,18 Z" fill="#1E3A8A"/><path d="M50,22 L62,52 L94,52 L68,72 L78,104 L50,84 L22,104 L32,72 L6,52 L38,52 Z" fill="#FFD45C" transform="translate(12,10) scale(0.76)"/></svg>"##;
    let logo = Logo::parse(crest).unwrap();
    check(
        "certificate",
        "fr_logo",
        &render_certificate_with_logo(&assets(), &spec, Some(&assets().campaign), Some(&logo)),
    );
    let spec = CertificateSpec {
        recipient: Name::parse("Jordan Smith-Côté").unwrap(),
        reason: Reason::parse("for sticking with math all year and a smile that lifts the whole class").unwrap(),
        giver: Name::parse("Mr. Gagnon").unwrap(),
        organization: None,
        date: date!(2026 - 03 - 01),
        locale: Locale::EnCa,
    };
    check("certificate", "en", &render_certificate(&assets(), &spec));
}

#[test]
fn avatar() {
    let mut photo = image::RgbImage::new(800, 600);
    for (x, y, p) in photo.enumerate_pixels_mut() {
        *p = image::Rgb([(x / 4) as u8, (y * 2 / 5) as u8, 160]);
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(photo)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    check("avatar", "gradient_photo", &render_avatar(&assets(), &png, Locale::FrCa).unwrap());
}

#[test]
fn card_between_campaigns_names_the_journees_without_a_year() {
    let spec = Card::new("Léa").message("Bravo!").0;
    check("card", "between_campaigns", &render_card_in(&assets(), &spec, None));
}
