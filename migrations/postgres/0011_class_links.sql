-- Issue 13: a class link the teacher can renew. NULL: the link is the class's code itself
-- (every class before this column, and every class until its link is renewed). Once renewed,
-- only the new link opens the class page; the code keeps working in the chats' buttons.
ALTER TABLE class_sessions ADD COLUMN link_code TEXT;
CREATE UNIQUE INDEX class_sessions_link_code ON class_sessions (link_code);
