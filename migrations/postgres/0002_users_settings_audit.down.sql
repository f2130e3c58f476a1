-- tradedeck: lossy
DROP TABLE notifications;
DROP TABLE audit_log;
DROP TABLE settings;
DROP TABLE credentials;
DROP TABLE users;
DROP FUNCTION tradedeck_touch_updated_at();
