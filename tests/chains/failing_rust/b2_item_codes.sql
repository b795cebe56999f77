-- Item codes
--
-- Revision ID: b2
-- Revises: a1
-- Create Date: 2026-12-05 06:01:00

-- migrate:upgrade
CREATE TABLE item_codes (item_id bigint PRIMARY KEY REFERENCES items, code text NOT NULL);

-- migrate:downgrade
DROP TABLE item_codes;
