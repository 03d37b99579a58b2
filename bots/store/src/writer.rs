//! The pledge writer: every pledge and class click goes through one task that groups what is
//! waiting into one transaction (group commit).
//!
//! Why: numbers must be dense (1..N, no gap, no repeat) under any concurrency, and every
//! acknowledged pledge must be durable. One transaction per batch takes the campaign's write
//! lock once (SQLite's single writer; a PostgreSQL advisory lock shared by all processes),
//! reads who already pledged, numbers the newcomers after the current maximum, inserts them and
//! commits with one fsync. A caller is answered only after the commit: an answer is a promise.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

use crate::db::{Db, Dialect, on_db};
use crate::error::{Result, StoreError};
use crate::model::{JoinRequest, Joined, NewCard, NewPledge, Pledge, PledgeRequest};
use ruban_vocabulary::Clock;
use ruban_vocabulary::clock::{day_string, montreal_day};

/// The most requests one transaction takes.
const MAX_BATCH: usize = 512;
/// Attempts of a batch before its callers get an error.
const ATTEMPTS: usize = 3;

/// One request to the writer.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Pledge(PledgeRequest),
    Join(JoinRequest),
    /// Claim a platform event (see `Store::first_delivery`); with `retake`, an event claimed
    /// before but never finished is claimed again (see `Store::claim_delivery`).
    Claim(String, bool),
    /// Record a card sent.
    Card(NewCard),
}

/// Its answer.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Pledged(Pledge),
    Joined(Joined),
    /// Whether the claim was the first.
    Claimed(bool),
    /// The new card's id.
    Card(i64),
    /// A refusal the caller caused (unknown or closed class): nothing was written for it.
    Refused(RefusalKind, String),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum RefusalKind {
    NotFound,
    Closed,
}

type Reply = oneshot::Sender<Result<Outcome, String>>;

/// The handle callers use.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<(Job, Reply)>,
}

impl Writer {
    /// Whether the writer task has ended (its queue is closed): nothing can be written.
    pub(crate) fn is_stopped(&self) -> bool {
        self.tx.is_closed()
    }

    /// Starts the writer task on the current Tokio runtime.
    pub(crate) fn spawn(db: Db, clock: Clock) -> Self {
        let (tx, mut rx) = mpsc::channel::<(Job, Reply)>(4096);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let jobs: Vec<Job> = batch.iter().map(|(j, _)| j.clone()).collect();
                let outcomes = run_isolated(&db, &clock, &jobs).await;
                for ((_, reply), outcome) in batch.into_iter().zip(outcomes) {
                    let _ = reply.send(outcome);
                }
            }
        });
        Self { tx }
    }

    /// Sends a job and waits for its committed answer.
    pub(crate) async fn submit(&self, job: Job) -> Result<Outcome> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((job, reply)).await.map_err(|_| StoreError::Closed)?;
        match answer.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(e)) => Err(StoreError::WriteFailed(e)),
            Err(_) => Err(StoreError::Closed),
        }
    }
}

/// Whether an error is the data of some job being refused by the database (a NUL byte
/// PostgreSQL cannot store, a broken constraint) rather than the database being unreachable.
/// Only the first kind is worth splitting a batch for: the same job would fail alone, while
/// its neighbours would pass without it.
fn is_data_error(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Database(
            sqlx::Error::Database(_)
                | sqlx::Error::Encode(_)
                | sqlx::Error::Decode(_)
                | sqlx::Error::ColumnDecode { .. }
                | sqlx::Error::TypeNotFound { .. }
        )
    )
}

/// Runs a batch so that one bad job never fails its neighbours: the whole batch in one
/// transaction first; if the database refuses it for its data, each half again on its own
/// (first half first, so numbers keep arrival order), down to the job that fails alone, which
/// is the only one answered with an error. Every committed sub-batch reads the current maximum
/// in its own transaction, so numbers stay dense and unique. A database that cannot be reached
/// is retried as a whole, then fails every job (nothing was committed).
async fn run_isolated(db: &Db, clock: &Clock, jobs: &[Job]) -> Vec<Result<Outcome, String>> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match run_batch(db, clock, jobs).await {
            Ok(outcomes) => return outcomes.into_iter().map(Ok).collect(),
            Err(e) if is_data_error(&e) && jobs.len() > 1 => {
                tracing::warn!(error = %e, size = jobs.len(), "pledge batch refused: splitting it to find the bad job");
                let (left, right) = jobs.split_at(jobs.len() / 2);
                let mut out = Box::pin(run_isolated(db, clock, left)).await;
                out.extend(Box::pin(run_isolated(db, clock, right)).await);
                return out;
            }
            Err(e) if attempt >= ATTEMPTS => {
                tracing::warn!(attempt, error = %e, size = jobs.len(), "pledge batch failed");
                return vec![Err(e.to_string()); jobs.len()];
            }
            Err(e) => tracing::warn!(attempt, error = %e, size = jobs.len(), "pledge batch failed: retrying"),
        }
    }
}

