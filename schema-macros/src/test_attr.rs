//! `#[schema_runtime::test]`: an async test function that gets a fresh
//! database at a revision of an embedded chain.
//!
//! The attribute keeps the function as written and wraps it in a plain
//! `#[test]` function that hands it to `schema_runtime::testing`'s runner: a
//! runtime of its own, the database created and upgraded first, dropped after.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// The attribute's arguments.
struct Args {
    /// The module `migrations!()` expanded to (its `SET` is used).
    migrations: syn::Path,
    /// The revision to start the test at.
    at: syn::Expr,
}

fn parse_args(args: TokenStream) -> syn::Result<Args> {
    let mut migrations = None;
    let mut at = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("migrations") {
            migrations = Some(meta.value()?.parse::<syn::Path>()?);
            Ok(())
        } else if meta.path.is_ident("at") {
            at = Some(meta.value()?.parse::<syn::Expr>()?);
            Ok(())
        } else {
            Err(meta.error(
                "unknown argument: `#[schema_runtime::test]` takes `migrations = path::to::migrations` \
                 and `at = \"revision\"`",
            ))
        }
    });
    syn::parse::Parser::parse2(parser, args)?;
    Ok(Args {
        migrations: migrations.unwrap_or_else(|| syn::parse_quote!(crate::migrations)),
        at: at.unwrap_or_else(|| syn::parse_quote!("head")),
    })
}

/// The expansion, or the error to report at the part of the function at fault.
pub fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args = parse_args(args)?;
    let function: syn::ItemFn = syn::parse2(item)?;
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.fn_token.span(),
            "`#[schema_runtime::test]` goes on an `async fn`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            sig.generics.span(),
            "a `#[schema_runtime::test]` function cannot be generic",
        ));
    }
    if sig.inputs.len() != 1 {
        return Err(syn::Error::new(
            if sig.inputs.is_empty() {
                sig.paren_token.span.join()
            } else {
                sig.inputs.span()
            },
            "a `#[schema_runtime::test]` function takes one argument, its database: \
             `pool: PgPool`, `conn: PgConnection` or `db: TestDatabase`",
        ));
    }
    let name = &sig.ident;
    let output = &sig.output;
    let attrs = &function.attrs;
    let vis = &function.vis;
    let Args { migrations, at } = args;
    let set = quote_spanned! {migrations.span()=> &#migrations::SET};
    let inner = syn::ItemFn {
        attrs: Vec::new(),
        ..function.clone()
    };
    Ok(quote! {
        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #name() #output {
            #inner
            ::schema_runtime::testing::__private::run(#set, #at, #name)
        }
    })
}
