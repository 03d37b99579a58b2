-- Platform events already handled (Telegram update ids, Discord interaction ids), so an event
-- delivered twice, even after a restart or to another process, is handled once. Rows are
-- small and are dropped after two days by the daily purge.
CREATE TABLE deliveries (
    event_key   TEXT NOT NULL PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX deliveries_received_at ON deliveries (received_at);
