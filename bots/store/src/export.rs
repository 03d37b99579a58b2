//! Totals and exports for organizers: by day (Montreal time, PerséVERT day marked), region,
//! organization, platform and chat, plus the pledge rows an organizer may see.
//!
//! Exports never contain platform ids or keys: chats are shown by a stable alias and the class
//! names opened in them, people only by the public name they agreed to show. CSV cells a
//! spreadsheet would run as a formula are neutralised.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde::Serialize;

use crate::Store;
use crate::model::WallFilter;

/// The scope condition on `pledges` ($2 region, $3 organization; NULL means no limit).
const SCOPE: &str = "(CAST($2 AS TEXT) IS NULL OR region = $2) AND (CAST($3 AS TEXT) IS NULL OR organization = $3)";
use crate::db::on_db;
use crate::error::{Result, StoreError};
use ruban_vocabulary::clock::day_string;

/// How totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Montreal calendar day.
    Day,
    /// JPS region.
    Region,
    /// School or organism.
    Organization,
    /// Telegram, Discord, web.
    Platform,
    /// Chat (by alias).
    Chat,
}

impl std::str::FromStr for GroupBy {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "day" | "jour" => Self::Day,
            "region" | "région" => Self::Region,
            "organization" | "organisation" => Self::Organization,
            "platform" | "plateforme" => Self::Platform,
            "chat" | "clavardage" => Self::Chat,
            _ => {
                return Err(StoreError::Export(format!(
                    "unknown grouping {s:?}: use day, region, organization, platform or chat"
                )));
            }
        })
    }
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 4180 CSV, UTF-8.
    Csv {
        /// Start with a byte-order mark so Excel reads UTF-8.
        excel: bool,
        /// `;` between cells instead of `,`: what Excel reads in French (Canada), where `,`
        /// is the decimal sign and a comma file lands in one column.
        semicolon: bool,
    },
    /// JSON.
    Json,
}

/// One line of totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalRow {
    /// The group's key (a day, a region code, an organization, a platform, a chat alias).
    pub key: String,
    /// A readable label (region name, class names of a chat).
    pub label: String,
    /// Pledges in the wave.
    pub pledges: i64,
    /// Of which by young people, as they said.
    pub youth: i64,
    /// Of which by adults, as they said.
    pub adult: i64,
    /// Cards sent (by day and platform only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<i64>,
    /// Whether the day is Jeudi perséVERT (by day only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persevert: Option<bool>,
}

/// One pledge as an organizer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PledgeRow {
    /// Number in the wave.
    pub number: i64,
    /// Montreal day.
    pub day: String,
    /// `ribbon` (alone) or `class`.
    pub kind: String,
    /// Platform.
    pub platform: String,
    /// Region code.
    pub region: String,
    /// Organization.
    pub organization: String,
    /// The class's name, for class pledges.
    pub class_name: String,
    /// The public name, only if the person agreed to be shown by name.
    pub public_name: String,
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    campaign: i32,
    by: &'a str,
    rows: &'a [T],
}

impl Store {
    /// Totals of a campaign grouped by `by`.
    pub async fn totals(&self, campaign: i32, by: GroupBy) -> Result<Vec<TotalRow>> {
        self.totals_in(campaign, by, &WallFilter::default()).await
    }

