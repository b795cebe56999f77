-- Revision b_next
--
-- Revision ID: add_camera_zones_and_alert_rules_v2
-- Revises: a
-- Create Date: 2025-12-20 10:00:00.000000

-- migrate:upgrade
CREATE TABLE t_add_camera_zones_and_alert_rules_v2 (id int);

-- migrate:downgrade
DROP TABLE t_add_camera_zones_and_alert_rules_v2;
