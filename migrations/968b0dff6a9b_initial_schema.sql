-- Initial schema: cameras, events, detections, gpu_stats, logs, api_keys
--
-- Revision ID: 968b0dff6a9b
-- Revises:
-- Create Date: 2025-12-20 09:14:02.415263

-- migrate:upgrade
CREATE TYPE camera_status AS ENUM ('online', 'offline', 'error', 'disabled');

CREATE TABLE cameras (
    id          text PRIMARY KEY,                 -- folder name, e.g. 'front_door'
    name        text NOT NULL,
    folder_path text NOT NULL UNIQUE,
    status      camera_status NOT NULL DEFAULT 'online',
    settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    CONSTRAINT cameras_id_format CHECK (id ~ '^[a-z0-9_]+$')
);
COMMENT ON TABLE cameras IS 'Cameras; one upload folder each; status is kept by the watcher';

CREATE TABLE events (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id            bigserial PRIMARY KEY,
    batch_id      text NOT NULL,
    camera_id     text NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    -- squawk-ignore prefer-bigint-over-smallint -- the CHECK bounds it to 0..100
    risk_score    smallint CHECK (risk_score BETWEEN 0 AND 100),
    risk_level    text CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    summary       text,
    reasoning     text,
    reviewed      boolean NOT NULL DEFAULT false,
    notes         text,
    is_fast_path  boolean NOT NULL DEFAULT false,
    CONSTRAINT events_time_order CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX idx_events_camera_started ON events (camera_id, started_at DESC);
CREATE INDEX idx_events_unreviewed ON events (started_at DESC) WHERE NOT reviewed;
CREATE INDEX idx_events_risk_high ON events (risk_score) WHERE risk_level IN ('high', 'critical');

CREATE TABLE detections (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id              bigserial PRIMARY KEY,
    camera_id       text NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    event_id        bigint REFERENCES events (id) ON DELETE SET NULL,
    file_path       text NOT NULL,
    file_type       text,
    detected_at     timestamptz NOT NULL DEFAULT now(),
    object_type     text NOT NULL,
    confidence      real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    bbox            jsonb NOT NULL,  -- {"x": .., "y": .., "width": .., "height": ..}
    thumbnail_path  text,
    media_type      text NOT NULL DEFAULT 'image' CHECK (media_type IN ('image', 'video'))
);
CREATE INDEX idx_detections_camera_time ON detections (camera_id, detected_at DESC);
CREATE INDEX idx_detections_event ON detections (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX idx_detections_bbox ON detections USING gin (bbox jsonb_path_ops);

CREATE TABLE gpu_stats (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id                  bigserial PRIMARY KEY,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    gpu_name            text,
    gpu_utilization     real CHECK (gpu_utilization BETWEEN 0 AND 100),
    -- squawk-ignore prefer-bigint-over-int -- megabytes of one GPU: int holds 2 PB
    memory_used_mb      integer CHECK (memory_used_mb >= 0),
    -- squawk-ignore prefer-bigint-over-int -- megabytes of one GPU: int holds 2 PB
    memory_total_mb     integer CHECK (memory_total_mb > 0),
    temperature_c       real,
    inference_fps       real
);
CREATE INDEX idx_gpu_stats_recorded ON gpu_stats (recorded_at DESC);

CREATE TABLE logs (
    -- squawk-ignore prefer-identity -- ids come only from the column default; the sequence belongs to the column and goes with the table
    id          bigserial PRIMARY KEY,
    logged_at   timestamptz NOT NULL DEFAULT now(),
    level       text NOT NULL CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')),
    component   text NOT NULL,
    message     text NOT NULL,
    camera_id   text REFERENCES cameras (id) ON DELETE SET NULL,
    event_id    bigint REFERENCES events (id) ON DELETE SET NULL,
    extra       jsonb,
    source      text NOT NULL DEFAULT 'backend'
);
CREATE INDEX idx_logs_logged_at ON logs (logged_at DESC);
CREATE INDEX idx_logs_errors ON logs (logged_at DESC) WHERE level IN ('ERROR', 'CRITICAL');

CREATE TABLE api_keys (
    -- squawk-ignore prefer-identity, prefer-bigint-over-int -- a handful of API keys, numbered only by the column default
    id          serial PRIMARY KEY,
    -- squawk-ignore ban-char-field -- a hex SHA-256 is always exactly 64 characters
    key_hash    char(64) NOT NULL UNIQUE,   -- SHA-256 of the key; the key itself is never stored
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    is_active   boolean GENERATED ALWAYS AS (revoked_at IS NULL) STORED
);
CREATE INDEX idx_api_keys_active ON api_keys (key_hash) WHERE revoked_at IS NULL;
COMMENT ON COLUMN api_keys.key_hash IS 'hex SHA-256; compare with digest(key); never log the key';

-- migrate:downgrade
DROP TABLE api_keys;
DROP TABLE logs;
DROP TABLE gpu_stats;
DROP TABLE detections;
DROP TABLE events;
DROP TABLE cameras;
DROP TYPE camera_status;
