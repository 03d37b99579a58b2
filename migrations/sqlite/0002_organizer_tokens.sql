-- Organizer tokens, stored as SHA-256 hashes: whoever reads the database cannot log in.
-- A token sees the whole campaign, one region, or one organization.
CREATE TABLE organizer_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL,
    scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('all', 'region', 'organization')),
    scope_value TEXT,
    label       TEXT,
    created_at  BIGINT NOT NULL,
    CONSTRAINT organizer_tokens_hash_key UNIQUE (token_hash)
);
