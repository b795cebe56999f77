-- Index items by name and by id
--
-- Revision ID: r2
-- Revises: r1
-- Create Date: 2026-01-02 00:00:00.000000
-- Options: irreversible

-- migrate:upgrade
-- squawk-ignore require-concurrent-index-creation -- items is empty until r2 ships
CREATE INDEX items_name_idx ON items (name);
CREATE INDEX items_id_name_idx ON items (id, name);
