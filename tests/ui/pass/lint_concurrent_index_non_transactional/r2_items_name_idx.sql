-- Index items by name without blocking writes
--
-- Revision ID: r2
-- Revises: r1
-- Create Date: 2026-01-02 00:00:00.000000
-- Options: non-transactional

-- migrate:upgrade
CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name_idx ON items (name);

-- migrate:downgrade
DROP INDEX CONCURRENTLY IF EXISTS items_name_idx;
