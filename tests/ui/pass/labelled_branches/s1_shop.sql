-- Revision s1_shop
--
-- Revision ID: s1
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000
-- Branch Labels: shop

-- migrate:upgrade
CREATE TABLE t_s1 (id int);

-- migrate:downgrade
DROP TABLE t_s1;
