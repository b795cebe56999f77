-- seed roles
--
-- Revision ID: diesel_20230105000000
-- Revises: diesel_20230104000000
-- Options: irreversible

-- Imported from diesel: 2023-01-05-000000_seed_roles
-- diesel version: 20230105000000

-- migrate:upgrade
CREATE TABLE roles (name VARCHAR PRIMARY KEY);
INSERT INTO roles (name) VALUES ('admin'), ('author');
