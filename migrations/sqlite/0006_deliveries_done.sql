-- When an event's handling finished. An event claimed but never finished (the process died
-- between the claim and the reply) is handled again when the platform delivers it again
-- (Telegram does after a restart): at least once for anything that counts; pledges are
-- idempotent, so handling twice never counts twice. Events claimed before this column
-- existed count as finished.
ALTER TABLE deliveries ADD COLUMN done_at BIGINT;
UPDATE deliveries SET done_at = received_at;
