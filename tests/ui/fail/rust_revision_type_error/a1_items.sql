-- Items
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade
CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);

-- migrate:downgrade
DROP TABLE items;
