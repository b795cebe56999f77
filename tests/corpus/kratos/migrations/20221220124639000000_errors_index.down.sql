CREATE INDEX selfservice_errors_nid_idx ON selfservice_errors (id, nid);

DROP INDEX selfservice_errors_errors_nid_id_idx;
