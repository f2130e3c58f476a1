-- tradedeck: lossy
-- The notes go with their column, and audit rows about resolved errors are kept under the subject 'user'.
UPDATE audit_log SET subject = 'user' WHERE subject = 'error_log';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_subject_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject_check CHECK (subject IN ('settings', 'risk_config', 'credentials', 'backup', 'restore', 'migration', 'rollback', 'strategy', 'user'));
ALTER TABLE error_logs DROP COLUMN resolution_note;
