//! Rack's `parse_nested_query` (the GET callback parameters).

use std::collections::btree_map::Entry;

use super::{Hash, Node, SignatureError};
use crate::signature::MAX_DEPTH;
use crate::signature::escape::hex_digit;

fn malformed(why: impl Into<String>) -> SignatureError {
    SignatureError::MalformedParams(why.into())
}

/// Form decoding: `+` is a space, `%XX` a byte; a broken `%` escape is an error (Rack
/// answers 400 for those).
fn unescape(s: &[u8]) -> Result<Vec<u8>, SignatureError> {
    let Some(first) = s.iter().position(|&b| b == b'+' || b == b'%') else {
        return Ok(s.to_vec());
    };
    let mut out = Vec::with_capacity(s.len());
    out.extend_from_slice(&s[..first]);
    let mut i = first;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let (Some(h), Some(l)) = (
                    s.get(i + 1).copied().and_then(hex_digit),
                    s.get(i + 2).copied().and_then(hex_digit),
                ) else {
                    return Err(malformed("invalid %-encoding in the query string"));
                };
                out.push(h << 4 | l);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

/// Parses `a=1&b[c]=2&d[]=3&e[][f]=4...` into nested hashes and arrays.
pub(crate) fn parse_nested_query(query: &str) -> Result<Hash, SignatureError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut params = Hash::new();
    for pair in query.as_bytes().split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], Some(&pair[i + 1..])),
            None => (pair, None),
        };
        let name = unescape(name)?;
        let value = match value {
            Some(v) => Node::Scalar(unescape(v)?),
            None => Node::Null,
        };
        normalize(&mut params, &name, value, 0)?;
    }
    Ok(params)
}

/// Splits a name like Rack does with `\A[\[\]]*([^\[\]]+)\]*`: returns (`k`, `after`), or
/// `None` when there is no key.
fn split_name(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut i = 0;
    while i < name.len() && matches!(name[i], b'[' | b']') {
        i += 1;
    }
    let start = i;
    while i < name.len() && !matches!(name[i], b'[' | b']') {
        i += 1;
    }
    if i == start {
        return None;
    }
    let key = &name[start..i];
    while i < name.len() && name[i] == b']' {
        i += 1;
    }
    Some((key, &name[i..]))
}

/// `after` is `[]` + `[child]` (one level, no brackets inside): Rack's first pattern.
fn array_hash_child(after: &[u8]) -> Option<&[u8]> {
    let inner = after.strip_prefix(b"[][")?.strip_suffix(b"]")?;
    (!inner.is_empty() && !inner.iter().any(|&b| b == b'[' || b == b']')).then_some(inner)
}

/// Rack's `params_hash_has_key?`: does `hash` already hold the (possibly nested) key?
fn has_key(hash: &Hash, key: &[u8]) -> bool {
    if key.windows(2).any(|w| w == b"[]") {
        return false;
    }
    let mut current = hash;
    let mut parts = key
        .split(|&b| b == b'[' || b == b']')
        .filter(|p| !p.is_empty())
        .peekable();
    while let Some(part) = parts.next() {
        match current.get(part) {
            None => return false,
            Some(Node::Hash(h)) => current = h,
            Some(_) => return parts.peek().is_none(),
        }
    }
    true
}

/// The child `key` of `params`, made by `make` when absent (the key is copied only then).
fn child_or_insert<'h>(
    params: &'h mut Hash,
    key: &[u8],
    make: fn() -> Node,
) -> Option<&'h mut Node> {
    if !params.contains_key(key) {
        params.insert(key.to_vec(), make());
    }
    params.get_mut(key)
}

fn normalize(
    params: &mut Hash,
    name: &[u8],
    value: Node,
    depth: usize,
) -> Result<(), SignatureError> {
    if depth >= MAX_DEPTH {
        return Err(SignatureError::TooDeep);
    }
    let Some((k, after)) = split_name(name) else {
        return Ok(());
    };
    let conflict = || malformed("conflicting types for a query parameter");
    // Rack keeps the last of repeated keys, other parsers the first: a repeated key would
    // let a signed query carry a second, unsigned value. Authy never sends one, so it is
    // malformed. (Array keys `a[]` and `a[][x]` repeat legitimately.)
    let insert_once = |params: &mut Hash, key: &[u8], value: Node| match params.entry(key.to_vec())
    {
        Entry::Occupied(_) => Err(malformed("repeated query parameter")),
        Entry::Vacant(slot) => {
            slot.insert(value);
            Ok(())
        }
    };
    if after.is_empty() {
        insert_once(params, k, value)?;
    } else if after == b"[" {
        insert_once(params, name, value)?;
    } else if after == b"[]" {
        let Some(Node::Array(items)) = child_or_insert(params, k, || Node::Array(Vec::new()))
        else {
            return Err(conflict());
        };
        items.push(value);
    } else if let Some(child) = array_hash_child(after).or_else(|| after.strip_prefix(b"[]")) {
        let Some(Node::Array(items)) = child_or_insert(params, k, || Node::Array(Vec::new()))
        else {
            return Err(conflict());
        };
        match items.last_mut() {
            Some(Node::Hash(last)) if !has_key(last, child) => {
                normalize(last, child, value, depth + 1)?;
            }
            _ => {
                let mut fresh = Hash::new();
                normalize(&mut fresh, child, value, depth + 1)?;
                items.push(Node::Hash(fresh));
            }
        }
    } else {
        let Some(Node::Hash(child)) = child_or_insert(params, k, || Node::Hash(Hash::new())) else {
            return Err(conflict());
        };
        normalize(child, after, value, depth + 1)?;
    }
    Ok(())
}
