-- Ruban's store. The same tables, columns and constraints on SQLite and PostgreSQL; only the
-- identity column syntax differs. Times are Unix milliseconds (UTC); local_day is the
-- America/Montreal calendar day, computed when the row is written.

CREATE TABLE campaigns (
    year            INTEGER PRIMARY KEY,
    start_day       TEXT NOT NULL,
    end_day         TEXT NOT NULL,
    persevert_day   TEXT NOT NULL,
    hashtag         TEXT NOT NULL,
    theme_fr        TEXT NOT NULL,
    theme_en        TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    purged_at       BIGINT
);

CREATE TABLE regions (
    code    TEXT PRIMARY KEY,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- People, pseudonymous: key = HMAC-SHA256(server secret, platform ":" platform user id).
CREATE TABLE people (
    person_key   TEXT PRIMARY KEY,
    public_name  TEXT,
    locale       TEXT,
    wall_opt_in  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE class_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign     INTEGER NOT NULL REFERENCES campaigns (year),
    code         TEXT NOT NULL,
    owner_key    TEXT,
    platform     TEXT NOT NULL,
    chat_key     TEXT,
    class_name   TEXT,
    school       TEXT,
    region       TEXT REFERENCES regions (code),
    is_open      BOOLEAN NOT NULL DEFAULT TRUE,
    opened_at    BIGINT NOT NULL,
    closed_at    BIGINT,
    CONSTRAINT class_sessions_code_key UNIQUE (code)
);

-- One row per pledge in a campaign's green wave. A person has at most one pledge per campaign
-- (pledges_person_key); numbers are dense from 1 (pledges_number_key). Forgetting a person or
-- purging a campaign clears person_key and keeps the row: the anonymous count stays.
CREATE TABLE pledges (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign      INTEGER NOT NULL REFERENCES campaigns (year),
    number        BIGINT NOT NULL,
    person_key    TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('ribbon', 'class')),
    class_session BIGINT REFERENCES class_sessions (id),
    platform      TEXT NOT NULL,
    chat_key      TEXT,
    region        TEXT REFERENCES regions (code),
    organization  TEXT,
    created_at    BIGINT NOT NULL,
    local_day     TEXT NOT NULL,
    CONSTRAINT pledges_number_key UNIQUE (campaign, number),
    CONSTRAINT pledges_person_key UNIQUE (campaign, person_key)
);
CREATE INDEX pledges_day ON pledges (campaign, local_day);

-- Who joined a class session. A person who pledged earlier still joins the class (the class
-- counts them) without a second number in the wave.
CREATE TABLE class_members (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  BIGINT NOT NULL REFERENCES class_sessions (id),
    person_key  TEXT,
    pledge_id   BIGINT NOT NULL REFERENCES pledges (id),
    joined_at   BIGINT NOT NULL,
    CONSTRAINT class_members_person_key UNIQUE (session_id, person_key)
);

CREATE TABLE wall_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign     INTEGER NOT NULL REFERENCES campaigns (year),
    author_key   TEXT,
    author_name  TEXT,
    message      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'hidden')),
    platform     TEXT NOT NULL,
    region       TEXT REFERENCES regions (code),
    organization TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX wall_entries_latest ON wall_entries (campaign, created_at);

-- Cards sent: who to whom (pseudonymous), design, when. The message is kept only as a wall
-- entry, when the sender chose to post it.
CREATE TABLE cards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign      INTEGER NOT NULL REFERENCES campaigns (year),
    sender_key    TEXT,
    recipient_key TEXT,
    design        TEXT NOT NULL,
    platform      TEXT NOT NULL,
    wall_entry    BIGINT REFERENCES wall_entries (id),
    created_at    BIGINT NOT NULL,
    local_day     TEXT NOT NULL
);
CREATE INDEX cards_day ON cards (campaign, local_day);
