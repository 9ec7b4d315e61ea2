//! The single-pass canonicaliser: the parameters are parsed into a flat tree of slices of the
//! input (no owned strings, no map), each hash level's keys are sorted as they close, and the
//! canonical text is written straight into the sink (the HMAC) while the tree is walked.
//!
//! It handles the inputs Authy sends and gives up ([`None`] from the parsers) on anything it is
//! not sure about — malformed or hostile input, a key that is a prefix of a sibling in a way
//! that leaves the order open, a hash that encodes to nothing, a GET query that is not already
//! canonical; the [reference canonicaliser](super::reference) then decides. Whatever this module
//! writes is byte for byte what the reference would, and the tree it hands back ([`Tree`], for
//! the [`VerifiedParams`] of a verified callback) holds what the reference's tree holds (the
//! property tests check both).

mod json;
mod query;

use std::cmp::Ordering;

use super::escape::{Sink, escape_into, skip_unreserved};
use super::verified::{Builder, Span, Value};
use super::{Method, SignatureError, VerifiedParams};

const NONE: u32 = u32::MAX;

/// How a [`Text`]'s bytes are encoded in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    /// The bytes are the value (no escapes).
    Plain,
    /// A JSON string's contents with backslash escapes (already validated).
    Json,
    /// `application/x-www-form-urlencoded` (`+`, `%XX`), already in canonical form.
    Form,
}

/// A key or scalar value: a slice of the input.
#[derive(Debug, Clone, Copy)]
struct Text<'a> {
    raw: &'a [u8],
    enc: Enc,
    /// The CGI-escaped form is `raw` itself.
    clean: bool,
}

impl<'a> Text<'a> {
    const EMPTY: Text<'static> = Text {
        raw: b"",
        enc: Enc::Plain,
        clean: true,
    };

    fn plain(raw: &'a [u8]) -> Self {
        Text {
            raw,
            enc: Enc::Plain,
            clean: raw.iter().all(|&b| super::escape::is_unreserved(b)),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind<'a> {
    Null,
    Scalar(Text<'a>),
    Hash,
    Array,
}

/// A node of the flat tree; children are linked in canonical order.
#[derive(Debug, Clone, Copy)]
struct Node<'a> {
    key: Text<'a>,
    kind: Kind<'a>,
    first: u32,
    last: u32,
    next: u32,
    len: u32,
}

impl<'a> Node<'a> {
    fn new(key: Text<'a>, kind: Kind<'a>) -> Self {
        Node {
            key,
            kind,
            first: NONE,
            last: NONE,
            next: NONE,
            len: 0,
        }
    }

    /// An empty hash or array: a hash level drops it (Rails skips it).
    fn is_empty_container(&self) -> bool {
        matches!(self.kind, Kind::Hash | Kind::Array) && self.len == 0
    }
}

/// Writes the canonical text of `params` (JSON or GET query) into `sink` if this module is
/// sure of it: `Ok(Some(tree))`, the tree it was written from. `Ok(None)`: nothing was
/// written, ask the reference.
pub(super) fn feed<'a, S: Sink>(
    method: Method,
    params: &'a str,
    sink: &mut S,
    limit: usize,
) -> Result<Option<Tree<'a>>, SignatureError> {
    let nodes = match method {
        Method::Post => {
            let Some(nodes) = json::parse(params.as_bytes()) else {
                return Ok(None);
            };
            Emitter {
                nodes: &nodes,
                ns: Vec::with_capacity(256),
                first: true,
                limit,
            }
            .hash(0, true, sink)?;
            nodes
        }
        Method::Get => {
            let q = params.strip_prefix('?').unwrap_or(params).as_bytes();
            let Some(nodes) = query::canonical_tree(q) else {
                return Ok(None);
            };
            // The query is the canonical text, empty components included (see
            // `reference::canonical`).
            if q.len() > limit {
                return Err(SignatureError::TooLarge);
            }
            sink.write(q);
            nodes
        }
    };
    Ok(Some(Tree {
        nodes,
        len: params.len(),
    }))
}

/// The flat tree of slices of the input that the canonical text was written from.
pub(super) struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    /// The length of the input.
    len: usize,
}

