-- Issues 13 and 14: a class's teacher has an access of their own (`/enseignant/CODE`, a secret
-- apart from the class link, which pupils' devices hold), where they approve their class's
-- messages. So a message waiting for approval names its class.
ALTER TABLE class_sessions ADD COLUMN teacher_code TEXT;
CREATE UNIQUE INDEX class_sessions_teacher_code ON class_sessions (teacher_code);
ALTER TABLE wall_entries ADD COLUMN class_code TEXT;
CREATE INDEX wall_entries_awaiting_class ON wall_entries (class_code, created_at);
