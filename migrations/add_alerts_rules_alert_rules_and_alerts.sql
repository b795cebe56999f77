-- Alert rules and the alerts they raise
--
-- Revision ID: add_alerts_rules
-- Revises: 20251228_fts
-- Create Date: 2025-12-29 11:05:37.118402

-- migrate:upgrade
CREATE TYPE alert_severity AS ENUM ('low', 'medium', 'high', 'critical');
CREATE TYPE alert_status AS ENUM ('pending', 'delivered', 'acknowledged', 'dismissed');

CREATE TABLE alert_rules (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL,
    description         text,
    enabled             boolean NOT NULL DEFAULT true,
    severity            alert_severity NOT NULL DEFAULT 'medium',
    -- squawk-ignore prefer-bigint-over-smallint -- the CHECK bounds it to 0..100
    risk_threshold      smallint CHECK (risk_threshold BETWEEN 0 AND 100),
    object_types        text[],
    camera_ids          text[],
    zone_ids            text[],
    min_confidence      real CHECK (min_confidence BETWEEN 0 AND 1),
    schedule            jsonb,    -- {"days": ["mon", ...], "start_time": "22:00", "end_time": "06:00"}
    conditions          jsonb,
    dedup_key_template  text NOT NULL DEFAULT '{camera_id}:{rule_id}',
    -- squawk-ignore prefer-bigint-over-int -- seconds of cooldown: int holds 68 years
    cooldown_seconds    integer NOT NULL DEFAULT 300 CHECK (cooldown_seconds >= 0),
    channels            jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_alert_rules_enabled ON alert_rules (severity) WHERE enabled;

CREATE TABLE alerts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    rule_id         uuid REFERENCES alert_rules (id) ON DELETE SET NULL,
    severity        alert_severity NOT NULL,
    status          alert_status NOT NULL DEFAULT 'pending',
    dedup_key       text NOT NULL,
    channels        jsonb NOT NULL DEFAULT '[]'::jsonb,
    alert_metadata  jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    acknowledged_at timestamptz,
    CONSTRAINT alerts_delivery_order CHECK (delivered_at IS NULL OR delivered_at >= created_at)
);
CREATE INDEX idx_alerts_event ON alerts (event_id);
CREATE INDEX idx_alerts_dedup_recent ON alerts (dedup_key, created_at DESC);
CREATE INDEX idx_alerts_open ON alerts (created_at DESC) WHERE status IN ('pending', 'delivered');
COMMENT ON COLUMN alerts.dedup_key IS 'camera_id:rule_id; alerts with the same key inside the cooldown are merged';

-- migrate:downgrade
DROP TABLE alerts;
DROP TABLE alert_rules;
DROP TYPE alert_status;
DROP TYPE alert_severity;