impl Tree<'_> {
    /// The owned parameters the application reads: every key and scalar decoded, each hash's
    /// members sorted by key bytes.
    pub(super) fn verified(&self) -> VerifiedParams {
        let mut b = Builder::with_capacity(self.len);
        let root = self.children(&mut b, 0, true);
        b.finish(root)
    }

    /// The children of the hash or array `idx`.
    fn children(&self, b: &mut Builder, idx: u32, hash: bool) -> Span {
        let level = b.open();
        let mut child = self.nodes[idx as usize].first;
        while child != NONE {
            let node = &self.nodes[child as usize];
            let value = match node.kind {
                Kind::Null => Value::Null,
                Kind::Scalar(t) => Value::Scalar(decoded(b, t)),
                Kind::Hash => Value::Hash(self.children(b, child, true)),
                Kind::Array => Value::Array(self.children(b, child, false)),
            };
            let key = if hash {
                decoded(b, node.key)
            } else {
                Span::EMPTY
            };
            b.push(key, value);
            child = node.next;
        }
        // Canonical order is by escaped chunk, not by key bytes: mostly the same already.
        b.close(level, hash)
    }
}

/// Stores the decoded bytes of `t`.
#[inline(always)]
fn decoded(b: &mut Builder, t: Text<'_>) -> Span {
    match t.enc {
        Enc::Plain => b.text(t.raw),
        // A form text without `+` or `%XX` is its own decoding.
        Enc::Form if skip_unreserved(t.raw, 0) == t.raw.len() => b.text(t.raw),
        Enc::Json => {
            b.text_with(|out| json::decode(t.raw, &mut |piece| out.extend_from_slice(piece)))
        }
        Enc::Form => {
            b.text_with(|out| query::decode(t.raw, &mut |piece| out.extend_from_slice(piece)))
        }
    }
}

/// Writes the CGI escaping of the value of `t`.
#[inline(always)]
fn escape_text<S: Sink + ?Sized>(out: &mut S, t: Text<'_>) {
    if t.clean {
        out.write(t.raw);
        return;
    }
    match t.enc {
        Enc::Plain => escape_into(out, t.raw),
        Enc::Json => json::decode(t.raw, &mut |piece| escape_into(out, piece)),
        Enc::Form => query::decode(t.raw, &mut |piece| escape_into(out, piece)),
    }
}

/// The bytes that follow a key in its chunk, and the same left-aligned in a [`SortKey`] word.
struct Connective {
    bytes: &'static [u8],
    word: u128,
}

impl Connective {
    const fn new(bytes: &'static [u8]) -> Self {
        let mut word = 0u128;
        let mut i = 0;
        while i < SortKey::BYTES {
            word <<= 8;
            if i < bytes.len() {
                word |= bytes[i] as u128;
            }
            i += 1;
        }
        Connective { bytes, word }
    }
}

