//! Writing the module `migrations!()` expands to. Everything here is `quote!`:
//! reading and judging the directory is `schema-core`'s job.

use std::path::{Path, PathBuf};

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use schema_core::{Diagnostics, Revision};

use crate::input::Input;
use crate::names::type_names;

/// The environment variable the build-script helper sets to the directories it
/// tracks (see `schema_runtime::build`).
const TRACKED_VAR: &str = "SCHEMA_MIGRATIONS_TRACKED";

/// Overrides `CARGO_MANIFEST_DIR` (for trybuild, which builds from elsewhere).
const MANIFEST_OVERRIDE_VAR: &str = "SCHEMA_MIGRATIONS_MANIFEST_DIR";

fn manifest_dir() -> PathBuf {
    std::env::var_os(MANIFEST_OVERRIDE_VAR)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn errors(span: Span, diagnostics: &Diagnostics) -> syn::Error {
    let mut all = diagnostics
        .0
        .iter()
        .map(|d| syn::Error::new(span, d.body()));
    let mut first = all
        .next()
        .expect("a failed check has at least one diagnostic");
    for e in all {
        first.combine(e);
    }
    first
}

/// Whether the build script tracks `dir` (so that an added file rebuilds).
fn is_tracked(dir: &Path) -> bool {
    let Ok(tracked) = std::env::var(TRACKED_VAR) else {
        return false;
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    tracked
        .split('|')
        .filter_map(|entry| entry.split('#').next())
        .any(|t| Path::new(t) == dir)
}

/// The columns of [`schema_core::Embedded`] for `revisions`: one flat array
/// literal per field, of strings or numbers only.
fn columns(revisions: &[Revision], code: &TokenStream) -> TokenStream {
    let schema_core::Columns {
        ids,
        lists,
        list_ends,
        messages,
        create_dates,
        flags,
        upgrades,
        downgrades,
        checksums,
        paths,
        lines,
    } = schema_core::Columns::of(revisions);
    let checksums = Literal::byte_string(&checksums);
    quote! {
        __p::Embedded {
            ids: &[#(#ids),*],
            lists: &[#(#lists),*],
            list_ends: &[#(#list_ends),*],
            messages: &[#(#messages),*],
            create_dates: &[#(#create_dates),*],
            flags: &[#(#flags),*],
            upgrades: &[#(#upgrades),*],
            downgrades: &[#(#downgrades),*],
            checksums: #checksums,
            paths: &[#(#paths),*],
            lines: &[#(#lines),*],
            code: #code,
        }
    }
}

/// The module that stands in for a broken chain's: an empty `SET`, and
/// `HEAD` and `BASE` of a placeholder revision type. It is never run (the
/// build fails with the chain's errors); it only keeps the crate's uses of
/// `migrations::SET`, `HEAD` and `BASE` from adding errors of their own.
pub fn fallback() -> TokenStream {
    let columns = columns(&[], &quote!(&[]));
    quote! {
        /// The revisions embedded by `migrations!()` (the chain is broken: see the errors above).
        #[allow(non_camel_case_types, clippy::all, dead_code)]
        pub mod migrations {
            use ::schema_runtime::__private as __p;
            static __EMBEDDED: __p::Embedded = #columns;
            /// No revision: the chain is broken.
            pub static SET: __p::TypedSet<Revisions> = __p::TypedSet::new(__p::MigrationSet::embedded(&__EMBEDDED));
            /// The module's marker: `Migrator<migrations::Revisions>` is the type
            /// of `Migrator::new(&migrations::SET)`, whose targets include this
            /// module's typed revisions and no other module's.
            pub enum Revisions {}
            impl __p::EmbeddedSet for Revisions {
                fn set() -> &'static __p::MigrationSet {
                    &SET
                }
            }
            #[doc(hidden)]
            pub struct __Broken;
            impl __p::Migration for __Broken {
                const POSITION: usize = 0;
                type Set = Revisions;
            }
            /// Stands in for the head revision of a broken chain.
            pub const HEAD: __Broken = __Broken;
            /// Stands in for the base revision of a broken chain.
            pub const BASE: __Broken = __Broken;
        }
    }
}

/// The Rust revisions of `revisions`: each file included as a module (so
/// rustc checks it with the crate and points its errors at the file), its
/// functions wrapped to the runtime's signature, and the `code` column of
/// [`schema_core::Embedded`] that hands them to the runtime.
fn rust_revisions(revisions: &[Revision], manifest: &Path) -> (TokenStream, TokenStream) {
    let mut modules = TokenStream::new();
    let mut entries = Vec::new();
    for (i, r) in revisions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.language == schema_core::Language::Rust)
    {
        let file = manifest.join(&*r.path);
        let file = file.canonicalize().unwrap_or(file);
        let file = file.to_string_lossy().into_owned();
        let module = format_ident!("__rust_{}", i);
        let code = format_ident!("__CODE_{}", i);
        let up = format_ident!("__upgrade_{}", i);
        let down = format_ident!("__downgrade_{}", i);
        let downgrade = if r.downgrade.is_some() {
            quote! {
                fn #down(conn: &mut __p::PgConnection) -> __p::RevisionFuture<'_> {
                    ::std::boxed::Box::pin(async move { #module::downgrade(conn).await.map_err(__p::box_error) })
                }
            }
        } else {
            TokenStream::new()
        };
        let down_field = if r.downgrade.is_some() {
            quote!(::std::option::Option::Some(#down))
        } else {
            quote!(::std::option::Option::None)
        };
        modules.extend(quote! {
            #[path = #file]
            mod #module;
            fn #up(conn: &mut __p::PgConnection) -> __p::RevisionFuture<'_> {
                ::std::boxed::Box::pin(async move { #module::upgrade(conn).await.map_err(__p::box_error) })
            }
            #downgrade
            static #code: __p::RustRevision = __p::RustRevision {
                upgrade: #up,
                downgrade: #down_field,
            };
        });
        let at = i as u32;
        entries.push(quote!((#at, __p::Code(&#code))));
    }
    (modules, quote!(&[#(#entries),*]))
}

/// Expands `migrations!(...)`.
pub fn expand(input: &Input) -> syn::Result<TokenStream> {
    let span = input
        .dir
        .as_ref()
        .map_or_else(Span::call_site, |d| d.span());
    let rel = input
        .dir
        .as_ref()
        .map_or_else(|| "migrations".to_owned(), |d| d.value());
    let dir = manifest_dir().join(&rel);
    let files = schema_core::read_dir(&dir, &rel).map_err(|d| errors(span, &d))?;
    let set = schema_core::load::check_sources(&files, &rel).map_err(|d| errors(span, &d))?;
    #[cfg(feature = "lint")]
    let lint_warnings = crate::lint::lint(&set, &manifest_dir(), &input.lint, span)?;
    #[cfg(not(feature = "lint"))]
    let lint_warnings = TokenStream::new();
    let revisions = set.revisions();

    // A build script that tracks the directory makes any change to it
    // rebuild. Without one, every file read is tracked itself, so that
    // editing, renaming or deleting one rebuilds (adding one does not).
    let tracked = is_tracked(&dir);
    let tracked_files = files.iter().filter(|_| !tracked).map(|f| {
        let p = f.path.to_string_lossy().into_owned();
        quote!(
            const _: &[u8] = include_bytes!(#p);
        )
    });
    let names: Vec<_> = type_names(revisions)
        .iter()
        .map(|n| format_ident!("{}", n))
        .collect();
    let (rust_modules, code) = rust_revisions(revisions, &manifest_dir());
    let columns = columns(revisions, &code);
    // One unit struct per revision, with no derives and one impl: rustc's
    // work on the module grows with every item per revision.
    let structs = revisions
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(i, (r, name))| {
            let doc = format!(
                "{} (revision `{}`, `{}`)",
                r.display_message(),
                r.id,
                r.path
            );
            quote! {
                #[doc = #doc]
                pub struct #name;
                impl __p::Migration for #name {
                    const POSITION: usize = #i;
                    type Set = Revisions;
                }
            }
        });
    let n = revisions.len();
    let head = &names[n - 1];
    let base = &names[0];
    let head_doc = format!("The head revision, `{}`.", set.head().id);
    let base_doc = format!("The base revision, `{}`.", set.base().id);
    let untracked_warning = (!tracked).then(|| {
        let note = format!(
            "the migrations directory `{rel}` is not tracked by a build script, so a revision file \
             added to it will not trigger a rebuild; add `schema_runtime::build::track_migrations(\"{rel}\");` \
             to build.rs (with `schema-runtime` under [build-dependencies])"
        );
        quote! {
            #[deprecated(note = #note)]
            #[allow(dead_code)]
            struct MigrationsDirectoryNotTracked;
            const _: () = {
                let _ = MigrationsDirectoryNotTracked;
            };
        }
    });
    Ok(quote! {
        /// The revisions embedded by `migrations!()`.
        #[allow(non_camel_case_types, clippy::all)]
        pub mod migrations {
            use ::schema_runtime::__private as __p;
            #(#tracked_files)*
            #untracked_warning
            #lint_warnings
            #rust_modules
            static __EMBEDDED: __p::Embedded = #columns;
            /// Every revision, in application order (base first, head last).
            pub static SET: __p::TypedSet<Revisions> = __p::TypedSet::new(__p::MigrationSet::embedded(&__EMBEDDED));
            /// The module's marker: `Migrator<migrations::Revisions>` is the type
            /// of `Migrator::new(&migrations::SET)`, whose targets include this
            /// module's typed revisions and no other module's.
            pub enum Revisions {}
            impl __p::EmbeddedSet for Revisions {
                fn set() -> &'static __p::MigrationSet {
                    &SET
                }
            }
            #(#structs)*
            #[doc = #head_doc]
            pub const HEAD: #head = #head;
            #[doc = #base_doc]
            pub const BASE: #base = #base;
        }
    })
}
