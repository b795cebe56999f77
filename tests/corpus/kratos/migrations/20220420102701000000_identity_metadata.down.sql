ALTER TABLE identities DROP COLUMN metadata_public;
ALTER TABLE identities DROP COLUMN metadata_admin;
