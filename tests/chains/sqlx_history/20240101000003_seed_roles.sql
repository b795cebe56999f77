-- A simple migration: sqlx has no down for it.
CREATE TABLE roles (name text PRIMARY KEY);
INSERT INTO roles (name) VALUES ('admin'), ('author');
