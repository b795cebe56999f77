// Baselines computed from the detections already recorded
//
// Revision ID: backfill_baselines
// Revises: add_baselines
// Create Date: 2026-12-05 06:00:00.000000

// `add_baselines` created `activity_baselines` and `class_baselines` empty,
// although the cameras have a history of detections. This revision reads
// that history in batches (by id, so each batch is one index range) and
// computes, per camera, the average number of detections in each hour of
// each weekday (over the weeks the camera was seen), and, per camera and
// hour, the share of each object class. Times are UTC.

use std::collections::{HashMap, HashSet};

use schema_runtime::sqlx::{self, PgConnection, Row};

/// Detections read per query.
const BATCH: i64 = 50_000;

/// What the history says about one camera.
#[derive(Default)]
struct Camera {
    /// Detections per (hour, day of week, Sunday = 0).
    slots: HashMap<(i16, i16), i32>,
    /// The weeks (counted from 1970-01-04, a Sunday) with any detection.
    weeks: HashSet<i64>,
    /// Detections per (object class, hour).
    classes: HashMap<(String, i16), i32>,
    /// Detections per hour.
    hours: HashMap<i16, i32>,
}

/// Hour of the day, day of the week (Sunday = 0) and week number of a Unix time.
fn slot(epoch: i64) -> (i16, i16, i64) {
    let days = epoch.div_euclid(86_400);
    let hour = epoch.rem_euclid(86_400) / 3_600;
    // 1970-01-01 was a Thursday (day 4).
    ((hour as i16), (days + 4).rem_euclid(7) as i16, (days + 4).div_euclid(7))
}

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM detections")
        .fetch_one(&mut *conn)
        .await?;
    let mut cameras: HashMap<String, Camera> = HashMap::new();
    let (mut after, mut read) = (0_i64, 0_i64);
    loop {
        let rows = sqlx::query(
            "SELECT id, camera_id, floor(extract(epoch FROM detected_at))::bigint, object_type \
             FROM detections WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        read += rows.len() as i64;
        for row in &rows {
            let camera = cameras.entry(row.get(1)).or_default();
            let (hour, dow, week) = slot(row.get(2));
            *camera.slots.entry((hour, dow)).or_default() += 1;
            camera.weeks.insert(week);
            *camera.classes.entry((row.get(3), hour)).or_default() += 1;
            *camera.hours.entry(hour).or_default() += 1;
        }
        schema_runtime::tracing::info!(target: "schema_runtime::revision", "backfill_baselines: {read} of {total} detections read");
    }

    let (mut a_camera, mut a_hour, mut a_dow, mut a_avg, mut a_n) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut c_camera, mut c_class, mut c_hour, mut c_freq, mut c_n) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, camera) in &cameras {
        let weeks = camera.weeks.len().max(1) as f64;
        for (&(hour, dow), &n) in &camera.slots {
            a_camera.push(id.clone());
            a_hour.push(hour);
            a_dow.push(dow);
            a_avg.push(f64::from(n) / weeks);
            a_n.push(n);
        }
        for ((class, hour), &n) in &camera.classes {
            c_camera.push(id.clone());
            c_class.push(class.clone());
            c_hour.push(*hour);
            c_freq.push(f64::from(n) / f64::from(camera.hours[hour]));
            c_n.push(n);
        }
    }
    sqlx::query(
        "INSERT INTO activity_baselines (camera_id, hour, day_of_week, avg_count, sample_count) \
         SELECT * FROM unnest($1::text[], $2::int2[], $3::int2[], $4::float8[], $5::int4[]) \
         ON CONFLICT ON CONSTRAINT activity_baselines_slot DO UPDATE \
         SET avg_count = EXCLUDED.avg_count, sample_count = EXCLUDED.sample_count, last_updated = now()",
    )
    .bind(&a_camera)
    .bind(&a_hour)
    .bind(&a_dow)
    .bind(&a_avg)
    .bind(&a_n)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO class_baselines (camera_id, detection_class, hour, frequency, sample_count) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::float8[], $5::int4[]) \
         ON CONFLICT ON CONSTRAINT class_baselines_slot DO UPDATE \
         SET frequency = EXCLUDED.frequency, sample_count = EXCLUDED.sample_count, last_updated = now()",
    )
    .bind(&c_camera)
    .bind(&c_class)
    .bind(&c_hour)
    .bind(&c_freq)
    .bind(&c_n)
    .execute(&mut *conn)
    .await?;
    schema_runtime::tracing::info!(
        target: "schema_runtime::revision",
        "backfill_baselines: {} activity and {} class baselines for {} camera(s)",
        a_camera.len(),
        c_camera.len(),
        cameras.len()
    );
    Ok(())
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM class_baselines")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM activity_baselines")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
