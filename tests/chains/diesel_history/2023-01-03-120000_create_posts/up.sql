CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
