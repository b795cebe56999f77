ALTER TABLE vm_runner_bwip DROP COLUMN IF EXISTS processing_started_at;
