ALTER TABLE snapshots
    DROP COLUMN version;
