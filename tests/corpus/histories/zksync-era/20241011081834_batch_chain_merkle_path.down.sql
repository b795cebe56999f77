ALTER TABLE l1_batches
    DROP COLUMN batch_chain_merkle_path BYTEA;
