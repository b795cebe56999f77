-- Backfill items
--
-- Revision ID: r2
-- Revises: r1
-- Create Date: 2026-01-02 00:00:00.000000

-- migrate:upgrade
INSERT INTO items VALUES (1);
COMMIT;
SELECT * FROM missing;

-- migrate:downgrade
DELETE FROM items;
