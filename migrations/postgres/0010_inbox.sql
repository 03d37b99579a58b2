-- Issue 20: an update the bot received is kept with its content until it is handled, so one
-- whose process died after acknowledging it (Telegram will not deliver it again) is handled
-- by another process, or by the same one after its restart. `taken_until` is the lease of
-- the process handling it (ms since the epoch); once it runs out with `done_at` still empty,
-- any process takes the update over. Finished updates drop their content.
ALTER TABLE deliveries ADD COLUMN payload TEXT;
ALTER TABLE deliveries ADD COLUMN taken_until BIGINT;
CREATE INDEX deliveries_unfinished ON deliveries (taken_until) WHERE done_at IS NULL AND payload IS NOT NULL;
