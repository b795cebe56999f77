ALTER TABLE eth_txs
    ALTER COLUMN predicted_gas_cost SET NOT NULL;
