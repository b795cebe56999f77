//! `#[schema_runtime::test]`: an async test function that gets a fresh
//! database at a revision of an embedded chain.
//!
//! The attribute keeps the function as written and wraps it in a plain
//! `#[test]` function that hands it to `schema_runtime::testing`'s runner: a
//! runtime of its own, the database created and upgraded first, dropped after.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
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
    let name = sig.ident.clone();
    let output = sig.output.to_token_stream();
    let vis = function.vis.to_token_stream();
    let Args { migrations, at } = args;
    let set = quote_spanned! {migrations.span()=> &#migrations::SET};
    // The function as written, less its attributes, which go on the test.
    let mut inner = function;
    let attrs = std::mem::take(&mut inner.attrs);
    Ok(quote! {
        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #name() #output {
            #inner
            ::schema_runtime::testing::__private::run(#set, #at, #name)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: TokenStream, item: TokenStream) -> String {
        expand(args, item)
            .expect_err("the attribute refuses it")
            .to_string()
    }

    fn expansion(args: TokenStream, item: TokenStream) -> String {
        expand(args, item).expect("expands").to_string()
    }

    #[test]
    fn a_function_that_is_not_async_is_refused() {
        let e = error(
            quote!(),
            quote!(
                fn t(pool: PgPool) {}
            ),
        );
        assert_eq!(e, "`#[schema_runtime::test]` goes on an `async fn`");
    }

    #[test]
    fn a_test_takes_exactly_one_argument() {
        for item in [
            quote!(
                async fn t() {}
            ),
            quote!(
                async fn t(a: PgPool, b: PgPool) {}
            ),
        ] {
            let e = error(quote!(), item);
            assert!(e.starts_with("a `#[schema_runtime::test]` function takes one argument"));
        }
    }

    #[test]
    fn a_generic_test_is_refused() {
        let e = error(
            quote!(),
            quote!(
                async fn t<T>(a: T) {}
            ),
        );
        assert_eq!(e, "a `#[schema_runtime::test]` function cannot be generic");
    }

    #[test]
    fn an_unknown_argument_is_refused_naming_the_two_it_takes() {
        let e = error(
            quote!(revision = "a1"),
            quote!(
                async fn t(a: PgPool) {}
            ),
        );
        assert!(e.contains("`migrations = path::to::migrations`"), "{e}");
        assert!(e.contains("`at = \"revision\"`"), "{e}");
    }

    #[test]
    fn the_default_is_head_of_the_crate_s_migrations() {
        let out = expansion(
            quote!(),
            quote!(
                async fn t(pool: PgPool) {}
            ),
        );
        assert!(
            out.contains("run (& crate :: migrations :: SET , \"head\" , t)"),
            "{out}"
        );
        assert!(
            out.contains("# [:: core :: prelude :: v1 :: test] fn t ()"),
            "{out}"
        );
    }

    #[test]
    fn the_chain_the_revision_and_other_attributes_are_passed_on() {
        let out = expansion(
            quote!(
                migrations = other::migrations,
                at = other::migrations::Zones
            ),
            quote!(
                #[should_panic]
                async fn t(pool: PgPool) -> Result<(), E> {}
            ),
        );
        assert!(
            out.contains("run (& other :: migrations :: SET , other :: migrations :: Zones , t)"),
            "{out}"
        );
        assert!(
            out.starts_with("# [should_panic] # [:: core :: prelude :: v1 :: test] fn t () -> Result < () , E >"),
            "{out}"
        );
    }
}
