//! The wall of support: messages posted, awaiting a class's adult, hidden by moderation; its
//! figures.

use ruban_vocabulary::{clock::day_string, clock::montreal_day};

use crate::db::on_db;
use crate::{NewWallEntry, Result, Store, StoreEvent, WallFilter, WallItem, WallStats};

impl Store {
    /// Records that a card's message was posted on the wall.
    pub async fn link_card_to_wall(&self, card_id: i64, entry: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE cards SET wall_entry = $2 WHERE id = $1").bind(card_id).bind(entry).execute(pool).await?;
        });
        Ok(())
    }

    /// Posts a (moderated) message on the wall.
    pub async fn post_wall(&self, entry: &NewWallEntry) -> Result<i64> {
        self.insert_wall(entry, None).await
    }

    /// Posts a message of class `class` that waits, hidden, for an adult's approval (the class
    /// asked for it): no wall shows it until its teacher ([`Store::review_in_class`]) or an
    /// organizer ([`Store::set_wall_hidden`]) shows it.
    pub async fn post_wall_for_approval(&self, entry: &NewWallEntry, class: &str) -> Result<i64> {
        self.insert_wall(entry, Some(class)).await
    }

    pub(crate) async fn insert_wall(&self, entry: &NewWallEntry, awaiting_in: Option<&str>) -> Result<i64> {
        self.check_region(entry.region.as_deref())?;
        let awaiting = awaiting_in.is_some();
        let (id,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as(
                "INSERT INTO wall_entries (campaign, author_key, message, state, platform, region, organization, created_at, awaiting, class_code) \
                 VALUES ($1, $2, $3, $8, $4, $5, $6, $7, $9, $10) RETURNING id",
            )
            .bind(entry.campaign)
            .bind(&entry.author_key)
            .bind(&entry.message)
            .bind(&entry.platform)
            .bind(&entry.region)
            .bind(&entry.organization)
            .bind(self.clock.now_ms())
            .bind(if awaiting { "hidden" } else { "visible" })
            .bind(awaiting)
            .bind(awaiting_in)
            .fetch_one(pool)
            .await?
        });
        if !awaiting {
            self.emit(StoreEvent::Wall { campaign: entry.campaign });
        }
        Ok(id)
    }

    /// Hides (or shows again) a wall entry: an organizer's moderation.
    pub async fn set_wall_hidden(&self, id: i64, hidden: bool) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            // Shown or hidden by an adult: no longer awaiting anyone's approval.
            sqlx::query("UPDATE wall_entries SET state = $2, awaiting = FALSE WHERE id = $1")
                .bind(id)
                .bind(if hidden { "hidden" } else { "visible" })
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done > 0 {
            let campaigns: Vec<i32> =
                self.campaigns.read().unwrap_or_else(|e| e.into_inner()).iter().copied().collect();
            for campaign in campaigns {
                self.emit(StoreEvent::Wall { campaign });
            }
        }
        Ok(done > 0)
    }

    /// What a wall shows: totals for its filter, per region, and the latest pledges (names
    /// only of people who agreed).
    pub async fn wall_stats(&self, campaign: i32, filter: &WallFilter) -> Result<WallStats> {
        let today = day_string(montreal_day(self.clock.now_ms()));
        // One WHERE clause for every query; a NULL parameter means "no filter".
        const WHERE: &str = "pl.campaign = $1 AND (CAST($2 AS TEXT) IS NULL OR pl.region = $2) \
            AND (CAST($3 AS TEXT) IS NULL OR pl.organization = $3) AND (CAST($4 AS TEXT) IS NULL OR cs.public_id = $4)";
        const FROM: &str = "FROM pledges pl LEFT JOIN class_sessions cs ON cs.id = pl.class_session";
        let (region, school, class) = (&filter.region, &filter.school, &filter.class);
        // (total, today, counted through), per region, latest (name, consent, time)
        type Rows = ((i64, i64, i64), Vec<(Option<String>, i64)>, Vec<(Option<String>, Option<bool>, i64)>);
        let (totals, by_region, latest): Rows = on_db!(read &self.db, pool => {
            let totals = sqlx::query_as(&format!(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN pl.local_day = $5 THEN 1 ELSE 0 END), 0), \
                 (SELECT COALESCE(MAX(number), 0) FROM pledges WHERE campaign = $1) {FROM} WHERE {WHERE}"
            ))
            .bind(campaign).bind(region).bind(school).bind(class).bind(&today)
            .fetch_one(pool)
            .await?;
            let by_region = sqlx::query_as(&format!("SELECT pl.region, COUNT(*) {FROM} WHERE {WHERE} GROUP BY pl.region"))
                .bind(campaign).bind(region).bind(school).bind(class)
                .fetch_all(pool)
                .await?;
            let latest = sqlx::query_as(&format!(
                "SELECT pe.public_name, pe.wall_opt_in, pl.created_at {FROM} LEFT JOIN people pe ON pe.person_key = pl.person_key \
                 WHERE {WHERE} ORDER BY pl.number DESC LIMIT 8"
            ))
            .bind(campaign).bind(region).bind(school).bind(class)
            .fetch_all(pool)
            .await?;
            (totals, by_region, latest)
        });
        let counts: std::collections::HashMap<Option<String>, i64> = by_region.into_iter().collect();
        Ok(WallStats {
            total: totals.0,
            today: totals.1,
            counted_through: totals.2,
            regions: self
                .regions()
                .into_iter()
                .map(|r| (r.code.clone(), counts.get(&Some(r.code)).copied().unwrap_or(0)))
                .collect(),
            latest_pledges: latest
                .into_iter()
                .map(|(name, opt_in, at)| (name.filter(|_| opt_in == Some(true)), at))
                .collect(),
        })
    }

    /// The latest wall entries; hidden ones only when `include_hidden` (the moderation queue).
    /// An author's name appears only if they agreed to be shown by name.
    pub async fn wall(&self, campaign: i32, limit: i64, include_hidden: bool) -> Result<Vec<WallItem>> {
        // id, public name, consent, message, time, state
        type Row = (i64, Option<String>, Option<bool>, String, i64, String, bool);
        let rows: Vec<Row> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT w.id, p.public_name, p.wall_opt_in, w.message, w.created_at, w.state, w.awaiting FROM wall_entries w \
                 LEFT JOIN people p ON p.person_key = w.author_key \
                 WHERE w.campaign = $1 AND ($2 OR w.state = 'visible') ORDER BY w.created_at DESC, w.id DESC LIMIT $3",
            )
            .bind(campaign)
            .bind(include_hidden)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, name, opt_in, message, at_ms, state, awaiting)| WallItem {
                id,
                author_name: name.filter(|_| opt_in == Some(true)),
                message,
                at_ms,
                hidden: state == "hidden",
                awaiting,
            })
            .collect())
    }
}
