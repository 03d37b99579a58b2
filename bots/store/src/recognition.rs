//! What recognises people beside pledges: certificates given (counted once per pupil) and the
//! photos in green of Jeudi perséVERT (counts only).

use ruban_vocabulary::clock::day_string;

use crate::db::on_db;
use crate::{GreenPhoto, Result, Store};

impl Store {
    /// Counts the certificates of `pupils` (keyed hashes of a class and a first name, see
    /// `Bot`'s certificates; nothing about whom or why is kept), each once per campaign
    /// however many times it is printed. Returns how many were new.
    pub async fn count_certificates(&self, campaign: i32, platform: &str, pupils: &[String]) -> Result<u64> {
        let now = self.clock.now_ms();
        Ok(on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut added = 0;
            for pupil in pupils {
                added += sqlx::query(
                    "INSERT INTO certificates_given (campaign, platform, count, created_at, pupil_tag) VALUES ($1, $2, 1, $3, $4) \
                     ON CONFLICT (campaign, pupil_tag) DO NOTHING",
                )
                .bind(campaign)
                .bind(platform)
                .bind(now)
                .bind(pupil)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            added
        }))
    }

    /// How many certificates were handed out for a campaign.
    pub async fn certificates_given(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM certificates_given WHERE campaign = $1")
                .bind(campaign)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// One more photo in Jeudi perséVERT's green wave. The photo itself never reaches the
    /// store; the row keeps the day, the platform and, when known, the class and the region
    /// the person chose when they pledged (read here, so no key is kept with it).
    pub async fn count_green_photo(&self, photo: &GreenPhoto) -> Result<()> {
        let day = day_string(self.clock.today());
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO green_photos (campaign, platform, day, region, class_code, created_at) \
                 VALUES ($1, $2, $3, (SELECT region FROM pledges WHERE campaign = $1 AND person_key = $4), $5, $6)",
            )
            .bind(photo.campaign)
            .bind(&photo.platform)
            .bind(&day)
            .bind(photo.person_key.as_deref().unwrap_or_default())
            .bind(photo.class_code.as_deref())
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// A campaign's green wave by region (the region the person chose when they pledged;
    /// `None`: unknown, last), largest first.
    pub async fn green_photos_by_region(&self, campaign: i32) -> Result<Vec<(Option<String>, i64)>> {
        let rows: Vec<(Option<String>, i64)> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT region, CAST(COUNT(*) AS BIGINT) AS n FROM green_photos WHERE campaign = $1 \
                 GROUP BY region ORDER BY n DESC, region IS NULL, region",
            )
            .bind(campaign)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// How many photos joined a campaign's green wave.
    pub async fn green_photos(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM green_photos WHERE campaign = $1")
                .bind(campaign)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }
}
