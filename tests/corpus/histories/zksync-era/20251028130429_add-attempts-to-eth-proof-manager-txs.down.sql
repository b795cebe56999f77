ALTER TABLE eth_proof_manager DROP COLUMN validation_tx_attempts;
