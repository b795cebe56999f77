-- Widget names: an index, and a default
--
-- Revision ID: b2
-- Revises: a1
-- Create Date: 2026-01-02 00:00:00.000000

-- migrate:upgrade
CREATE INDEX widgets_name_idx ON widgets (name);
ALTER TABLE widgets ALTER COLUMN name SET DEFAULT 'unnamed';

-- migrate:downgrade
-- Deliberately broken: the index stays, and the default put back is not
-- the one the upgrade found ('').
ALTER TABLE widgets ALTER COLUMN name SET DEFAULT 'none';
