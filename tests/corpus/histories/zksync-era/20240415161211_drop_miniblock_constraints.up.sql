ALTER TABLE events DROP CONSTRAINT IF EXISTS events_miniblock_number_fkey;
ALTER TABLE l2_to_l1_logs DROP CONSTRAINT IF EXISTS l2_to_l1_logs_miniblock_number_fkey;