    /// Totals of the pledges a filter covers (an organizer's scope). Cards carry no region or
    /// organization, so they are counted only for the whole campaign.
    pub async fn totals_in(&self, campaign: i32, by: GroupBy, filter: &WallFilter) -> Result<Vec<TotalRow>> {
        let info: Option<(String, String, String)> = on_db!(read self.db(), pool => {
            sqlx::query_as("SELECT start_day, end_day, persevert_day FROM campaigns WHERE year = $1")
                .bind(campaign)
                .fetch_optional(pool)
                .await?
        });
        let (start, end, persevert) = info.ok_or(StoreError::UnknownCampaign(campaign))?;
        let column = match by {
            GroupBy::Day => "local_day",
            GroupBy::Region => "region",
            GroupBy::Organization => "organization",
            GroupBy::Platform => "platform",
            GroupBy::Chat => "chat_key",
        };
        // The column name is one of five constants above, never user text.
        let sql = format!(
            "SELECT {column}, COUNT(*), \
             CAST(COALESCE(SUM(CASE WHEN age_group = 'youth' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN age_group = 'adult' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM pledges WHERE campaign = $1 AND {SCOPE} GROUP BY {column}"
        );
        let (region, school) = (&filter.region, &filter.school);
        let counted: Vec<(Option<String>, i64, i64, i64)> = on_db!(read self.db(), pool => {
            sqlx::query_as(sql.as_str()).bind(campaign).bind(region).bind(school).fetch_all(pool).await?
        });
        // Pledges and, of them, young people's and adults', by group.
        let split: HashMap<Option<String>, (i64, i64, i64)> =
            counted.iter().map(|(k, n, y, a)| (k.clone(), (*n, *y, *a))).collect();
        let age = |k: &Option<String>| split.get(k).map_or((0, 0), |(_, y, a)| (*y, *a));
        let pledges: Vec<(Option<String>, i64)> = counted.iter().map(|(k, n, _, _)| (k.clone(), *n)).collect();
        let whole = filter.region.is_none() && filter.school.is_none();
        let mut rows: Vec<TotalRow> = Vec::new();
        match by {
            GroupBy::Day | GroupBy::Platform => {
                let col = if by == GroupBy::Day { "local_day" } else { "platform" };
                let sql = format!("SELECT {col}, COUNT(*) FROM cards WHERE campaign = $1 GROUP BY {col}");
                let cards: Vec<(String, i64)> = on_db!(read self.db(), pool => {
                    sqlx::query_as(sql.as_str()).bind(campaign).fetch_all(pool).await?
                });
                let mut merged: BTreeMap<String, (i64, i64)> = BTreeMap::new();
                if by == GroupBy::Day {
                    // Every day of the week appears, even before its first pledge.
                    let mut d = parse_day(&start)?;
                    let last = parse_day(&end)?;
                    while d <= last {
                        merged.entry(day_string(d)).or_default();
                        match d.next_day() {
                            Some(next) => d = next,
                            None => break,
                        }
                    }
                }
                for (k, n) in pledges {
                    merged.entry(k.unwrap_or_default()).or_default().0 += n;
                }
                if whole {
                    for (k, n) in cards {
                        merged.entry(k).or_default().1 += n;
                    }
                }
                for (key, (p, c)) in merged {
                    let (youth, adult) = age(&Some(key.clone()));
                    rows.push(TotalRow {
                        persevert: (by == GroupBy::Day).then(|| key == persevert),
                        label: key.clone(),
                        key,
                        pledges: p,
                        youth,
                        adult,
                        cards: whole.then_some(c),
                    });
                }
            }
            GroupBy::Region => {
                let counts: HashMap<Option<String>, i64> = pledges.into_iter().collect();
                for r in self.regions() {
                    let (youth, adult) = age(&Some(r.code.clone()));
                    rows.push(TotalRow {
                        pledges: counts.get(&Some(r.code.clone())).copied().unwrap_or(0),
                        youth,
                        adult,
                        key: r.code.clone(),
                        label: r.fr.clone(),
                        cards: None,
                        persevert: None,
                    });
                }
                if let Some(n) = counts.get(&None) {
                    let (youth, adult) = age(&None);
                    rows.push(TotalRow {
                        key: String::new(),
                        label: "(non précisée)".into(),
                        pledges: *n,
                        youth,
                        adult,
                        cards: None,
                        persevert: None,
                    });
                }
            }
            GroupBy::Organization => {
                let mut sorted = pledges;
                sorted.sort();
                for (k, n) in sorted {
                    let (youth, adult) = age(&k);
                    let key = k.unwrap_or_default();
                    let label = if key.is_empty() { "(non précisée)".to_owned() } else { key.clone() };
                    rows.push(TotalRow { key, label, pledges: n, youth, adult, cards: None, persevert: None });
                }
            }
            GroupBy::Chat => {
                // Chats are shown by an alias in order of their first pledge, with the class
                // names opened there: never by their key.
                let firsts: Vec<(Option<String>, i64)> = on_db!(read self.db(), pool => {
                    sqlx::query_as(&format!(
                        "SELECT chat_key, MIN(id) FROM pledges WHERE campaign = $1 AND {SCOPE} GROUP BY chat_key ORDER BY MIN(id)"
                    ))
                    .bind(campaign)
                    .bind(region)
                    .bind(school)
                    .fetch_all(pool)
                    .await?
                });
                let classes: Vec<(Option<String>, Option<String>)> = on_db!(read self.db(), pool => {
                    sqlx::query_as(
                        "SELECT chat_key, class_name FROM class_sessions WHERE campaign = $1 \
                         AND (CAST($2 AS TEXT) IS NULL OR region = $2) AND (CAST($3 AS TEXT) IS NULL OR school = $3) ORDER BY id",
                    )
                    .bind(campaign)
                    .bind(region)
                    .bind(school)
                    .fetch_all(pool)
                    .await?
                });
                let counts: HashMap<Option<String>, i64> = pledges.into_iter().collect();
                for (i, (chat, _)) in firsts.iter().enumerate() {
                    let mut names: Vec<&str> = classes
                        .iter()
                        .filter(|(c, _)| c == chat && chat.is_some())
                        .filter_map(|(_, n)| n.as_deref())
                        .collect();
                    names.dedup();
                    let key =
                        if chat.is_some() { format!("chat-{:03}", i + 1) } else { "(hors clavardage)".to_owned() };
                    let (youth, adult) = age(chat);
                    rows.push(TotalRow {
                        key,
                        label: names.join(" / "),
                        pledges: counts.get(chat).copied().unwrap_or(0),
                        youth,
                        adult,
                        cards: None,
                        persevert: None,
                    });
                }
            }
        }
        Ok(rows)
    }

    /// Every pledge of a campaign, as an organizer may see it.
    pub async fn pledge_rows(&self, campaign: i32) -> Result<Vec<PledgeRow>> {
        self.pledge_rows_in(campaign, &WallFilter::default()).await
    }

