CREATE INDEX idx_blob_id_l1_batch_number ON data_availability (blob_id, l1_batch_number);
