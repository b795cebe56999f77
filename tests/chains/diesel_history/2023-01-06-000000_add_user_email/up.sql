ALTER TABLE users ADD COLUMN email VARCHAR;
CREATE UNIQUE INDEX users_email_idx ON users (email);
