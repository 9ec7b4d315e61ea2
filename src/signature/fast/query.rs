//! GET query: is it already the canonical text of what Rack parses it to?
//!
//! Authy sends the canonical text itself as the query, so the check is structural: every key
//! and value in canonical escaping, keys in the `k%5Bchild%5D%5B%5D` form, the components of
//! every hash contiguous and in canonical order, with Rack's rules for arrays of hashes. Then
//! the query (without its empty components) is exactly what the reference would encode.

use std::cmp::Ordering;

use super::{Enc, Kind, NONE, Node, Text, chunk_order};
use crate::signature::escape::{is_unreserved, skip_unreserved};

/// Most bracket groups a key may have here (deeper keys go to the reference).
const MAX_SEGMENTS: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Key(&'a [u8]),
    /// `[]`
    Array,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Calls `f` with the decoded bytes of form-encoded `raw` (validated), piece by piece: the
/// runs of unreserved bytes (skipped eight at a time) and each decoded `+` or `%XX`.
#[inline]
pub(super) fn decode<F: FnMut(&[u8])>(raw: &[u8], f: &mut F) {
    let mut run = 0;
    loop {
        let i = skip_unreserved(raw, run);
        let Some(&b) = raw.get(i) else {
            break;
        };
        if run < i {
            f(&raw[run..i]);
        }
        match b {
            b'+' => {
                f(b" ");
                run = i + 1;
            }
            b'%' => {
                let h = raw.get(i + 1).copied().and_then(hex).unwrap_or(0);
                let l = raw.get(i + 2).copied().and_then(hex).unwrap_or(0);
                f(&[h << 4 | l]);
                run = i + 3;
            }
            // Not in a validated text; kept as it is.
            other => {
                f(&[other]);
                run = i + 1;
            }
        }
    }
    if let Some(rest) = raw.get(run..).filter(|rest| !rest.is_empty()) {
        f(rest);
    }
}

struct Builder<'a> {
    nodes: Vec<Node<'a>>,
}

fn text(raw: &[u8]) -> Text<'_> {
    Text {
        raw,
        enc: Enc::Form,
        clean: true,
    }
}

impl<'a> Builder<'a> {
    /// The child `key` of hash `h`: only the last child is looked at, so a key that sorts
    /// before it (it may be an earlier sibling: the components are not contiguous or not in
    /// order) gives up.
    fn find(&self, h: u32, key: &[u8]) -> Option<Option<u32>> {
        let last = self.nodes[h as usize].last;
        if last == NONE {
            return Some(None);
        }
        match key.cmp(self.nodes[last as usize].key.raw) {
            Ordering::Equal => Some(Some(last)),
            Ordering::Greater => Some(None),
            Ordering::Less => None,
        }
    }

    fn append(&mut self, parent: u32, node: Node<'a>) -> Option<u32> {
        let idx = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i != NONE)?;
        self.nodes.push(node);
        let p = &mut self.nodes[parent as usize];
        let last = p.last;
        p.last = idx;
        p.len += 1;
        if last == NONE {
            p.first = idx;
        } else {
            self.nodes[last as usize].next = idx;
        }
        Some(idx)
    }

    /// The container child `key` of `h`, created if absent; gives up on a type conflict.
    fn container(&mut self, h: u32, key: &'a [u8], hash: bool) -> Option<u32> {
        match self.find(h, key)? {
            Some(c) => match (self.nodes[c as usize].kind, hash) {
                (Kind::Hash, true) | (Kind::Array, false) => Some(c),
                _ => None,
            },
            None => {
                let kind = if hash { Kind::Hash } else { Kind::Array };
                self.append(h, Node::new(text(key), kind))
            }
        }
    }

    /// Rack's `params_hash_has_key?` for the path `segs` in hash `h`.
    fn has_key(&self, h: u32, segs: &[Seg<'a>]) -> Option<bool> {
        if segs.contains(&Seg::Array) {
            return Some(false);
        }
        let mut current = h;
        for (i, seg) in segs.iter().enumerate() {
            let Seg::Key(k) = *seg else {
                return Some(false);
            };
            match self.find(current, k)? {
                None => return Some(false),
                Some(c) => match self.nodes[c as usize].kind {
                    Kind::Hash => current = c,
                    _ => return Some(i + 1 == segs.len()),
                },
            }
        }
        Some(true)
    }

    /// Rack's `normalize_params` for a key split into `segs`.
    fn put(&mut self, h: u32, segs: &[Seg<'a>], value: &'a [u8]) -> Option<()> {
        let (&Seg::Key(k), rest) = segs.split_first()? else {
            return None;
        };
        match rest {
            [] => {
                if self.find(h, k)?.is_some() {
                    return None;
                }
                self.append(h, Node::new(text(k), Kind::Scalar(text(value))))?;
            }
            [Seg::Array] => {
                let a = self.container(h, k, false)?;
                self.append(a, Node::new(Text::EMPTY, Kind::Scalar(text(value))))?;
            }
            [Seg::Array, child @ ..] => {
                if child[0] == Seg::Array {
                    return None;
                }
                let a = self.container(h, k, false)?;
                let last = self.nodes[a as usize].last;
                if last != NONE
                    && matches!(self.nodes[last as usize].kind, Kind::Hash)
                    && !self.has_key(last, child)?
                {
                    self.put(last, child, value)?;
                } else {
                    let fresh = self.append(a, Node::new(Text::EMPTY, Kind::Hash))?;
                    self.put(fresh, child, value)?;
                }
            }
            [Seg::Key(_), ..] => {
                let c = self.container(h, k, true)?;
                self.put(c, rest, value)?;
            }
        }
        Some(())
    }

    /// Every hash's children are in canonical order.
    fn ordered(&self, h: u32, top: bool, scratch: &mut (Vec<u8>, Vec<u8>)) -> bool {
        let mut child = self.nodes[h as usize].first;
        let mut prev = NONE;
        while child != NONE {
            let node = &self.nodes[child as usize];
            if prev != NONE
                && chunk_order(&self.nodes[prev as usize], node, top, scratch)
                    != Some(Ordering::Less)
            {
                return false;
            }
            match node.kind {
                Kind::Hash if !self.ordered(child, false, scratch) => return false,
                Kind::Array => {
                    let mut el = node.first;
                    while el != NONE {
                        let e = &self.nodes[el as usize];
                        if matches!(e.kind, Kind::Hash) && !self.ordered(el, false, scratch) {
                            return false;
                        }
                        el = e.next;
                    }
                }
                _ => {}
            }
            prev = child;
            child = node.next;
        }
        true
    }
}

/// Byte classes of a canonical query.
const UNRESERVED: u8 = 0;
const PLUS: u8 = 1;
const PERCENT: u8 = 2;
const AMP: u8 = 3;
const EQUALS: u8 = 4;
const OTHER: u8 = 5;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => UNRESERVED,
            b'+' => PLUS,
            b'%' => PERCENT,
            b'&' => AMP,
            b'=' => EQUALS,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

#[inline]
fn class(q: &[u8], i: usize) -> u8 {
    q.get(i).map_or(AMP, |&b| CLASS[usize::from(b)])
}

/// At a `%`: the escaped byte, if the escape is canonical (upper-case hex of a byte that must
/// be escaped; space is `+`).
#[inline]
fn escaped_byte(q: &[u8], i: usize) -> Option<u8> {
    let h = hex(*q.get(i + 1)?)?;
    let l = hex(*q.get(i + 2)?)?;
    let b = h << 4 | l;
    (!is_unreserved(b) && b != b' ').then_some(b)
}

/// Where in a key the scanner is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// The first key, before any bracket.
    First,
    /// Inside `%5B…`, since `from`.
    Inner(usize),
    /// Right after a `%5D`.
    Closed,
}

