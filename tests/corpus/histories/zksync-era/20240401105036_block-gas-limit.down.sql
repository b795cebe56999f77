ALTER TABLE miniblocks DROP COLUMN gas_limit;
