-- Zones: named regions of a camera image
--
-- Revision ID: add_zones_001
-- Revises: add_alerts_rules
-- Create Date: 2025-12-30 14:22:48.630094

-- migrate:upgrade
CREATE TYPE zone_type AS ENUM ('entry_point', 'driveway', 'sidewalk', 'yard', 'other');
CREATE TYPE zone_shape AS ENUM ('rectangle', 'polygon');

CREATE TABLE zones (
    id          text PRIMARY KEY,
    camera_id   text NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    name        text NOT NULL,
    zone_type   zone_type NOT NULL DEFAULT 'other',
    shape       zone_shape NOT NULL DEFAULT 'rectangle',
    -- Normalised image coordinates: [[x, y], ...] with 0 <= x, y <= 1.
    coordinates jsonb NOT NULL CHECK (jsonb_typeof(coordinates) = 'array' AND jsonb_array_length(coordinates) >= 3),
    color       text NOT NULL DEFAULT '#3B82F6' CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
    enabled     boolean NOT NULL DEFAULT true,
    -- squawk-ignore prefer-bigint-over-int -- an ordering rank among one camera's zones
    priority    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT zones_name_per_camera UNIQUE (camera_id, name)
);
CREATE INDEX idx_zones_camera_enabled ON zones (camera_id, priority DESC) WHERE enabled;
COMMENT ON TABLE zones IS 'Regions of a camera image; detections are matched against them';

-- migrate:downgrade
DROP TABLE zones;
DROP TYPE zone_shape;
DROP TYPE zone_type;
