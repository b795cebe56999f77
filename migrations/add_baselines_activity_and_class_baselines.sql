-- Baselines of normal activity, per camera and per object class
--
-- Revision ID: add_baselines
-- Revises: add_audit_logs
-- Create Date: 2026-01-03 17:30:56.287911

-- migrate:upgrade
CREATE TABLE activity_baselines (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id              bigserial PRIMARY KEY,
    camera_id       text NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    -- squawk-ignore prefer-bigint-over-smallint -- the CHECK bounds it to 0..23
    hour            smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    -- squawk-ignore prefer-bigint-over-smallint -- the CHECK bounds it to 0..6
    day_of_week     smallint NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
    avg_count       double precision NOT NULL DEFAULT 0 CHECK (avg_count >= 0),
    -- squawk-ignore prefer-bigint-over-int -- samples of one hourly slot: int holds more than a camera will ever record
    sample_count    integer NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
    last_updated    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activity_baselines_slot UNIQUE (camera_id, hour, day_of_week)
);

CREATE TABLE class_baselines (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id              bigserial PRIMARY KEY,
    camera_id       text NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    detection_class text NOT NULL,
    -- squawk-ignore prefer-bigint-over-smallint -- the CHECK bounds it to 0..23
    hour            smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    frequency       double precision NOT NULL DEFAULT 0 CHECK (frequency >= 0),
    -- squawk-ignore prefer-bigint-over-int -- samples of one hourly slot: int holds more than a camera will ever record
    sample_count    integer NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
    last_updated    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT class_baselines_slot UNIQUE (camera_id, detection_class, hour)
);
CREATE INDEX idx_class_baselines_sparse ON class_baselines (camera_id, detection_class) WHERE sample_count < 10;
COMMENT ON TABLE class_baselines IS 'Per-class frequency by hour; rows with few samples are not trusted';

-- migrate:downgrade
DROP TABLE class_baselines;
DROP TABLE activity_baselines;
