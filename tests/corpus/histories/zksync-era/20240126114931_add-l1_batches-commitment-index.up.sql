CREATE INDEX IF NOT EXISTS l1_batches_commitment ON l1_batches (commitment);
