-- Revision n_after
--
-- Revision ID: n
-- Revises: m
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_n (id int);

-- migrate:downgrade
DROP TABLE t_n;
