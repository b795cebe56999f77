-- add user email
--
-- Revision ID: diesel_20230106000000
-- Revises: diesel_20230105000000
-- Options: irreversible

-- Imported from diesel: 2023-01-06-000000_add_user_email
-- diesel version: 20230106000000

-- migrate:upgrade
ALTER TABLE users ADD COLUMN email VARCHAR;
CREATE UNIQUE INDEX users_email_idx ON users (email);
