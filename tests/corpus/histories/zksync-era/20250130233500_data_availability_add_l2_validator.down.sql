ALTER TABLE data_availability DROP COLUMN IF EXISTS l2_da_validator_address;
