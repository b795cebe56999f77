//! The macro's arguments: nothing, or the directory as a string literal.

use syn::parse::{Parse, ParseStream};
use syn::LitStr;

/// The parsed arguments of `migrations!(...)`.
pub struct Input {
    /// The directory, relative to the crate's manifest directory.
    pub dir: Option<LitStr>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Input { dir: None });
        }
        let dir: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the migrations directory as a string literal, e.g. `migrations!(\"migrations\")`",
            )
        })?;
        if input.peek(syn::Token![,]) {
            let _: syn::Token![,] = input.parse()?;
        }
        if !input.is_empty() {
            return Err(input.error("`migrations!` takes one argument: the directory"));
        }
        Ok(Input { dir: Some(dir) })
    }
}