/// The bytes that follow the escaped key in a child's chunk, as far as they are known:
/// `k=`, `k%5B…` (hash), `k%5B%5D…` (array) at the top level, `ns%5Bk%5D…` below.
fn connective(node: &Node<'_>, top: bool) -> &'static Connective {
    static EMPTY_TOP: Connective = Connective::new(b"");
    static EMPTY: Connective = Connective::new(b"%5D");
    static SCALAR_TOP: Connective = Connective::new(b"=");
    static HASH_TOP: Connective = Connective::new(b"%5B");
    static ARRAY_TOP: Connective = Connective::new(b"%5B%5D");
    static SCALAR: Connective = Connective::new(b"%5D=");
    static HASH: Connective = Connective::new(b"%5D%5B");
    static ARRAY: Connective = Connective::new(b"%5D%5B%5D");
    match (top, node.kind) {
        _ if node.is_empty_container() => {
            if top {
                &EMPTY_TOP
            } else {
                &EMPTY
            }
        }
        (true, Kind::Null | Kind::Scalar(_)) => &SCALAR_TOP,
        (true, Kind::Hash) => &HASH_TOP,
        (true, Kind::Array) => &ARRAY_TOP,
        (false, Kind::Null | Kind::Scalar(_)) => &SCALAR,
        (false, Kind::Hash) => &HASH,
        (false, Kind::Array) => &ARRAY,
    }
}

/// The order of two siblings' chunks (`to_query` sorts them as encoded bytes), when the bytes
/// known without encoding the whole chunks decide it; `None` for the same key twice or when
/// the known bytes do not decide.
#[inline]
fn chunk_order(
    a: &Node<'_>,
    b: &Node<'_>,
    top: bool,
    scratch: &mut (Vec<u8>, Vec<u8>),
) -> Option<Ordering> {
    let (ka, kb): (&[u8], &[u8]) = if a.key.clean && b.key.clean {
        (a.key.raw, b.key.raw)
    } else {
        scratch.0.clear();
        scratch.1.clear();
        escape_text(&mut scratch.0, a.key);
        escape_text(&mut scratch.1, b.key);
        (&scratch.0, &scratch.1)
    };
    // Keys are short and usually differ early: a byte loop beats two `memcmp` calls.
    let n = ka.len().min(kb.len());
    let mut j = 0;
    while j < n && ka[j] == kb[j] {
        j += 1;
    }
    if j < n {
        return Some(ka[j].cmp(&kb[j]));
    }
    if ka.len() == kb.len() {
        return None;
    }
    let sa = ka.iter().chain(connective(a, top).bytes);
    let sb = kb.iter().chain(connective(b, top).bytes);
    sa.zip(sb).find(|(x, y)| x != y).map(|(x, y)| x.cmp(y))
}

/// The first bytes of a child's chunk known without encoding it (its clean key, then the
/// [`connective`]), as a big-endian number: siblings almost always differ there, and comparing
/// two numbers is far cheaper than [`chunk_order`].
#[derive(Debug, Clone, Copy)]
struct SortKey {
    word: u128,
    /// How many leading bytes of `word` are known (the rest are zero): 0 for a key that needs
    /// escaping.
    known: u32,
    /// The key's length, at most 16.
    klen: u32,
    idx: u32,
}

/// `bytes` (fewer than 16) as the leading bytes of a big-endian number, zero after them: two
/// overlapping loads instead of a copy of a variable length.
#[inline]
fn left_aligned(bytes: &[u8]) -> u128 {
    let n = bytes.len();
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        // 8 <= n < 16: the tail's last n - 8 bytes follow the head.
        let hi = u64::from_be_bytes(*head);
        let lo = u64::from_be_bytes(*tail)
            .checked_shl(8 * (16 - n) as u32)
            .unwrap_or(0);
        return u128::from(hi) << 64 | u128::from(lo);
    }
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        // 4 <= n < 8.
        let hi = u64::from(u32::from_be_bytes(*head)) << 32;
        let lo = (u64::from(u32::from_be_bytes(*tail)) << (8 * (8 - n))) & 0xffff_ffff;
        return u128::from(hi | lo) << 64;
    }
    let mut word = 0u128;
    for (i, &b) in bytes.iter().enumerate() {
        word |= u128::from(b) << (8 * (15 - i));
    }
    word
}

impl SortKey {
    const BYTES: usize = 16;

