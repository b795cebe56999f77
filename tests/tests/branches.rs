//! Branches, merge revisions, branch labels and dependencies against a real
//! PostgreSQL: the version table holds one row per unmerged branch top, as
//! Alembic's does, at every step up and down (`alembic_oracle.rs` compares
//! with Alembic itself).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use schema_runtime::{Direction, Migrator, Range, TransactionMode};

/// One node of a test graph: id, parents, branch labels, dependencies. Each
/// revision creates the table `t_<id>` and drops it on downgrade.
type Node<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);

fn node_text(id: &str, parents: &[&str], labels: &[&str], depends: &[&str]) -> String {
    let mut s = format!(
        "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {}\n",
        parents.join(", ")
    );
    if !labels.is_empty() {
        s.push_str(&format!("-- Branch Labels: {}\n", labels.join(", ")));
    }
    if !depends.is_empty() {
        s.push_str(&format!("-- Depends On: {}\n", depends.join(", ")));
    }
    s.push_str(&format!(
        "\n-- migrate:upgrade\nCREATE TABLE t_{id} (id int);\n\n-- migrate:downgrade\nDROP TABLE t_{id};\n"
    ));
    s
}

fn write_graph(dir: &Path, nodes: &[Node<'_>]) {
    for (id, parents, labels, depends) in nodes {
        std::fs::write(
            dir.join(format!("{id}.sql")),
            node_text(id, parents, labels, depends),
        )
        .expect("write revision");
    }
}

fn graph_migrator(nodes: &[Node<'_>]) -> (tempfile::TempDir, Migrator) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_graph(dir.path(), nodes);
    let m = Migrator::load(dir.path(), "migrations").expect("valid graph");
    (dir, m)
}

/// root -> a1 -> a2 (branch `audit`), root -> b1 (branch `billing`),
/// merged by m, then top.
fn diamond() -> Vec<Node<'static>> {
    vec![
        ("root", &[], &[], &[]),
        ("a1", &["root"], &["audit"], &[]),
        ("a2", &["a1"], &[], &[]),
        ("b1", &["root"], &["billing"], &[]),
        ("m", &["a2", "b1"], &[], &[]),
        ("top", &["m"], &[], &[]),
    ]
}

fn t(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|i| format!("t_{i}")).collect();
    v.sort();
    v
}

fn s(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|i| i.to_string()).collect()
}

#[tokio::test]
async fn upgrading_plus_one_at_a_time_walks_into_a_merge_with_its_other_parent() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&diamond());
    // From the branch point `root` the step is ambiguous (Alembic refuses
    // it): the next revision in application order, b1. From b1 the walk
    // reaches the merge, which needs a1 and a2 too.
    let expected: [(&[&str], usize); 4] =
        [(&["root"], 1), (&["b1"], 1), (&["m"], 3), (&["top"], 1)];
    for (rows, ran) in expected {
        let report = m.upgrade(&mut conn, "+1").await.unwrap();
        assert_eq!(report.steps.len(), ran);
        assert_eq!(version(&mut conn).await, s(rows));
    }
    assert_eq!(
        tables(&mut conn).await,
        t(&["root", "a1", "a2", "b1", "m", "top"])
    );
}

#[tokio::test]
async fn downgrading_one_step_at_a_time_through_a_merge_restores_each_branch_top() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&diamond());
    m.upgrade(&mut conn, "head").await.unwrap();
    // `-1` from the merge or from two rows is ambiguous in Alembic: the last
    // applied revision in application order (root, b1, a1, a2, m, top) goes.
    let expected: [&[&str]; 6] = [
        &["m"],
        &["a2", "b1"],
        &["a1", "b1"],
        &["b1"],
        &["root"],
        &[],
    ];
    for rows in expected {
        let report = m.downgrade(&mut conn, "-1").await.unwrap();
        assert_eq!(report.steps.len(), 1);
        assert_eq!(version(&mut conn).await, s(rows));
    }
    assert!(tables(&mut conn).await.is_empty());
    assert!(logged(&mut conn).await.is_empty());
}

#[tokio::test]
async fn downgrading_below_a_merge_point_leaves_both_branch_tops_and_upgrading_from_there_works() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&diamond());
    m.upgrade(&mut conn, "head").await.unwrap();
    let report = m.downgrade(&mut conn, "a2").await.unwrap();
    let reverted: Vec<&str> = report.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(reverted, ["top", "m"]);
    assert_eq!(report.to, ["b1", "a2"]);
    assert_eq!(version(&mut conn).await, ["a2", "b1"]);
    let state = m.current(&mut conn).await.unwrap();
    assert_eq!(state.current, ["b1", "a2"]);
    // One more step down reverts the last applied revision (a2).
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["a1", "b1"]);
    m.upgrade(&mut conn, "heads").await.unwrap();
    assert_eq!(version(&mut conn).await, ["top"]);
    assert_eq!(logged(&mut conn).await.len(), 6);
}

