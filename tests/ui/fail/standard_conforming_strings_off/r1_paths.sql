-- Windows paths
--
-- Revision ID: r1
-- Revises:
-- Create Date: 2026-01-01 00:00:00.000000

-- migrate:upgrade
CREATE TABLE paths (path text);
SET standard_conforming_strings = off;
INSERT INTO paths VALUES ('C:\\temp');

-- migrate:downgrade
DROP TABLE paths;
