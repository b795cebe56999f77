-- Revision s2_shop
--
-- Revision ID: s2
-- Revises: s1
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_s2 (id int);

-- migrate:downgrade
DROP TABLE t_s2;
