//! The benchmark's results: timings per tool and size, their ratios, and the
//! markdown and JSON written under `target/bench/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

/// The timings of one tool at one size, or why it did not run.
#[derive(Debug, Clone)]
pub struct Sample {
    /// What was timed.
    pub tool: &'static str,
    /// Revisions in the chain.
    pub n: usize,
    /// One duration per run.
    pub times: Vec<Duration>,
    /// Why the tool did not run, when it did not.
    pub unavailable: Option<String>,
}

impl Sample {
    /// The median, in milliseconds.
    pub fn median_ms(&self) -> Option<f64> {
        let mut ms: Vec<f64> = self.times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        (!ms.is_empty()).then(|| ms[ms.len() / 2])
    }

    fn min_ms(&self) -> Option<f64> {
        self.times
            .iter()
            .map(|t| t.as_secs_f64() * 1e3)
            .min_by(f64::total_cmp)
    }

    fn max_ms(&self) -> Option<f64> {
        self.times
            .iter()
            .map(|t| t.as_secs_f64() * 1e3)
            .max_by(f64::total_cmp)
    }
}

/// Everything measured in one run.
#[derive(Debug, Default)]
pub struct Results {
    /// The samples, in the order they were taken.
    pub samples: Vec<Sample>,
    /// Round trips of a no-op `upgrade head`, per size.
    pub noop_round_trips: BTreeMap<usize, usize>,
    /// The command that produced the results.
    pub command: String,
    /// Where the throwaway cluster kept its data (the file system it is on
    /// sets the cost of the SQL itself).
    pub data_dir: String,
    /// The macro's own expansion time, per size.
    pub macro_alone: Vec<super::expansion::MacroAlone>,
}

fn ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 100.0 => format!("{v:.0} ms"),
        Some(v) => format!("{v:.2} ms"),
        None => "-".into(),
    }
}

impl Results {
    /// The median of `tool` at `n`.
    pub fn median(&self, tool: &str, n: usize) -> Option<f64> {
        self.samples
            .iter()
            .find(|s| s.tool == tool && s.n == n)
            .and_then(Sample::median_ms)
    }

    /// The chain sizes measured, ascending.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes: Vec<usize> = self.samples.iter().map(|s| s.n).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    }

    /// The results as markdown: one table per size, then the ratios.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Command: `{}`\n", self.command);
        let _ = writeln!(out, "Cluster data directory: `{}`\n", self.data_dir);
        for n in self.sizes() {
            let limit = self.median(super::LIMIT, n);
            let _ = writeln!(out, "### {n} revisions\n");
            let _ = writeln!(
                out,
                "| what | runs | min | median | max | / one query | above one query, per revision |\n|---|---:|---:|---:|---:|---:|---:|"
            );
            for s in self.samples.iter().filter(|s| s.n == n) {
                if let Some(why) = &s.unavailable {
                    let _ = writeln!(out, "| {} | 0 | not run: {why} | | | | |", s.tool);
                    continue;
                }
                let med = s.median_ms();
                let upgrade_like = super::COMPARABLE.contains(&s.tool);
                let ratio = match (med, limit) {
                    (Some(m), Some(l)) if upgrade_like => format!("{:.2}x", m / l),
                    _ => String::new(),
                };
                let per_rev = match (med, limit) {
                    (Some(m), Some(l)) if upgrade_like => format!("{:.3} ms", (m - l) / n as f64),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {ratio} | {per_rev} |",
                    s.tool,
                    s.times.len(),
                    ms(s.min_ms()),
                    ms(med),
                    ms(s.max_ms())
                );
            }
            if let Some(rt) = self.noop_round_trips.get(&n) {
                let _ = writeln!(
                    out,
                    "\nA no-op `upgrade head` at head sent {rt} message(s) to the server (counted in the server's statement log)."
                );
            }
            out.push('\n');
        }
        out.push_str(&self.ratios());
        if !self.macro_alone.is_empty() {
            out.push_str(
                "\n### The macro alone (optimised)\n\n| revisions | runs | min | median | max | per revision |\n|---:|---:|---:|---:|---:|---:|\n",
            );
            for m in &self.macro_alone {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {:.1} µs |",
                    m.n,
                    m.runs,
                    ms(Some(m.min_ms)),
                    ms(Some(m.median_ms)),
                    ms(Some(m.max_ms)),
                    m.median_ms * 1000.0 / m.n as f64
                );
            }
        }
        out
    }

    fn ratios(&self) -> String {
        let mut out = String::from(
            "### Ratios (medians)\n\n| revisions | ours / one query | ours / one query with a transaction per revision | ours / sqlx | ours / psql -1 | our CLI / Alembic | Alembic's overhead / our CLI's overhead |\n|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for n in self.sizes() {
            let ours = self.median(super::OURS_UP, n);
            let cli = self.median(super::OURS_CLI_UP, n);
            let limit = self.median(super::LIMIT, n);
            let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => format!("{:.2}x", a / b),
                _ => "-".into(),
            };
            let alembic = self.median(super::ALEMBIC, n);
            let overhead = match (alembic, cli, limit) {
                (Some(a), Some(c), Some(l)) if c > l => format!("{:.1}x", (a - l) / (c - l)),
                (Some(_), Some(_), Some(_)) => "ours at or below the limit".into(),
                _ => "-".into(),
            };
            let _ = writeln!(
                out,
                "| {n} | {} | {} | {} | {} | {} | {overhead} |",
                ratio(ours, limit),
                ratio(ours, self.median(super::LIMIT_PER_REVISION, n)),
                ratio(ours, self.median(super::SQLX, n)),
                ratio(ours, self.median(super::PSQL_ONE, n)),
                ratio(cli, alembic),
            );
        }
        out
    }

    /// The results as JSON.
    pub fn json(&self) -> Value {
        json!({
            "command": self.command,
            "data_dir": self.data_dir,
            "noop_round_trips": self.noop_round_trips,
            "macro_alone": self.macro_alone.iter().map(|m| json!({
                "revisions": m.n,
                "runs": m.runs,
                "min_ms": m.min_ms,
                "median_ms": m.median_ms,
                "max_ms": m.max_ms,
            })).collect::<Vec<_>>(),
            "samples": self.samples.iter().map(|s| json!({
                "tool": s.tool,
                "revisions": s.n,
                "runs_ms": s.times.iter().map(|t| t.as_secs_f64() * 1e3).collect::<Vec<_>>(),
                "median_ms": s.median_ms(),
                "unavailable": s.unavailable,
            })).collect::<Vec<_>>(),
        })
    }
}
