-- Issue 34: a card the moderation scorer is unsure of is not drawn: it waits for the adult in
-- charge of its class (the teacher's page, the organizers' dashboard). Only what drawing it
-- takes is kept, never past the web state's life (a day); approving or refusing deletes it.
-- chat is the platform's chat id where the approved card goes (none for the class page).
CREATE TABLE held_cards (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_code    TEXT NOT NULL,
    sender_key    TEXT NOT NULL,
    platform      TEXT NOT NULL,
    chat          TEXT,
    recipient     TEXT NOT NULL,
    recipient_key TEXT,
    message       TEXT NOT NULL,
    design        TEXT NOT NULL,
    locale        TEXT NOT NULL,
    category      TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX held_cards_class ON held_cards (class_code);
CREATE INDEX held_cards_sender ON held_cards (sender_key);

-- What an approved card leaves for its chat: any process of the chat's platform takes it
-- (taken_until leases it, so a process that dies before sending leaves it to another) and
-- deletes it once sent.
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform    TEXT NOT NULL,
    chat        TEXT NOT NULL,
    text        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    alt         TEXT NOT NULL,
    buttons     TEXT NOT NULL,
    image       BYTEA NOT NULL,
    taken_until BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX outbox_platform ON outbox (platform, taken_until);
