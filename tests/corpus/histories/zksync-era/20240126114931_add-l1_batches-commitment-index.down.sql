DROP INDEX IF EXISTS l1_batches_commitment;
