-- A deleted profile is archived, not erased: decision history is append-only and refers to it.
-- Account snapshots gain the margin still free to open positions with (equity less margin used),
-- worked out for the rows already there.
ALTER TABLE users ADD COLUMN archived_at TEXT;
ALTER TABLE account_snapshots ADD COLUMN margin_free TEXT NOT NULL DEFAULT '0';
-- Tradedeck has only written margin_used = '0' so far, so the exact text of equity carries over; any
-- other row (from a hand-edited database) is worked out in floating point rather than left wrong.
UPDATE account_snapshots SET margin_free = CASE WHEN margin_used = '0' THEN equity ELSE CAST(CAST(equity AS REAL) - CAST(margin_used AS REAL) AS TEXT) END;
