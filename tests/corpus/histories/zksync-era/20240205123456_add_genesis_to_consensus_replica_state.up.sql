ALTER TABLE consensus_replica_state ADD genesis JSONB;
