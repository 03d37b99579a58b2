-- Issue 14: a class may choose that its messages reach the wall only once an adult approved
-- them. A message of such a class waits hidden, marked `awaiting`, in the organizers' queue.
ALTER TABLE class_sessions ADD COLUMN premoderated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE wall_entries ADD COLUMN awaiting BOOLEAN NOT NULL DEFAULT FALSE;
