-- Zones, with the rows a dump left behind
--
-- Revision ID: r1
-- Revises:
-- Create Date: 2026-01-01 00:00:00.000000
-- Options: non-transactional

-- migrate:upgrade
CREATE TABLE zones (id int, name text);
COPY zones (id, name) FROM stdin;
1	gate
\.

-- migrate:downgrade
DROP TABLE zones;
