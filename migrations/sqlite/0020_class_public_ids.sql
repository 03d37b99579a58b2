-- Issue 32: a class's code is its first link (a secret: whoever holds it pledges as the class),
-- so walls and filters name a class by a public id of its own. Existing classes get one now.
ALTER TABLE class_sessions ADD COLUMN public_id TEXT;
UPDATE class_sessions SET public_id = lower(hex(randomblob(8))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX class_sessions_public_id ON class_sessions (public_id);
