ALTER TABLE consensus_replica_state DROP COLUMN genesis JSONB;
