ALTER TABLE prover_jobs DROP COLUMN IF EXISTS circuit_input_blob_url;
