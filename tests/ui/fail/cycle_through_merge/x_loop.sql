-- Revision x_loop
--
-- Revision ID: x
-- Revises: m
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_x (id int);

-- migrate:downgrade
DROP TABLE t_x;
