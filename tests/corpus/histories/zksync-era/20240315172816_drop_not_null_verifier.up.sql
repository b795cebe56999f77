ALTER TABLE protocol_versions
    ALTER COLUMN verifier_address DROP NOT NULL;
