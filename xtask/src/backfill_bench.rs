//! `cargo xtask bench-backfill`: the reference schema's Rust revision
//! (`backfill_baselines`) over a large history of detections, against the
//! same baselines computed by the server alone in two SQL statements (the
//! limit: no rows leave the server). Both results are compared, so the
//! timing is of two computations that agree.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use schema_runtime::sqlx::{self, Executor, PgConnection};
use schema_runtime::testing::TestCluster;
use schema_runtime::Migrator;

use crate::migrations;

/// The baselines computed in SQL, as the Rust revision computes them.
const SQL_BACKFILL: &str = "\
WITH d AS (SELECT camera_id, floor(extract(epoch FROM detected_at))::bigint AS e, object_type FROM detections) \
INSERT INTO activity_baselines (camera_id, hour, day_of_week, avg_count, sample_count) \
SELECT s.camera_id, s.hour, s.dow, s.n::float8 / w.weeks, s.n FROM \
 (SELECT camera_id, (e % 86400 / 3600)::int2 AS hour, ((e / 86400 + 4) % 7)::int2 AS dow, count(*)::int AS n \
  FROM d GROUP BY 1, 2, 3) s \
 JOIN (SELECT camera_id, count(DISTINCT (e / 86400 + 4) / 7) AS weeks FROM d GROUP BY 1) w USING (camera_id); \
WITH d AS (SELECT camera_id, floor(extract(epoch FROM detected_at))::bigint AS e, object_type FROM detections) \
INSERT INTO class_baselines (camera_id, detection_class, hour, frequency, sample_count) \
SELECT camera_id, object_type, hour, n::float8 / sum(n) OVER (PARTITION BY camera_id, hour), n FROM \
 (SELECT camera_id, object_type, (e % 86400 / 3600)::int2 AS hour, count(*)::int AS n FROM d GROUP BY 1, 2, 3) c;";

/// What both computations must agree on.
const SUMMARY: &str = "SELECT (SELECT count(*) FROM activity_baselines), \
  (SELECT round(sum(avg_count)::numeric, 6)::text FROM activity_baselines), \
  (SELECT sum(sample_count) FROM activity_baselines), \
  (SELECT count(*) FROM class_baselines), \
  (SELECT round(sum(frequency)::numeric, 6)::text FROM class_baselines)";

type Summary = (i64, Option<String>, Option<i64>, i64, Option<String>);

/// Runs the benchmark; `args`: `--detections N` (default 1,000,000) and
/// `--runs N` (default 3).
pub fn run(args: &[String]) -> ExitCode {
    let mut detections: i64 = 1_000_000;
    let mut runs = 3;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = it.next().and_then(|v| v.parse::<i64>().ok());
        match (a.as_str(), value) {
            ("--detections", Some(n)) if n > 0 => detections = n,
            ("--runs", Some(n)) if n > 0 => runs = n as usize,
            _ => {
                eprintln!("usage: cargo xtask bench-backfill [--detections N] [--runs N]");
                return ExitCode::from(2);
            }
        }
    }
    match bench(detections, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(detections: i64, runs: usize) -> Result<(), String> {
    let cluster = TestCluster::start().map_err(|e| e.to_string())?;
    let db = cluster.database().map_err(|e| e.to_string())?;
    let url = cluster.url(&db);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = rt.block_on(async {
        let mut conn = schema_runtime::connect(&url)
            .await
            .map_err(|e| e.render())?;
        let m = Migrator::new(&migrations::SET);
        m.upgrade(&mut conn, migrations::ActivityAndClassBaselines)
            .await
            .map_err(|e| e.render())?;
        seed(&mut conn, detections).await.map_err(|e| e.to_string())?;
        println!(
            "{detections} detections, 20 cameras, 12 weeks; {runs} round(s), each: the Rust revision, then the SQL"
        );
        let (mut rust, mut sql) = (Vec::new(), Vec::new());
        for round in 1..=runs {
            let started = Instant::now();
            m.upgrade(&mut conn, migrations::HEAD)
                .await
                .map_err(|e| e.render())?;
            rust.push(started.elapsed());
            let by_rust = summary(&mut conn).await?;
            m.downgrade(&mut conn, "-1").await.map_err(|e| e.render())?;

            let started = Instant::now();
            conn.execute(SQL_BACKFILL)
                .await
                .map_err(|e| e.to_string())?;
            sql.push(started.elapsed());
            let by_sql = summary(&mut conn).await?;
            conn.execute("DELETE FROM class_baselines; DELETE FROM activity_baselines")
                .await
                .map_err(|e| e.to_string())?;
            if by_rust != by_sql {
                return Err(format!(
                    "the two computations disagree: Rust {by_rust:?}, SQL {by_sql:?}"
                ));
            }
            println!(
                "round {round}: Rust revision {:.0} ms, SQL {:.0} ms; both give {} activity and {} class baselines",
                ms(rust[round - 1]),
                ms(sql[round - 1]),
                by_rust.0,
                by_rust.3
            );
        }
        let (r, s) = (median(&mut rust), median(&mut sql));
        println!(
            "median: Rust revision {:.0} ms ({:.2} µs a detection), SQL alone {:.0} ms; ratio {:.2}x",
            ms(r),
            r.as_secs_f64() * 1e6 / detections as f64,
            ms(s),
            r.as_secs_f64() / s.as_secs_f64()
        );
        Ok(())
    });
    cluster.stop();
    result
}

/// `n` detections over 20 cameras and 12 weeks, in four object classes.
async fn seed(conn: &mut PgConnection, n: i64) -> Result<(), sqlx::Error> {
    conn.execute(
        "INSERT INTO cameras (id, name, folder_path) \
         SELECT 'cam_' || i, 'Camera ' || i, '/cams/' || i FROM generate_series(1, 20) AS i",
    )
    .await?;
    sqlx::query(
        "INSERT INTO detections (camera_id, file_path, detected_at, object_type, confidence, bbox) \
         SELECT 'cam_' || (1 + i % 20), 'f' || i, \
                timestamptz '2026-09-06 00:00:00+00' + ((i * 7919) % 7257600) * interval '1 second', \
                (ARRAY['person', 'car', 'dog', 'cat'])[1 + (i / 20) % 4], 0.9, '{}'::jsonb \
         FROM generate_series(1, $1) AS i",
    )
    .bind(n)
    .execute(&mut *conn)
    .await?;
    conn.execute("ANALYZE detections").await?;
    Ok(())
}

async fn summary(conn: &mut PgConnection) -> Result<Summary, String> {
    sqlx::query_as(SUMMARY)
        .fetch_one(conn)
        .await
        .map_err(|e| e.to_string())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
