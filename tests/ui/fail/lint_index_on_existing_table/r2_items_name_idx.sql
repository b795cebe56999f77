-- Index items by name
--
-- Revision ID: r2
-- Revises: r1
-- Create Date: 2026-01-02 00:00:00.000000
-- Options: irreversible

-- migrate:upgrade
CREATE INDEX items_name_idx ON items (name);
