-- Revision c_draft
--
-- Revision ID: c
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_c (id int);

-- migrate:downgrade
DROP TABLE t_c;
