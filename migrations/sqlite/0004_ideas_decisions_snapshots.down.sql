-- tradedeck: lossy
DROP TABLE decision_history;
DROP TABLE trade_ideas;
DROP TABLE indicator_snapshots;
DROP TABLE market_snapshots;
