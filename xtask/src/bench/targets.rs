//! The performance targets of docs/BENCHMARKS.md, in one place: each one
//! read from a run's [`Results`] and judged met or not met, at every size
//! the run measured it.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::report::Results;
use super::{ALEMBIC, LIMIT, OURS_CLI_UP, OURS_DOWN, OURS_NOOP, OURS_OFFLINE, OURS_UP, SQLX};

/// In-process upgrade over the one-query limit, at 1,000 revisions and more.
pub const LIMIT_RATIO: f64 = 1.10;
/// The smallest chain [`LIMIT_RATIO`] is judged at: below it, the fixed cost
/// of a run (the lock, the state) is a large share of a small total.
pub const LIMIT_RATIO_FROM: usize = 1000;
/// In-process upgrade over sqlx's `Migrator::run`.
pub const SQLX_RATIO: f64 = 1.0;
/// Alembic's overhead above the limit over our CLI's, at least.
pub const ALEMBIC_OVERHEAD_FACTOR: f64 = 10.0;
/// Messages a no-op `upgrade head` sends: one round trip plus the unlock.
pub const NOOP_MESSAGES: usize = 2;
/// The macro's expansion of 10,000 revisions, in milliseconds.
pub const EXPANSION_MS: f64 = 1000.0;
/// The chain size [`EXPANSION_MS`] is judged at.
pub const EXPANSION_AT: usize = 10_000;
/// Per-revision time at the largest size over the smallest, at most.
pub const LINEAR_FACTOR: f64 = 1.5;
/// The rows whose per-revision time must not grow with N.
const LINEAR_ROWS: [&str; 4] = [OURS_UP, OURS_DOWN, OURS_NOOP, OURS_OFFLINE];

/// Whether a target was met.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Measured and within the bound.
    Met,
    /// Measured and outside the bound.
    NotMet,
    /// Not measured in this run, and why.
    NotMeasured(String),
}

/// One target judged at one size.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The target, as docs/BENCHMARKS.md names it.
    pub target: &'static str,
    /// The chain size (or sizes) it was judged at.
    pub at: String,
    /// The measured figure.
    pub measured: String,
    /// The bound it is held to.
    pub bound: String,
    /// Met or not.
    pub verdict: Verdict,
}

