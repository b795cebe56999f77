drop index ix_miniblocks_t2;
