-- Issue 35: a certificate is counted once per pupil and class, however many times it is
-- printed (the dashboard counted every download: 155 for about 33 pupils). A row of a
-- certificate now carries a keyed hash of the campaign, the class (or chat) and the first
-- name, never the name: printing the same pupil again finds the row and adds nothing. Rows
-- from before have none and count as they were.
ALTER TABLE certificates_given ADD COLUMN pupil_tag TEXT;
CREATE UNIQUE INDEX certificates_given_pupil ON certificates_given (campaign, pupil_tag);
