-- Replication to a central PostgreSQL. Triggers append the key of every changed
-- row to sync_outbox in the same transaction as the change, so no write path can
-- skip it; the sync worker pushes the row as it is when sent and deletes the
-- entry only after PostgreSQL committed it. Capture stays off until a central
-- database is connected, so a desk without one keeps no outbox.
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_key TEXT NOT NULL,
  queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  capture INTEGER NOT NULL DEFAULT 0 CHECK (capture IN (0, 1)),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  -- Which central database the desk replicates to; another one starts the initial copy again.
  target TEXT,
  -- Initial copy: the table in progress and the last key copied, so an interrupted copy resumes.
  initial_table TEXT,
  initial_after TEXT,
  initial_copied INTEGER NOT NULL DEFAULT 0,
  initial_total INTEGER NOT NULL DEFAULT 0,
  initial_done_at TEXT,
  verification TEXT CHECK (verification IS NULL OR json_valid(verification)),
  last_success_at TEXT,
  last_error TEXT,
  last_error_at TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

CREATE TRIGGER users_outbox_insert AFTER INSERT ON users FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('users', NEW.id);
END;
CREATE TRIGGER users_outbox_update AFTER UPDATE ON users FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('users', NEW.id);
END;
CREATE TRIGGER users_outbox_delete AFTER DELETE ON users FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('users', OLD.id);
END;
CREATE TRIGGER risk_config_outbox_insert AFTER INSERT ON risk_config FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('risk_config', NEW.user_id);
END;
CREATE TRIGGER risk_config_outbox_update AFTER UPDATE ON risk_config FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('risk_config', NEW.user_id);
END;
CREATE TRIGGER risk_config_outbox_delete AFTER DELETE ON risk_config FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('risk_config', OLD.user_id);
END;
CREATE TRIGGER strategies_outbox_insert AFTER INSERT ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', NEW.id);
END;
CREATE TRIGGER strategies_outbox_update AFTER UPDATE ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', NEW.id);
END;
CREATE TRIGGER strategies_outbox_delete AFTER DELETE ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', OLD.id);
END;
CREATE TRIGGER market_snapshots_outbox_insert AFTER INSERT ON market_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('market_snapshots', NEW.id);
END;
CREATE TRIGGER market_snapshots_outbox_update AFTER UPDATE ON market_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('market_snapshots', NEW.id);
END;
CREATE TRIGGER market_snapshots_outbox_delete AFTER DELETE ON market_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('market_snapshots', OLD.id);
END;
CREATE TRIGGER indicator_snapshots_outbox_insert AFTER INSERT ON indicator_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('indicator_snapshots', NEW.id);
END;
CREATE TRIGGER indicator_snapshots_outbox_update AFTER UPDATE ON indicator_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('indicator_snapshots', NEW.id);
END;
CREATE TRIGGER indicator_snapshots_outbox_delete AFTER DELETE ON indicator_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('indicator_snapshots', OLD.id);
END;
CREATE TRIGGER trade_ideas_outbox_insert AFTER INSERT ON trade_ideas FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trade_ideas', NEW.id);
END;
CREATE TRIGGER trade_ideas_outbox_update AFTER UPDATE ON trade_ideas FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trade_ideas', NEW.id);
END;
CREATE TRIGGER trade_ideas_outbox_delete AFTER DELETE ON trade_ideas FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trade_ideas', OLD.id);
END;
CREATE TRIGGER orders_outbox_insert AFTER INSERT ON orders FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('orders', NEW.id);
END;
CREATE TRIGGER orders_outbox_update AFTER UPDATE ON orders FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('orders', NEW.id);
END;
CREATE TRIGGER orders_outbox_delete AFTER DELETE ON orders FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('orders', OLD.id);
END;
CREATE TRIGGER fills_outbox_insert AFTER INSERT ON fills FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('fills', NEW.id);
END;
CREATE TRIGGER fills_outbox_update AFTER UPDATE ON fills FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('fills', NEW.id);
END;
CREATE TRIGGER fills_outbox_delete AFTER DELETE ON fills FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('fills', OLD.id);
END;
CREATE TRIGGER positions_outbox_insert AFTER INSERT ON positions FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('positions', NEW.id);
END;
CREATE TRIGGER positions_outbox_update AFTER UPDATE ON positions FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('positions', NEW.id);
END;
CREATE TRIGGER positions_outbox_delete AFTER DELETE ON positions FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('positions', OLD.id);
END;
CREATE TRIGGER trades_outbox_insert AFTER INSERT ON trades FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trades', NEW.id);
END;
CREATE TRIGGER trades_outbox_update AFTER UPDATE ON trades FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trades', NEW.id);
END;
CREATE TRIGGER trades_outbox_delete AFTER DELETE ON trades FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('trades', OLD.id);
END;
CREATE TRIGGER account_snapshots_outbox_insert AFTER INSERT ON account_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('account_snapshots', NEW.id);
END;
CREATE TRIGGER account_snapshots_outbox_update AFTER UPDATE ON account_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('account_snapshots', NEW.id);
END;
CREATE TRIGGER account_snapshots_outbox_delete AFTER DELETE ON account_snapshots FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('account_snapshots', OLD.id);
END;
CREATE TRIGGER decision_history_outbox_insert AFTER INSERT ON decision_history FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('decision_history', NEW.id);
END;
CREATE TRIGGER notifications_outbox_insert AFTER INSERT ON notifications FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('notifications', NEW.id);
END;
CREATE TRIGGER notifications_outbox_update AFTER UPDATE ON notifications FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('notifications', NEW.id);
END;
CREATE TRIGGER notifications_outbox_delete AFTER DELETE ON notifications FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('notifications', OLD.id);
END;
CREATE TRIGGER audit_log_outbox_insert AFTER INSERT ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', NEW.id);
END;
CREATE TRIGGER audit_log_outbox_update AFTER UPDATE ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', NEW.id);
END;
CREATE TRIGGER audit_log_outbox_delete AFTER DELETE ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND OLD.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', OLD.id);
END;
CREATE TRIGGER service_logs_outbox_insert AFTER INSERT ON service_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('service_logs', NEW.id);
END;
CREATE TRIGGER service_logs_outbox_update AFTER UPDATE ON service_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('service_logs', NEW.id);
END;
CREATE TRIGGER service_logs_outbox_delete AFTER DELETE ON service_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND OLD.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('service_logs', OLD.id);
END;
CREATE TRIGGER error_logs_outbox_insert AFTER INSERT ON error_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('error_logs', NEW.id);
END;
CREATE TRIGGER error_logs_outbox_update AFTER UPDATE ON error_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('error_logs', NEW.id);
END;
CREATE TRIGGER error_logs_outbox_delete AFTER DELETE ON error_logs FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND OLD.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('error_logs', OLD.id);
END;
