DROP TABLE IF EXISTS en_remote_config;
