//! `cargo xtask bench`: this project against the one-query limit, `psql`,
//! sqlx and Alembic, on the same synthetic chains, the same throwaway
//! PostgreSQL and in the same run, so that the figures compare as ratios.
//! Results go to `target/bench/results.md` and `target/bench/results.json`,
//! and each target of docs/BENCHMARKS.md is judged met or not met
//! ([`targets`]); `--check` makes a missed target fail the command.

mod chain;
mod expansion;
mod peers;
mod report;
mod targets;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;
use schema_runtime::testing::TestCluster;
use schema_runtime::{Direction, Migrator, Range, TransactionMode};
use sqlx::{AssertSqlSafe, Executor, PgConnection};

use report::{Results, Sample};

/// All upgrade sections as one query: the limit.
const LIMIT: &str = "one query (the limit)";
/// This project, in process.
const OURS_UP: &str = "ours: upgrade base->head, in process";
const OURS_SINGLE: &str = "ours: upgrade base->head, --single-transaction, in process";
const OURS_DOWN: &str = "ours: downgrade head->base, in process";
const OURS_NOOP: &str = "ours: no-op upgrade at head, in process";
const OURS_CLI_UP: &str = "ours: upgrade base->head, CLI process";
const OURS_CLI_DOWN: &str = "ours: downgrade head->base, CLI process";
const OURS_OFFLINE: &str = "ours: offline SQL of base:head (no database)";
const PSQL_ONE: &str = "psql -1 -f (one session)";
const PSQL_EACH: &str = "psql, one process per revision";
const SQLX: &str = "sqlx Migrator::run, in process";
const ALEMBIC: &str = "alembic upgrade head";
const EXPAND_FULL: &str =
    "build of a crate embedding the chain (incremental, after touching main.rs)";
const EXPAND_EDIT: &str = "rebuild after one revision file changes (incremental)";
const EXPAND_SCRATCH: &str =
    "build of that crate without the incremental cache (as in release or CI)";
/// Every section in one message, each in its own transaction, with no
/// bookkeeping: the limit for one transaction per revision.
const LIMIT_PER_REVISION: &str = "one query, one transaction per revision (no bookkeeping)";

/// The rows that apply the whole chain, compared with the limit.
const COMPARABLE: [&str; 9] = [
    LIMIT,
    LIMIT_PER_REVISION,
    OURS_UP,
    OURS_SINGLE,
    OURS_CLI_UP,
    PSQL_ONE,
    PSQL_EACH,
    SQLX,
    ALEMBIC,
];

/// Options of `cargo xtask bench`.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask bench")]
struct Options {
    /// Chain sizes.
    #[arg(long, value_delimiter = ',', default_values_t = [100, 1000, 10000])]
    sizes: Vec<usize>,
    /// Runs per measurement (each on a fresh database).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Sizes at which the slow peers run (Alembic, one psql per revision).
    #[arg(long, value_delimiter = ',', default_values_t = [100, 1000])]
    peer_sizes: Vec<usize>,
    /// Leave out sqlx, Alembic and psql.
    #[arg(long)]
    skip_peers: bool,
    /// Leave out the crate builds and the macro bench that time expansion.
    #[arg(long)]
    skip_expansion: bool,
    /// Exit with status 1 when a measured target is not met.
    #[arg(long)]
    check: bool,
}

