-- Revision y_two
--
-- Revision ID: y
-- Revises: x
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_y (id int);

-- migrate:downgrade
DROP TABLE t_y;
