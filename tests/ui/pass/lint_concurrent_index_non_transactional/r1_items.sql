-- Items
--
-- Revision ID: r1
-- Revises:
-- Create Date: 2026-01-01 00:00:00.000000

-- migrate:upgrade
CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);

-- migrate:downgrade
DROP TABLE items;
