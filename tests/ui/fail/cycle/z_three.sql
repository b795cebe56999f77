-- Revision z_three
--
-- Revision ID: z
-- Revises: y
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_z (id int);

-- migrate:downgrade
DROP TABLE t_z;
