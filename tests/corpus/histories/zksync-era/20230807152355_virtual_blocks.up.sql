ALTER TABLE miniblocks
ADD virtual_blocks BIGINT NOT NULL DEFAULT 0;
