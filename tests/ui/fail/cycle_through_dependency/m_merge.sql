-- Revision m_merge
--
-- Revision ID: m
-- Revises: b, c
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade

-- migrate:downgrade
