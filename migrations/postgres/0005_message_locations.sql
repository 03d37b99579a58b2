-- Where a platform message that later replies edit lives (a class counter: its chat and
-- message id), so any process, before or after a restart, edits the counter itself instead
-- of posting a copy. Platform ids only: no person in it. Rows of closed classes go with the
-- daily purge after a day.
CREATE TABLE message_locations (
    message_key TEXT NOT NULL PRIMARY KEY,
    chat        TEXT NOT NULL,
    message     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX message_locations_chat ON message_locations (chat);
