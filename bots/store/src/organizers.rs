//! Organizer tokens: made once and shown once, kept as their SHA-256, each with its scope
//! (everything, a region, an organization).

use crate::db::on_db;
use crate::{Result, Scope, Store, web_state};

impl Store {
    /// Creates an organizer token for a scope and returns it: the only time it is shown (the
    /// store keeps its SHA-256).
    pub async fn add_organizer_token(&self, scope: &Scope, label: Option<&str>) -> Result<String> {
        if let Scope::Region(code) = scope {
            self.check_region(Some(code))?;
        }
        let token: String = rand::random::<[u8; 24]>().iter().map(|b| format!("{b:02x}")).collect();
        let (kind, value) = match scope {
            Scope::All => ("all", None),
            Scope::Region(r) => ("region", Some(r.as_str())),
            Scope::Organization(o) => ("organization", Some(o.as_str())),
        };
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO organizer_tokens (token_hash, scope_kind, scope_value, label, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash(&token))
            .bind(kind)
            .bind(value)
            .bind(label)
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(token)
    }

    /// The scope of an organizer token, or `None` for an unknown token.
    pub async fn organizer_scope(&self, token: &str) -> Result<Option<Scope>> {
        if token.is_empty() || token.len() > 200 {
            return Ok(None);
        }
        let row: Option<(String, Option<String>)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT scope_kind, scope_value FROM organizer_tokens WHERE token_hash = $1")
                .bind(token_hash(token))
                .fetch_optional(pool)
                .await?
        });
        Ok(row.and_then(|(kind, value)| web_state::scope_from_parts(&kind, value)))
    }
}

/// SHA-256 of a token, hex: what the store keeps. (Comparing hashes of random tokens leaks no
/// useful timing: the attacker does not choose the hash.)
fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
