CREATE TABLE roles (name text PRIMARY KEY);
INSERT INTO roles (name) VALUES ('admin'), ('member');
