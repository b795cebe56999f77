//! Writing the module `migrations!()` expands to. Everything here is `quote!`:
//! reading and judging the directory is `schema-core`'s job.

use std::path::{Path, PathBuf};

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use schema_core::{Diagnostics, Revision, Section};

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

fn cow(s: &str) -> TokenStream {
    quote!(__p::Cow::Borrowed(#s))
}

fn opt_cow(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => {
            let c = cow(s);
            quote!(::core::option::Option::Some(#c))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn cow_list(items: &[std::borrow::Cow<'static, str>]) -> TokenStream {
    let items = items.iter().map(|i| cow(i));
    quote!(__p::Cow::Borrowed(&[#(#items),*]))
}

fn section(s: &Section) -> TokenStream {
    let sql = cow(&s.sql);
    let line = s.line;
    quote!(__p::Section { sql: #sql, line: #line })
}

fn revision(r: &Revision) -> TokenStream {
    let id = cow(&r.id);
    let down = cow_list(&r.down_revisions);
    let labels = cow_list(&r.branch_labels);
    let depends = cow_list(&r.depends_on);
    let message = cow(&r.message);
    let date = opt_cow(r.create_date.as_deref());
    let (nt, irr) = (r.options.non_transactional, r.options.irreversible);
    let upgrade = section(&r.upgrade);
    let downgrade = match &r.downgrade {
        Some(d) => {
            let d = section(d);
            quote!(::core::option::Option::Some(#d))
        }
        None => quote!(::core::option::Option::None),
    };
    let checksum = Literal::byte_string(&r.checksum);
    let path = cow(&r.path);
    let (id_line, revises_line) = (r.id_line, r.revises_line);
    let (labels_line, depends_line) = (r.branch_labels_line, r.depends_on_line);
    quote! {
        __p::Revision {
            id: #id,
            down_revisions: #down,
            branch_labels: #labels,
            depends_on: #depends,
            message: #message,
            create_date: #date,
            options: __p::Options { non_transactional: #nt, irreversible: #irr },
            upgrade: #upgrade,
            downgrade: #downgrade,
            checksum: *#checksum,
            path: #path,
            id_line: #id_line,
            revises_line: #revises_line,
            branch_labels_line: #labels_line,
            depends_on_line: #depends_line,
        }
    }
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
    let revisions = set.revisions();

    // Every file read is tracked, so editing, renaming or deleting one rebuilds.
    let tracked_files = files.iter().map(|f| {
        let p = f.path.to_string_lossy().into_owned();
        quote!(
            const _: &[u8] = include_bytes!(#p);
        )
    });
    let names: Vec<_> = type_names(revisions)
        .iter()
        .map(|n| format_ident!("{}", n))
        .collect();
    // One `const` per revision, and the array made of them: each revision is
    // its own small body for rustc, so that an edit to one file re-checks
    // that revision alone rather than one expression holding them all.
    let value_names: Vec<_> = (0..revisions.len())
        .map(|i| format_ident!("__REVISION_{}", i))
        .collect();
    let values = revisions.iter().zip(&value_names).map(|(r, name)| {
        let value = revision(r);
        quote!(const #name: __p::Revision = #value;)
    });
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
                #[derive(Debug, Clone, Copy)]
                pub struct #name;
                impl __p::Migration for #name {
                    const REVISION: &'static __p::Revision = &__REVISIONS[#i];
                }
            }
        });
    let n = revisions.len();
    let head = &names[n - 1];
    let base = &names[0];
    let head_doc = format!("The head revision, `{}`.", set.head().id);
    let base_doc = format!("The base revision, `{}`.", set.base().id);
    let untracked_warning = (!is_tracked(&dir)).then(|| {
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
            #(#values)*
            static __REVISIONS: [__p::Revision; #n] = [#(#value_names),*];
            /// Every revision, in application order (base first, head last).
            pub static SET: __p::MigrationSet = __p::MigrationSet::from_checked_static(&__REVISIONS);
            #(#structs)*
            #[doc = #head_doc]
            pub const HEAD: #head = #head;
            #[doc = #base_doc]
            pub const BASE: #base = #base;
        }
    })
}
