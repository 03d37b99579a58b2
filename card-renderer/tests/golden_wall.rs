//! Golden images of the wall of support and the totals chart (what `/mur` and `/totaux` send
//! in the chats), compared like every golden (`tests/common`).

mod common;

use card_renderer::*;
use common::{assets, check};
use ruban_vocabulary::*;

#[test]
fn wall_french_with_messages() {
    let spec = WallSpec {
        title: "Le mur d’appui".into(),
        total: "1 234".into(),
        summary: "1 234 personnes portent le ruban, dont 56 aujourd’hui.".into(),
        entries: vec![
            ("Zoé".into(), "Lâche pas, tu es capable!".into()),
            ("Une personne de la vague".into(), "Chaque effort compte, même les petits.".into()),
            ("Mme Tremblay".into(), "Bravo à toute la 5e année B pour votre persévérance!".into()),
            ("Noah".into(), "On est fiers de vous 💚".into()),
        ],
        locale: Locale::FrCa,
    };
    check("wall", "fr_four_messages", &render_wall(&assets(), &spec));
}

#[test]
fn wall_french_with_two_messages() {
    let spec = WallSpec {
        title: "Le mur d’appui".into(),
        total: "12".into(),
        summary: "12 personnes portent le ruban, dont 3 aujourd’hui.".into(),
        entries: vec![
            ("Zoé".into(), "Lâche pas, tu es capable!".into()),
            (
                "Mme Tremblay".into(),
                "Bravo à toute la 5e année B pour votre persévérance et vos beaux efforts cette semaine!".into(),
            ),
        ],
        locale: Locale::FrCa,
    };
    check("wall", "fr_two_messages", &render_wall(&assets(), &spec));
}

#[test]
fn wall_english_empty() {
    let spec = WallSpec {
        title: "The wall of support".into(),
        total: "0".into(),
        summary: "Be the first to wear the ribbon!".into(),
        entries: Vec::new(),
        locale: Locale::EnCa,
    };
    check("wall", "en_empty", &render_wall(&assets(), &spec));
}

#[test]
fn chart_of_a_week_with_jeudi_persevert() {
    let bars = [
        ("lun. 16", 120, false),
        ("mar. 17", 340, false),
        ("mer. 18", 515, false),
        ("jeu. 19", 1890, true),
        ("ven. 20", 402, false),
    ];
    let spec = ChartSpec {
        title: "Engagements par jour".into(),
        bars: bars.iter().map(|(l, n, hi)| ((*l).to_owned(), *n, *hi)).collect(),
        locale: Locale::FrCa,
    };
    check("chart", "fr_week", &render_chart(&assets(), &spec));
}
