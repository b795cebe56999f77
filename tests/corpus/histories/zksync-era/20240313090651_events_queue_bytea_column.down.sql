ALTER TABLE events_queue DROP COLUMN IF EXISTS serialized_events_queue_bytea;
