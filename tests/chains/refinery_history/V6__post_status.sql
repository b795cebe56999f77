CREATE TYPE post_status AS ENUM ('draft', 'published');
ALTER TABLE posts ADD COLUMN status post_status NOT NULL DEFAULT 'draft';
