//! The campaigns and the regions a pledge may name, loaded from the calendar and the regions file.

use ruban_vocabulary::{Campaign, Region, clock::day_string};

use crate::db::on_db;
use crate::{Result, Store, StoreError};

impl Store {
    /// Loads (or updates) a campaign from its data file.
    pub async fn load_campaign(&self, c: &Campaign) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO campaigns (year, start_day, end_day, persevert_day, hashtag, theme_fr, theme_en, retention_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (year) DO UPDATE SET start_day = excluded.start_day, end_day = excluded.end_day, \
                 persevert_day = excluded.persevert_day, hashtag = excluded.hashtag, theme_fr = excluded.theme_fr, \
                 theme_en = excluded.theme_en, retention_until = excluded.retention_until",
            )
            .bind(c.year)
            .bind(day_string(c.start))
            .bind(day_string(c.end))
            .bind(day_string(c.persevert_day))
            .bind(&c.hashtag)
            .bind(c.theme(ruban_vocabulary::Locale::FrCa))
            .bind(c.theme(ruban_vocabulary::Locale::EnCa))
            .bind(day_string(c.retention_until))
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Loads (or updates) the regions.
    pub async fn load_regions(&self, regions: &[Region]) -> Result<()> {
        on_db!(&self.db, pool => {
            for r in regions {
                sqlx::query(
                    "INSERT INTO regions (code, name_fr, name_en) VALUES ($1, $2, $3) \
                     ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, name_en = excluded.name_en",
                )
                .bind(&r.code)
                .bind(&r.fr)
                .bind(&r.en)
                .execute(pool)
                .await?;
            }
        });
        *self.regions.write().unwrap_or_else(|e| e.into_inner()) = regions.to_vec();
        Ok(())
    }

    /// The regions, in file order.
    pub fn regions(&self) -> Vec<Region> {
        self.regions.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn check_region(&self, region: Option<&str>) -> Result<()> {
        match region {
            Some(code) if !self.regions().iter().any(|r| r.code == code) => {
                Err(StoreError::UnknownRegion(code.to_owned()))
            }
            _ => Ok(()),
        }
    }

    pub(crate) async fn check_campaign(&self, year: i32) -> Result<()> {
        if self.campaigns.read().unwrap_or_else(|e| e.into_inner()).contains(&year) {
            return Ok(());
        }
        let found: Option<(i32,)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT year FROM campaigns WHERE year = $1").bind(year).fetch_optional(pool).await?
        });
        found.ok_or(StoreError::UnknownCampaign(year))?;
        self.campaigns.write().unwrap_or_else(|e| e.into_inner()).insert(year);
        Ok(())
    }
}
