-- Audit log of security-relevant actions
--
-- Revision ID: add_audit_logs
-- Revises: add_zones_001
-- Create Date: 2026-01-02 08:51:19.004772

-- migrate:upgrade
CREATE TABLE audit_logs (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id              bigserial PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    action          text NOT NULL,     -- e.g. 'event_reviewed', 'settings_changed', 'api_key_created'
    resource_type   text NOT NULL,
    resource_id     text,
    actor           text NOT NULL DEFAULT 'system',
    ip_address      inet,
    user_agent      text,
    details         jsonb,
    status          text NOT NULL DEFAULT 'success' CHECK (status IN ('success', 'failure'))
);
CREATE INDEX idx_audit_logs_occurred ON audit_logs (occurred_at DESC);
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource_type, resource_id);
CREATE INDEX idx_audit_logs_failures ON audit_logs (occurred_at DESC) WHERE status = 'failure';
CREATE INDEX idx_audit_logs_details ON audit_logs USING gin (details);

-- migrate:downgrade
DROP TABLE audit_logs;
