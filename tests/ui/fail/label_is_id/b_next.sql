-- Revision b_next
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000
-- Branch Labels: a

-- migrate:upgrade
CREATE TABLE t_b (id int);

-- migrate:downgrade
DROP TABLE t_b;
