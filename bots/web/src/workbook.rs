//! `GET /api/export.xlsx`: the campaign's figures as an Excel workbook, for the campaign
//! reviews the kits ask of organizers: a summary, one sheet per breakdown (day, region,
//! organization, platform) with numbers as numbers and days as dates, and a chart sheet of the
//! green wave by day. Who may: the same as the CSV and JSON exports (an organizer's token or
//! signed-in session), within its scope; nothing personal is in it.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ruban_store::{GroupBy, Scope, TotalRow, WallFilter};
use ruban_vocabulary::Locale;
use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::auth::Client;
use crate::{AppState, LangQuery, page_locale};

/// Why no workbook was made.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The figures could not be read.
    #[error(transparent)]
    Store(#[from] ruban_store::StoreError),
    /// The workbook could not be written.
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
}

pub(crate) async fn xlsx(
    State(state): State<Arc<AppState>>,
    client: Client,
    headers: HeaderMap,
    q: Query<LangQuery>,
) -> Response {
    let l = page_locale(&q, &headers);
    let scope = match crate::export::authorize(&state, client, &headers).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let year = state.bot.campaign().year;
    match build(state.bot.store(), state.bot.texts(), l, year, &scope).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"ruban-{year}.xlsx\"")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "workbook");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The workbook of `year`'s figures within `scope`, its words in `l` (also `ruban export
