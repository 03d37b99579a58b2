//! What the store keeps and returns. Person and chat fields are pseudonymous keys
//! ([`crate::Pseudonymizer`]); no platform id ever reaches the store.

use serde::{Deserialize, Serialize};

/// A request to pledge: "I wear the ribbon".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeRequest {
    /// The campaign's year.
    pub campaign: i32,
    /// Who (pseudonymous key).
    pub person_key: String,
    /// `telegram`, `discord`, `web`…
    pub platform: String,
    /// Where (pseudonymous chat key), if in a chat.
    pub chat_key: Option<String>,
    /// A region code from the regions file.
    pub region: Option<String>,
    /// A school or organism.
    pub organization: Option<String>,
}

/// A pledge in the green wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pledge {
    /// Its number in the campaign's wave, from 1, dense.
    pub number: i64,
    /// False when the person had already pledged: this is their first pledge, returned again.
    pub created: bool,
    /// When it was first made, Unix ms.
    pub at_ms: i64,
}

/// A request to join a class session (a click on « Je m'engage 💚 »).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// The session's code.
    pub code: String,
    /// Who clicked.
    pub person_key: String,
    /// Where the click came from.
    pub platform: String,
    /// A first name the pupil typed on the class page (already checked by the core), drawn on
    /// the class badge; kept only while the class is open ([`crate::Store::close_class`]).
    pub first_name: Option<String>,
}

/// The outcome of a click.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Joined {
    /// The person's pledge (made now, or their earlier one).
    pub pledge: Pledge,
    /// False when this person had already joined this class (a double click).
    pub newly_joined: bool,
    /// How many people have joined the class now.
    pub members: i64,
}

/// Opening a class pledge session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClass {
    /// The campaign's year.
    pub campaign: i32,
    /// Who opens it (the teacher or group admin).
    pub owner_key: String,
    /// Platform.
    pub platform: String,
    /// The chat it runs in.
    pub chat_key: Option<String>,
    /// The class's name.
    pub class_name: String,
    /// The school.
    pub school: Option<String>,
    /// A region code.
    pub region: Option<String>,
    /// Opened as a group (« groupe »), not a class: only its words differ.
    pub is_group: bool,
}

/// A class session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClassSession {
    /// Row id.
    pub id: i64,
    /// The campaign.
    pub campaign: i32,
    /// The short code used in buttons and deep links.
    pub code: String,
    /// The class's name.
    pub class_name: Option<String>,
    /// The school.
    pub school: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// Whether clicks still count.
    pub is_open: bool,
    /// The chat it runs in.
    pub chat_key: Option<String>,
    /// Who opened it.
    pub owner_key: Option<String>,
    /// Its class link, once renewed (see [`ClassSession::link`]).
    #[sqlx(default)]
    pub link_code: Option<String>,
    /// Opened as a group (« groupe »: a cégep, adult education, a workplace), not a class.
    #[sqlx(default)]
    pub is_group: bool,
    /// What walls and filters call it (`/mur?class=…`): never its code nor its link, which
    /// are secrets (whoever holds one pledges as the class).
    #[sqlx(default)]
    pub public_id: Option<String>,
    /// Where it was opened: a platform (`telegram`, `discord`, `web`) or the dashboard.
    #[sqlx(default)]
    pub platform: String,
    /// When it was opened (ms since the epoch).
    #[sqlx(default)]
    pub opened_at: i64,
}

impl ClassSession {
    /// What its class link carries (`/classe/<link>`): the renewed link, else the code.
    pub fn link(&self) -> &str {
        self.link_code.as_deref().unwrap_or(&self.code)
    }
}

/// A closed class: what its badge shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassSummary {
    /// The session.
    pub session: ClassSession,
    /// How many people joined.
    pub members: i64,
    /// Public names of members who agreed to be shown by name, in joining order.
    pub names: Vec<String>,
}

/// A person's chosen profile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    /// The public name they chose.
    pub public_name: Option<String>,
    /// Their language override.
    pub locale: Option<String>,
    /// Whether their name may appear on the public wall (default: no).
    pub wall_opt_in: bool,
}

/// What a request needs to know of the person who sent it, read in one round trip
/// ([`crate::Store::sender`]): their profile (the language they chose, the name they sign
/// with), whether their cards are blocked this campaign, and how many they sent today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sender {
    /// Their chosen profile, if they ever set one.
    pub profile: Option<Profile>,
    /// Whether three of their cards reported as hurtful stopped their cards this campaign.
    pub blocked: bool,
    /// Cards they sent today (Montreal), by any process.
    pub cards_today: i64,
}

/// A message for the wall of support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWallEntry {
    /// The campaign.
    pub campaign: i32,
    /// Who wrote it.
    pub author_key: Option<String>,
    /// The already moderated text.
    pub message: String,
    /// Platform.
    pub platform: String,
    /// Region code.
    pub region: Option<String>,
    /// Organization.
    pub organization: Option<String>,
}

/// A wall entry as shown publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallItem {
    /// Row id (for moderation).
    pub id: i64,
    /// The author's public name if they opted in, else `None` (shown with a neutral wording).
    pub author_name: Option<String>,
    /// The text.
    pub message: String,
    /// When, Unix ms.
    pub at_ms: i64,
    /// Visible or hidden.
    pub hidden: bool,
    /// Hidden until an adult approves it (its class asked for approval first).
    pub awaiting: bool,
}

