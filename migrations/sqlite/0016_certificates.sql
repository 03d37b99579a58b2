-- Issue 15: certificates handed out are counted, nothing else: no name, no reason, nobody's
-- key. One row per handing-out (one from a chat, a class's from the dashboard), with how many.
CREATE TABLE certificates_given (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign   INTEGER NOT NULL,
    platform   TEXT NOT NULL,
    count      INTEGER NOT NULL CHECK (count > 0),
    created_at BIGINT NOT NULL
);
CREATE INDEX certificates_given_campaign ON certificates_given (campaign);
