ALTER TABLE eth_txs_history DROP COLUMN blob_base_fee_per_gas;
ALTER TABLE eth_txs DROP COLUMN blob_sidecar;
