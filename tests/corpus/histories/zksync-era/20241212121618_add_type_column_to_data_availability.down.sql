ALTER TABLE data_availability DROP COLUMN IF EXISTS client_type;
