ALTER TABLE strategies ADD CONSTRAINT strategies_error_count_check CHECK (error_count >= 0);
