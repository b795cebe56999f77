CREATE TABLE roles (name VARCHAR PRIMARY KEY);
INSERT INTO roles (name) VALUES ('admin'), ('author');