    /// The pledges a filter (an organizer's scope) covers.
    pub async fn pledge_rows_in(&self, campaign: i32, filter: &WallFilter) -> Result<Vec<PledgeRow>> {
        type Row =
            (i64, String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<bool>);
        let rows: Vec<Row> = on_db!(read self.db(), pool => {
            sqlx::query_as(
                "SELECT pl.number, pl.local_day, pl.kind, pl.platform, pl.region, pl.organization, cs.class_name, pe.public_name, pe.wall_opt_in \
                 FROM pledges pl LEFT JOIN class_sessions cs ON cs.id = pl.class_session \
                 LEFT JOIN people pe ON pe.person_key = pl.person_key WHERE pl.campaign = $1 \
                 AND (CAST($2 AS TEXT) IS NULL OR pl.region = $2) AND (CAST($3 AS TEXT) IS NULL OR pl.organization = $3) \
                 ORDER BY pl.number",
            )
            .bind(campaign)
            .bind(&filter.region)
            .bind(&filter.school)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(number, day, kind, platform, region, organization, class_name, name, opt_in)| PledgeRow {
                number,
                day,
                kind,
                platform,
                region: region.unwrap_or_default(),
                organization: organization.unwrap_or_default(),
                class_name: class_name.unwrap_or_default(),
                public_name: name.filter(|_| opt_in == Some(true)).unwrap_or_default(),
            })
            .collect())
    }
}

fn parse_day(s: &str) -> Result<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| StoreError::Data(format!("bad day {s:?}: {e}")))
}

/// Neutralises a CSV cell a spreadsheet would otherwise run as a formula (`=`, `+`, `-`, `@`,
/// tab or carriage return first) by prefixing an apostrophe, as OWASP advises.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn csv_writer<W: Write>(out: W, excel: bool, semicolon: bool) -> Result<csv::Writer<W>> {
    let mut out = out;
    if excel {
        out.write_all("\u{FEFF}".as_bytes()).map_err(|e| StoreError::Export(e.to_string()))?;
    }
    let delimiter = if semicolon { b';' } else { b',' };
    Ok(csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(out))
}

/// Writes totals as CSV or JSON.
pub fn write_totals<W: Write>(
    out: W,
    campaign: i32,
    by: GroupBy,
    rows: &[TotalRow],
    format: ExportFormat,
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| StoreError::Export(e.to_string());
    match format {
        ExportFormat::Json => {
            let by_name = serde_json::to_value(by).map_err(|e| err(&e))?;
            let envelope = Envelope { campaign, by: by_name.as_str().unwrap_or_default(), rows };
            serde_json::to_writer_pretty(out, &envelope).map_err(|e| err(&e))
        }
        ExportFormat::Csv { excel, semicolon } => {
            let mut w = csv_writer(out, excel, semicolon)?;
            // The `;` flavour is for Excel in French (Canada): its headers are French too.
            let names: [&str; 7] = if semicolon {
                ["clé", "libellé", "engagements", "jeunes", "adultes", "cartes", "jeudi_persévert"]
            } else {
                ["key", "label", "pledges", "youth", "adult", "cards", "persevert"]
            };
            let mut header = names[..5].to_vec();
            if matches!(by, GroupBy::Day | GroupBy::Platform) {
                header.push(names[5]);
            }
            if by == GroupBy::Day {
                header.push(names[6]);
            }
            w.write_record(&header).map_err(|e| err(&e))?;
            for r in rows {
                let mut rec = vec![
                    neutralise(&r.key),
                    neutralise(&r.label),
                    r.pledges.to_string(),
                    r.youth.to_string(),
                    r.adult.to_string(),
                ];
                if let Some(c) = r.cards {
                    rec.push(c.to_string());
                }
                if let Some(p) = r.persevert {
                    rec.push(if p { "oui".into() } else { String::new() });
                }
                w.write_record(&rec).map_err(|e| err(&e))?;
            }
            w.flush().map_err(|e| err(&e))
        }
    }
}

/// Writes pledge rows as CSV or JSON.
pub fn write_pledges<W: Write>(out: W, campaign: i32, rows: &[PledgeRow], format: ExportFormat) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| StoreError::Export(e.to_string());
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(out, &Envelope { campaign, by: "pledge", rows }).map_err(|e| err(&e))
        }
        ExportFormat::Csv { excel, semicolon } => {
            let mut w = csv_writer(out, excel, semicolon)?;
            let header = if semicolon {
                ["numéro", "jour", "type", "plateforme", "région", "organisation", "classe", "nom_public"]
            } else {
                ["number", "day", "kind", "platform", "region", "organization", "class_name", "public_name"]
            };
            w.write_record(header).map_err(|e| err(&e))?;
            for r in rows {
                w.write_record([
                    r.number.to_string(),
                    neutralise(&r.day),
                    neutralise(&r.kind),
                    neutralise(&r.platform),
                    neutralise(&r.region),
                    neutralise(&r.organization),
                    neutralise(&r.class_name),
                    neutralise(&r.public_name),
                ])
                .map_err(|e| err(&e))?;
            }
            w.flush().map_err(|e| err(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("École A"), "École A");
    }
}
