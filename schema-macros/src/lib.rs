//! The `migrations!()` macro.
//!
//! The macro reads a migrations directory through `schema-core` (the same parser
//! and chain check the runtime and the CLI use), turns every problem into a
//! compile error, and otherwise expands to a module of typed revisions. It has no
//! logic of its own beyond the expansion: `input` parses the arguments,
//! `names` picks the struct names, `expand` writes the code.
//!
//! Use it through `schema-runtime`, which re-exports it and provides the types
//! the expansion names.

mod expand;
mod input;
#[cfg(feature = "lint")]
mod lint;
mod names;
#[cfg(feature = "testing")]
mod test_attr;

use proc_macro::TokenStream;

/// Embeds a checked revision chain.
///
/// `migrations!()` reads `migrations/` relative to the crate's `Cargo.toml`;
/// `migrations!("db/migrations")` reads another directory. A broken chain is a
/// compile error naming the files and the fix. The expansion is a module
/// `migrations` with one unit struct per revision (implementing `Migration`),
/// `SET` (every revision, base first), `HEAD` and `BASE`.
///
/// With the `lint` feature, every section of every revision after `lint_from`
/// is linted with squawk (docs/LINT.md) and each finding is a warning at the
/// call site naming the file, line, column, rule and help. Settings come from
/// the `[lint]` table of `migrations.toml` beside `Cargo.toml`, overridden by
/// arguments after the directory: `lint = false`, `lint_from = "rev"`,
/// `pg_version = "15"`, `deny = ["rule"]` (a finding of a denied rule fails the
/// build), `include = ["rule"]`, `exclude = ["rule"]`.
///
/// # Examples
///
/// ```
/// # // This crate stands in for `schema-runtime`, which re-exports the macro
/// # // and the types its expansion names.
/// # extern crate self as schema_runtime;
/// # pub use schema_core::Migration;
/// # #[doc(hidden)]
/// # pub mod __private {
/// #     pub use schema_core::{Embedded, EmbeddedSet, Migration, MigrationSet, TypedSet};
/// # }
/// # /*
/// schema_runtime::migrations!("migrations");
/// # */
/// # // A chain of SQL revisions only: a Rust revision needs the runtime.
/// # schema_macros::migrations!("../tests/ui/pass/diamond", lint = false);
///
/// fn main() {
///     use schema_runtime::Migration;
///
///     // `SET` is the chain, base first; `HEAD` and `BASE` are typed revisions.
///     assert_eq!(migrations::SET.head().id, migrations::HEAD.id());
///     assert_eq!(migrations::BASE.id(), migrations::SET.base().id);
///     assert!(migrations::SET.len() > 1);
/// }
/// ```
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as input::Input);
    expand::expand(&input)
        .unwrap_or_else(|e| {
            // The chain's errors, and a module that stands in for the one
            // the chain would have given, so that its uses compile and the
            // chain's errors are the only ones the user reads.
            let mut out = e.into_compile_error();
            out.extend(expand::fallback());
            out
        })
        .into()
}

/// Gives an async test a fresh database at a revision of an embedded chain,
/// in the spirit of `#[sqlx::test]` (schema-runtime's `testing` feature).
///
/// The function takes one argument, its database: `pool: PgPool`,
/// `conn: PgConnection` or `db: TestDatabase` (a pool, a URL and the name).
/// The database is at head of `crate::migrations::SET` unless
/// `migrations = path::to::migrations` names another module `migrations!()`
/// expanded to, and `at = "revision"` (an id, `"base"`, a typed revision)
/// another revision. It is created on `schema_runtime::testing::server()`
/// (a throwaway cluster, or the server of `DATABASE_URL`) and dropped after
/// the test, also when it panics. The test runs on a runtime of its own, as
/// with `#[tokio::test]`; other attributes (`#[should_panic]`, `#[ignore]`)
/// are kept.
///
/// # Examples
///
/// ```no_run
/// # // This crate stands in for `schema-runtime`, which re-exports the
/// # // attribute and provides the runner it expands to.
/// # extern crate self as schema_runtime;
/// # pub mod testing {
/// #     pub mod __private {
/// #         pub fn run<S: ?Sized, R, A, F: FnOnce(A) -> Fut, Fut: std::future::Future>(
/// #             _set: &S, _at: R, _test: F,
/// #         ) -> Fut::Output {
/// #             unimplemented!()
/// #         }
/// #     }
/// # }
/// # pub use schema_macros::test;
/// # pub struct PgPool;
/// # pub struct PgConnection;
/// # mod migrations { pub static SET: () = (); }
/// # /*
/// schema_runtime::migrations!("migrations");
/// # */
///
/// #[schema_runtime::test]
/// async fn cameras_start_online(pool: PgPool) {
///     // the database is at head
/// }
///
/// #[schema_runtime::test(at = "add_zones_001")]
/// async fn zones_come_before_the_audit_log(conn: PgConnection) {
///     // the database is at add_zones_001
/// }
/// # fn main() {}
/// ```
#[cfg(feature = "testing")]
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    test_attr::expand(args.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
