-- create posts
--
-- Revision ID: diesel_20230103120000
-- Revises: diesel_20230102030405

-- Imported from diesel: 2023-01-03-120000_create_posts
-- diesel version: 20230103120000

-- migrate:upgrade
CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
-- migrate:downgrade
DROP TABLE posts;
