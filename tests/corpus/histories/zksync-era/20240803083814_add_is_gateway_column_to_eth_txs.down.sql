ALTER TABLE eth_txs DROP COLUMN is_gateway;
