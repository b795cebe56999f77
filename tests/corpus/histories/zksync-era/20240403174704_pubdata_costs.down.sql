ALTER TABLE l1_batches
    DROP COLUMN IF EXISTS pubdata_costs;
