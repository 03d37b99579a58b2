-- Issue 15: certificates handed out from a chat are counted, nothing else: no name, no reason,
-- nobody's key. One row each, for the campaign's totals.
CREATE TABLE certificates_given (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign   INTEGER NOT NULL,
    platform   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX certificates_given_campaign ON certificates_given (campaign);
