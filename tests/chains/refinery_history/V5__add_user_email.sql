ALTER TABLE users ADD COLUMN email text;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));