-- Issue 14: reports of cards that hurt, and senders blocked for a campaign. Keys only
-- (pseudonymous, like everywhere); the reported words are read from where they already are
-- (the wall entry, the message offered for the wall) when an organizer reviews them. Both
-- tables go with the campaign's purge.
CREATE TABLE reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign     INTEGER NOT NULL,
    card_id      BIGINT NOT NULL,
    wall_entry   BIGINT,
    sender_key   TEXT,
    reporter_key TEXT NOT NULL,
    platform     TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'hidden', 'restored', 'blocked')),
    created_at   BIGINT NOT NULL,
    UNIQUE (card_id, reporter_key)
);
CREATE INDEX reports_open ON reports (campaign, state, created_at);
CREATE INDEX reports_sender ON reports (campaign, sender_key);
CREATE TABLE blocked_senders (
    campaign   INTEGER NOT NULL,
    sender_key TEXT NOT NULL,
    blocked_at BIGINT NOT NULL,
    PRIMARY KEY (campaign, sender_key)
);
