ALTER TABLE eth_txs DROP COLUMN finality_status;
