-- tradedeck: lossy
DROP TABLE risk_config;
DROP TABLE strategies;
