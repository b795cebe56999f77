-- Revision b_next: café menu
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
INSERT INTO t_a VALUES (1); -- café

-- migrate:downgrade
DELETE FROM t_a;
