-- Widget sizes
--
-- Revision ID: c3
-- Revises: b2
-- Create Date: 2026-01-03 00:00:00.000000

-- migrate:upgrade
ALTER TABLE widgets ADD COLUMN size integer;

-- migrate:downgrade
ALTER TABLE widgets DROP COLUMN size;
