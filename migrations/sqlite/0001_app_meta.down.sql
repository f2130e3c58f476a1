-- tradedeck: lossy
DROP TABLE app_meta;