/// A target: its name and how a run's results are judged against it.
pub struct Target {
    /// The name docs/BENCHMARKS.md gives it.
    pub name: &'static str,
    judge: fn(&'static str, &Results) -> Vec<Outcome>,
}

/// Every target of docs/BENCHMARKS.md ("The targets").
pub const TARGETS: [Target; 6] = [
    Target {
        name: "upgrade within 1.10x of the one-query limit",
        judge: limit_ratio,
    },
    Target {
        name: "not slower than sqlx",
        judge: sqlx_ratio,
    },
    Target {
        name: "overhead above the limit at least 10x smaller than Alembic's",
        judge: alembic_overhead,
    },
    Target {
        name: "no-op at head in one round trip plus the lock",
        judge: noop_messages,
    },
    Target {
        name: "expansion of 10,000 revisions under one second",
        judge: expansion,
    },
    Target {
        name: "linear in N",
        judge: linear,
    },
];

/// Judges every target against `results`.
pub fn judge(results: &Results) -> Vec<Outcome> {
    TARGETS
        .iter()
        .flat_map(|t| (t.judge)(t.name, results))
        .collect()
}

fn outcome(
    target: &'static str,
    at: String,
    measured: String,
    bound: String,
    met: bool,
) -> Outcome {
    Outcome {
        target,
        at,
        measured,
        bound,
        verdict: if met { Verdict::Met } else { Verdict::NotMet },
    }
}

fn not_measured(target: &'static str, bound: String, why: &str) -> Vec<Outcome> {
    vec![Outcome {
        target,
        at: "-".into(),
        measured: "-".into(),
        bound,
        verdict: Verdict::NotMeasured(why.into()),
    }]
}

/// One outcome per size where both rows have a median, `ratio(a, b)` held
/// to `ok`; `why` when no size has both.
fn per_size(
    target: &'static str,
    results: &Results,
    sizes: impl Iterator<Item = usize>,
    bound: String,
    why: &str,
    judge: impl Fn(&Results, usize) -> Option<(String, bool)>,
) -> Vec<Outcome> {
    let out: Vec<Outcome> = sizes
        .filter_map(|n| {
            let (measured, met) = judge(results, n)?;
            Some(outcome(target, n.to_string(), measured, bound.clone(), met))
        })
        .collect();
    if out.is_empty() {
        not_measured(target, bound, why)
    } else {
        out
    }
}

fn limit_ratio(target: &'static str, r: &Results) -> Vec<Outcome> {
    per_size(
        target,
        r,
        r.sizes().into_iter().filter(|&n| n >= LIMIT_RATIO_FROM),
        format!("ours / one query <= {LIMIT_RATIO:.2}x from {LIMIT_RATIO_FROM} revisions"),
        "needs a size of 1000 or more in --sizes",
        |r, n| {
            let ratio = r.median(OURS_UP, n)? / r.median(LIMIT, n)?;
            Some((format!("{ratio:.3}x"), ratio <= LIMIT_RATIO))
        },
    )
}

fn sqlx_ratio(target: &'static str, r: &Results) -> Vec<Outcome> {
    per_size(
        target,
        r,
        r.sizes().into_iter(),
        format!("ours / sqlx <= {SQLX_RATIO:.2}x"),
        "sqlx did not run (--skip-peers)",
        |r, n| {
            let ratio = r.median(OURS_UP, n)? / r.median(SQLX, n)?;
            Some((format!("{ratio:.3}x"), ratio <= SQLX_RATIO))
        },
    )
}

fn alembic_overhead(target: &'static str, r: &Results) -> Vec<Outcome> {
    per_size(
        target,
        r,
        r.sizes().into_iter(),
        format!("(alembic - one query) / (our CLI - one query) >= {ALEMBIC_OVERHEAD_FACTOR:.0}x"),
        "Alembic did not run (--skip-peers, not in --peer-sizes, or not installable)",
        |r, n| {
            let limit = r.median(LIMIT, n)?;
            let (alembic, cli) = (
                r.median(ALEMBIC, n)? - limit,
                r.median(OURS_CLI_UP, n)? - limit,
            );
            Some(if cli <= 0.0 {
                ("our CLI at or below the limit".into(), true)
            } else {
                let factor = alembic / cli;
                (format!("{factor:.1}x"), factor >= ALEMBIC_OVERHEAD_FACTOR)
            })
        },
    )
}

fn noop_messages(target: &'static str, r: &Results) -> Vec<Outcome> {
    per_size(
        target,
        r,
        r.noop_round_trips.keys().copied(),
        format!("<= {NOOP_MESSAGES} messages"),
        "no no-op run",
        |r, n| {
            let sent = *r.noop_round_trips.get(&n)?;
            Some((format!("{sent} messages"), sent <= NOOP_MESSAGES))
        },
    )
}

fn expansion(target: &'static str, r: &Results) -> Vec<Outcome> {
    per_size(
        target,
        r,
        std::iter::once(EXPANSION_AT),
        format!("the macro alone, median < {EXPANSION_MS:.0} ms"),
        "needs 10000 in --sizes, without --skip-expansion",
        |r, n| {
            let row = r.macro_alone.iter().find(|m| m.n == n)?;
            Some((
                format!("{:.1} ms", row.median_ms),
                row.median_ms < EXPANSION_MS,
            ))
        },
    )
}

fn linear(target: &'static str, r: &Results) -> Vec<Outcome> {
    let bound = format!("per revision at the largest size <= {LINEAR_FACTOR:.1}x the smallest");
    let mut out = Vec::new();
    for tool in LINEAR_ROWS {
        let sizes: Vec<usize> = r
            .sizes()
            .into_iter()
            .filter(|&n| r.median(tool, n).is_some())
            .collect();
        let (Some(&small), Some(&large)) = (sizes.first(), sizes.last()) else {
            continue;
        };
        if small == large {
            continue;
        }
        let per = |n: usize| r.median(tool, n).unwrap_or(0.0) / n as f64;
        let growth = per(large) / per(small);
        out.push(outcome(
            target,
            format!("{small} -> {large}, {tool}"),
            format!(
                "{:.4} -> {:.4} ms per revision ({growth:.2}x)",
                per(small),
                per(large)
            ),
            bound.clone(),
            growth <= LINEAR_FACTOR,
        ));
    }
    if out.is_empty() {
        not_measured(target, bound, "needs two sizes in --sizes")
    } else {
        out
    }
}

/// The outcomes as a markdown table.
pub fn markdown(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "### Targets\n\n| target | revisions | measured | bound | verdict |\n|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let verdict = match &o.verdict {
            Verdict::Met => "met".to_owned(),
            Verdict::NotMet => "**not met**".to_owned(),
            Verdict::NotMeasured(why) => format!("not measured: {why}"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {verdict} |",
            o.target, o.at, o.measured, o.bound
        );
    }
    out
}

