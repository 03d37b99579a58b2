-- Issue 15: Jeudi perséVERT's green wave. A photo framed with /vert is processed in memory and
-- never stored: one row says that one more photo joined the wave, with the day (Montreal),
-- the platform and, when known, the region and the class, for the organizers' figures.
-- Nobody's key, nothing of the photo.
CREATE TABLE green_photos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign   INTEGER NOT NULL,
    platform   TEXT NOT NULL,
    day        TEXT NOT NULL,
    region     TEXT,
    class_code TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX green_photos_campaign ON green_photos (campaign, day);
