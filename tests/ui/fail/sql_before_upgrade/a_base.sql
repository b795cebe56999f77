-- Revision a_base
--
-- Revision ID: a
-- Revises: 
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_a (id int);

-- migrate:downgrade
DROP TABLE t_a;
