ALTER TABLE pruning_log
    DROP COLUMN pruned_l1_batch_root_hash;
