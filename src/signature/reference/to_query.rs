//! Rails' `Hash#to_query` / `Array#to_query` / `Object#to_query` over [`Node`], one owned chunk
//! per key.

use super::{Hash, Node, SignatureError};
use crate::signature::escape::escape_into;

/// The canonical text of `root`: `TooLarge` when it would be longer than `limit` bytes.
pub(super) fn canonical_text(root: &Hash, limit: usize) -> Result<Vec<u8>, SignatureError> {
    // Every leaf is charged its exact length before the next one is built, so a small input
    // cannot make this build much more than `limit` bytes; the separators are counted at the end.
    let mut budget = limit;
    let text = hash_to_query(root, None, &mut budget)?;
    if text.len() > limit {
        return Err(SignatureError::TooLarge);
    }
    Ok(text)
}

fn charge(budget: &mut usize, len: usize) -> Result<(), SignatureError> {
    *budget = budget.checked_sub(len).ok_or(SignatureError::TooLarge)?;
    Ok(())
}

fn leaf(key: &[u8], value: &[u8], budget: &mut usize) -> Result<Vec<u8>, SignatureError> {
    let mut out = Vec::with_capacity(key.len() + value.len() + 1);
    escape_into(&mut out, key);
    out.push(b'=');
    escape_into(&mut out, value);
    charge(budget, out.len())?;
    Ok(out)
}

fn to_query(node: &Node, key: &[u8], budget: &mut usize) -> Result<Vec<u8>, SignatureError> {
    match node {
        Node::Null => leaf(key, b"", budget),
        Node::Scalar(value) => leaf(key, value, budget),
        Node::Hash(hash) => hash_to_query(hash, Some(key), budget),
        Node::Array(items) => {
            let mut prefix = Vec::with_capacity(key.len() + 2);
            prefix.extend_from_slice(key);
            prefix.extend_from_slice(b"[]");
            if items.is_empty() {
                return leaf(&prefix, b"", budget);
            }
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'&');
                }
                out.extend_from_slice(&to_query(item, &prefix, budget)?);
            }
            Ok(out)
        }
    }
}

/// One chunk per key (empty hashes/arrays dropped), chunks sorted as encoded bytes.
fn hash_to_query(
    hash: &Hash,
    namespace: Option<&[u8]>,
    budget: &mut usize,
) -> Result<Vec<u8>, SignatureError> {
    let mut chunks = Vec::with_capacity(hash.len());
    for (k, v) in hash {
        if v.is_empty_container() {
            continue;
        }
        let chunk = match namespace {
            Some(ns) => {
                let mut key = Vec::with_capacity(ns.len() + k.len() + 2);
                key.extend_from_slice(ns);
                key.push(b'[');
                key.extend_from_slice(k);
                key.push(b']');
                to_query(v, &key, budget)?
            }
            None => to_query(v, k, budget)?,
        };
        chunks.push(chunk);
    }
    chunks.sort_unstable();
    Ok(chunks.join(&b'&'))
}
