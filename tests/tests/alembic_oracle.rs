//! Alembic itself as the oracle for the revision graph and the state it
//! leaves in the version table.
//!
//! The same random graphs (merges, branch labels, dependencies, some of them
//! on a label) are written as Alembic scripts and as revision files; Alembic
//! (from a virtualenv, driven through one long-lived Python process,
//! `tests/alembic/oracle.py`) and this project each run the same random walk
//! of upgrades, downgrades and stamps on a real database of their own, in
//! lock-step, and after every step the version-table rows and the revisions
//! applied, in the order they ran, must be the same. Then the two tools take
//! turns on one database, compared with a database only Alembic touches.
//!
//! Where the two differ on purpose, `docs/ALEMBIC.md` says so and why; each
//! such case is recognised here by what Alembic answers and counted, and any
//! other difference fails the test. Without `python3` the tests say so
//! loudly and pass; `.ci/run` installs it.

mod common;

use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use schema_core::{Applied, Direction, MigrationSet, Target};
use schema_runtime::testing::TestCluster;
use schema_runtime::Migrator;
use serde_json::{json, Value};
use sqlx::PgConnection;

// ---------------------------------------------------------------------------
// Alembic, from a virtualenv

/// The Python of a virtualenv that has Alembic, SQLAlchemy and psycopg2,
/// made on first use under the test's target directory; `None` (said
/// loudly) when the machine has no `python3`.
fn python() -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if Command::new("python3").arg("--version").output().is_err() {
                eprintln!(
                    "\n!!! SKIPPED: python3 is not installed, so Alembic cannot be run as the \
                     oracle (`bash .ci/run` installs it) !!!\n"
                );
                return None;
            }
            let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("alembic-oracle-venv");
            let python = venv.join("bin/python");
            let ready = |py: &Path| {
                Command::new(py)
                    .args(["-c", "import alembic, sqlalchemy, psycopg2"])
                    .output()
                    .is_ok_and(|o| o.status.success())
            };
            if ready(&python) {
                return Some(python);
            }
            let _ = std::fs::remove_dir_all(&venv);
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .output()
                .expect("run python3 -m venv");
            assert!(
                made.status.success(),
                "python3 -m venv failed (Debian: apt-get install python3-venv): {}",
                String::from_utf8_lossy(&made.stderr)
            );
            let pip = Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "alembic>=1.13",
                    "sqlalchemy>=2",
                    "psycopg2-binary",
                ])
                .output()
                .expect("run pip");
            assert!(
                pip.status.success(),
                "pip cannot install alembic: {}",
                String::from_utf8_lossy(&pip.stderr)
            );
            assert!(
                ready(&python),
                "alembic is installed but cannot be imported"
            );
            Some(python)
        })
        .as_deref()
}

/// The Alembic driver process: one JSON request per line in, one answer out.
struct Oracle {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Oracle {
    fn start(python: &Path) -> Oracle {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/alembic/oracle.py");
        let mut child = Command::new(python)
            .arg(script)
            .env("PYTHONHASHSEED", "0")
            .env("PYTHONWARNINGS", "ignore")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the Alembic driver");
        let input = child.stdin.take().expect("piped");
        let output = BufReader::new(child.stdout.take().expect("piped"));
        Oracle {
            child,
            input,
            output,
        }
    }

