-- What a later web request may need, so that any process answers it (issue 13): several
-- `ruban serve` processes behind one address behave as one.

-- Organizer dashboard sessions. The cookie carries a random id; only its SHA-256 is kept, with
-- the scope it grants and the CSRF token its forms carry. Expired rows go with the daily purge.
CREATE TABLE web_sessions (
    id_hash     TEXT NOT NULL PRIMARY KEY,
    scope_kind  TEXT NOT NULL,
    scope_value TEXT,
    csrf        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- Images and files shown in web pages (a card, a badge, a class's certificate), served at
-- /media/{id} by any process. The id is 128 random bits. owner_key is the pseudonymous key of
-- the person who asked for it, so forget-me deletes it; every row goes after a day.
CREATE TABLE media (
    id           TEXT NOT NULL PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    owner_key    TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX media_owner ON media (owner_key);
CREATE INDEX media_created ON media (created_at);

-- A card's message offered for the wall (« afficher sur le mur »), until its author posts it,
-- forgets themselves, or a day passes: the button works from any process, and never after
-- forget-me.
CREATE TABLE pending_posts (
    card_id    BIGINT NOT NULL PRIMARY KEY,
    author_key TEXT NOT NULL,
    message    TEXT NOT NULL,
    platform   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_posts_author ON pending_posts (author_key);

-- Signed card links (Telegram inline cards) carry a tag of their sender's key; forget-me puts
-- the tag here so the person's links stop rendering, until they would have expired anyway.
CREATE TABLE revoked_shares (
    sender_tag TEXT NOT NULL PRIMARY KEY,
    until_ms   BIGINT NOT NULL
);
