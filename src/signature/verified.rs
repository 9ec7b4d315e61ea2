//! [`VerifiedParams`]: the parameters of a verified callback, read by JSON pointer.
//!
//! Stored flat: one buffer of every decoded key and scalar back to back, and one array of
//! entries (key, value) in which the children of each hash or array are contiguous — a hash's
//! sorted by key bytes, so that a lookup is a binary search. Built in one walk of the tree the
//! signature was checked against: the single-pass canonicaliser's (`fast::Tree::verified`),
//! or the reference parser's ([`VerifiedParams::from_reference`]), whose owned tree stays the
//! specification (the tests compare the two, and both with it).

use std::fmt;

use super::reference::{Hash, Node};

/// A run of bytes in [`VerifiedParams::text`], or of entries in [`VerifiedParams::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    pub(super) const EMPTY: Span = Span { start: 0, len: 0 };

    /// `start..end`; the parameters are at most [`MAX_PARAMS_LEN`](super::MAX_PARAMS_LEN)
    /// bytes, so the text and the entries fit in `u32` (an offset past it finds nothing).
    fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX);
        Span {
            start,
            len: end.saturating_sub(start),
        }
    }

    fn range(self) -> std::ops::Range<usize> {
        // Both fit in 32 bits: no overflow.
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// A value: `Scalar` is a span of text, `Hash` and `Array` spans of entries (the children).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value {
    /// JSON `null`, or a query key without `=`.
    Null,
    /// A string, number (its JSON text) or boolean (`true`/`false`), decoded.
    Scalar(Span),
    Hash(Span),
    Array(Span),
}

/// A hash member (its key) or an array element (an empty key).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    key: Span,
    value: Value,
}

/// The parameters of a callback accepted by [`verify_callback`](super::verify_callback), as parsed for the signature.
#[derive(Clone)]
pub struct VerifiedParams {
    /// Every decoded key and scalar value, back to back.
    text: Vec<u8>,
    /// The members of every hash and the elements of every array, each container's contiguous.
    entries: Vec<Entry>,
    /// The top-level members.
    root: Span,
}

impl fmt::Debug for VerifiedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Callback values can be personal data (IP addresses, locations): keep them out of logs.
        f.debug_struct("VerifiedParams")
            .field("top_level_keys", &self.root.len)
            .finish_non_exhaustive()
    }
}

/// Equal when they hold the same tree (the same keys, values, hashes and arrays), however the
/// input was written.
impl PartialEq for VerifiedParams {
    fn eq(&self, other: &Self) -> bool {
        self.same_children(self.root, other, other.root)
    }
}

impl Eq for VerifiedParams {}

impl VerifiedParams {
    /// The text of the value at `pointer`, a JSON pointer (RFC 6901): `"/status"`,
    /// `"/approval_request/transaction/uuid"`, `"/approval_request/logos/0/url"` (array
    /// elements by index, `~1` for `/` and `~0` for `~` in keys).
    ///
    /// Strings, numbers (their JSON text) and booleans (`"true"`/`"false"`) are returned as
    /// text, and `null` (or a GET key without `=`) as `""`: the signature does not tell these
    /// types apart, so compare the text. `None` when nothing is there, the value is an object or
    /// an array, or its bytes are not UTF-8 (possible in a GET query).
    pub fn get_str(&self, pointer: &str) -> Option<&str> {
        match self.get(pointer)? {
            Value::Null => Some(""),
            Value::Scalar(text) => std::str::from_utf8(self.bytes(text)).ok(),
            Value::Hash(_) | Value::Array(_) => None,
        }
    }

    /// Whether `pointer` names a value (of any kind, empty objects and arrays included).
    pub fn contains(&self, pointer: &str) -> bool {
        self.get(pointer).is_some()
    }

    fn bytes(&self, span: Span) -> &[u8] {
        self.text.get(span.range()).unwrap_or_default()
    }

    fn children(&self, span: Span) -> &[Entry] {
        self.entries.get(span.range()).unwrap_or_default()
    }

