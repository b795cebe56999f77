DROP TABLE IF EXISTS tee_attestations;
DROP TABLE IF EXISTS tee_proof_generation_details;

DROP INDEX IF EXISTS idx_tee_proof_generation_details_status_prover_taken_at;