#[tokio::test]
async fn single_transaction_mode_moves_the_rows_through_a_merge_in_one_go() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&diamond());
    let m = m.transaction_mode(TransactionMode::Single);
    m.upgrade(&mut conn, "a1").await.unwrap();
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.steps.len(), 4);
    assert_eq!(version(&mut conn).await, ["top"]);
    m.downgrade(&mut conn, "a2").await.unwrap();
    assert_eq!(version(&mut conn).await, ["a2", "b1"]);
    assert_eq!(tables(&mut conn).await, t(&["root", "a1", "a2", "b1"]));
    m.downgrade(&mut conn, "root").await.unwrap();
    assert_eq!(version(&mut conn).await, ["root"]);
    assert_eq!(logged(&mut conn).await, ["root"]);
}

#[tokio::test]
async fn a_branch_label_chooses_the_branch_of_a_step_up_and_down() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&diamond());
    m.upgrade(&mut conn, "billing@+1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["root"]);
    m.upgrade(&mut conn, "billing@+1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["b1"]);
    assert_eq!(tables(&mut conn).await, t(&["root", "b1"]));
    m.upgrade(&mut conn, "audit@+1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["a1", "b1"]);
    // A label's line runs on through the merge: its head is the head.
    m.upgrade(&mut conn, "audit@head").await.unwrap();
    assert_eq!(version(&mut conn).await, ["top"]);
    m.downgrade(&mut conn, "audit@-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["m"]);
    // Down to the branch point on the audit side only.
    m.downgrade(&mut conn, "audit@root").await.unwrap();
    assert_eq!(version(&mut conn).await, ["b1"]);
    assert_eq!(tables(&mut conn).await, t(&["root", "b1"]));
}

#[tokio::test]
async fn a_dependency_on_another_branch_is_applied_first_and_has_no_row_of_its_own() {
    let (_url, mut conn) = fresh_db().await;
    let nodes: Vec<Node<'_>> = vec![
        ("root", &[], &[], &[]),
        ("a1", &["root"], &[], &[]),
        ("b1", &["root"], &[], &["a1"]),
        ("m", &["a1", "b1"], &[], &[]),
    ];
    let (_d, m) = graph_migrator(&nodes);
    let report = m.upgrade(&mut conn, "b1").await.unwrap();
    let ran: Vec<&str> = report.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(ran, ["root", "a1", "b1"]);
    assert_eq!(version(&mut conn).await, ["b1"]);
    // Reverting the dependency reverts what depends on it first.
    let report = m.downgrade(&mut conn, "root").await.unwrap();
    let reverted: Vec<&str> = report.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(reverted, ["b1", "a1"]);
    assert_eq!(version(&mut conn).await, ["root"]);
}

/// root -> q; root -> r -> p, where r depends on q; m merges q and p.
fn dependency_below_a_parent() -> Vec<Node<'static>> {
    vec![
        ("root", &[], &[], &[]),
        ("q", &["root"], &[], &[]),
        ("r", &["root"], &[], &["q"]),
        ("p", &["r"], &[], &[]),
        ("m", &["q", "p"], &[], &[]),
    ]
}

#[tokio::test]
async fn a_dependency_reached_through_a_parent_has_no_row_and_an_older_table_that_kept_one_is_tidied(
) {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = graph_migrator(&dependency_below_a_parent());
    m.upgrade(&mut conn, "p").await.unwrap();
    // `q` is below `p` through r's dependency: p's row stands for it.
    assert_eq!(version(&mut conn).await, ["p"]);
    // An earlier version of this project kept a row for q: it is read...
    sqlx::raw_sql("INSERT INTO alembic_version VALUES ('q')")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(m.current(&mut conn).await.unwrap().current.len(), 2);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.from, ["q", "p"]);
    // ... and the next run leaves the table as Alembic would.
    assert_eq!(version(&mut conn).await, ["m"]);
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["p"]);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn offline_sql_through_merges_and_labels_matches_the_online_run() {
    let (_d, m) = graph_migrator(&diamond());
    for (direction, range, rows) in [
        (Direction::Upgrade, "base:heads", &["top"][..]),
        (Direction::Upgrade, "base:billing@b1", &["b1"][..]),
        (Direction::Upgrade, "b1:audit@a2", &["a2", "b1"][..]),
        (Direction::Downgrade, "heads:a2", &["a2", "b1"][..]),
    ] {
        let (offline_url, mut offline) = fresh_db().await;
        let script = m.offline(direction, &Range::parse(range).unwrap()).unwrap();
        if range.starts_with("heads") {
            // A downgrade script assumes the database is at its start.
            m.upgrade(&mut offline, "heads").await.unwrap();
        } else if range.starts_with("b1") {
            m.upgrade(&mut offline, "b1").await.unwrap();
        }
        psql(&offline_url, &script);
        assert_eq!(version(&mut offline).await, s(rows), "{range}\n{script}");
        let (_u, mut online) = fresh_db().await;
        if range.starts_with("heads") {
            m.upgrade(&mut online, "heads").await.unwrap();
            m.downgrade(&mut online, "a2").await.unwrap();
        } else {
            let end = range.split(':').nth(1).unwrap();
            if range.starts_with("b1") {
                m.upgrade(&mut online, "b1").await.unwrap();
            }
            m.upgrade(&mut online, end).await.unwrap();
        }
        assert_eq!(
            tables(&mut offline).await,
            tables(&mut online).await,
            "{range}"
        );
        assert_eq!(version(&mut online).await, s(rows), "{range}");
    }
}