    fn get(&self, pointer: &str) -> Option<Value> {
        let rest = pointer.strip_prefix('/')?;
        let mut node = Value::Hash(self.root);
        for segment in rest.split('/') {
            let segment = unescape_pointer_segment(segment);
            node = match node {
                Value::Hash(members) => {
                    let members = self.children(members);
                    let at = members
                        .binary_search_by(|m| self.bytes(m.key).cmp(segment.as_bytes()))
                        .ok()?;
                    members[at].value
                }
                Value::Array(items) => self.children(items).get(array_index(&segment)?)?.value,
                Value::Null | Value::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// Whether the children `a` of `self` and `b` of `other` are the same, in the same order.
    fn same_children(&self, a: Span, other: &Self, b: Span) -> bool {
        let (a, b) = (self.children(a), other.children(b));
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                self.bytes(x.key) == other.bytes(y.key)
                    && match (x.value, y.value) {
                        (Value::Null, Value::Null) => true,
                        (Value::Scalar(s), Value::Scalar(t)) => self.bytes(s) == other.bytes(t),
                        (Value::Hash(s), Value::Hash(t)) | (Value::Array(s), Value::Array(t)) => {
                            self.same_children(s, other, t)
                        }
                        _ => false,
                    }
            })
    }

    /// From the reference parser's tree (when the single-pass canonicaliser left the
    /// parameters to it).
    pub(super) fn from_reference(root: &Hash) -> Self {
        fn value(b: &mut Builder, node: &Node) -> Value {
            match node {
                Node::Null => Value::Null,
                Node::Scalar(bytes) => Value::Scalar(b.text(bytes)),
                Node::Hash(hash) => Value::Hash(members(b, hash)),
                Node::Array(items) => {
                    let level = b.open();
                    for item in items {
                        let v = value(b, item);
                        b.push(Span::EMPTY, v);
                    }
                    Value::Array(b.close(level, false))
                }
            }
        }
        fn members(b: &mut Builder, hash: &Hash) -> Span {
            let level = b.open();
            for (key, node) in hash {
                let v = value(b, node);
                let k = b.text(key);
                b.push(k, v);
            }
            // A BTreeMap's keys come sorted.
            b.close(level, false)
        }
        let mut b = Builder::with_capacity(0);
        let root = members(&mut b, root);
        b.finish(root)
    }
}

/// Lays out a tree walked depth-first: [`open`](Self::open) a container, [`push`](Self::push)
/// each child (after closing the child's own container), [`close`](Self::close) it.
pub(super) struct Builder {
    text: Vec<u8>,
    entries: Vec<Entry>,
    /// The children of the containers being walked, outermost first.
    stack: Vec<Entry>,
}

impl Builder {
    /// For parameters of `len` bytes (the decoded text is at most as long).
    pub(super) fn with_capacity(len: usize) -> Self {
        Builder {
            text: Vec::with_capacity(len),
            entries: Vec::with_capacity(len / 16),
            stack: Vec::with_capacity(32),
        }
    }

    /// Stores a key or scalar.
    pub(super) fn text(&mut self, bytes: &[u8]) -> Span {
        let start = self.text.len();
        self.text.extend_from_slice(bytes);
        Span::new(start, self.text.len())
    }

    /// Stores a key or scalar that `write` appends to the buffer it is given.
    pub(super) fn text_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> Span {
        let start = self.text.len();
        write(&mut self.text);
        Span::new(start, self.text.len())
    }

    /// Starts the children of a container: the mark to [`close`](Self::close) it with.
    pub(super) fn open(&self) -> usize {
        self.stack.len()
    }

    /// A child of the innermost open container (a hash member, or an element with an empty
    /// key).
    pub(super) fn push(&mut self, key: Span, value: Value) {
        self.stack.push(Entry { key, value });
    }

    /// Ends the container opened at `level`: its children, sorted by key when `sort` (a hash
    /// whose members were pushed in another order).
    pub(super) fn close(&mut self, level: usize, sort: bool) -> Span {
        let Builder {
            text,
            entries,
            stack,
        } = self;
        let children = stack.get_mut(level..).unwrap_or_default();
        if sort {
            let key = |e: &Entry| text.get(e.key.range()).unwrap_or_default();
            children.sort_unstable_by(|a, b| key(a).cmp(key(b)));
        }
        let start = entries.len();
        entries.extend_from_slice(children);
        stack.truncate(level);
        Span::new(start, entries.len())
    }

    pub(super) fn finish(self, root: Span) -> VerifiedParams {
        VerifiedParams {
            // Kept as they are: shrinking would copy (the slack is at most the input's size).
            text: self.text,
            entries: self.entries,
            root,
        }
    }
}

/// An array index in a pointer: digits without a leading zero (`0` itself is fine).
fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0"
        || (!segment.starts_with('0')
            && !segment.is_empty()
            && segment.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| segment.parse().ok()).flatten()
}

