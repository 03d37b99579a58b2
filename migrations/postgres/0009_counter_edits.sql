-- One editor at a time for each keyed message (a class counter), across every process on this
-- database, so the last edit the platform applies is always the true count: each click raises
-- `wanted` (the revision it produced), the process holding the lease (`editor`, until
-- `editor_until`, in ms) edits the message to the current truth, records the revision it
-- showed (`shown`) and lets go only once nothing newer is wanted. `locale` is the language the
-- message was posted in, so an edit never changes it. Platform ids and revisions only: no
-- person in it.
ALTER TABLE message_locations ADD COLUMN wanted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE message_locations ADD COLUMN shown BIGINT NOT NULL DEFAULT 0;
ALTER TABLE message_locations ADD COLUMN editor TEXT;
ALTER TABLE message_locations ADD COLUMN editor_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE message_locations ADD COLUMN locale TEXT;

-- When messages were (or will be) sent to each chat, so that every process keeps one chat
-- inside the platform's limits together (one a second in a chat, twenty a minute in a group):
-- several processes each pacing on their own would send twice as many. Rows older than two
-- minutes are deleted as new ones come. Platform chat ids only.
CREATE TABLE chat_sends (
    chat  TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX chat_sends_chat_at ON chat_sends (chat, at_ms);

-- A first name a pupil typed on the class page, for the class badge. Kept only while the class
-- is open: closing it (after its badge is drawn) and the purge set it to NULL.
ALTER TABLE class_members ADD COLUMN first_name TEXT;
