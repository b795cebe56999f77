ALTER TABLE l1_batches ADD COLUMN pubdata_limit BIGINT;
