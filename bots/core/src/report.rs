//! The campaign's one-page report (issue 35): the figures an organizer brings to the
//! campaign's review — the green wave by day, by region, young people and adults, classes,
//! cards, certificates and photos in green — drawn as a Letter page and sent as a PDF, from the
//! dashboard (`/organisateurs/rapport.pdf`) and from `ruban report`.
//!
//! A token scoped to a region or an organization gets its own figures; certificates and
//! photos in green are counted for the whole campaign only (nothing says whose they were), so
//! only a campaign-wide report shows them.

use card_renderer::{Assets, ReportChart, ReportSpec};
use fluent::FluentValue;
use ruban_store::{GroupBy, Scope, Store};
use ruban_vocabulary::{Campaign, Locale, format_number};
use time::Date;

use crate::{CoreError, Texts};

/// US Letter, in points.
const LETTER_PT: (f32, f32) = (612.0, 792.0);

/// What the report of `campaign` for `scope` shows, in `l`, made on `today`.
pub async fn spec(
    store: &Store,
    texts: &Texts,
    l: Locale,
    campaign: &Campaign,
    scope: &Scope,
    today: Date,
) -> Result<ReportSpec, CoreError> {
    let t = |id: &str| texts.t(l, id, &[]);
    let n = |v: i64| format_number(l, v.max(0) as u64);
    let year = campaign.year;
    let filter = scope.filter();
    let days = store.totals_in(year, GroupBy::Day, &filter).await?;
    let regions = store.totals_in(year, GroupBy::Region, &filter).await?;
    let names = store.regions();
    let total: i64 = days.iter().map(|r| r.pledges).sum();
    let (youth, adult): (i64, i64) = (days.iter().map(|r| r.youth).sum(), days.iter().map(|r| r.adult).sum());
    let cards: i64 = days.iter().filter_map(|r| r.cards).sum();
    let classes = store.class_count(year, &filter).await?;
    let region_name = |code: &str| match code {
        "" => t("dash-region-none"),
        _ => names.iter().find(|r| r.code == code).map_or(code.to_owned(), |r| r.name(l.tag()).to_owned()),
    };
    let scope_label = match scope {
        Scope::All => t("dash-scope-all"),
        Scope::Region(r) => texts.t(l, "dash-scope-region", &[("name", region_name(r).into())]),
        Scope::Organization(o) => texts.t(l, "dash-scope-organization", &[("name", o.clone().into())]),
    };
    let mut figures =
        vec![(n(total), t("report-pledges")), (n(cards), t("report-cards")), (n(classes), t("report-classes"))];
    if *scope == Scope::All {
        figures.push((n(store.certificates_given(year).await?), t("report-certificates")));
        figures.push((n(store.green_photos(year).await?), t("report-green")));
    }
    // The share of young people among those who said their age (never guessed for the rest).
    if youth + adult > 0 {
        let share = (youth * 100 + (youth + adult) / 2) / (youth + adult);
        figures.push((texts.t(l, "report-percent", &[("n", share.into())]), t("report-youth-share")));
    }
    let by_day = days
        .iter()
        .map(|r| {
            let label = Date::parse(&r.key, time::macros::format_description!("[year]-[month]-[day]"))
                .map_or(r.key.clone(), |d| texts.day_and_month(l, d));
            (label, r.pledges.max(0) as u64, r.persevert == Some(true))
        })
        .collect();
    let by_region = regions.iter().map(|r| (region_name(&r.key), r.pledges.max(0) as u64, false)).collect();
    let unsaid = (total - youth - adult).max(0);
    let by_age = [("report-youth", youth), ("report-adults", adult), ("report-age-unsaid", unsaid)]
        .into_iter()
        .map(|(id, v)| (t(id), v.max(0) as u64, false))
        .collect();
    let line = format!("{} · {}", campaign.name(l), texts.date_range(l, campaign.start, campaign.end));
    Ok(ReportSpec {
        title: texts.t(l, "report-title", &[("year", year.into())]),
        subtitle: format!("{line} · {scope_label}"),
        figures,
        by_day: ReportChart { title: t("report-by-day"), bars: by_day },
        by_region: ReportChart { title: t("report-by-region"), bars: by_region },
        by_age: ReportChart { title: t("report-ages"), bars: by_age },
        footer: texts.t(l, "report-footer", &[("date", FluentValue::from(texts.date(l, today)))]),
        locale: l,
    })
}

/// The report as a one-page PDF (drawn on the calling thread: a command line's, or the
/// core's drawing pool).
pub fn pdf(assets: &Assets, spec: &ReportSpec) -> Result<Vec<u8>, card_renderer::RenderError> {
    let page = card_renderer::render_report(assets, spec);
    card_renderer::encode::pdf(&page, LETTER_PT.0, LETTER_PT.1, &spec.title)
}
