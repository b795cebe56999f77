//! The macro's arguments: nothing, or the directory as a string literal,
//! optionally followed by lint settings (`lint = false`, `lint_from = "rev"`,
//! `pg_version = "15"`, `deny = [...]`, `include = [...]`, `exclude = [...]`,
//! `downgrade_removals = true`).

use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitStr, Token};

/// Lint settings given as macro arguments; each overrides the same key of the
/// `[lint]` table of `migrations.toml`.
#[derive(Default)]
#[cfg_attr(not(feature = "lint"), allow(dead_code))]
pub struct LintArgs {
    /// `lint = false`
    pub enabled: Option<bool>,
    /// `lint_from = "rev"`
    pub lint_from: Option<String>,
    /// `pg_version = "15"`
    pub pg_version: Option<String>,
    /// `deny = ["rule", ...]`
    pub deny: Option<Vec<String>>,
    /// `include = ["rule", ...]`
    pub include: Option<Vec<String>>,
    /// `exclude = ["rule", ...]`
    pub exclude: Option<Vec<String>>,
    /// `downgrade_removals = true`
    pub downgrade_removals: Option<bool>,
}

/// The parsed arguments of `migrations!(...)`.
pub struct Input {
    /// The directory, relative to the crate's manifest directory.
    pub dir: Option<LitStr>,
    /// Lint settings (used only with the `lint` feature).
    #[cfg_attr(not(feature = "lint"), allow(dead_code))]
    pub lint: LintArgs,
}

fn strings(input: ParseStream<'_>) -> syn::Result<Vec<String>> {
    let content;
    syn::bracketed!(content in input);
    let list = content.parse_terminated(|p| p.parse::<LitStr>(), Token![,])?;
    Ok(list.iter().map(LitStr::value).collect())
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut lint = LintArgs::default();
        if input.is_empty() {
            return Ok(Input { dir: None, lint });
        }
        let dir: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the migrations directory as a string literal, e.g. `migrations!(\"migrations\")`",
            )
        })?;
        while input.peek(Token![,]) {
            let _: Token![,] = input.parse()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "`migrations!` takes the directory, then lint settings such as `lint_from = \"rev\"`",
                )
            })?;
            let _: Token![=] = input.parse()?;
            match key.to_string().as_str() {
                "lint" => lint.enabled = Some(input.parse::<LitBool>()?.value),
                "lint_from" => lint.lint_from = Some(input.parse::<LitStr>()?.value()),
                "pg_version" => lint.pg_version = Some(input.parse::<LitStr>()?.value()),
                "deny" => lint.deny = Some(strings(input)?),
                "include" => lint.include = Some(strings(input)?),
                "exclude" => lint.exclude = Some(strings(input)?),
                "downgrade_removals" => {
                    lint.downgrade_removals = Some(input.parse::<LitBool>()?.value)
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown setting `{other}`; `migrations!` takes `lint`, `lint_from`, `pg_version`, `deny`, `include`, `exclude` and `downgrade_removals`"
                        ),
                    ))
                }
            }
        }
        if !input.is_empty() {
            return Err(input.error("`migrations!` takes one argument: the directory"));
        }
        Ok(Input {
            dir: Some(dir),
            lint,
        })
    }
}
