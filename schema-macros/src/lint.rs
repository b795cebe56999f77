//! The lint findings of a chain as compiler warnings and errors: the
//! findings come from `schema_core::lint`, the same code `lint` runs.

use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use schema_core::lint::{lint_set, LintConfig, Severity};
use schema_core::MigrationSet;

use crate::input::LintArgs;

/// `migrations.toml`'s `[lint]` table in `manifest_dir`, then the macro's
/// arguments over it.
fn config(manifest_dir: &Path, args: &LintArgs, span: Span) -> syn::Result<LintConfig> {
    let path = manifest_dir.join("migrations.toml");
    let mut config = match std::fs::read_to_string(&path) {
        Ok(text) => LintConfig::from_config_file(&text)
            .map_err(|e| syn::Error::new(span, format!("{}: {e}", path.display())))?,
        Err(_) => LintConfig::default(),
    };
    let LintArgs {
        enabled,
        lint_from,
        pg_version,
        deny,
        include,
        exclude,
        downgrade_removals,
    } = args;
    if let Some(v) = enabled {
        config.enabled = *v;
    }
    if let Some(v) = lint_from {
        config.lint_from = Some(v.clone());
    }
    if let Some(v) = pg_version {
        config.pg_version = Some(v.clone());
    }
    if let Some(v) = deny {
        config.deny = v.clone();
    }
    if let Some(v) = include {
        config.include = v.clone();
    }
    if let Some(v) = exclude {
        config.exclude = v.clone();
    }
    if let Some(v) = downgrade_removals {
        config.downgrade_removals = *v;
    }
    Ok(config)
}

/// One `#[deprecated]` item per warning (the way a proc macro on stable Rust
/// makes rustc print a warning); an error for each denied finding.
pub fn lint(
    set: &MigrationSet,
    manifest_dir: &Path,
    args: &LintArgs,
    span: Span,
) -> syn::Result<TokenStream> {
    let config = config(manifest_dir, args, span)?;
    let findings = lint_set(set, &config).map_err(|e| syn::Error::new(span, e.to_string()))?;
    let mut error: Option<syn::Error> = None;
    let mut warnings = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        match f.severity {
            Severity::Error => {
                let e = syn::Error::new(span, format!("denied: {}", f.text()));
                match &mut error {
                    Some(first) => first.combine(e),
                    None => error = Some(e),
                }
            }
            Severity::Warning => {
                let name = format_ident!("MigrationLint{}", i);
                let note = f.text();
                warnings.push(quote! {
                    #[deprecated(note = #note)]
                    #[allow(dead_code)]
                    struct #name;
                    const _: () = {
                        let _ = #name;
                    };
                });
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(quote!(#(#warnings)*)),
    }
}
