-- Widgets
--
-- Revision ID: a1
-- Revises:
-- Create Date: 2026-01-01 00:00:00.000000

-- migrate:upgrade
CREATE TYPE widget_kind AS ENUM ('gear', 'spring');
CREATE TABLE widgets (
    id   bigserial PRIMARY KEY,
    kind widget_kind NOT NULL,
    name text NOT NULL DEFAULT ''
);

-- migrate:downgrade
DROP TABLE widgets;
DROP TYPE widget_kind;
