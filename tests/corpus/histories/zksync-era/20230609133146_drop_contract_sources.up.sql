DROP TABLE IF EXISTS contract_sources;