/// The outcomes as JSON.
pub fn json(outcomes: &[Outcome]) -> Value {
    Value::Array(
        outcomes
            .iter()
            .map(|o| {
                let (verdict, why) = match &o.verdict {
                    Verdict::Met => ("met", None),
                    Verdict::NotMet => ("not met", None),
                    Verdict::NotMeasured(why) => ("not measured", Some(why.as_str())),
                };
                json!({
                    "target": o.target,
                    "at": o.at,
                    "measured": o.measured,
                    "bound": o.bound,
                    "verdict": verdict,
                    "not_measured_because": why,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::expansion::MacroAlone;
    use super::super::report::Sample;
    use super::*;

    fn sample(tool: &'static str, n: usize, ms: u64) -> Sample {
        Sample {
            tool,
            n,
            times: vec![Duration::from_millis(ms)],
            unavailable: None,
        }
    }

    fn verdicts(outcomes: &[Outcome], target: &str) -> Vec<Verdict> {
        outcomes
            .iter()
            .filter(|o| o.target == target)
            .map(|o| o.verdict.clone())
            .collect()
    }

    #[test]
    fn an_upgrade_within_the_ratio_is_met_and_one_beyond_it_is_not() {
        let mut r = Results::default();
        r.samples.extend([
            sample(LIMIT, 1000, 1000),
            sample(OURS_UP, 1000, 1100),
            sample(LIMIT, 10_000, 1000),
            sample(OURS_UP, 10_000, 1101),
        ]);
        assert_eq!(
            verdicts(&judge(&r), TARGETS[0].name),
            [Verdict::Met, Verdict::NotMet]
        );
    }

    #[test]
    fn a_target_without_its_figures_is_not_measured_rather_than_met() {
        let mut r = Results::default();
        r.samples
            .extend([sample(LIMIT, 100, 100), sample(OURS_UP, 100, 500)]);
        for t in &TARGETS {
            let v = verdicts(&judge(&r), t.name);
            assert_eq!(v.len(), 1, "{}", t.name);
            assert!(matches!(v[0], Verdict::NotMeasured(_)), "{}: {v:?}", t.name);
        }
    }

    #[test]
    fn sqlx_alembic_noop_and_expansion_are_held_to_their_bounds() {
        let mut r = Results::default();
        r.samples.extend([
            sample(LIMIT, 100, 100),
            sample(OURS_UP, 100, 120),
            sample(SQLX, 100, 119),
            sample(OURS_CLI_UP, 100, 110),
            sample(ALEMBIC, 100, 199),
        ]);
        r.noop_round_trips.insert(100, 3);
        r.macro_alone.push(MacroAlone {
            n: 10_000,
            runs: 1,
            min_ms: 1000.0,
            median_ms: 1000.0,
            max_ms: 1000.0,
        });
        let out = judge(&r);
        for t in &TARGETS[1..5] {
            assert_eq!(verdicts(&out, t.name), [Verdict::NotMet], "{}", t.name);
        }
    }

    #[test]
    fn per_revision_time_that_grows_with_n_is_not_linear() {
        let mut r = Results::default();
        r.samples.extend([
            sample(OURS_UP, 100, 100),
            sample(OURS_UP, 1000, 1500),
            sample(OURS_DOWN, 100, 100),
            sample(OURS_DOWN, 1000, 1501),
        ]);
        assert_eq!(
            verdicts(&judge(&r), TARGETS[5].name),
            [Verdict::Met, Verdict::NotMet]
        );
    }
}
