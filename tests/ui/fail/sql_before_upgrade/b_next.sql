-- Revision b_next
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000

CREATE TABLE t_b (id int);

-- migrate:upgrade
ALTER TABLE t_b ADD COLUMN name text;

-- migrate:downgrade
DROP TABLE t_b;
