ALTER TABLE contract_verification_requests ADD COLUMN evm_specific JSONB;
