ALTER TABLE miniblocks DROP COLUMN fair_pubdata_price;
