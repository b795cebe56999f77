ALTER TABLE scheduler_witness_jobs_fri drop COLUMN IF EXISTS attempts;
