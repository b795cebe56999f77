ALTER TABLE miniblocks
DROP COLUMN virtual_blocks;
