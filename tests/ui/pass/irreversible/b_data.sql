-- Revision b_data
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000
-- Options: irreversible

-- migrate:upgrade
CREATE TABLE t_b (id int);

