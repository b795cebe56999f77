-- Codes are unique
--
-- Revision ID: d4
-- Revises: c3
-- Create Date: 2026-12-05 06:03:00

-- migrate:upgrade
CREATE UNIQUE INDEX item_codes_code ON item_codes (code);

-- migrate:downgrade
DROP INDEX item_codes_code;
