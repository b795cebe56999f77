ALTER TABLE eth_txs ADD COLUMN from_addr BYTEA;