    #[inline(always)]
    fn new(nodes: &[Node<'_>], idx: u32, top: bool) -> Self {
        let node = &nodes[idx as usize];
        let raw = node.key.raw;
        let klen = raw.len().min(Self::BYTES);
        let (mut word, mut known) = (0, 0);
        if node.key.clean {
            if let Some(head) = raw.first_chunk::<{ Self::BYTES }>() {
                word = u128::from_be_bytes(*head);
                known = Self::BYTES;
            } else {
                // klen < 16: the key's bytes, then the connective's.
                let conn = connective(node, top);
                word = left_aligned(raw) | conn.word >> (8 * klen);
                known = (klen + conn.bytes.len()).min(Self::BYTES);
            }
        }
        SortKey {
            word,
            known: known as u32,
            klen: klen as u32,
            idx,
        }
    }

    /// [`chunk_order`] when the known bytes decide it: they differ at a byte both know, and
    /// the keys are not the same (same length, no difference before that byte: then the
    /// bytes after them do not matter, it is a repeated key).
    #[inline]
    fn quick_order(&self, other: &SortKey) -> Option<Ordering> {
        let x = self.word ^ other.word;
        if x == 0 {
            return None;
        }
        let d = x.leading_zeros() / 8;
        let decided = d < self.known
            && d < other.known
            && (d < self.klen.min(other.klen) || self.klen != other.klen);
        decided.then(|| self.word.cmp(&other.word))
    }

    /// Whether one key may be a prefix of the other (or the same): they do not differ before
    /// the shorter one ends, as far as the words tell; `true` for a key that needs escaping.
    #[inline]
    fn may_be_prefix(&self, other: &SortKey) -> bool {
        if self.known == 0 || other.known == 0 {
            return true;
        }
        let x = self.word ^ other.word;
        let d = if x == 0 { 16 } else { x.leading_zeros() / 8 };
        d >= self.klen.min(other.klen)
    }

    /// [`chunk_order`], through [`quick_order`](Self::quick_order) when it can.
    #[inline]
    fn order(
        &self,
        other: &SortKey,
        nodes: &[Node<'_>],
        top: bool,
        scratch: &mut (Vec<u8>, Vec<u8>),
    ) -> Option<Ordering> {
        match self.quick_order(other) {
            Some(order) => Some(order),
            None => chunk_order(
                &nodes[self.idx as usize],
                &nodes[other.idx as usize],
                top,
                scratch,
            ),
        }
    }

    /// Sorts `keys` in chunk order; `false` when some neighbours' order is not decided (the
    /// same key twice, or keys that are prefixes of each other in a way the known bytes do not
    /// settle), and then the caller gives up. Sorting by the known bytes alone and checking
    /// each neighbour pair is enough: when every pair is in order, so is the whole.
    fn sort(
        keys: &mut [SortKey],
        nodes: &[Node<'_>],
        top: bool,
        scratch: &mut (Vec<u8>, Vec<u8>),
    ) -> bool {
        // An insertion sort: a hash level has a few dozen keys at most.
        for i in 1..keys.len() {
            let key = keys[i];
            let mut j = i;
            while j > 0 && key.word < keys[j - 1].word {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = key;
        }
        let in_order = |keys: &[SortKey], scratch: &mut (Vec<u8>, Vec<u8>)| {
            keys.windows(2)
                .all(|p| p[0].order(&p[1], nodes, top, scratch) == Some(Ordering::Less))
        };
        if in_order(keys, scratch) {
            return true;
        }
        keys.sort_unstable_by(|a, b| a.order(b, nodes, top, scratch).unwrap_or(Ordering::Equal));
        in_order(keys, scratch)
    }
}

/// Walks the tree and writes the canonical text.
struct Emitter<'t, 'a> {
    nodes: &'t [Node<'a>],
    /// The escaped key of the current level (`a%5Bb%5D`), shared by every leaf below it.
    ns: Vec<u8>,
    first: bool,
    limit: usize,
}

impl Emitter<'_, '_> {
    /// One leaf: `ns=value`.
    #[inline(always)]
    fn leaf<S: Sink>(
        &mut self,
        value: Option<Text<'_>>,
        sink: &mut S,
    ) -> Result<(), SignatureError> {
        if !self.first {
            sink.push(b'&');
        }
        self.first = false;
        sink.write(&self.ns);
        sink.push(b'=');
        if let Some(v) = value {
            escape_text(sink, v);
        }
        if sink.written() > self.limit {
            return Err(SignatureError::TooLarge);
        }
        Ok(())
    }

    fn value<S: Sink>(&mut self, idx: u32, sink: &mut S) -> Result<(), SignatureError> {
        let nodes = self.nodes;
        let node = &nodes[idx as usize];
        match node.kind {
            Kind::Null => self.leaf(None, sink),
            Kind::Scalar(v) => self.leaf(Some(v), sink),
            Kind::Hash => self.hash(idx, false, sink),
            Kind::Array => {
                let mark = self.ns.len();
                self.ns.extend_from_slice(b"%5B%5D");
                if node.len == 0 {
                    self.leaf(None, sink)?;
                }
                let mut child = node.first;
                while child != NONE {
                    self.value(child, sink)?;
                    child = nodes[child as usize].next;
                }
                self.ns.truncate(mark);
                Ok(())
            }
        }
    }

    fn hash<S: Sink>(&mut self, idx: u32, top: bool, sink: &mut S) -> Result<(), SignatureError> {
        let nodes = self.nodes;
        let mut child = nodes[idx as usize].first;
        while child != NONE {
            let node = &nodes[child as usize];
            if !node.is_empty_container() {
                let mark = self.ns.len();
                if top {
                    escape_text(&mut self.ns, node.key);
                } else {
                    self.ns.extend_from_slice(b"%5B");
                    escape_text(&mut self.ns, node.key);
                    self.ns.extend_from_slice(b"%5D");
                }
                self.value(child, sink)?;
                self.ns.truncate(mark);
            }
            child = node.next;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_aligned_is_the_zero_padded_big_endian_number() {
        let bytes: Vec<u8> = (1..=16).collect();
        for n in 0..16 {
            let mut padded = [0u8; 16];
            padded[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(
                left_aligned(&bytes[..n]),
                u128::from_be_bytes(padded),
                "{n} bytes"
            );
        }
    }
}