#[tokio::test]
async fn offline_merge_steps_say_which_rows_they_replace() {
    let (_d, m) = graph_migrator(&diamond());
    let script = m
        .offline(Direction::Upgrade, &Range::parse("base:head").unwrap())
        .unwrap();
    assert!(
        script.contains("-- Running upgrade a2, b1 -> m:"),
        "{script}"
    );
    assert!(
        script.contains("DELETE FROM \"alembic_version\" WHERE version_num IN ('b1', 'a2');"),
        "{script}"
    );
}

/// A small deterministic generator (xorshift), so failures replay.
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
}

/// A random graph with one base and one head: each revision revises one or
/// two earlier ones, sometimes depends on another, and the last revision
/// merges every head left.
fn random_graph(rng: &mut Rng, n: usize) -> Vec<(String, Vec<usize>, Vec<usize>)> {
    let mut nodes: Vec<(String, Vec<usize>, Vec<usize>)> = vec![("r0".into(), vec![], vec![])];
    for i in 1..n {
        let mut parents = vec![rng.below(i)];
        if rng.below(3) == 0 {
            let other = rng.below(i);
            if !parents.contains(&other) {
                parents.push(other);
            }
        }
        let depends = if rng.below(4) == 0 {
            vec![rng.below(i)]
        } else {
            vec![]
        };
        nodes.push((format!("r{i}"), parents, depends));
    }
    let heads: Vec<usize> = (0..n)
        .filter(|&i| !nodes.iter().any(|(_, ps, _)| ps.contains(&i)))
        .collect();
    if heads.len() > 1 {
        nodes.push((format!("r{n}"), heads, vec![]));
    }
    nodes
}

/// Everything `start` needs, by naive recursion over parents and dependencies.
fn needs(nodes: &[(String, Vec<usize>, Vec<usize>)], start: usize, out: &mut BTreeSet<usize>) {
    if out.insert(start) {
        for &p in nodes[start].1.iter().chain(&nodes[start].2) {
            needs(nodes, p, out);
        }
    }
}

#[tokio::test]
async fn random_walks_over_random_graphs_match_a_reference_model() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _graph in 0..4 {
        let n = 6 + rng.below(6);
        let nodes = random_graph(&mut rng, n);
        let dir = tempfile::tempdir().unwrap();
        for (id, parents, depends) in &nodes {
            let ps: Vec<&str> = parents.iter().map(|&p| &*nodes[p].0).collect();
            let ds: Vec<&str> = depends.iter().map(|&d| &*nodes[d].0).collect();
            std::fs::write(
                dir.path().join(format!("{id}.sql")),
                node_text(id, &ps, &[], &ds),
            )
            .unwrap();
        }
        let m = Migrator::load(dir.path(), "migrations").expect("a deployable graph");
        let (_url, mut conn) = fresh_db().await;
        let mut model: BTreeSet<usize> = BTreeSet::new();
        for _step in 0..8 {
            let target = rng.below(nodes.len());
            let id = nodes[target].0.clone();
            if model.contains(&target) {
                // Downgrade to it: revert its children and everything that
                // needs them, transitively (what only depends on the target
                // stays, as in Alembic).
                let keep: BTreeSet<usize> = model
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let mut need = BTreeSet::new();
                        needs(&nodes, i, &mut need);
                        !need.iter().any(|&n| nodes[n].1.contains(&target))
                    })
                    .collect();
                let is_row = !model
                    .iter()
                    .any(|&c| nodes[c].1.contains(&target) || nodes[c].2.contains(&target));
                let result = m.downgrade(&mut conn, id.as_str()).await;
                if keep == model && !is_row {
                    // Applied only as another branch's dependency: nothing
                    // to revert, which Alembic refuses too.
                    assert!(result.is_err(), "downgrade {id} reverts nothing");
                    continue;
                }
                result.unwrap();
                model = keep;
            } else {
                needs(&nodes, target, &mut model);
                m.upgrade(&mut conn, id.as_str()).await.unwrap();
            }
            let mut want_tables: Vec<String> =
                model.iter().map(|&i| format!("t_{}", nodes[i].0)).collect();
            want_tables.sort();
            assert_eq!(tables(&mut conn).await, want_tables, "after {id}");
            // Rows: applied revisions no applied revision revises or depends on.
            let mut want_rows: Vec<String> = model
                .iter()
                .filter(|&&i| {
                    !model
                        .iter()
                        .any(|&c| nodes[c].1.contains(&i) || nodes[c].2.contains(&i))
                })
                .map(|&i| nodes[i].0.clone())
                .collect();
            want_rows.sort();
            assert_eq!(version(&mut conn).await, want_rows, "after {id}");
        }
    }
}