/// --format xlsx`).
pub async fn build(
    store: &ruban_store::Store,
    texts: &ruban_core::Texts,
    l: Locale,
    year: i32,
    scope: &Scope,
) -> Result<Vec<u8>, WorkbookError> {
    let t = |id: &str| texts.t(l, id, &[]);
    let filter: WallFilter = scope.filter();
    let day = store.totals_in(year, GroupBy::Day, &filter).await?;
    let by_region = store.totals_in(year, GroupBy::Region, &filter).await?;
    let by_org = store.totals_in(year, GroupBy::Organization, &filter).await?;
    let by_platform = store.totals_in(year, GroupBy::Platform, &filter).await?;
    let pledges: i64 = day.iter().map(|r| r.pledges).sum();
    let youth: i64 = day.iter().map(|r| r.youth).sum();
    let adult: i64 = day.iter().map(|r| r.adult).sum();
    let cards: Option<i64> = day.iter().map(|r| r.cards).sum();
    let on_thursday: i64 = day.iter().filter(|r| r.persevert == Some(true)).map(|r| r.pledges).sum();
    let classes = store.class_count(year, &filter).await?;
    // Certificates and green photos are counted for the whole campaign only.
    let whole = matches!(scope, Scope::All);
    let certificates = if whole { Some(store.certificates_given(year).await?) } else { None };
    let green = if whole { Some(store.green_photos(year).await?) } else { None };

    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    let sheet = book.add_worksheet().set_name(t("xlsx-summary"))?;
    header(sheet, &bold, &[&t("xlsx-figure"), &t("xlsx-count")])?;
    let summary = [
        (t("xlsx-pledges"), Some(pledges)),
        (t("xlsx-youth"), Some(youth)),
        (t("xlsx-adult"), Some(adult)),
        (t("xlsx-unsaid"), Some(pledges - youth - adult)),
        (t("xlsx-pledges-thursday"), Some(on_thursday)),
        (t("xlsx-classes"), Some(classes)),
        (t("xlsx-cards"), cards),
        (t("xlsx-certificates"), certificates),
        (t("xlsx-green-photos"), green),
    ];
    for (row, (label, n)) in (1u32..).zip(summary.iter().filter(|(_, n)| n.is_some())) {
        sheet.write_string(row, 0, label)?;
        sheet.write_number(row, 1, n.unwrap_or_default() as f64)?;
    }
    sheet.set_column_width(0, 44)?;

    let day_sheet = t("xlsx-by-day");
    let sheet = book.add_worksheet().set_name(&day_sheet)?;
    header(
        sheet,
        &bold,
        &[
            &t("xlsx-day"),
            &t("xlsx-pledges"),
            &t("xlsx-youth"),
            &t("xlsx-adult"),
            &t("xlsx-cards"),
            &t("xlsx-persevert"),
        ],
    )?;
    for (row, r) in (1u32..).zip(&day) {
        match day_of(&r.key) {
            Some(d) => sheet.write_datetime_with_format(row, 0, &d, &date)?,
            None => sheet.write_string(row, 0, &r.key)?,
        };
        sheet.write_number(row, 1, r.pledges as f64)?;
        sheet.write_number(row, 2, r.youth as f64)?;
        sheet.write_number(row, 3, r.adult as f64)?;
        if let Some(c) = r.cards {
            sheet.write_number(row, 4, c as f64)?;
        }
        if r.persevert == Some(true) {
            sheet.write_string(row, 5, t("xlsx-yes"))?;
        }
    }
    sheet.set_column_width(0, 12)?;

    let regions = store.regions();
    let sheet = book.add_worksheet().set_name(t("xlsx-by-region"))?;
    header(
        sheet,
        &bold,
        &[&t("xlsx-code"), &t("xlsx-region"), &t("xlsx-pledges"), &t("xlsx-youth"), &t("xlsx-adult")],
    )?;
    for (row, r) in (1u32..).zip(&by_region) {
        let name = regions.iter().find(|g| g.code == r.key).map_or(r.label.clone(), |g| g.name(l.tag()).to_owned());
        sheet.write_string(row, 0, &r.key)?;
        sheet.write_string(row, 1, &name)?;
        sheet.write_number(row, 2, r.pledges as f64)?;
        sheet.write_number(row, 3, r.youth as f64)?;
        sheet.write_number(row, 4, r.adult as f64)?;
    }
    sheet.set_column_width(1, 40)?;

    let sheet = book.add_worksheet().set_name(t("xlsx-by-organization"))?;
    labelled(
        sheet,
        &bold,
        &[&t("xlsx-organization"), &t("xlsx-pledges"), &t("xlsx-youth"), &t("xlsx-adult")],
        &by_org,
        |r| r.label.clone(),
    )?;
    sheet.set_column_width(0, 40)?;
    let sheet = book.add_worksheet().set_name(t("xlsx-by-platform"))?;
    labelled(
        sheet,
        &bold,
        &[&t("xlsx-platform"), &t("xlsx-pledges"), &t("xlsx-youth"), &t("xlsx-adult")],
        &by_platform,
        |r| r.key.clone(),
    )?;

    // The green wave by day, on a sheet of its own.
    let last = day.len().max(1) as u32;
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(&t("xlsx-chart-title"));
    chart
        .add_series()
        .set_name(t("xlsx-pledges").as_str())
        .set_categories((day_sheet.as_str(), 1, 0, last, 0))
        .set_values((day_sheet.as_str(), 1, 1, last, 1));
    chart.legend().set_hidden();
    let charts = book.add_chartsheet().set_name(t("xlsx-chart"))?;
    charts.insert_chart(0, 0, &chart)?;
    Ok(book.save_to_buffer()?)
}

fn header(sheet: &mut Worksheet, bold: &Format, titles: &[&str]) -> Result<(), XlsxError> {
    for (col, title) in (0u16..).zip(titles) {
        sheet.write_string_with_format(0, col, *title, bold)?;
    }
    Ok(())
}

/// A breakdown by a label: the pledges, and of them young people's and adults'.
fn labelled(
    sheet: &mut Worksheet,
    bold: &Format,
    titles: &[&str],
    rows: &[TotalRow],
    label: impl Fn(&TotalRow) -> String,
) -> Result<(), XlsxError> {
    header(sheet, bold, titles)?;
    for (row, r) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, label(r))?;
        sheet.write_number(row, 1, r.pledges as f64)?;
        sheet.write_number(row, 2, r.youth as f64)?;
        sheet.write_number(row, 3, r.adult as f64)?;
    }
    Ok(())
}

/// A store day (`YYYY-MM-DD`) as an Excel date.
fn day_of(key: &str) -> Option<ExcelDateTime> {
    let mut parts = key.splitn(3, '-').map(|p| p.parse::<u16>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}
