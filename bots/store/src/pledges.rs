//! Pledges: a person's, a class click's, the region and age group a pledger gives, the counts.

use crate::db::on_db;
use crate::writer::{Job, Outcome, RefusalKind};
use crate::{AgeGroup, JoinRequest, Joined, Pledge, PledgeRequest, Result, Store, StoreError, StoreEvent};

impl Store {
    /// Pledges: returns the person's pledge in the campaign, made now or earlier.
    #[tracing::instrument(skip_all, fields(campaign = req.campaign, platform = %req.platform))]
    pub async fn pledge(&self, req: PledgeRequest) -> Result<Pledge> {
        self.check_region(req.region.as_deref())?;
        self.check_campaign(req.campaign).await?;
        let (campaign, region, organization) = (req.campaign, req.region.clone(), req.organization.clone());
        match self.writer.submit(Job::Pledge(req)).await? {
            Outcome::Pledged(p) => {
                if p.created {
                    self.emit(StoreEvent::Pledge { campaign, number: p.number, region, organization, class: None });
                }
                Ok(p)
            }
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// A click on a class's button: the person joins the class (once) and pledges if they had
    /// not yet.
    pub async fn join_class(&self, req: JoinRequest) -> Result<Joined> {
        let code = req.code.clone();
        match self.writer.submit(Job::Join(req)).await? {
            Outcome::Joined(j) => {
                if j.pledge.created
                    && let Some(session) = self.class_by_code(&code).await?
                {
                    self.emit(StoreEvent::Pledge {
                        campaign: session.campaign,
                        number: j.pledge.number,
                        region: session.region,
                        organization: session.school,
                        class: session.public_id,
                    });
                }
                Ok(j)
            }
            Outcome::Refused(RefusalKind::NotFound, code) => Err(StoreError::ClassNotFound(code)),
            Outcome::Refused(RefusalKind::Closed, code) => Err(StoreError::ClassClosed(code)),
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// A person's pledge in a campaign, if any.
    pub async fn pledge_of(&self, campaign: i32, person_key: &str) -> Result<Option<Pledge>> {
        let row: Option<(i64, i64)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT number, created_at FROM pledges WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(number, at_ms)| Pledge { number, created: false, at_ms }))
    }

    /// Sets the region of a person's pledge (asked after the pledge, optional).
    pub async fn set_region(&self, campaign: i32, person_key: &str, region: &str) -> Result<bool> {
        self.check_region(Some(region))?;
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE pledges SET region = $3 WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .bind(region)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Records whether the person who pledged in `campaign` is a young person or an adult
    /// (`None`: they prefer not to say, or take it back). False when they have no pledge.
    pub async fn set_age_group(&self, campaign: i32, person_key: &str, group: Option<AgeGroup>) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE pledges SET age_group = $3 WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .bind(group.map(AgeGroup::as_str))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// How many pledges a campaign's wave holds.
    pub async fn count(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM pledges WHERE campaign = $1").bind(campaign).fetch_one(pool).await?
        });
        Ok(n)
    }
}
