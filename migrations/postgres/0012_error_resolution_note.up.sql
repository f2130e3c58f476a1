-- Resolving an error keeps what the trader wrote about it beside the error, and the audit log records who
-- resolved it (a new audit subject, error_log).
ALTER TABLE error_logs ADD COLUMN resolution_note text;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_subject_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject_check CHECK (subject IN ('settings', 'risk_config', 'credentials', 'backup', 'restore', 'migration', 'rollback', 'strategy', 'user', 'error_log'));
