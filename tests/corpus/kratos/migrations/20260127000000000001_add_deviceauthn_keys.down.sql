DELETE FROM identity_credential_types WHERE name = 'deviceauthn';
