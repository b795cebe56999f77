-- Revision c_last
--
-- Revision ID: c
-- Revises: bb
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_c (id int);

-- migrate:downgrade
DROP TABLE t_c;
