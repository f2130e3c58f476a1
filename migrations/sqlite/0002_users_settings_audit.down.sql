-- tradedeck: lossy
DROP TABLE notifications;
DROP TABLE audit_log;
DROP TABLE settings;
DROP TABLE credentials;
DROP TABLE users;
