//! The synthetic chains the benchmark applies, written once per size in the
//! layouts of every tool compared: this project's revision files, sqlx's
//! `<version>_<name>.up.sql`/`.down.sql` pairs, Alembic revision scripts that
//! `op.execute` the same SQL, and the plain SQL files `psql` reads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The upgrade SQL of revision `i`: a table with a few columns and an index.
pub fn upgrade_sql(i: usize) -> String {
    format!(
        "CREATE TABLE bench_{i} (\n    id bigint PRIMARY KEY,\n    name text NOT NULL,\n    \
         payload jsonb,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n\
         CREATE INDEX bench_{i}_name ON bench_{i} (name);\n"
    )
}

/// The downgrade SQL of revision `i`.
pub fn downgrade_sql(i: usize) -> String {
    format!("DROP TABLE bench_{i};\n")
}

/// Where one chain of `n` revisions is written.
pub struct Chain {
    /// This project's revision files.
    pub ours: PathBuf,
    /// sqlx's migrations directory.
    pub sqlx: PathBuf,
    /// Alembic's project directory (`alembic.ini`, `env.py`, `versions/`).
    pub alembic: PathBuf,
    /// One SQL file per revision, for `psql`.
    pub per_revision: Vec<PathBuf>,
    /// Every upgrade section, in order, as one text.
    pub all_sql: String,
    /// The same, each section between `BEGIN` and `COMMIT`.
    pub all_sql_per_revision: String,
    /// `all_sql` as a file.
    pub all_sql_file: PathBuf,
}

fn id(i: usize) -> String {
    format!("r{i:05}")
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Writes a chain of `n` revisions under `root`.
pub fn generate(root: &Path, n: usize) -> std::io::Result<Chain> {
    let ours = root.join("ours");
    let sqlx = root.join("sqlx");
    let alembic = root.join("alembic");
    let plain = root.join("plain");
    for d in [&ours, &sqlx, &alembic.join("versions"), &plain] {
        std::fs::create_dir_all(d)?;
    }
    write(
        &alembic.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\n\n[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n\
         [formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\nhandlers = console\n\n\
         [handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n\
         [formatter_generic]\nformat = %(levelname)s %(message)s\n",
    )?;
    write(
        &alembic.join("env.py"),
        "import os\nfrom alembic import context\nfrom sqlalchemy import create_engine\n\n\
         engine = create_engine(os.environ[\"BENCH_ALEMBIC_URL\"])\n\
         with engine.connect() as connection:\n    \
         context.configure(connection=connection, transaction_per_migration=True)\n    \
         with context.begin_transaction():\n        context.run_migrations()\n",
    )?;
    write(
        &alembic.join("script.py.mako"),
        "# not used: the benchmark writes its revision scripts itself\n",
    )?;
    let mut all_sql = String::new();
    let mut all_sql_per_revision = String::new();
    let mut per_revision = Vec::with_capacity(n);
    for i in 0..n {
        let (up, down) = (upgrade_sql(i), downgrade_sql(i));
        let parent = if i == 0 { String::new() } else { id(i - 1) };
        write(
            &ours.join(format!("{}_bench.sql", id(i))),
            &format!(
                "-- Bench revision {i}\n--\n-- Revision ID: {}\n-- Revises: {parent}\n\
                 -- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n{up}\n-- migrate:downgrade\n{down}",
                id(i)
            ),
        )?;
        write(&sqlx.join(format!("{}_bench.up.sql", i + 1)), &up)?;
        write(&sqlx.join(format!("{}_bench.down.sql", i + 1)), &down)?;
        let down_revision = if i == 0 {
            "None".to_owned()
        } else {
            format!("\"{parent}\"")
        };
        write(
            &alembic.join("versions").join(format!("{}_bench.py", id(i))),
            &format!(
                "from alembic import op\n\nrevision = \"{}\"\ndown_revision = {down_revision}\n\
                 branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute(\"\"\"{up}\"\"\")\n\n\n\
                 def downgrade():\n    op.execute(\"\"\"{down}\"\"\")\n",
                id(i)
            ),
        )?;
        let file = plain.join(format!("{}.sql", id(i)));
        write(&file, &up)?;
        per_revision.push(file);
        let _ = writeln!(all_sql, "{up}");
        let _ = writeln!(all_sql_per_revision, "BEGIN;\n{up}COMMIT;");
    }
    let all_sql_file = plain.join("all.sql");
    write(&all_sql_file, &all_sql)?;
    Ok(Chain {
        ours,
        sqlx,
        alembic,
        per_revision,
        all_sql,
        all_sql_per_revision,
        all_sql_file,
    })
}
