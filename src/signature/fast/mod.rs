//! The single-pass canonicaliser: the parameters are parsed into a flat tree of slices of the
//! input (no owned strings, no map), each hash level's keys are sorted as they close, and the
//! canonical text is written straight into the sink (the HMAC) while the tree is walked.
//!
//! It handles the inputs Authy sends and gives up ([`None`] from the parsers) on anything it is
//! not sure about — malformed or hostile input, a key that is a prefix of a sibling in a way
//! that leaves the order open, a hash that encodes to nothing, a GET query that is not already
//! canonical; the [reference canonicaliser](super::reference) then decides. Whatever this module
//! writes is byte for byte what the reference would (the property tests check it).

mod json;
mod query;

use std::cmp::Ordering;

use super::escape::{Sink, escape_into};
use super::{Method, SignatureError};

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

/// Writes the canonical text of `text` (JSON or GET query) into `sink` if this module is sure
/// of it: `Ok(true)`. `Ok(false)`: nothing was written, ask the reference.
pub(super) fn feed<S: Sink>(
    method: Method,
    params: &str,
    sink: &mut S,
    limit: usize,
) -> Result<bool, SignatureError> {
    match method {
        Method::Post => {
            let Some(tree) = json::parse(params.as_bytes()) else {
                return Ok(false);
            };
            Emitter {
                nodes: &tree,
                ns: Vec::with_capacity(256),
                first: true,
                limit,
            }
            .hash(0, true, sink)?;
            Ok(true)
        }
        Method::Get => {
            let q = params.strip_prefix('?').unwrap_or(params).as_bytes();
            if !query::is_canonical(q) {
                return Ok(false);
            }
            // The query is the canonical text, empty components included (see
            // `reference::canonical`).
            if q.len() > limit {
                return Err(SignatureError::TooLarge);
            }
            sink.write(q);
            Ok(true)
        }
    }
}

/// Writes the CGI escaping of the value of `t`.
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

/// The bytes that follow the escaped key in a child's chunk, as far as they are known:
/// `k=`, `k%5B…` (hash), `k%5B%5D…` (array) at the top level, `ns%5Bk%5D…` below.
fn connective(node: &Node<'_>, top: bool) -> &'static [u8] {
    match (top, node.kind) {
        _ if node.is_empty_container() => {
            if top {
                b""
            } else {
                b"%5D"
            }
        }
        (true, Kind::Null | Kind::Scalar(_)) => b"=",
        (true, Kind::Hash) => b"%5B",
        (true, Kind::Array) => b"%5B%5D",
        (false, Kind::Null | Kind::Scalar(_)) => b"%5D=",
        (false, Kind::Hash) => b"%5D%5B",
        (false, Kind::Array) => b"%5D%5B%5D",
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
    let sa = ka.iter().chain(connective(a, top));
    let sb = kb.iter().chain(connective(b, top));
    sa.zip(sb).find(|(x, y)| x != y).map(|(x, y)| x.cmp(y))
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
        let node = self.nodes[idx as usize];
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
                    child = self.nodes[child as usize].next;
                }
                self.ns.truncate(mark);
                Ok(())
            }
        }
    }

    fn hash<S: Sink>(&mut self, idx: u32, top: bool, sink: &mut S) -> Result<(), SignatureError> {
        let mut child = self.nodes[idx as usize].first;
        while child != NONE {
            let node = self.nodes[child as usize];
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
