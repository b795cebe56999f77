ALTER TABLE eth_txs_history
    DROP COLUMN sent_successfully;
