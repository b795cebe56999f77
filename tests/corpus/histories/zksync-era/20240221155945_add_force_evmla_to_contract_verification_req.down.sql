ALTER TABLE contract_verification_requests DROP COLUMN force_evmla;
