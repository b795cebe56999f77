DROP INDEX IF EXISTS miniblocks_pending_batch;