/// Scans one component's key from `i` up to its `=`: the segments and the index after `=`.
fn scan_name<'a>(
    q: &'a [u8],
    mut i: usize,
    segs: &mut [Seg<'a>; MAX_SEGMENTS],
) -> Option<(usize, usize)> {
    let start = i;
    let mut n = 0;
    let mut at = At::First;
    loop {
        if at != At::Closed {
            i = skip_unreserved(q, i);
        }
        match class(q, i) {
            UNRESERVED | PLUS if at != At::Closed => i += 1,
            PERCENT => {
                let b = escaped_byte(q, i)?;
                match (b, at) {
                    (b'[', At::First) => {
                        if i == start {
                            return None;
                        }
                        segs[0] = Seg::Key(&q[start..i]);
                        n = 1;
                        at = At::Inner(i + 3);
                    }
                    (b'[', At::Closed) => at = At::Inner(i + 3),
                    (b']', At::Inner(from)) => {
                        if n == MAX_SEGMENTS {
                            return None;
                        }
                        segs[n] = if from == i {
                            Seg::Array
                        } else {
                            Seg::Key(&q[from..i])
                        };
                        n += 1;
                        at = At::Closed;
                    }
                    (b'[' | b']', _) | (_, At::Closed) => return None,
                    _ => {}
                }
                i += 3;
            }
            EQUALS => {
                match at {
                    At::First if i > start => {
                        segs[0] = Seg::Key(&q[start..i]);
                        n = 1;
                    }
                    At::Closed => {}
                    _ => return None,
                }
                return Some((n, i + 1));
            }
            _ => return None,
        }
    }
}

/// Scans a value from `i`: its end (the `&` or the end of the query).
fn scan_value(q: &[u8], mut i: usize) -> Option<usize> {
    loop {
        i = skip_unreserved(q, i);
        match q.get(i) {
            None | Some(b'&') => return Some(i),
            Some(b'+') => i += 1,
            Some(b'%') => {
                escaped_byte(q, i)?;
                i += 3;
            }
            Some(_) => return None,
        }
    }
}

/// When `q` (without `?`), its empty components left out, is the canonical text of what Rack
/// parses it to: that tree (node 0 is the root, children linked in canonical order). `None`
/// also for anything unusual: the reference decides then.
pub(super) fn canonical_tree(q: &[u8]) -> Option<Vec<Node<'_>>> {
    let mut b = Builder {
        nodes: Vec::with_capacity(q.len() / 24 + 4),
    };
    b.nodes.push(Node::new(Text::EMPTY, Kind::Hash));
    let mut segs = [Seg::Array; MAX_SEGMENTS];
    let mut i = 0;
    while i < q.len() {
        if q[i] == b'&' {
            i += 1;
            continue;
        }
        let (n, value_start) = scan_name(q, i, &mut segs)?;
        let end = scan_value(q, value_start)?;
        b.put(0, &segs[..n], &q[value_start..end])?;
        i = end;
    }
    b.ordered(0, true, &mut (Vec::new(), Vec::new()))
        .then_some(b.nodes)
}
