-- Issue 15: the campaign reviews count participants split young people / adults. A person may
-- say it once, optionally, after pledging; unknown (NULL) otherwise. On the pledge, so the
-- purge unlinks it with the rest and the totals keep only counts.
ALTER TABLE pledges ADD COLUMN age_group TEXT CHECK (age_group IN ('youth', 'adult'));
