ALTER TABLE initial_writes DROP COLUMN IF EXISTS index;