/// Runs the benchmark; `args` are the options after `bench`. An unoptimised
/// build hands over to an optimised one first: the runtime, sqlx and the
/// CLI are measured as applications ship them.
pub fn run(args: &[String]) -> ExitCode {
    if cfg!(debug_assertions) {
        eprintln!("bench: building and running the optimised xtask");
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(workspace_root())
            .args([
                "run",
                "--release",
                "--quiet",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .args(args)
            .status();
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: running cargo: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let opts = Options::parse_from(
        std::iter::once("cargo xtask bench".to_owned()).chain(args.iter().cloned()),
    );
    let command = format!("cargo xtask bench {}", args.join(" "));
    let check = opts.check;
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| rt.block_on(bench(opts, command.trim().to_owned())))
    {
        Ok(outcomes) => {
            let missed = outcomes
                .iter()
                .filter(|o| o.verdict == targets::Verdict::NotMet)
                .count();
            if missed == 0 {
                eprintln!("bench: every measured target met");
                ExitCode::SUCCESS
            } else {
                eprintln!("bench: {missed} target(s) not met (see the Targets table)");
                if check {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The durations of one size, per tool, one per round.
#[derive(Default)]
struct Timings {
    limit: Vec<Duration>,
    limit_per_revision: Vec<Duration>,
    up: Vec<Duration>,
    single: Vec<Duration>,
    down: Vec<Duration>,
    noop: Vec<Duration>,
    cli_up: Vec<Duration>,
    cli_down: Vec<Duration>,
    offline: Vec<Duration>,
    psql_one: Vec<Duration>,
    psql_each: Vec<Duration>,
    sqlx: Vec<Duration>,
    alembic: Vec<Duration>,
}

struct Bench {
    cluster: TestCluster,
    results: Results,
    /// The database of the previous measurement, dropped before the next.
    previous: Option<String>,
}

impl Bench {
    /// A fresh database, after dropping the previous one (with its
    /// connections), so that the cluster holds one chain's tables at a time.
    async fn fresh(&mut self) -> Result<(String, PgConnection), String> {
        if let Some(db) = self.previous.take() {
            let mut admin = schema_runtime::connect(&self.cluster.url("postgres"))
                .await
                .map_err(|e| e.to_string())?;
            admin
                .execute(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"
                )))
                .await
                .map_err(|e| e.to_string())?;
        }
        let db = self.cluster.database().map_err(|e| e.to_string())?;
        let url = self.cluster.url(&db);
        self.previous = Some(db);
        let conn = schema_runtime::connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        Ok((url, conn))
    }

    fn record(&mut self, tool: &'static str, n: usize, outcome: Result<Vec<Duration>, String>) {
        let (times, unavailable) = match outcome {
            Ok(t) => (t, None),
            Err(e) => (Vec::new(), Some(e.lines().next().unwrap_or("").to_owned())),
        };
        if let Some(why) = &unavailable {
            eprintln!("bench: {tool} at {n}: not run: {why}");
        }
        self.results.samples.push(Sample {
            tool,
            n,
            times,
            unavailable,
        });
    }
}

async fn bench(opts: Options, command: String) -> Result<Vec<targets::Outcome>, String> {
    let root = workspace_root();
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    // The one-query limit creates every table in one transaction: 10,000
    // tables with their indexes and TOAST tables need many lock slots.
    let cluster = TestCluster::start_with(&[("max_locks_per_transaction", "1024")])
        .map_err(|e| e.to_string())?;
    let bin = cluster.bin_dir().to_path_buf();
    let data_dir = cluster.socket_dir().display().to_string();
    let mut b = Bench {
        cluster,
        results: Results {
            command,
            data_dir,
            ..Results::default()
        },
        previous: None,
    };
    let alembic = if opts.skip_peers {
        Err("--skip-peers".to_owned())
    } else {
        peers::alembic(&out_dir)
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    for &n in &opts.sizes {
        eprintln!("bench: {n} revisions");
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        let chain = chain::generate(tmp.path(), n).map_err(|e| e.to_string())?;
        let m = Migrator::load(&chain.ours, "ours").map_err(|e| e.to_string())?;
        let single = m.clone().transaction_mode(TransactionMode::Single);
        let runs = opts.runs.max(1);
        let peers = !opts.skip_peers && opts.peer_sizes.contains(&n);
        let range = Range::parse("base:head").map_err(|e| e.to_string())?;

        // Warm-up (not recorded): the first database of a run pays for
        // caches that later ones find warm.
        {
            let (_u, mut conn) = b.fresh().await?;
            peers::one_query(&mut conn, &chain.all_sql).await?;
        }
        // Every tool once per round, round after round, so that drift in the
        // machine's speed spreads over all of them alike.
        let mut t = Timings::default();
        for _ in 0..runs {
            let (_u, mut conn) = b.fresh().await?;
            t.limit
                .push(peers::one_query(&mut conn, &chain.all_sql).await?);

            let (_u, mut conn) = b.fresh().await?;
            t.limit_per_revision
                .push(peers::one_query(&mut conn, &chain.all_sql_per_revision).await?);

            let (_u, mut conn) = b.fresh().await?;
            t.up.push(timed(m.upgrade(&mut conn, "head")).await?);
            t.noop.push(timed(m.upgrade(&mut conn, "head")).await?);
            t.down.push(timed(m.downgrade(&mut conn, "base")).await?);

            let (_u, mut conn) = b.fresh().await?;
            t.single
                .push(timed(single.upgrade(&mut conn, "head")).await?);

            let (url, _conn) = b.fresh().await?;
            let cli = |target: &str, verb: &str| {
                let mut c = Command::new(&exe);
                c.arg("--dir")
                    .arg(&chain.ours)
                    .args(["--database-url", &url, verb, target])
                    .env("SCHEMA_LOG", "warn");
                c
            };
            t.cli_up
                .push(peers::timed_command(&mut cli("head", "upgrade"))?);
            t.cli_down
                .push(peers::timed_command(&mut cli("base", "downgrade"))?);

            let started = Instant::now();
            m.offline(Direction::Upgrade, &range)
                .map_err(|e| e.to_string())?;
            t.offline.push(started.elapsed());

            if opts.skip_peers {
                continue;
            }
            let (url, _conn) = b.fresh().await?;
            t.psql_one
                .push(peers::psql_one_session(&bin, &url, &chain)?);
            let (_u, mut conn) = b.fresh().await?;
            t.sqlx.push(peers::sqlx_run(&mut conn, &chain).await?);
            if peers {
                let (url, _conn) = b.fresh().await?;
                t.psql_each
                    .push(peers::psql_per_revision(&bin, &url, &chain)?);
                if let Ok(alembic) = &alembic {
                    let (url, _conn) = b.fresh().await?;
                    let url = alembic_url(&b, &url);
                    t.alembic
                        .push(peers::alembic_upgrade(alembic, &chain, &url)?);
                }
            }
        }
        b.record(LIMIT, n, Ok(t.limit));
        b.record(LIMIT_PER_REVISION, n, Ok(t.limit_per_revision));
        b.record(OURS_UP, n, Ok(t.up));
        b.record(OURS_SINGLE, n, Ok(t.single));
        b.record(OURS_DOWN, n, Ok(t.down));
        b.record(OURS_NOOP, n, Ok(t.noop));
        let trips = noop_round_trips(&mut b, &m).await?;
        b.results.noop_round_trips.insert(n, trips);
        b.record(OURS_CLI_UP, n, Ok(t.cli_up));
        b.record(OURS_CLI_DOWN, n, Ok(t.cli_down));
        b.record(OURS_OFFLINE, n, Ok(t.offline));
        if opts.skip_peers {
            continue;
        }
        b.record(PSQL_ONE, n, Ok(t.psql_one));
        b.record(SQLX, n, Ok(t.sqlx));
        let slow = |times: Vec<Duration>| {
            if peers {
                Ok(times)
            } else {
                Err(format!("not in --peer-sizes ({n} revisions)"))
            }
        };
        b.record(PSQL_EACH, n, slow(t.psql_each));
        let alembic_times = match &alembic {
            Ok(_) => slow(t.alembic),
            Err(e) => Err(e.clone()),
        };
        b.record(ALEMBIC, n, alembic_times);
    }
    if !opts.skip_expansion {
        for &n in &opts.sizes {
            eprintln!("bench: building a crate that embeds {n} revisions");
            let builds = expansion::measure(&root, &out_dir, n, opts.runs.max(1));
            b.record(EXPAND_FULL, n, builds.touched);
            b.record(EXPAND_EDIT, n, builds.edited);
            b.record(EXPAND_SCRATCH, n, builds.scratch);
        }
        eprintln!("bench: the macro alone (cargo bench -p schema-macros --bench expand)");
        match expansion::macro_alone(&root, &opts.sizes, opts.runs.max(1)) {
            Ok(rows) => b.results.macro_alone = rows,
            Err(e) => eprintln!(
                "bench: the macro alone: not run: {}",
                e.lines().next().unwrap_or("")
            ),
        }
    }
    let outcomes = targets::judge(&b.results);
    let md = format!("{}\n{}", b.results.markdown(), targets::markdown(&outcomes));
    std::fs::write(out_dir.join("results.md"), &md).map_err(|e| e.to_string())?;
    let mut json = b.results.json();
    json["targets"] = targets::json(&outcomes);
    std::fs::write(
        out_dir.join("results.json"),
        serde_json::to_string_pretty(&json).expect("JSON"),
    )
    .map_err(|e| e.to_string())?;
    println!("{md}");
    eprintln!("bench: wrote target/bench/results.md and target/bench/results.json");
    Ok(outcomes)
}

async fn timed<T, E: std::fmt::Display>(
    f: impl std::future::Future<Output = Result<T, E>>,
) -> Result<Duration, String> {
    let started = Instant::now();
    f.await.map_err(|e| e.to_string())?;
    Ok(started.elapsed())
}

/// The database of a `TestCluster` URL (`postgresql://postgres@localhost/<db>?host=...`).
fn database_name(url: &str) -> &str {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path)
}

/// psycopg2's URL for the same database over the same Unix socket.
fn alembic_url(b: &Bench, url: &str) -> String {
    let db = database_name(url);
    format!(
        "postgresql+psycopg2://postgres@/{db}?host={}",
        b.cluster.socket_dir().display()
    )
}

/// How many messages a no-op `upgrade head` sends, counted in the server's
/// log with `log_statement = all` on a database at head (the lines of the
/// migrating connection's backend only).
async fn noop_round_trips(b: &mut Bench, m: &Migrator) -> Result<usize, String> {
    let (url, mut conn) = b.fresh().await?;
    m.upgrade(&mut conn, "head")
        .await
        .map_err(|e| e.to_string())?;
    let db = database_name(&url);
    conn.execute(AssertSqlSafe(format!(
        "ALTER DATABASE \"{db}\" SET log_statement = 'all'"
    )))
    .await
    .map_err(|e| e.to_string())?;
    let mut logged = schema_runtime::connect(&url)
        .await
        .map_err(|e| e.to_string())?;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut logged)
        .await
        .map_err(|e| e.to_string())?;
    let log = b.cluster.log_file();
    let before = std::fs::metadata(&log).map_err(|e| e.to_string())?.len();
    m.upgrade(&mut logged, "head")
        .await
        .map_err(|e| e.to_string())?;
    let text = std::fs::read(&log).map_err(|e| e.to_string())?;
    let after = String::from_utf8_lossy(&text[before as usize..]).into_owned();
    let backend = format!("[{pid}] LOG:  ");
    Ok(after
        .lines()
        .filter_map(|l| l.split_once(&backend).map(|(_, rest)| rest))
        .filter(|rest| rest.starts_with("statement:") || rest.starts_with("execute"))
        .count())
}
