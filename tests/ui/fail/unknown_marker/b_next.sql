-- Revision b_next
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_b (id int);

-- migrate:down
DROP TABLE t_b;
