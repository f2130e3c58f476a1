-- tradedeck: lossy
DROP TABLE decision_history;
DROP FUNCTION decision_history_append_only();
DROP TABLE trade_ideas;
DROP TABLE indicator_snapshots;
DROP TABLE market_snapshots;
