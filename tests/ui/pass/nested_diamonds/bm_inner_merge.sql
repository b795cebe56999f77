-- Revision bm_inner_merge
--
-- Revision ID: bm
-- Revises: b1, b2
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade

-- migrate:downgrade
