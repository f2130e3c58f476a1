-- tradedeck: lossy
-- The notes go with their column, and audit rows about resolved errors are kept under the subject 'user'.
CREATE TABLE audit_log_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL CHECK (subject IN ('settings', 'risk_config', 'credentials', 'backup', 'restore', 'migration', 'rollback', 'strategy', 'user')),
  action TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO audit_log_new (id, user_id, actor, subject, action, details, occurred_at)
  SELECT id, user_id, actor, CASE subject WHEN 'error_log' THEN 'user' ELSE subject END, action, details, occurred_at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_occurred ON audit_log (occurred_at DESC);
CREATE INDEX audit_log_user ON audit_log (user_id, occurred_at DESC);
CREATE TRIGGER audit_log_outbox_insert AFTER INSERT ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', NEW.id);
END;
CREATE TRIGGER audit_log_outbox_update AFTER UPDATE ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND NEW.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', NEW.id);
END;
CREATE TRIGGER audit_log_outbox_delete AFTER DELETE ON audit_log FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 AND OLD.user_id IS NOT NULL BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('audit_log', OLD.id);
END;
ALTER TABLE error_logs DROP COLUMN resolution_note;
