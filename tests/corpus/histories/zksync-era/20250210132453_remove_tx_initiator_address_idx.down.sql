CREATE INDEX events_tx_initiator_address_idx ON events (tx_initiator_address);
