-- Issue 14: « Signaler » on the wall page itself, where anyone looking may press it. Such a
-- report (`stranger`) hides the entry at once, like the recipient's, but counts as a strike
-- against the sender only once an organizer confirms it: a passer-by cannot get someone
-- blocked. The reporter is a keyed hash of the client's address, never the address.
ALTER TABLE reports ADD COLUMN stranger BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX reports_reporter ON reports (reporter_key, created_at);
