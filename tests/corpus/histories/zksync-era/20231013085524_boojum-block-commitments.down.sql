DROP TABLE IF EXISTS commitments;
DROP TABLE IF EXISTS events_queue;
