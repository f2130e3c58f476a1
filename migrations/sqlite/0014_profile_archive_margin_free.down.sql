-- tradedeck: lossy
-- Archived profiles come back as ordinary ones, and the free margin figures go with their column.
ALTER TABLE account_snapshots DROP COLUMN margin_free;
ALTER TABLE users DROP COLUMN archived_at;
