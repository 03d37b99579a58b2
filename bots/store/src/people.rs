//! People: their profile, forget-me, and the purge of a campaign's personal data past its
//! retention.

use ruban_vocabulary::clock::day_string;
use time::Date;

use crate::db::on_db;
use crate::{Forgotten, Profile, Result, Store};

impl Store {
    /// Saves a person's chosen profile (public name, language, wall consent).
    pub async fn set_profile(&self, person_key: &str, profile: &Profile) -> Result<()> {
        let now = self.clock.now_ms();
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO people (person_key, public_name, locale, wall_opt_in, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (person_key) DO UPDATE SET public_name = excluded.public_name, locale = excluded.locale, \
                 wall_opt_in = excluded.wall_opt_in, updated_at = excluded.updated_at",
            )
            .bind(person_key)
            .bind(&profile.public_name)
            .bind(&profile.locale)
            .bind(profile.wall_opt_in)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// A person's profile, if they set one.
    pub async fn profile(&self, person_key: &str) -> Result<Option<Profile>> {
        let row: Option<(Option<String>, Option<String>, bool)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT public_name, locale, wall_opt_in FROM people WHERE person_key = $1")
                .bind(person_key)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(public_name, locale, wall_opt_in)| Profile { public_name, locale, wall_opt_in }))
    }

    /// Forget me: deletes the person's profile, wall messages, images kept for the web pages and
    /// messages offered for the wall and cards waiting for an adult, and unlinks their pledges, class memberships, classes and
    /// cards. Counts stay; nothing can be traced back to them.
    pub async fn forget(&self, person_key: &str) -> Result<Forgotten> {
        let mut f = Forgotten::default();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            // Cards posted on the wall point at the entries about to be deleted.
            sqlx::query("UPDATE cards SET wall_entry = NULL WHERE wall_entry IN (SELECT id FROM wall_entries WHERE author_key = $1)")
                .bind(person_key)
                .execute(&mut *tx)
                .await?;
            f.wall_entries = sqlx::query("DELETE FROM wall_entries WHERE author_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.cards = sqlx::query("UPDATE cards SET sender_key = NULL WHERE sender_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.cards += sqlx::query("UPDATE cards SET recipient_key = NULL WHERE recipient_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.memberships = sqlx::query("UPDATE class_members SET person_key = NULL WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            sqlx::query("UPDATE class_sessions SET owner_key = NULL WHERE owner_key = $1").bind(person_key).execute(&mut *tx).await?;
            f.pledges = sqlx::query("UPDATE pledges SET person_key = NULL WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.profiles = sqlx::query("DELETE FROM people WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            // What the web pages kept for them: their images, and messages they had not posted
            // yet (an old « afficher sur le mur » button then finds nothing).
            f.media = sqlx::query("DELETE FROM media WHERE owner_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.pending_posts = sqlx::query("DELETE FROM pending_posts WHERE author_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.held_cards = sqlx::query("DELETE FROM held_cards WHERE sender_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
        });
        Ok(f)
    }

    /// Erases the personal data of every campaign whose retention date is before `today`:
    /// person and chat keys, class names and owners, wall messages; then the profiles no live
    /// campaign refers to. Totals by day, region, organization and platform stay. Returns the
    /// campaigns purged now.
    pub async fn purge(&self, today: Date) -> Result<Vec<i32>> {
        let today = day_string(today);
        let now = self.clock.now_ms();
        let purged: Vec<(i32,)> = on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            // Every run looks at every campaign past retention: data that arrived after an
            // earlier purge (a late pledge) goes too. A year is reported when something went.
            let due: Vec<(i32,)> = sqlx::query_as("SELECT year FROM campaigns WHERE retention_until < $1")
                .bind(&today)
                .fetch_all(&mut *tx)
                .await?;
            let mut purged = Vec::new();
            for (year,) in &due {
                let mut n = 0;
                n += sqlx::query("UPDATE cards SET wall_entry = NULL, sender_key = NULL, recipient_key = NULL WHERE campaign = $1 AND (wall_entry IS NOT NULL OR sender_key IS NOT NULL OR recipient_key IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM wall_entries WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM reports WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM blocked_senders WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE class_members SET person_key = NULL, first_name = NULL WHERE (person_key IS NOT NULL OR first_name IS NOT NULL) AND session_id IN (SELECT id FROM class_sessions WHERE campaign = $1)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE class_sessions SET owner_key = NULL, chat_key = NULL, class_name = NULL WHERE campaign = $1 AND (owner_key IS NOT NULL OR chat_key IS NOT NULL OR class_name IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE pledges SET person_key = NULL, chat_key = NULL WHERE campaign = $1 AND (person_key IS NOT NULL OR chat_key IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                if n > 0 {
                    sqlx::query("UPDATE campaigns SET purged_at = $2 WHERE year = $1").bind(year).bind(now).execute(&mut *tx).await?;
                    purged.push((*year,));
                }
            }
            // Profiles that no campaign still links to.
            sqlx::query(
                "DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM pledges WHERE pledges.person_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM class_members WHERE class_members.person_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM wall_entries WHERE wall_entries.author_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM cards WHERE cards.sender_key = people.person_key OR cards.recipient_key = people.person_key)",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            purged
        });
        Ok(purged.into_iter().map(|(y,)| y).collect())
    }
}
