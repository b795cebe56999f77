ALTER TABLE data_availability ADD COLUMN l2_da_validator_address BYTEA;
