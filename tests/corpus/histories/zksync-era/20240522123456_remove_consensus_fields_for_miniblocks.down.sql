ALTER TABLE miniblocks
    ADD COLUMN consensus JSONB NULL;
