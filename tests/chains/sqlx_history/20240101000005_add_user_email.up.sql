ALTER TABLE users ADD COLUMN email text;
UPDATE users SET email = name || '@example.com';
CREATE UNIQUE INDEX users_email_idx ON users (email);
