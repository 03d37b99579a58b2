-- Issue 15: « groupe » as well as « classe » (cégeps, adult education, workplaces): a class
-- session opened as a group says « groupe » in its messages, its page and its badge.
ALTER TABLE class_sessions ADD COLUMN is_group BOOLEAN NOT NULL DEFAULT FALSE;
