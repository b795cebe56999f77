//! How long `migrations!()` takes to expand a generated chain of N revisions:
//! reading the files, parsing, checking the chain and writing the tokens.
//!
//! `cargo bench -p schema-macros --bench expand` (N = 100, 1,000, 10,000;
//! `EXPAND_BENCH_SIZES=...` and `EXPAND_BENCH_RUNS=...` to change them).

#![allow(missing_docs)]

// The stand-in module of a broken chain is not measured.
#[allow(dead_code)]
#[path = "../src/expand.rs"]
mod expand;
#[path = "../src/input.rs"]
mod input;
#[cfg(feature = "lint")]
#[path = "../src/lint.rs"]
mod lint;
#[path = "../src/names.rs"]
mod names;

use std::time::{Duration, Instant};

fn write_chain(dir: &std::path::Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let parent = if i == 0 {
            String::new()
        } else {
            format!("r{:06}", i - 1)
        };
        let text = format!(
            "-- Add table t{i}\n--\n-- Revision ID: r{i:06}\n-- Revises: {parent}\n-- Create Date: 2026-01-01 00:00:00.000000\n\n\
             -- migrate:upgrade\nCREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());\n\
             CREATE INDEX t{i}_name ON t{i} (name);\n\n-- migrate:downgrade\nDROP TABLE t{i};\n"
        );
        std::fs::write(dir.join(format!("r{i:06}_add_table_t{i}.sql")), text).unwrap();
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("EXPAND_BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000,10000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes are numbers"))
        .collect();
    let runs: usize = std::env::var("EXPAND_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let root = tempfile::tempdir().unwrap();
    // The macro resolves its directory against this, as trybuild's tests do.
    std::env::set_var("SCHEMA_MIGRATIONS_MANIFEST_DIR", root.path());
    println!("| revisions | min | median | max | per revision |");
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let rel = format!("chain{n}");
        write_chain(&root.path().join(&rel), n);
        let input: input::Input = syn::parse_str(&format!("{rel:?}")).unwrap();
        let mut times: Vec<Duration> = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let out = expand::expand(&input).expect("valid chain");
            std::hint::black_box(out);
            times.push(start.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} µs |",
            ms(times[0]),
            ms(times[runs / 2]),
            ms(times[runs - 1]),
            ms(times[runs / 2]) * 1000.0 / n as f64
        );
    }
}
