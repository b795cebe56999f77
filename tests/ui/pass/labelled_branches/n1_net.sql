-- Revision n1_net
--
-- Revision ID: n1
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000
-- Branch Labels: net
-- Depends On: s1

-- migrate:upgrade
CREATE TABLE t_n1 (id int);

-- migrate:downgrade
DROP TABLE t_n1;
