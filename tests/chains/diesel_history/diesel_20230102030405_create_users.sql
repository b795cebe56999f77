-- create users
--
-- Revision ID: diesel_20230102030405
-- Revises: diesel_00000000000000

-- Imported from diesel: 2023-01-02-030405_create_users
-- diesel version: 20230102030405

-- migrate:upgrade
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

SELECT diesel_manage_updated_at('users');
-- migrate:downgrade
DROP TABLE users;