/// The session a click refers to.
#[derive(Debug, Clone, sqlx::FromRow)]
struct SessionRow {
    id: i64,
    campaign: i32,
    is_open: bool,
    chat_key: Option<String>,
    region: Option<String>,
    school: Option<String>,
}

/// What a job needs from the pledges table.
enum Need {
    Pledge {
        campaign: i32,
        person: String,
    },
    Join {
        session: SessionRow,
        person: String,
        first_name: Option<String>,
    },
    Refuse(RefusalKind, String),
    /// Not about pledges: written in step 4, in the same transaction.
    Claim(String, bool),
    Card(NewCard),
}

/// Runs one batch in one transaction and returns one outcome per job, in order.
async fn run_batch(db: &Db, clock: &Clock, jobs: &[Job]) -> Result<Vec<Outcome>> {
    let postgres = matches!(db, Db::Postgres(_));
    let now = clock.now_ms();
    let day = day_string(montreal_day(now));
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        // 1. Which session each click is for.
        let mut sessions: HashMap<String, Option<SessionRow>> = HashMap::new();
        for job in jobs {
            if let Job::Join(j) = job
                && !sessions.contains_key(&j.code)
            {
                let row: Option<SessionRow> = sqlx::query_as(
                    "SELECT id, campaign, is_open, chat_key, region, school FROM class_sessions WHERE code = $1",
                )
                .bind(&j.code)
                .fetch_optional(&mut *tx)
                .await?;
                sessions.insert(j.code.clone(), row);
            }
        }
        let needs: Vec<Need> = jobs
            .iter()
            .map(|job| match job {
                Job::Pledge(p) => Need::Pledge { campaign: p.campaign, person: p.person_key.clone() },
                Job::Join(j) => match sessions.get(&j.code).cloned().flatten() {
                    None => Need::Refuse(RefusalKind::NotFound, j.code.clone()),
                    Some(s) if !s.is_open => Need::Refuse(RefusalKind::Closed, j.code.clone()),
                    Some(s) => Need::Join { session: s, person: j.person_key.clone(), first_name: j.first_name.clone() },
                },
                Job::Claim(key, retake) => Need::Claim(key.clone(), *retake),
                Job::Card(card) => Need::Card(card.clone()),
            })
            .collect();
        // 2. Per campaign: lock, read who already pledged, and where the wave stands.
        let mut campaigns: Vec<i32> = needs
            .iter()
            .filter_map(|n| match n {
                Need::Pledge { campaign, .. } => Some(*campaign),
                Need::Join { session, .. } => Some(session.campaign),
                Need::Refuse(..) | Need::Claim(..) | Need::Card(_) => None,
            })
            .collect();
        campaigns.sort_unstable();
        campaigns.dedup();
        let mut known: HashMap<(i32, String), (i64, i64, i64)> = HashMap::new(); // -> (id, number, at)
        let mut next: HashMap<i32, i64> = HashMap::new();
        for &campaign in &campaigns {
            if postgres {
                // Serialises numbering across every process sharing the database.
                sqlx::query("SELECT pg_advisory_xact_lock(727000 + $1)").bind(i64::from(campaign)).execute(&mut *tx).await?;
            }
            let people: Vec<&String> = needs
                .iter()
                .filter_map(|n| match n {
                    Need::Pledge { campaign: c, person } if *c == campaign => Some(person),
                    Need::Join { session, person, .. } if session.campaign == campaign => Some(person),
                    _ => None,
                })
                .collect();
            let people: Vec<String> = people.into_iter().cloned().collect();
            for (person, id, number, at) in tx.existing(campaign, people).await? {
                known.insert((campaign, person), (id, number, at));
            }
            let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) FROM pledges WHERE campaign = $1")
                .bind(campaign)
                .fetch_one(&mut *tx)
                .await?;
            next.insert(campaign, max + 1);
        }
        // 3. Number the newcomers in arrival order.
        let mut fresh: Vec<NewPledge> = Vec::new();
        let mut created: HashMap<(i32, String), i64> = HashMap::new(); // -> number
        for (job, need) in jobs.iter().zip(&needs) {
            let (campaign, person, kind, session, platform, chat, region, org) = match (job, need) {
                (Job::Pledge(p), Need::Pledge { .. }) => (
                    p.campaign,
                    &p.person_key,
                    "ribbon",
                    None,
                    &p.platform,
                    p.chat_key.clone(),
                    p.region.clone(),
                    p.organization.clone(),
                ),
                (Job::Join(j), Need::Join { session, person, .. }) => (
                    session.campaign,
                    person,
                    "class",
                    Some(session.id),
                    &j.platform,
                    session.chat_key.clone(),
                    session.region.clone(),
                    session.school.clone(),
                ),
                _ => continue,
            };
            let key = (campaign, person.clone());
            if known.contains_key(&key) || created.contains_key(&key) {
                continue;
            }
            let n = next.get_mut(&campaign).expect("every campaign was read");
            created.insert(key, *n);
            fresh.push(NewPledge {
                campaign,
                number: *n,
                person_key: person.clone(),
                kind,
                class_session: session,
                platform: platform.clone(),
                chat_key: chat,
                region,
                organization: org,
            });
            *n += 1;
        }
        for (id, campaign, person) in tx.insert(fresh, now, day.clone()).await? {
            let number = created[&(campaign, person.clone())];
            known.insert((campaign, person), (id, number, now));
        }
        // 4. Class memberships, in order, so each click sees the count after it.
        let mut outcomes = Vec::with_capacity(jobs.len());
        let mut answered: HashMap<(i32, String), bool> = HashMap::new();
        for need in &needs {
            let outcome = match need {
                Need::Refuse(kind, code) => Outcome::Refused(*kind, code.clone()),
                Need::Claim(key, retake) => {
                        // A claim that was never finished is taken over when `retake` says so.
                        let done = sqlx::query(
                            "INSERT INTO deliveries (event_key, received_at) VALUES ($1, $2) ON CONFLICT (event_key) \
                             DO UPDATE SET received_at = excluded.received_at WHERE $3 AND deliveries.done_at IS NULL",
                        )
                        .bind(key)
                        .bind(now)
                        .bind(*retake)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        Outcome::Claimed(done == 1)
                    }
                Need::Card(card) => {
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO cards (campaign, sender_key, recipient_key, design, platform, wall_entry, created_at, local_day) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(card.campaign)
                        .bind(&card.sender_key)
                        .bind(&card.recipient_key)
                        .bind(&card.design)
                        .bind(&card.platform)
                        .bind(card.wall_entry)
                        .bind(now)
                        .bind(&day)
                        .fetch_one(&mut *tx)
                        .await?;
                        Outcome::Card(id)
                    }
                Need::Pledge { campaign, person } => {
                    let (_, number, at) = known[&(*campaign, person.clone())];
                    let first = created.contains_key(&(*campaign, person.clone()))
                        && answered.insert((*campaign, person.clone()), true).is_none();
                    Outcome::Pledged(Pledge { number, created: first, at_ms: at })
                }
                Need::Join { session, person, first_name } => {
                    let key = (session.campaign, person.clone());
                    let (pledge_id, number, at) = known[&key];
                    let first = created.contains_key(&key) && answered.insert(key, true).is_none();
                    let inserted: Option<(i64,)> = sqlx::query_as(
                        "INSERT INTO class_members (session_id, person_key, pledge_id, joined_at, first_name) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, person_key) DO NOTHING RETURNING id",
                    )
                    .bind(session.id)
                    .bind(person.as_str())
                    .bind(pledge_id)
                    .bind(now)
                    .bind(first_name.as_deref())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let (members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM class_members WHERE session_id = $1")
                        .bind(session.id)
                        .fetch_one(&mut *tx)
                        .await?;
                    Outcome::Joined(Joined {
                        pledge: Pledge { number, created: first, at_ms: at },
                        newly_joined: inserted.is_some(),
                        members,
                    })
                }
            };
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    })
}
