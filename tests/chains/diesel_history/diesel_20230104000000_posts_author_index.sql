-- posts author index
--
-- Revision ID: diesel_20230104000000
-- Revises: diesel_20230103120000
-- Options: non-transactional

-- Imported from diesel: 20230104000000_posts_author_index
-- diesel version: 20230104000000

-- migrate:upgrade
CREATE INDEX CONCURRENTLY posts_author_idx ON posts (author_id);
-- migrate:downgrade
DROP INDEX CONCURRENTLY posts_author_idx;
