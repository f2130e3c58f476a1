-- tradedeck: lossy
DROP TABLE error_logs;
DROP TABLE service_logs;
DROP TABLE account_snapshots;
DROP TABLE trades;
DROP TABLE positions;
DROP TABLE fills;
DROP TABLE orders;