/// A card sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCard {
    /// The campaign.
    pub campaign: i32,
    /// Who sent it.
    pub sender_key: Option<String>,
    /// Who it was for, when they are known to the platform.
    pub recipient_key: Option<String>,
    /// The design's id.
    pub design: String,
    /// Platform.
    pub platform: String,
    /// The wall entry it was posted as, if the sender chose to.
    pub wall_entry: Option<i64>,
}

/// What forgetting a person erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Forgotten {
    /// Profile rows deleted.
    pub profiles: u64,
    /// Pledges unlinked (they still count, anonymously).
    pub pledges: u64,
    /// Class memberships unlinked.
    pub memberships: u64,
    /// Wall messages deleted.
    pub wall_entries: u64,
    /// Cards unlinked.
    pub cards: u64,
    /// Images kept for the web pages, deleted.
    pub media: u64,
    /// Messages offered for the wall and not posted, deleted.
    pub pending_posts: u64,
    /// Cards of theirs waiting for an adult, deleted.
    pub held_cards: u64,
}

/// Something that changed what a wall shows, sent to every subscriber after its commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StoreEvent {
    /// A new pledge in the wave (not a repeated one).
    Pledge {
        /// The campaign.
        campaign: i32,
        /// Its number.
        number: i64,
        /// Its region code.
        region: Option<String>,
        /// Its organization.
        organization: Option<String>,
        /// The class session's code, for class pledges.
        class: Option<String>,
    },
    /// A wall message appeared, was hidden or shown again.
    Wall {
        /// The campaign.
        campaign: i32,
    },
    /// Events may have been missed (the database connection carrying them dropped): count
    /// again from the database.
    Resync,
}

/// Which part of the campaign a wall shows: a region, a school, a class (all optional).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct WallFilter {
    /// A region code.
    #[serde(default)]
    pub region: Option<String>,
    /// A school or organization, exactly as pledged.
    #[serde(default)]
    pub school: Option<String>,
    /// A class session's public id ([`ClassSession::public_id`]), never its code.
    #[serde(default)]
    pub class: Option<String>,
}

impl WallFilter {
    /// Whether a pledge event belongs on this wall.
    pub fn matches(&self, event: &StoreEvent) -> bool {
        match event {
            StoreEvent::Pledge { region, organization, class, .. } => {
                self.region.as_ref().is_none_or(|r| region.as_ref() == Some(r))
                    && self.school.as_ref().is_none_or(|s| organization.as_ref() == Some(s))
                    && self.class.as_ref().is_none_or(|c| class.as_ref() == Some(c))
            }
            StoreEvent::Wall { .. } | StoreEvent::Resync => true,
        }
    }
}

/// What a wall shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallStats {
    /// Pledges on this wall.
    pub total: i64,
    /// Of which today (Montreal).
    pub today: i64,
    /// The campaign's highest pledge number when these figures were read (read by the same
    /// statement, so from the same snapshot). Numbers are given in commit order, one process at a
    /// time, so every pledge numbered up to it is in the figures and none after it: a live wall
    /// skips the events of the first and counts the others, exactly once each.
    pub counted_through: i64,
    /// Pledges per region (all 18, in file order): code, count.
    pub regions: Vec<(String, i64)>,
    /// The latest pledges: public name if the person agreed, else none; and the time.
    pub latest_pledges: Vec<(Option<String>, i64)>,
}

/// What an organizer token may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Scope {
    /// The whole campaign.
    All,
    /// One region (its code).
    Region(String),
    /// One organization (school, organism), exactly as pledged.
    Organization(String),
}

impl Scope {
    /// The pledges this scope covers, as a filter.
    pub fn filter(&self) -> WallFilter {
        match self {
            Self::All => WallFilter::default(),
            Self::Region(r) => WallFilter { region: Some(r.clone()), ..WallFilter::default() },
            Self::Organization(o) => WallFilter { school: Some(o.clone()), ..WallFilter::default() },
        }
    }
}

/// One photo framed for Jeudi perséVERT, as the green wave counts it ([`crate::Store::count_green_photo`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreenPhoto {
    /// The campaign's year.
    pub campaign: i32,
    /// Where it was framed: `telegram`, `discord`, `classe`, `web`.
    pub platform: String,
    /// Whose photo, only to read the region they chose (never stored).
    pub person_key: Option<String>,
    /// The class, when framed on a class page.
    pub class_code: Option<String>,
}

/// Whether a person who pledged is a young person or an adult, as they said it (once,
/// optionally): what the campaign reviews split participants by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgeGroup {
    /// A young person (a pupil, a student).
    Youth,
    /// An adult (a parent, a teacher, a coach, an employer).
    Adult,
}

impl AgeGroup {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Youth => "youth",
            Self::Adult => "adult",
        }
    }
}

/// A pledge row to insert.
pub(crate) struct NewPledge {
    pub(crate) campaign: i32,
    pub(crate) number: i64,
    pub(crate) person_key: String,
    pub(crate) kind: &'static str,
    pub(crate) class_session: Option<i64>,
    pub(crate) platform: String,
    pub(crate) chat_key: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) organization: Option<String>,
}
