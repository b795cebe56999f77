CREATE TYPE post_status AS ENUM ('draft', 'published');
ALTER TABLE posts ADD COLUMN status post_status NOT NULL DEFAULT 'draft';
CREATE FUNCTION publish(post bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts SET status = 'published' WHERE id = post;
END;
$$;
