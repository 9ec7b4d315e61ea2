//! The reference canonicaliser: the parameters parsed into an owned tree (what Rails sees),
//! then encoded like Rails' `Hash#to_query`, one owned chunk per key.
//!
//! Simple and slow. It decides every case the single-pass canonicaliser ([`super::fast`]) is
//! not sure about (and then its tree gives the [`VerifiedParams`](super::VerifiedParams) of a
//! verified callback), and is the oracle the property tests compare the fast path, and the
//! verified parameters built from its tree, with.

mod json;
mod rack;
mod to_query;

use std::collections::BTreeMap;

use super::{Method, SignatureError};

/// Decoded callback parameters: what Rails sees after parsing the body or query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// JSON `null`, or a query key without `=`.
    Null,
    /// A string, number (its JSON text) or boolean (`true`/`false`), as bytes.
    Scalar(Vec<u8>),
    /// A hash; keys are unique (a repeated key is rejected by both parsers). Order is irrelevant:
    /// chunks are sorted when encoded.
    Hash(BTreeMap<Vec<u8>, Node>),
    /// An array, in order.
    Array(Vec<Node>),
}

impl Node {
    fn is_empty_container(&self) -> bool {
        match self {
            Node::Hash(h) => h.is_empty(),
            Node::Array(a) => a.is_empty(),
            Node::Null | Node::Scalar(_) => false,
        }
    }
}

pub(crate) type Hash = BTreeMap<Vec<u8>, Node>;

/// Parses the raw body (POST) or query string (GET), bounded in depth. The caller has checked
/// the size ([`MAX_PARAMS_LEN`](super::MAX_PARAMS_LEN)): this runs after the HMAC was fed.
pub(crate) fn parse(method: Method, params: &str) -> Result<Hash, SignatureError> {
    match method {
        Method::Post => json::parse_object(params),
        // A raw `;` is never in an authentic query (module docs, "A raw `;`…"); refusing it
        // here covers the canonical text, the signature and the verified parameters.
        Method::Get if params.contains(';') => Err(SignatureError::MalformedParams(
            "a raw ';' in a GET query (Authy escapes it as %3B; parsers disagree on it)".into(),
        )),
        Method::Get => rack::parse_nested_query(params),
    }
}

/// The canonical parameter text, at most `limit` bytes long.
///
/// For GET, the query is what Authy signed: when the query, without its empty components
/// (Rails' `to_query` writes one for a nested hash whose values are all empty, and Rack ignores
/// them), is already the canonical text of what it parses to, the canonical text is the query
/// itself, empty components included; otherwise (a query reordered or re-escaped on the way)
/// it is the canonical text of the parsed parameters.
pub(crate) fn canonical(
    method: Method,
    params: &str,
    limit: usize,
) -> Result<Vec<u8>, SignatureError> {
    let root = parse(method, params)?;
    let text = to_query::canonical_text(&root, limit)?;
    if method == Method::Get {
        let query = params.strip_prefix('?').unwrap_or(params);
        let mut components = query.split('&').filter(|c| !c.is_empty());
        let same = text
            .split(|&b| b == b'&')
            .filter(|c| !c.is_empty())
            .all(|c| components.next().is_some_and(|q| q.as_bytes() == c))
            && components.next().is_none();
        if same {
            if query.len() > limit {
                return Err(SignatureError::TooLarge);
            }
            return Ok(query.as_bytes().to_vec());
        }
    }
    Ok(text)
}
