-- Items
--
-- Revision ID: a1
-- Revises:
-- Create Date: 2026-12-05 06:00:00

-- migrate:upgrade
CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO items VALUES (1, 'camera'), (2, 'zone'), (3, 'alert');

-- migrate:downgrade
DROP TABLE items;
