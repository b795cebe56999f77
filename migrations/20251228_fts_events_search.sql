-- Full-text search on events: a tsvector kept current by a trigger, with a GIN index
--
-- Revision ID: 20251228_fts
-- Revises: 968b0dff6a9b
-- Create Date: 2025-12-28 16:40:11.902117

-- migrate:upgrade
ALTER TABLE events ADD COLUMN search_vector tsvector;

-- Weighted: the summary counts most; reasoning and notes less.
CREATE FUNCTION events_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.reasoning, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.notes, '')), 'C');
    RETURN NEW;  -- a trigger on INSERT OR UPDATE; returning NEW keeps the row
END;
$$;

CREATE TRIGGER events_search_vector_trigger
    BEFORE INSERT OR UPDATE OF summary, reasoning, notes ON events
    FOR EACH ROW EXECUTE FUNCTION events_search_vector_update();

-- Backfill the rows that exist already.
UPDATE events SET search_vector =
    setweight(to_tsvector('english', coalesce(summary, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(reasoning, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(notes, '')), 'C');

-- squawk-ignore require-concurrent-index-creation -- the backfill above has locked every row of events in this transaction already
CREATE INDEX idx_events_search_vector ON events USING gin (search_vector);

-- migrate:downgrade
-- squawk-ignore require-concurrent-index-deletion -- the DROP COLUMN below takes the same ACCESS EXCLUSIVE lock on events
DROP INDEX idx_events_search_vector;
DROP TRIGGER events_search_vector_trigger ON events;
DROP FUNCTION events_search_vector_update();
ALTER TABLE events DROP COLUMN search_vector;
