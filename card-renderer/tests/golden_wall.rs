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

/// Issue 35: the campaign's one-page report, as an organizer prints it for a director.
#[test]
fn report_of_a_campaign_in_french() {
    let bars = |v: &[(&str, u64, bool)]| v.iter().map(|(l, n, hi)| ((*l).to_owned(), *n, *hi)).collect();
    let regions = [
        ("Bas-Saint-Laurent", 310, false),
        ("Saguenay–Lac-Saint-Jean", 455, false),
        ("Capitale-Nationale", 1204, false),
        ("Mauricie", 388, false),
        ("Estrie", 512, false),
        ("Montréal", 2890, false),
        ("Outaouais", 640, false),
        ("Abitibi-Témiscamingue", 205, false),
        ("Côte-Nord", 120, false),
        ("Nord-du-Québec (Jamésie et Eeyou Istchee)", 64, false),
        ("Gaspésie–Îles-de-la-Madeleine", 98, false),
        ("Chaudière-Appalaches", 702, false),
        ("Laval", 811, false),
        ("Lanaudière", 590, false),
        ("Laurentides", 745, false),
        ("Montérégie", 1980, false),
        ("Centre-du-Québec", 433, false),
        ("Nunavik (ᓄᓇᕕᒃ)", 41, false),
        ("Région non précisée", 266, false),
    ];
    let spec = ReportSpec {
        title: "Bilan de la campagne 2026".into(),
        subtitle: "Journées de la persévérance scolaire · 16–20 février 2026 · Toute la campagne".into(),
        figures: vec![
            ("13 154".into(), "engagements".into()),
            ("4 120".into(), "cartes envoyées".into()),
            ("512".into(), "classes engagées".into()),
            ("1 033".into(), "certificats remis".into()),
            ("2 870".into(), "photos en vert (Jeudi perséVERT)".into()),
            ("71 %".into(), "de jeunes parmi les personnes qui l’ont dit".into()),
        ],
        by_day: ReportChart {
            title: "Engagements par jour".into(),
            bars: bars(&[
                ("lun. 16", 1820, false),
                ("mar. 17", 2240, false),
                ("mer. 18", 2515, false),
                ("jeu. 19", 4890, true),
                ("ven. 20", 1689, false),
            ]),
        },
        by_region: ReportChart { title: "Engagements par région".into(), bars: bars(&regions) },
        by_age: ReportChart {
            title: "Jeunes et adultes".into(),
            bars: bars(&[("Jeunes", 6420, false), ("Adultes", 2622, false), ("Non précisé", 4112, false)]),
        },
        footer: "Fait le lundi 23 février 2026 par Ruban, à partir des engagements enregistrés.".into(),
        locale: Locale::FrCa,
    };
    let page = render_report(&assets(), &spec);
    assert_eq!((page.width(), page.height()), REPORT_SIZE, "US Letter at 300 dpi");
    check("report", "fr_campaign", &page);
}
