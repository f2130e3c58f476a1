-- A deleted profile is archived, not erased: decision history is append-only and refers to it.
-- Account snapshots gain the margin still free to open positions with (equity less margin used),
-- worked out for the rows already there.
ALTER TABLE users ADD COLUMN archived_at timestamptz;
ALTER TABLE account_snapshots ADD COLUMN margin_free numeric NOT NULL DEFAULT 0;
UPDATE account_snapshots SET margin_free = equity - margin_used;
