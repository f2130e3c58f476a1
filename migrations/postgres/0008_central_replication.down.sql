-- tradedeck: lossy
DROP POLICY users_own_users ON users;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
DROP POLICY credentials_own_users ON credentials;
ALTER TABLE credentials DISABLE ROW LEVEL SECURITY;
DROP POLICY audit_log_own_users ON audit_log;
ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY;
DROP POLICY notifications_own_users ON notifications;
ALTER TABLE notifications DISABLE ROW LEVEL SECURITY;
DROP POLICY risk_config_own_users ON risk_config;
ALTER TABLE risk_config DISABLE ROW LEVEL SECURITY;
DROP POLICY strategies_own_users ON strategies;
ALTER TABLE strategies DISABLE ROW LEVEL SECURITY;
DROP POLICY trade_ideas_own_users ON trade_ideas;
ALTER TABLE trade_ideas DISABLE ROW LEVEL SECURITY;
DROP POLICY decision_history_own_users ON decision_history;
ALTER TABLE decision_history DISABLE ROW LEVEL SECURITY;
DROP POLICY orders_own_users ON orders;
ALTER TABLE orders DISABLE ROW LEVEL SECURITY;
DROP POLICY fills_own_users ON fills;
ALTER TABLE fills DISABLE ROW LEVEL SECURITY;
DROP POLICY positions_own_users ON positions;
ALTER TABLE positions DISABLE ROW LEVEL SECURITY;
DROP POLICY trades_own_users ON trades;
ALTER TABLE trades DISABLE ROW LEVEL SECURITY;
DROP POLICY account_snapshots_own_users ON account_snapshots;
ALTER TABLE account_snapshots DISABLE ROW LEVEL SECURITY;
DROP POLICY service_logs_own_users ON service_logs;
ALTER TABLE service_logs DISABLE ROW LEVEL SECURITY;
DROP POLICY error_logs_own_users ON error_logs;
ALTER TABLE error_logs DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON users, credentials, audit_log, notifications, risk_config, strategies, trade_ideas, orders, fills, positions, trades, account_snapshots, service_logs, error_logs FROM tradedeck_desk;
REVOKE ALL ON decision_history, market_snapshots, indicator_snapshots FROM tradedeck_desk;
DROP FUNCTION tradedeck_schema_version();
CREATE OR REPLACE FUNCTION tradedeck_touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- The desk-to-user mapping is dropped; the cluster-wide role tradedeck_desk is kept, other databases may use it.
DROP TABLE desk_users;
