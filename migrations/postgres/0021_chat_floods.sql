-- Issue 32: a 429 from a platform closes the whole chat for its retry_after, not only the
-- request that got it, and every process must hold back: until when each chat is closed (ms
-- since the epoch). Platform chat ids only; a row is replaced by a later closing.
CREATE TABLE chat_floods (
    chat     TEXT PRIMARY KEY,
    until_ms BIGINT NOT NULL
);