    fn ask(&mut self, request: Value) -> Value {
        writeln!(self.input, "{request}").expect("write to the Alembic driver");
        self.input.flush().expect("flush");
        let mut line = String::new();
        self.output
            .read_line(&mut line)
            .expect("read from the Alembic driver");
        assert!(!line.is_empty(), "the Alembic driver exited on {request}");
        serde_json::from_str(&line).expect("the driver answers JSON")
    }
}

/// The version of the Alembic the oracle runs.
fn alembic_version() -> String {
    let out = Command::new(python().expect("python"))
        .args(["-c", "import alembic; print(alembic.__version__)"])
        .output()
        .expect("alembic version");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// Graphs

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One revision of a test graph. A dependency is named by id or by the
/// branch label of the revision it depends on.
#[derive(Debug, Clone)]
struct Node {
    id: String,
    parents: Vec<usize>,
    depends: Vec<String>,
    labels: Vec<String>,
}

#[derive(Debug, Clone)]
struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    fn ids(&self, positions: &[usize]) -> Vec<String> {
        positions
            .iter()
            .map(|&p| self.nodes[p].id.clone())
            .collect()
    }

    fn labels(&self) -> Vec<String> {
        self.nodes.iter().flat_map(|n| n.labels.clone()).collect()
    }

    /// The revision files of this project.
    fn write_sql(&self, dir: &Path) {
        std::fs::create_dir_all(dir).expect("create dir");
        for n in &self.nodes {
            let mut text = format!(
                "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {}\n",
                self.ids(&n.parents).join(", "),
                id = n.id
            );
            if !n.labels.is_empty() {
                writeln!(text, "-- Branch Labels: {}", n.labels.join(", ")).unwrap();
            }
            if !n.depends.is_empty() {
                writeln!(text, "-- Depends On: {}", n.depends.join(", ")).unwrap();
            }
            write!(
                text,
                "\n-- migrate:upgrade\nINSERT INTO applied_log (id, dir) VALUES ('{id}', 'up');\n\n\
                 -- migrate:downgrade\nINSERT INTO applied_log (id, dir) VALUES ('{id}', 'down');\n",
                id = n.id
            )
            .unwrap();
            std::fs::write(dir.join(format!("{}.sql", n.id)), text).expect("write revision");
        }
    }

    /// The request that makes the driver write the same graph as Alembic scripts.
    fn request(&self, dir: &Path) -> Value {
        let revisions: Vec<Value> = self
            .nodes
            .iter()
            .map(|n| {
                json!({
                    "id": n.id,
                    "down": self.ids(&n.parents),
                    "depends": n.depends,
                    "labels": n.labels,
                })
            })
            .collect();
        json!({"op": "graph", "dir": dir, "revisions": revisions})
    }

    fn describe(&self) -> String {
        self.nodes
            .iter()
            .map(|n| {
                let mut s = format!("{} <- [{}]", n.id, self.ids(&n.parents).join(", "));
                if !n.depends.is_empty() {
                    write!(s, " depends [{}]", n.depends.join(", ")).unwrap();
                }
                if !n.labels.is_empty() {
                    write!(s, " labels [{}]", n.labels.join(", ")).unwrap();
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A random graph with one base and one head: revisions that continue a
/// branch or start one, merge revisions of two or three heads (in random
/// order), dependencies on earlier revisions (at most one per revision, by
/// id or by label) and branch labels. Ids are one letter and a number, so
/// file-name order differs from creation order.
fn random_graph(rng: &mut Rng) -> Graph {
    let n = 3 + rng.below(10);
    let letters = b"abcdefghjkmnpqrstuvwxyz";
    let mut nodes: Vec<Node> = Vec::new();
    let mut has_child: Vec<bool> = Vec::new();
    let add =
        |nodes: &mut Vec<Node>, has_child: &mut Vec<bool>, rng: &mut Rng, parents: Vec<usize>| {
            let i = nodes.len();
            let id = format!("{}{i}", letters[rng.below(letters.len())] as char);
            for &p in &parents {
                has_child[p] = true;
            }
            let mut depends = Vec::new();
            if i > 1 && rng.chance(3) {
                let d = rng.below(i);
                if !parents.contains(&d) {
                    let node: &Node = &nodes[d];
                    depends.push(if !node.labels.is_empty() && rng.chance(2) {
                        node.labels[0].clone()
                    } else {
                        node.id.clone()
                    });
                }
            }
            let labels = if rng.chance(4) {
                vec![format!("lb{i}")]
            } else {
                Vec::new()
            };
            nodes.push(Node {
                id,
                parents,
                depends,
                labels,
            });
            has_child.push(false);
        };
    add(&mut nodes, &mut has_child, rng, Vec::new());
    for i in 1..n {
        let heads: Vec<usize> = (0..i).filter(|&k| !has_child[k]).collect();
        let parents = if heads.len() > 1 && rng.chance(4) {
            let a = *rng.pick(&heads);
            let others: Vec<usize> = heads.iter().copied().filter(|&h| h != a).collect();
            vec![a, *rng.pick(&others)]
        } else if rng.chance(2) {
            vec![*rng.pick(&heads)]
        } else {
            vec![rng.below(i)]
        };
        add(&mut nodes, &mut has_child, rng, parents);
    }
    loop {
        let mut heads: Vec<usize> = (0..nodes.len()).filter(|&k| !has_child[k]).collect();
        if heads.len() < 2 {
            break;
        }
        // Merge two or three heads, named in a random order.
        let take = if heads.len() > 2 && rng.chance(3) {
            3
        } else {
            2
        };
        let mut parents = Vec::new();
        for _ in 0..take {
            parents.push(heads.remove(rng.below(heads.len())));
        }
        add(&mut nodes, &mut has_child, rng, parents);
    }
    Graph { nodes }
}

// ---------------------------------------------------------------------------
// Operations

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Upgrade,
    Downgrade,
    Stamp,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Upgrade => "upgrade",
            Kind::Downgrade => "downgrade",
            Kind::Stamp => "stamp",
        }
    }
}

#[derive(Debug, Clone)]
struct Op {
    kind: Kind,
    target: String,
}

/// A random operation, mostly with targets that mean something in the
/// current state, in every form both tools accept.
fn random_op(rng: &mut Rng, g: &Graph, set: &MigrationSet, applied: &Applied) -> Op {
    let ids: Vec<String> = g.nodes.iter().map(|n| n.id.clone()).collect();
    let applied_ids: Vec<String> = applied
        .positions()
        .map(|i| set.revisions()[i].id.to_string())
        .collect();
    let labels = g.labels();
    let any = |rng: &mut Rng| rng.pick(&ids).clone();
    let label_or_id = |rng: &mut Rng| {
        if !labels.is_empty() && rng.chance(2) {
            rng.pick(&labels).clone()
        } else {
            rng.pick(&ids).clone()
        }
    };
    let roll = rng.below(20);
    let (kind, target) = match roll {
        0..=8 => {
            let t = match rng.below(12) {
                0..=4 => any(rng),
                5 => if rng.chance(2) { "heads" } else { "head" }.to_owned(),
                6 => format!("+{}", 1 + rng.below(2)),
                7 => format!("{}@head", label_or_id(rng)),
                8 => format!("{}@+1", label_or_id(rng)),
                9 => format!("{}+{}", any(rng), 1 + rng.below(2)),
                10 => format!("{}-1", any(rng)),
                _ => format!("{}@{}", label_or_id(rng), any(rng)),
            };
            (Kind::Upgrade, t)
        }
        9..=15 => {
            let t = match rng.below(12) {
                0..=4 if !applied_ids.is_empty() => rng.pick(&applied_ids).clone(),
                0..=5 => any(rng),
                6 => "base".to_owned(),
                7 => format!("-{}", 1 + rng.below(2)),
                8 => format!("{}@-1", label_or_id(rng)),
                9 => format!("{}-1", any(rng)),
                10 => format!("{}@base", label_or_id(rng)),
                _ => format!("{}@{}", label_or_id(rng), any(rng)),
            };
            (Kind::Downgrade, t)
        }
        _ => {
            let t = match rng.below(10) {
                0..=5 => any(rng),
                6 => if rng.chance(2) { "head" } else { "base" }.to_owned(),
                7 => format!("{}@head", label_or_id(rng)),
                8 => format!("{}@base", label_or_id(rng)),
                _ => "-1".to_owned(),
            };
            (Kind::Stamp, t)
        }
    };
    Op { kind, target }
}

// ---------------------------------------------------------------------------
// Databases

/// One database: its connection and how much of its run log has been read.
struct Db {
    name: &'static str,
    conn: PgConnection,
    seen: i64,
}

impl Db {
    async fn new(name: &'static str, oracle: &mut Oracle) -> Db {
        let (url, mut conn) = common::fresh_db().await;
        sqlx::raw_sql(
            "CREATE TABLE applied_log (n bigserial PRIMARY KEY, id text NOT NULL, dir text NOT NULL);\n\
             CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));",
        )
        .execute(&mut conn)
        .await
        .expect("set up the database");
        let alchemy = url.replacen("postgresql://", "postgresql+psycopg2://", 1);
        let answer = oracle.ask(json!({"op": "connect", "db": name, "url": alchemy}));
        assert_eq!(answer["ok"], true, "{answer}");
        Db {
            name,
            conn,
            seen: 0,
        }
    }

    /// Empties the version table, this project's log and the run log.
    async fn reset(&mut self) {
        sqlx::raw_sql(
            "DROP TABLE IF EXISTS alembic_version_log; DELETE FROM alembic_version; \
             TRUNCATE applied_log;",
        )
        .execute(&mut self.conn)
        .await
        .expect("reset the database");
        self.seen = 0;
    }

    async fn rows(&mut self) -> Vec<String> {
        common::version(&mut self.conn).await
    }

    /// In one query: the rows, the revisions run since the last look (in
    /// order, `+id` applied, `-id` reverted) and the revisions applied now.
    async fn look(&mut self) -> Look {
        let (rows, ran, applied, seen): (Vec<String>, Vec<String>, Vec<String>, i64) =
            sqlx::query_as(
                "SELECT ARRAY(SELECT version_num::text FROM alembic_version ORDER BY 1), \
                 ARRAY(SELECT CASE dir WHEN 'up' THEN '+' ELSE '-' END || id FROM applied_log \
                 WHERE n > $1 ORDER BY n), \
                 ARRAY(SELECT id FROM (SELECT DISTINCT ON (id) id, dir FROM applied_log \
                 ORDER BY id, n DESC) last WHERE dir = 'up' ORDER BY id), \
                 (SELECT coalesce(max(n), 0) FROM applied_log)",
            )
            .bind(self.seen)
            .fetch_one(&mut self.conn)
            .await
            .expect("read the database");
        self.seen = seen;
        Look { rows, ran, applied }
    }

    /// Deletes the rows below another row, as the next Alembic command
    /// would need (it refuses such a table).
    async fn keep_tops(&mut self, set: &MigrationSet) {
        let rows = self.rows().await;
        let tops = tops(set, &rows);
        for r in rows.iter().filter(|r| !tops.contains(r)) {
            sqlx::query("DELETE FROM alembic_version WHERE version_num = $1")
                .bind(r)
                .execute(&mut self.conn)
                .await
                .expect("delete a row");
        }
    }
}

/// What a database holds after a step.
struct Look {
    rows: Vec<String>,
    ran: Vec<String>,
    applied: Vec<String>,
}

/// The rows of `rows` that no other row's revision needs (through parents
/// or dependencies), sorted.
fn tops(set: &MigrationSet, rows: &[String]) -> Vec<String> {
    let positions: Vec<usize> = rows.iter().filter_map(|r| set.position(r)).collect();
    let mut out: Vec<String> = positions
        .iter()
        .filter(|&&p| {
            let others = positions.iter().copied().filter(|&q| q != p);
            !set.ancestors(others)[p]
        })
        .map(|&p| set.revisions()[p].id.to_string())
        .collect();
    out.sort();
    out
}

/// The state the version table of this project's database stands for.
fn state_of(set: &MigrationSet, rows: &[String]) -> Applied {
    if rows.is_empty() {
        Applied::none(set)
    } else {
        set.applied_from_rows(rows)
            .expect("a readable version table")
    }
}

/// Runs the operation with this project. A stamp goes through
/// `Migrator::stamp` when the runtime records `Target::resolve_stamp`'s
/// state ([`runtime_stamps_as_alembic`]); otherwise the rows that function
/// computes are written directly, so that the rule is still compared.
async fn run_ours(
    m: &Migrator,
    conn: &mut PgConnection,
    op: &Op,
    runtime_stamps: bool,
) -> Result<(), String> {
    let target = op.target.as_str();
    let result = match op.kind {
        Kind::Upgrade => m.upgrade(conn, target).await,
        Kind::Downgrade => m.downgrade(conn, target).await,
        Kind::Stamp if runtime_stamps => m.stamp(conn, target, false).await,
        Kind::Stamp => {
            let set = m.set();
            let rows = common::version(conn).await;
            let to = Target::parse(target)
                .map_err(|e| e.to_string())?
                .resolve_stamp(set, &state_of(set, &rows))
                .map_err(|e| e.to_string())?;
            let mut sql = String::from("DELETE FROM alembic_version;\n");
            for r in set.row_ids(&to) {
                writeln!(sql, "INSERT INTO alembic_version VALUES ('{r}');").unwrap();
            }
            sqlx::raw_sql(AssertSqlSafe(&*sql))
                .execute(conn)
                .await
                .expect("write the stamped rows");
            return Ok(());
        }
    };
    result.map(|_| ()).map_err(|e| e.to_string())
}

/// Whether this project resolves the operation from `applied` (without running it).
fn ours_accepts(set: &MigrationSet, op: &Op, applied: &Applied) -> bool {
    let Ok(target) = Target::parse(&op.target) else {
        return false;
    };
    match op.kind {
        Kind::Upgrade => target.resolve(set, Direction::Upgrade, applied).is_ok(),
        Kind::Downgrade => target.resolve(set, Direction::Downgrade, applied).is_ok(),
        Kind::Stamp => target.resolve_stamp(set, applied).is_ok(),
    }
}

/// What Alembic refuses where this project, on purpose, goes on
/// (`docs/ALEMBIC.md`, "Where the two differ"): a walk that reaches a branch
/// point going up or a merge revision going down, a relative step from
/// several current revisions.
fn alembic_finds_ambiguous(answer: &Value) -> bool {
    let error = answer["error"].as_str().unwrap_or_default();
    error.contains("Ambiguous walk")
        || error.contains("Ambiguous upgrade from multiple current revisions")
        || answer["kind"] == "AssertionError"
}

/// Alembic's failure to apply a revision whose down revisions (parents and
/// dependencies) overlap, one below another, from a state where two of them
/// are rows: it deletes the rows of all but the last and updates the last,
/// which is not a row (`KeyError` from its set of heads; the transaction is
/// rolled back). Recognised by the error and by such a revision being among
/// those the upgrade applies.
fn alembic_fails_merging_overlaps(
    answer: &Value,
    set: &MigrationSet,
    op: &Op,
    before: &Applied,
) -> bool {
    if answer["kind"] != "KeyError" || op.kind != Kind::Upgrade {
        return false;
    }
    let Ok(to) = Target::parse(&op.target)
        .map_err(|_| ())
        .and_then(|t| t.resolve(set, Direction::Upgrade, before).map_err(|_| ()))
    else {
        return false;
    };
    (0..set.len())
        .filter(|&i| to.contains(i) && !before.contains(i))
        .any(|i| {
            let down = set.down(i);
            down.iter()
                .any(|&y| down.iter().any(|&x| x != y && set.ancestors([y])[x]))
        })
}

/// Whether a row below another in Alembic's table is the one it leaves when
/// it reverts a revision whose down revisions overlap (one below another)
/// while another branch is current: a downgrade that reverted such a revision.
fn alembic_left_overlapping_rows(op: &Op, ran: &[String], set: &MigrationSet) -> bool {
    op.kind == Kind::Downgrade
        && ran
            .iter()
            .filter_map(|r| r.strip_prefix('-').and_then(|id| set.position(id)))
            .any(|p| {
                let down = set.down(p);
                down.iter()
                    .any(|&y| down.iter().any(|&x| x != y && set.ancestors([y])[x]))
            })
}

/// How the two tools compared over a run: the documented differences met,
/// by name, and every other difference in full.
#[derive(Default)]
struct Tally {
    runtime_stamps: bool,
    steps: usize,
    graphs: usize,
    agreed_refusals: usize,
    explained: BTreeMap<&'static str, usize>,
    unexplained: Vec<String>,
}

impl Tally {
    fn explain(&mut self, what: &'static str) {
        *self.explained.entry(what).or_default() += 1;
    }

    fn report(&self, title: &str) {
        eprintln!(
            "{title}: {} graphs, {} steps, {} refused by both",
            self.graphs, self.steps, self.agreed_refusals
        );
        for (what, n) in &self.explained {
            eprintln!("  documented difference x{n}: {what}");
        }
        for u in &self.unexplained {
            eprintln!("  UNEXPLAINED: {u}");
        }
    }
}

/// Whether `Migrator::stamp` records the state `Target::resolve_stamp`
/// computes (Alembic's stamp rule): stamping a branch point from a merge
/// head leaves only the branch point.
async fn runtime_stamps_as_alembic() -> bool {
    let node = |id: &str, parents: Vec<usize>| Node {
        id: id.into(),
        parents,
        depends: Vec::new(),
        labels: Vec::new(),
    };
    let g = Graph {
        nodes: vec![
            node("a", vec![]),
            node("b", vec![0]),
            node("c", vec![0]),
            node("d", vec![1, 2]),
        ],
    };
    let dir = tempfile::tempdir().expect("tempdir");
    g.write_sql(dir.path());
    let m = Migrator::load(dir.path(), "migrations").expect("valid graph");
    let (_url, mut conn) = common::fresh_db().await;
    sqlx::raw_sql("CREATE TABLE applied_log (n bigserial PRIMARY KEY, id text, dir text)")
        .execute(&mut conn)
        .await
        .expect("create the run log");
    sqlx::raw_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        .execute(&mut conn)
        .await
        .expect("create the version table");
    m.upgrade(&mut conn, "head").await.expect("upgrade");
    m.stamp(&mut conn, "b", false).await.expect("stamp");
    common::version(&mut conn).await == ["b"]
}

/// One step on both sides: Alembic runs it on `alembic_db`, and this
/// project (`other_is_ours`) or Alembic again on `other`. Returns `false`
/// when the walk cannot go on (a difference).
#[allow(clippy::too_many_arguments)]
async fn step(
    tally: &mut Tally,
    oracle: &mut Oracle,
    m: &Migrator,
    g: &Graph,
    op: &Op,
    alembic_db: &mut Db,
    other: &mut Db,
    other_is_ours: bool,
) -> bool {
    let set = m.set();
    let context = |tally: &Tally, what: String| {
        format!(
            "step {} `{} {}` on graph {}: {what}",
            tally.steps,
            op.kind.name(),
            op.target,
            g.describe()
        )
    };
    let before_rows = other.rows().await;
    let before = state_of(set, &before_rows);
    let answer =
        oracle.ask(json!({"op": op.kind.name(), "db": alembic_db.name, "target": op.target}));
    tally.steps += 1;
    if answer["ok"] != true {
        let extension = if alembic_finds_ambiguous(&answer) {
            Some("a relative step Alembic finds ambiguous (branch point, merge, several current revisions)")
        } else if alembic_fails_merging_overlaps(&answer, set, op, &before) {
            Some("Alembic fails (KeyError) applying a revision whose parents and dependencies overlap, from a state where two of them are rows")
        } else {
            None
        };
        if let Some(what) = extension {
            // Alembic's database is as it was; this project's would move,
            // so it is only asked whether it would.
            if other_is_ours && ours_accepts(set, op, &before) {
                tally.explain(what);
            } else {
                tally.agreed_refusals += 1;
            }
            return true;
        }
        let ours = if other_is_ours {
            run_ours(m, &mut other.conn, op, tally.runtime_stamps).await
        } else {
            let a =
                oracle.ask(json!({"op": op.kind.name(), "db": other.name, "target": op.target}));
            if a["ok"] == true {
                Ok(())
            } else {
                Err(a["error"].to_string())
            }
        };
        let _ = alembic_db.look().await;
        let ran = other.look().await.ran;
        match ours {
            Err(_) => {
                tally.agreed_refusals += 1;
                true
            }
            Ok(()) => {
                tally.unexplained.push(context(
                    tally,
                    format!(
                        "Alembic refuses ({}: {}), this project runs {ran:?}",
                        answer["kind"], answer["error"]
                    ),
                ));
                false
            }
        }
    } else {
        let ours = if other_is_ours {
            run_ours(m, &mut other.conn, op, tally.runtime_stamps).await
        } else {
            let a =
                oracle.ask(json!({"op": op.kind.name(), "db": other.name, "target": op.target}));
            if a["ok"] == true {
                Ok(())
            } else {
                Err(a["error"].to_string())
            }
        };
        let alembic = alembic_db.look().await;
        let look = other.look().await;
        let alembic_ran = alembic.ran;
        if let (Err(_), Kind::Stamp, true) = (&ours, op.kind, before_rows.is_empty()) {
            if op.target.starts_with('-') {
                // With no rows Alembic stamps N below the head; with rows it
                // refuses, as this project always does.
                tally.explain("stamp -N on an empty version table (Alembic: N below the head)");
                sqlx::raw_sql("DELETE FROM alembic_version")
                    .execute(&mut alembic_db.conn)
                    .await
                    .expect("undo the stamp");
                return true;
            }
        }
        if let Err(e) = ours {
            tally.unexplained.push(context(
                tally,
                format!("Alembic runs {alembic_ran:?}, this project refuses: {e}"),
            ));
            return false;
        }
        let mut alembic_rows = alembic.rows;
        let ran = look.ran;
        let mut ok = true;
        let overlapping = tops(set, &alembic_rows) != alembic_rows;
        if overlapping && alembic_left_overlapping_rows(op, &alembic_ran, set) {
            // Alembic leaves a row below another (and then refuses its own
            // table); this project keeps only the top.
            alembic_rows = tops(set, &alembic_rows);
            alembic_db.keep_tops(set).await;
            if !other_is_ours {
                other.keep_tops(set).await;
            } else {
                tally.explain("Alembic leaves a row below another row after reverting a revision whose parents and dependencies overlap");
            }
        }
        let rows = if other_is_ours || !overlapping {
            look.rows
        } else {
            other.rows().await
        };
        if alembic_rows != rows {
            ok = false;
            tally.unexplained.push(context(
                tally,
                format!(
                    "rows: Alembic {alembic_rows:?}, this project {rows:?} (from {before_rows:?})"
                ),
            ));
        }
        if alembic_ran != ran {
            ok = false;
            tally.unexplained.push(context(
                tally,
                format!(
                    "ran: Alembic {alembic_ran:?}, this project {ran:?} (from {before_rows:?})"
                ),
            ));
        }
        let (a, b) = (alembic.applied, look.applied);
        if a != b {
            ok = false;
            tally.unexplained.push(context(
                tally,
                format!("applied: Alembic {a:?}, this project {b:?}"),
            ));
        }
        ok
    }
}

struct Fixture {
    oracle: Oracle,
    work: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Option<Fixture> {
        let python = python()?;
        // The shared cluster starts before the driver connects to it.
        let _ = TestCluster::shared();
        Some(Fixture {
            oracle: Oracle::start(python),
            work: tempfile::tempdir().expect("tempdir"),
        })
    }

    /// Writes the graph for both tools and checks that they accept it alike,
    /// with the same head and the same application order.
    fn load(&mut self, k: usize, g: &Graph, tally: &mut Tally) -> Option<Migrator> {
        let sql = self.work.path().join(format!("g{k}/sql"));
        let py = self.work.path().join(format!("g{k}/py"));
        g.write_sql(&sql);
        let answer = self.oracle.ask(g.request(&py));
        let m = Migrator::load(&sql, "migrations");
        match (&m, answer["ok"] == true) {
            (Ok(m), true) => {
                let heads: Vec<String> = m
                    .set()
                    .heads()
                    .iter()
                    .map(|&h| m.set().revisions()[h].id.to_string())
                    .collect();
                let order: Vec<String> = m
                    .set()
                    .revisions()
                    .iter()
                    .map(|r| r.id.to_string())
                    .collect();
                if answer["heads"] != json!(heads) || answer["order"] != json!(order) {
                    tally.unexplained.push(format!(
                        "graph {}: Alembic heads {} order {}, this project heads {heads:?} order {order:?}",
                        g.describe(),
                        answer["heads"],
                        answer["order"]
                    ));
                    return None;
                }
            }
            (Err(e), _) => {
                tally.unexplained.push(format!(
                    "graph {}: this project refuses it: {e}",
                    g.describe()
                ));
                return None;
            }
            (Ok(_), false) => {
                tally.unexplained.push(format!(
                    "graph {}: Alembic refuses it: {}",
                    g.describe(),
                    answer["error"]
                ));
                return None;
            }
        }
        tally.graphs += 1;
        m.ok()
    }
}

#[tokio::test]
async fn random_walks_leave_the_same_rows_as_alembic_in_the_same_order() {
    let Some(mut fx) = Fixture::new() else {
        return;
    };
    let runtime_stamps = runtime_stamps_as_alembic().await;
    if !runtime_stamps {
        eprintln!(
            "\n!!! Migrator::stamp does not record Target::resolve_stamp's state yet: stamps are \
             compared through schema-core, not through the runtime !!!\n"
        );
    }
    let mut alembic = Db::new("alembic", &mut fx.oracle).await;
    let mut ours = Db::new("ours", &mut fx.oracle).await;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tally = Tally {
        runtime_stamps,
        ..Tally::default()
    };
    for k in 0..220 {
        let g = random_graph(&mut rng);
        let Some(m) = fx.load(k, &g, &mut tally) else {
            continue;
        };
        alembic.reset().await;
        ours.reset().await;
        for _ in 0..6 {
            let rows = ours.rows().await;
            let applied = state_of(m.set(), &rows);
            let op = random_op(&mut rng, &g, m.set(), &applied);
            if op.kind == Kind::Downgrade && op.target.starts_with('-') && rows.len() > 1 {
                // Alembic walks down from whichever row the database returns first.
                tally.explain("-N from several current revisions (Alembic: the first row the database returns)");
                continue;
            }
            if !step(
                &mut tally,
                &mut fx.oracle,
                &m,
                &g,
                &op,
                &mut alembic,
                &mut ours,
                true,
            )
            .await
            {
                break;
            }
        }
    }
    tally.report(&format!("Alembic {} as the oracle", alembic_version()));
    assert!(
        tally.graphs >= 200,
        "only {} graphs were compared",
        tally.graphs
    );
    assert!(
        tally.steps >= 1000,
        "only {} steps were compared",
        tally.steps
    );
    assert!(
        tally.unexplained.is_empty(),
        "{} unexplained differences (listed above)",
        tally.unexplained.len()
    );
}

#[tokio::test]
async fn the_two_tools_taking_turns_on_one_database_leave_what_alembic_alone_leaves() {
    let Some(mut fx) = Fixture::new() else {
        return;
    };
    let runtime_stamps = runtime_stamps_as_alembic().await;
    // `alone` sees only Alembic; `shared` sees Alembic or this project at
    // each step, at random, each reading the table the other wrote.
    let mut alone = Db::new("alone", &mut fx.oracle).await;
    let mut shared = Db::new("shared", &mut fx.oracle).await;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut tally = Tally {
        runtime_stamps,
        ..Tally::default()
    };
    let mut turns = [0usize; 2];
    for k in 0..60 {
        let g = random_graph(&mut rng);
        let Some(m) = fx.load(k, &g, &mut tally) else {
            continue;
        };
        alone.reset().await;
        shared.reset().await;
        for _ in 0..8 {
            let ours_turn = rng.chance(2);
            let rows = shared.rows().await;
            let applied = state_of(m.set(), &rows);
            let op = random_op(&mut rng, &g, m.set(), &applied);
            if op.kind == Kind::Downgrade && op.target.starts_with('-') && rows.len() > 1 {
                tally.explain("-N from several current revisions (Alembic: the first row the database returns)");
                continue;
            }
            turns[usize::from(ours_turn)] += 1;
            if !step(
                &mut tally,
                &mut fx.oracle,
                &m,
                &g,
                &op,
                &mut alone,
                &mut shared,
                ours_turn,
            )
            .await
            {
                break;
            }
        }
    }
    tally.report(&format!(
        "Taking turns ({} steps by Alembic, {} by this project) against Alembic alone",
        turns[0], turns[1]
    ));
    assert!(
        turns[0] >= 150 && turns[1] >= 150,
        "too few turns: {turns:?}"
    );
    assert!(
        tally.unexplained.is_empty(),
        "{} unexplained differences (listed above)",
        tally.unexplained.len()
    );
}

// ---------------------------------------------------------------------------
// Alembic's own graph tests, ported

/// The graph cases of Alembic's tests (`tests/test_version_traversal.py`,
/// `tests/test_revision.py` of its source distribution) that have one base,
/// ported: the same graph, the same command from the same version-table
/// rows, and the revisions Alembic's test expects to run, in its order, and
/// the rows it expects after. Each test names the one it ports. Revision
/// files are named in the order the test creates them, the order in which
/// Alembic's test map holds them. These need no Python.
mod ported {
    use super::*;
    use schema_core::{check_branches, moves, parse_revision, ResolveError};

    type Spec<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);

    fn set(revs: &[Spec<'_>]) -> MigrationSet {
        let revs = revs
            .iter()
            .enumerate()
            .map(|(k, (id, parents, labels, depends))| {
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {}\n-- Branch Labels: {}\n-- Depends On: {}\n\
                     -- migrate:upgrade\n-- migrate:downgrade\n",
                    parents.join(", "),
                    labels.join(", "),
                    depends.join(", ")
                );
                parse_revision(&format!("{k:02}_{id}.sql"), &text).expect("a revision")
            })
            .collect();
        check_branches(revs, "m").expect("a graph with one base")
    }

    fn state(set: &MigrationSet, rows: &[&str]) -> Applied {
        let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        state_of(set, &rows)
    }

    /// The revisions run and the rows after, as Alembic's `_assert_upgrade`
    /// and `_assert_downgrade` check them.
    fn run(
        set: &MigrationSet,
        direction: Direction,
        target: &str,
        rows: &[&str],
    ) -> Result<(Vec<String>, Vec<String>), ResolveError> {
        let from = state(set, rows);
        let to = Target::parse(target)
            .expect("valid target")
            .resolve(set, direction, &from)?;
        let ran = moves(set, &from, &to)
            .iter()
            .map(|m| set.revisions()[m.position].id.to_string())
            .collect();
        let mut after: Vec<String> = set.row_ids(&to).into_iter().map(str::to_owned).collect();
        after.sort();
        Ok((ran, after))
    }

    fn up(set: &MigrationSet, target: &str, rows: &[&str]) -> (Vec<String>, Vec<String>) {
        run(set, Direction::Upgrade, target, rows).expect("upgrade")
    }

    fn down(set: &MigrationSet, target: &str, rows: &[&str]) -> (Vec<String>, Vec<String>) {
        run(set, Direction::Downgrade, target, rows).expect("downgrade")
    }

    fn stamp(set: &MigrationSet, target: &str, rows: &[&str]) -> Vec<String> {
        let to = Target::parse(target)
            .expect("valid target")
            .resolve_stamp(set, &state(set, rows))
            .expect("stamp");
        let mut after: Vec<String> = set.row_ids(&to).into_iter().map(str::to_owned).collect();
        after.sort();
        after
    }

    fn v(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|i| i.to_string()).collect()
    }

    fn sorted(ids: &[&str]) -> Vec<String> {
        let mut out = v(ids);
        out.sort();
        out
    }

    // test_version_traversal.py: RevisionPathTest, a -> b -> c -> d -> e.
    const A: &str = "e6239818bb3a";
    const B: &str = "548bbb905360";
    const C: &str = "b7ea43dc85e4";
    const D: &str = "1bbe33445780";
    const E: &str = "3975fb1a0125";

    fn path() -> MigrationSet {
        set(&[
            (A, &[], &[], &[]),
            (B, &[A], &[], &[]),
            (C, &[B], &[], &[]),
            (D, &[C], &[], &[]),
            (E, &[D], &[], &[]),
        ])
    }

    #[test]
    fn revision_path_downgrades_to_base_or_to_a_current_row_run_nothing() {
        let s = path();
        // test_downgrade_base_no_version, test_downgrade_to_existing(_head)
        assert_eq!(down(&s, "base", &[]), (v(&[]), v(&[])));
        assert_eq!(down(&s, A, &[A]), (v(&[]), v(&[A])));
        assert_eq!(down(&s, E, &[E]), (v(&[]), v(&[E])));
    }

    #[test]
    fn revision_path_upgrade_and_relative_upgrade_paths() {
        let s = path();
        // test_upgrade_path
        assert_eq!(up(&s, E, &[C]), (v(&[D, E]), v(&[E])));
        assert_eq!(up(&s, C, &[]), (v(&[A, B, C]), v(&[C])));
        // test_relative_upgrade_path
        assert_eq!(up(&s, "+2", &[A]), (v(&[B, C]), v(&[C])));
        assert_eq!(up(&s, "+1", &[A]), (v(&[B]), v(&[B])));
        assert_eq!(up(&s, "+3", &[B]), (v(&[C, D, E]), v(&[E])));
        assert_eq!(up(&s, &format!("{B}+2"), &[A]), (v(&[B, C, D]), v(&[D])));
        assert_eq!(up(&s, &format!("{D}-2"), &[A]), (v(&[B]), v(&[B])));
        // test_invalid_relative_upgrade_path
        assert!(run(&s, Direction::Upgrade, "-2", &[B]).is_err());
        assert!(run(&s, Direction::Upgrade, "+5", &[B]).is_err());
    }

    #[test]
    fn revision_path_downgrade_and_relative_downgrade_paths() {
        let s = path();
        // test_downgrade_path
        assert_eq!(down(&s, C, &[E]), (v(&[E, D]), v(&[C])));
        assert_eq!(down(&s, "base", &[C]), (v(&[C, B, A]), v(&[])));
        // test_relative_downgrade_path
        assert_eq!(down(&s, "-1", &[C]), (v(&[C]), v(&[B])));
        assert_eq!(down(&s, "-3", &[E]), (v(&[E, D, C]), v(&[B])));
        assert_eq!(down(&s, &format!("{A}+2"), &[D]), (v(&[D]), v(&[C])));
        assert_eq!(down(&s, &format!("{C}-2"), &[D]), (v(&[D, C, B]), v(&[A])));
        // test_invalid_relative_downgrade_path
        assert!(run(&s, Direction::Downgrade, "-5", &[B]).is_err());
        assert!(run(&s, Direction::Downgrade, "+2", &[B]).is_err());
        // test_invalid_move_rev_to_none, test_invalid_move_higher_to_lower
        assert!(run(&s, Direction::Downgrade, &B[..3], &[]).is_err());
        assert!(run(&s, Direction::Downgrade, &C[..4], &[B]).is_err());
    }

    #[test]
    fn revision_path_stamp_to_base() {
        // test_stamp_to_base
        assert_eq!(stamp(&path(), "base", &[D]), v(&[]));
    }

    /// BranchedPathTest: a -> b -> c1 (c1branch) -> d1, b -> c2 (c2branch) -> d2.
    fn branched() -> MigrationSet {
        set(&[
            ("a", &[], &[], &[]),
            ("b", &["a"], &[], &[]),
            ("c1", &["b"], &["c1branch"], &[]),
            ("d1", &["c1"], &[], &[]),
            ("c2", &["b"], &["c2branch"], &[]),
            ("d2", &["c2"], &[], &[]),
        ])
    }

    #[test]
    fn branched_path_stamps() {
        let s = branched();
        // test_stamp_down_across_multiple_branch_to_branchpoint
        assert_eq!(stamp(&s, "b", &["d1", "c2"]), v(&["b"]));
        // test_stamp_to_labeled_base_multiple_heads
        assert_eq!(stamp(&s, "c1branch@base", &["d1", "c2"]), v(&["c2"]));
        // test_stamp_to_labeled_head_multiple_heads
        assert_eq!(
            stamp(&s, "c2branch@head", &["d1", "c2"]),
            sorted(&["d1", "d2"])
        );
    }

    #[test]
    fn branched_path_upgrades() {
        let s = branched();
        // test_upgrade_single_branch
        assert_eq!(up(&s, "d1", &["b"]), (v(&["c1", "d1"]), v(&["d1"])));
        // test_upgrade_multiple_branch (to both heads)
        assert_eq!(
            up(&s, "heads", &["a"]),
            (v(&["b", "c2", "d2", "c1", "d1"]), sorted(&["d1", "d2"]))
        );
        // test_relative_upgrade
        assert_eq!(up(&s, "c2branch@head-1", &["b"]), (v(&["c2"]), v(&["c2"])));
        // test_upgrade_other_branch_from_mergepoint, test_upgrade_one_branch_of_heads
        assert_eq!(
            up(&s, "c2branch@+1", &["c1"]),
            (v(&["c2"]), sorted(&["c1", "c2"]))
        );
        assert_eq!(
            up(&s, "c2branch@+1", &["c1", "c2"]),
            (v(&["d2"]), sorted(&["c1", "d2"]))
        );
        // test_upgrade_from_base, test_upgrade_from_base_implicit
        assert_eq!(up(&s, "base+1", &[]), (v(&["a"]), v(&["a"])));
        assert_eq!(up(&s, "+1", &[]), (v(&["a"]), v(&["a"])));
    }

    #[test]
    fn branched_path_ambiguous_upgrade_counts_along_the_application_order() {
        // test_ambiguous_upgrade: Alembic refuses `+1` from two rows; this
        // project (docs/ALEMBIC.md) applies the next revision in order.
        let s = branched();
        assert_eq!(
            up(&s, "+1", &["c1", "c2"]),
            (v(&["d2"]), sorted(&["c1", "d2"]))
        );
    }

    #[test]
    fn branched_path_downgrades() {
        let s = branched();
        // test_downgrade_multiple_branch
        assert_eq!(
            down(&s, "a", &["d1", "d2"]),
            (v(&["d1", "c1", "d2", "c2", "b"]), v(&["a"]))
        );
        // test_relative_downgrade_baseplus2
        assert_eq!(
            down(&s, "base+2", &["d2", "d1"]),
            (v(&["d1", "c1", "d2", "c2"]), v(&["b"]))
        );
        // test_relative_downgrade_branchplus2
        assert_eq!(
            down(&s, "c2branch@base+2", &["d2", "d1"]),
            (v(&["d2", "c2"]), v(&["d1"]))
        );
        // test_relative_downgrade_branchplus3
        assert_eq!(
            down(&s, "c2", &["d2", "d1"]),
            (v(&["d2"]), sorted(&["d1", "c2"]))
        );
        assert_eq!(
            down(&s, "c2branch@base+3", &["d2", "d1"]),
            (v(&["d2"]), sorted(&["d1", "c2"]))
        );
        // test_downgrade_once_order_left_unbalanced_labelled
        assert_eq!(
            down(&s, "c1branch@-1", &["d1", "d2"]),
            (v(&["d1"]), sorted(&["c1", "d2"]))
        );
        // test_downgrade_relative_order_right / _left
        assert_eq!(
            down(&s, "d2-1", &["d2", "c1"]),
            (v(&["d2"]), sorted(&["c1", "c2"]))
        );
        assert_eq!(
            down(&s, "d2-1", &["c1", "d2"]),
            (v(&["d2"]), sorted(&["c1", "c2"]))
        );
        // test_downgrade_single_branch_c1branch, _c1branch_from_d1_head, _c2, _d1
        assert_eq!(
            down(&s, "c1branch@b", &["c1", "d2"]),
            (v(&["c1"]), v(&["d2"]))
        );
        assert_eq!(
            down(&s, "c2branch@b", &["c1", "d2"]),
            (v(&["d2", "c2"]), v(&["c1"]))
        );
        assert_eq!(
            down(&s, "c2@b", &["d1", "d2"]),
            (v(&["d2", "c2"]), v(&["d1"]))
        );
        assert_eq!(
            down(&s, "d1@b", &["d1", "d2"]),
            (v(&["d1", "c1"]), v(&["d2"]))
        );
        // test_downgrade_relative_to_branch_head
        assert_eq!(
            down(&s, "c1branch@head-1", &["d1", "d2"]),
            (v(&["d1"]), sorted(&["c1", "d2"]))
        );
        // test_downgrade_minus1_to_base, test_downgrade_minus1_from_base
        assert_eq!(down(&s, "-1", &["a"]), (v(&["a"]), v(&[])));
        assert!(run(&s, Direction::Downgrade, "-1", &[]).is_err());
        // test_downgrade_no_effect_branched
        assert_eq!(
            down(&s, "c2", &["d1", "c2"]),
            (v(&[]), sorted(&["d1", "c2"]))
        );
        assert_eq!(
            down(&s, "d1", &["d1", "c2"]),
            (v(&[]), sorted(&["d1", "c2"]))
        );
    }

    /// MergedPathTest: a -> b -> c1 -> d1, b -> c2 (c2branch) -> d2, e merges d1 and d2, f.
    fn merged() -> MigrationSet {
        set(&[
            ("a", &[], &[], &[]),
            ("b", &["a"], &[], &[]),
            ("c1", &["b"], &[], &[]),
            ("d1", &["c1"], &[], &[]),
            ("c2", &["b"], &["c2branch"], &[]),
            ("d2", &["c2"], &[], &[]),
            ("e", &["d1", "d2"], &[], &[]),
            ("f", &["e"], &[], &[]),
        ])
    }

    #[test]
    fn merged_path_stamps_across_the_merge() {
        let s = merged();
        // test_stamp_down_across_merge_point_branch, _prior_branching
        assert_eq!(stamp(&s, "c2", &["e"]), v(&["c2"]));
        assert_eq!(stamp(&s, "a", &["e"]), v(&["a"]));
        // test_stamp_up_across_merge_from_single_branch
        assert_eq!(stamp(&s, "e", &["c2"]), v(&["e"]));
        // test_stamp_labeled_head_across_merge_from_multiple_branch
        assert_eq!(stamp(&s, "c2branch@head", &["d1", "c2"]), v(&["f"]));
        // test_stamp_up_across_merge_from_multiple_branch, _prior_branching
        assert_eq!(stamp(&s, "e", &["d1", "c2"]), v(&["e"]));
        assert_eq!(stamp(&s, "e", &["b"]), v(&["e"]));
    }

    #[test]
    fn merged_path_upgrade_and_downgrade_across_the_merge() {
        let s = merged();
        // test_upgrade_across_merge_point
        assert_eq!(
            up(&s, "f", &["b"]).0,
            v(&["c2", "d2", "c1", "d1", "e", "f"])
        );
        // test_downgrade_across_merge_point
        assert_eq!(
            down(&s, "b", &["f"]).0,
            v(&["f", "e", "d1", "c1", "d2", "c2"])
        );
    }

    #[test]
    fn branched_path_cross_dependencies() {
        // BranchedPathTestCrossDependencies: d2 depends on c1.
        let s = set(&[
            ("a", &[], &[], &[]),
            ("b", &["a"], &[], &[]),
            ("c1", &["b"], &["c1branch"], &[]),
            ("d1", &["c1"], &[], &[]),
            ("c2", &["b"], &["c2branch"], &[]),
            ("d2", &["c2"], &[], &["c1"]),
        ]);
        // test_downgrade_independent_branch
        assert_eq!(
            down(&s, "c2branch@b", &["d1", "d2"]),
            (v(&["d2", "c2"]), v(&["d1"]))
        );
        // test_downgrade_branch_dependency: c1, d1 and d2 go (d1 and d2 before c1).
        let (ran, rows) = down(&s, "c1branch@b", &["d1", "d2"]);
        assert_eq!(
            sorted(&ran.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            sorted(&["c1", "d1", "d2"])
        );
        assert_eq!(ran.last().map(String::as_str), Some("c1"));
        assert_eq!(rows, v(&["c2"]));
    }

    #[test]
    fn depends_on_own_down_revision() {
        // DependsOnOwnDownrevTest (#843)
        let s = set(&[("a1", &[], &[], &[]), ("a2", &["a1"], &[], &["a1"])]);
        assert_eq!(up(&s, "a2", &[]), (v(&["a1", "a2"]), v(&["a2"])));
        assert_eq!(down(&s, "a1", &["a2"]), (v(&["a2"]), v(&["a1"])));
    }

    fn order(s: &MigrationSet) -> Vec<String> {
        s.revisions().iter().map(|r| r.id.to_string()).collect()
    }

    #[test]
    fn diamond_iteration_order() {
        // test_revision.py DiamondTest: d, c, b1, b2, a from the top.
        let s = set(&[
            ("a", &[], &[], &[]),
            ("b1", &["a"], &[], &[]),
            ("b2", &["a"], &[], &[]),
            ("c", &["b1", "b2"], &[], &[]),
            ("d", &["c"], &[], &[]),
        ]);
        assert_eq!(order(&s), v(&["a", "b2", "b1", "c", "d"]));
        assert_eq!(up(&s, "d", &["a"]).0, v(&["b2", "b1", "c", "d"]));
    }

    #[test]
    fn long_short_branch_iteration_order() {
        // LongShortBranchTest: heads to base is b2, d11, d12, c1, b1, a.
        let s = set(&[
            ("a", &[], &[], &[]),
            ("b1", &["a"], &[], &[]),
            ("b2", &["a"], &[], &[]),
            ("c1", &["b1"], &[], &[]),
            ("d11", &["c1"], &[], &[]),
            ("d12", &["c1"], &[], &[]),
        ]);
        assert_eq!(
            up(&s, "heads", &[]).0,
            v(&["a", "b1", "c1", "d12", "d11", "b2"])
        );
        assert_eq!(
            down(&s, "base", &["b2", "d11", "d12"]).0,
            v(&["b2", "d11", "d12", "c1", "b1", "a"])
        );
    }

    #[test]
    fn multiple_branch_iteration_order() {
        // MultipleBranchTest
        let s = set(&[
            ("a", &[], &[], &[]),
            ("b1", &["a"], &[], &[]),
            ("b2", &["a"], &[], &[]),
            ("cb1", &["b1"], &[], &[]),
            ("cb2", &["b2"], &[], &[]),
            ("d1cb1", &["cb1"], &[], &[]),
            ("d2cb1", &["cb1"], &[], &[]),
            ("d1cb2", &["cb2"], &[], &[]),
            ("d2cb2", &["cb2"], &[], &[]),
            ("d3cb2", &["cb2"], &[], &[]),
            ("d1d2cb2", &["d1cb2", "d2cb2"], &[], &[]),
        ]);
        // test_iterate_from_merge_point
        assert_eq!(
            up(&s, "d1d2cb2", &["a"]).0,
            v(&["b2", "cb2", "d2cb2", "d1cb2", "d1d2cb2"])
        );
        // test_iterate_single_branch(_to_base)
        assert_eq!(up(&s, "d3cb2", &["a"]).0, v(&["b2", "cb2", "d3cb2"]));
        assert_eq!(up(&s, "d3cb2", &[]).0, v(&["a", "b2", "cb2", "d3cb2"]));
    }

    /// BranchTravellingTest
    fn travelling() -> MigrationSet {
        set(&[
            ("a1", &[], &[], &[]),
            ("a2", &["a1"], &[], &[]),
            ("a3", &["a2"], &[], &[]),
            ("b1", &["a3"], &[], &[]),
            ("b2", &["a3"], &[], &[]),
            ("cb1", &["b1"], &[], &[]),
            ("cb2", &["b2"], &[], &[]),
            ("db1", &["cb1"], &[], &[]),
            ("db2", &["cb2"], &[], &[]),
            ("e1b1", &["db1"], &[], &[]),
            ("fe1b1", &["e1b1"], &[], &[]),
            ("e2b1", &["db1"], &[], &[]),
            ("e2b2", &["db2"], &[], &[]),
            ("merge", &["e2b1", "e2b2"], &[], &[]),
        ])
    }

    fn reversed(ids: &[&str]) -> Vec<String> {
        ids.iter().rev().map(|i| i.to_string()).collect()
    }

    #[test]
    fn branch_travelling_orders() {
        let s = travelling();
        // test_iterate_one_branch_both_to_merge (implicit base)
        assert_eq!(
            up(&s, "merge", &["db1"]).0,
            reversed(&["merge", "e2b1", "e2b2", "db2", "cb2", "b2"])
        );
        // test_two_branches_to_root
        assert_eq!(
            up(&s, "merge", &["a1"]).0,
            reversed(&[
                "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"
            ])
        );
        // test_two_branches_end_behind_branch
        assert_eq!(
            up(&s, "merge", &["a2"]).0,
            reversed(&["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"])
        );
        // test_three_branches_to_root, test_three_branches_end_in_single_branch
        let three = [
            "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3",
            "a2",
        ];
        assert_eq!(up(&s, "heads", &["a1"]).0, reversed(&three));
        assert_eq!(up(&s, "heads", &["a3"]).0, reversed(&three[..11]));
        // test_iterate_to_symbolic_base
        assert_eq!(
            up(&s, "fe1b1", &[]).0,
            reversed(&["fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"])
        );
        // test_ancestor_nodes
        let merge = s.position("merge").unwrap();
        let mut ancestors: Vec<String> = s
            .ancestors([merge])
            .iter()
            .enumerate()
            .filter(|(_, a)| **a)
            .map(|(i, _)| s.revisions()[i].id.to_string())
            .collect();
        ancestors.sort();
        assert_eq!(
            ancestors,
            sorted(&[
                "a1", "e2b2", "e2b1", "cb2", "merge", "a3", "a2", "b1", "b2", "db1", "db2", "cb1"
            ])
        );
    }

    #[test]
    fn normalized_down_revisions_leave_out_a_dependency_an_ancestor_declares() {
        // NormalizedDownRevTest, with b1 on a1 so that there is one base.
        let s = set(&[
            ("a1", &[], &[], &[]),
            ("a2", &["a1"], &[], &[]),
            ("a3", &["a2"], &[], &[]),
            ("b1", &["a1"], &[], &[]),
            ("b2", &["b1"], &[], &["a3"]),
            ("b3", &["b2"], &[], &[]),
            ("b4", &["b3"], &[], &["a3"]),
            ("b5", &["b4"], &[], &["b4"]),
        ]);
        let at = |id: &str| s.position(id).unwrap();
        // test_normalized_down_revisions, test_dupe_dependency
        assert_eq!(s.down(at("b4")), [at("b3")]);
        assert_eq!(s.down(at("b5")), [at("b4")]);
        // test_all_traversal (from the top)
        assert_eq!(
            down(&s, "base", &["b5"]).0,
            v(&["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"])
        );
        // DependsOnBranchTestFour (#789): b3 still implies a3.
        assert_eq!(down(&s, "b3", &["b5"]), (v(&["b5", "b4"]), v(&["b3"])));
    }

    #[test]
    fn loops_and_cycles_are_refused() {
        // GraphWithLoopTest, GraphWithCycleTest
        let refused = |revs: &[Spec<'_>]| {
            let revs: Vec<_> = revs
                .iter()
                .map(|(id, parents, _, depends)| {
                    let text = format!(
                        "-- Revision ID: {id}\n-- Revises: {}\n-- Depends On: {}\n\
                         -- migrate:upgrade\n-- migrate:downgrade\n",
                        parents.join(", "),
                        depends.join(", ")
                    );
                    parse_revision(&format!("{id}.sql"), &text).expect("a revision")
                })
                .collect();
            check_branches(revs, "m").is_err()
        };
        assert!(refused(&[("a", &["a"], &[], &[])]));
        assert!(refused(&[("a", &[], &[], &[]), ("b", &["a"], &[], &["b"])]));
        assert!(refused(&[
            ("a", &[], &[], &[]),
            ("b", &["a", "d"], &[], &[]),
            ("c", &["b"], &[], &[]),
            ("d", &["c"], &[], &[]),
        ]));
        assert!(refused(&[
            ("a", &[], &[], &[]),
            ("b", &["a"], &[], &["d"]),
            ("c", &["b"], &[], &[]),
            ("d", &["c"], &[], &[]),
        ]));
    }
}
