-- Revision b_next
--
-- Revision ID: b
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_b (id int);

-- migrate:downgrade
DROP TABLE t_b;