/// RFC 6901: `~1` is `/`, then `~0` is `~`.
fn unescape_pointer_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// The reference's answers, to check the flat tree against.
#[cfg(test)]
pub(super) mod oracle {
    use super::*;

    /// What `VerifiedParams::get` answered when it looked up the reference tree itself.
    pub(in crate::signature) fn get<'t>(root: &'t Hash, pointer: &str) -> Option<&'t Node> {
        let rest = pointer.strip_prefix('/')?;
        let mut segments = rest.split('/');
        let first = unescape_pointer_segment(segments.next()?);
        let mut node = root.get(first.as_bytes())?;
        for segment in segments {
            let segment = unescape_pointer_segment(segment);
            node = match node {
                Node::Hash(hash) => hash.get(segment.as_bytes())?,
                Node::Array(items) => items.get(array_index(&segment)?)?,
                Node::Null | Node::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// The reference's `get_str`.
    pub(in crate::signature) fn get_str<'t>(root: &'t Hash, pointer: &str) -> Option<&'t str> {
        match get(root, pointer)? {
            Node::Null => Some(""),
            Node::Scalar(bytes) => std::str::from_utf8(bytes).ok(),
            Node::Hash(_) | Node::Array(_) => None,
        }
    }

    /// The flat tree turned back into the reference's.
    pub(in crate::signature) fn to_reference(p: &VerifiedParams) -> Hash {
        fn node(p: &VerifiedParams, v: Value) -> Node {
            match v {
                Value::Null => Node::Null,
                Value::Scalar(s) => Node::Scalar(p.bytes(s).to_vec()),
                Value::Hash(s) => Node::Hash(hash(p, s)),
                Value::Array(s) => {
                    Node::Array(p.children(s).iter().map(|e| node(p, e.value)).collect())
                }
            }
        }
        fn hash(p: &VerifiedParams, s: Span) -> Hash {
            p.children(s)
                .iter()
                .map(|e| (p.bytes(e.key).to_vec(), node(p, e.value)))
                .collect()
        }
        hash(p, p.root)
    }

    /// Every pointer that names something in `root` (keys that are not UTF-8 cannot be
    /// named), and near misses: a child of each scalar, an index past each array, a leading
    /// zero, a key that is not there.
    pub(in crate::signature) fn pointers(root: &Hash) -> Vec<String> {
        fn escape(key: &[u8]) -> Option<String> {
            Some(
                std::str::from_utf8(key)
                    .ok()?
                    .replace('~', "~0")
                    .replace('/', "~1"),
            )
        }
        fn walk(node: &Node, at: String, out: &mut Vec<String>) {
            out.push(format!("{at}/0"));
            out.push(format!("{at}/x"));
            match node {
                Node::Hash(hash) => {
                    for (k, v) in hash {
                        if let Some(k) = escape(k) {
                            walk(v, format!("{at}/{k}"), out);
                            out.push(format!("{at}/{k}~"));
                        }
                    }
                }
                Node::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        walk(v, format!("{at}/{i}"), out);
                        out.push(format!("{at}/0{i}"));
                    }
                    out.push(format!("{at}/{}", items.len()));
                    out.push(format!("{at}/-1"));
                    out.push(format!("{at}/"));
                }
                Node::Null | Node::Scalar(_) => {}
            }
            out.push(at);
        }
        let mut out = vec![String::new(), "/".into(), "x".into(), "//".into()];
        for (k, v) in root {
            if let Some(k) = escape(k) {
                walk(v, format!("/{k}"), &mut out);
            }
        }
        out
    }

    /// `p` holds exactly the reference tree `root` and answers every pointer as it does.
    pub(in crate::signature) fn assert_same(p: &VerifiedParams, root: &Hash, what: &str) {
        assert_eq!(&to_reference(p), root, "flat tree differs: {what}");
        assert_eq!(p, &VerifiedParams::from_reference(root), "{what}");
        for pointer in pointers(root) {
            assert_eq!(
                p.get_str(&pointer),
                get_str(root, &pointer),
                "get_str({pointer:?}): {what}"
            );
            assert_eq!(
                p.contains(&pointer),
                get(root, &pointer).is_some(),
                "contains({pointer:?}): {what}"
            );
        }
        assert_eq!(
            format!("{p:?}"),
            format!("VerifiedParams {{ top_level_keys: {}, .. }}", root.len())
        );
    }
}
