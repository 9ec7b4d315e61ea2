//! JSON body → flat tree, each object's members sorted in canonical order as it closes.

use super::{Enc, Kind, NONE, Node, SortKey, Text};
use crate::signature::MAX_DEPTH;

/// Byte classes inside a JSON string.
const UNRESERVED: u8 = 0;
const OTHER: u8 = 1;
const QUOTE: u8 = 2;
const BACKSLASH: u8 = 4;
const CONTROL: u8 = 8;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c < 0x20 {
            CONTROL
        } else if c == b'"' {
            QUOTE
        } else if c == b'\\' {
            BACKSLASH
        } else if matches!(c, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~') {
            UNRESERVED
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Parses a JSON object into a tree whose node 0 is the root; `None` for anything the
/// reference parser should judge (malformed, too deep, an order the known bytes do not decide,
/// a hash that encodes to nothing).
pub(super) fn parse(s: &[u8]) -> Option<Vec<Node<'_>>> {
    let mut p = Parser {
        s,
        i: 0,
        nodes: Vec::with_capacity(s.len() / 24 + 4),
        keys: Vec::with_capacity(32),
        scratch: (Vec::new(), Vec::new()),
    };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        return None;
    }
    p.nodes.push(Node::new(Text::EMPTY, Kind::Hash));
    p.object(0, 1, false)?;
    p.skip_ws();
    (p.i == s.len()).then_some(p.nodes)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    nodes: Vec<Node<'a>>,
    /// The children of the objects being parsed, as sort keys.
    keys: Vec<SortKey>,
    scratch: (Vec<u8>, Vec<u8>),
}

impl<'a> Parser<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn push(&mut self, node: Node<'a>) -> Option<u32> {
        let idx = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i != NONE)?;
        self.nodes.push(node);
        Some(idx)
    }

    /// At `{`: the members of object `idx`, sorted and linked.
    fn object(&mut self, idx: u32, depth: usize, in_array: bool) -> Option<()> {
        self.i += 1;
        let top = idx == 0;
        let base = self.keys.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            // `{}` in an array encodes to an empty component: leave that to the reference.
            return (!in_array).then_some(());
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.key()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return None;
            }
            self.i += 1;
            let child = self.value(key, depth, false)?;
            self.keys.push(SortKey::new(&self.nodes, child, top));
            self.skip_ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        let Parser {
            nodes,
            keys,
            scratch,
            ..
        } = self;
        let kids = &mut keys[base..];
        if !SortKey::sort(kids, nodes, top, scratch) {
            return None;
        }
        // A repeated key is next to its twin (their order is not decided, so `sort` gave up),
        // unless the order of some neighbours was decided by the bytes after a key that is a
        // prefix of the other (`a=` … `a2=` … `a%5B`): then the twins may be apart, and every
        // pair is compared.
        let prefixes = kids.windows(2).any(|pair| pair[0].may_be_prefix(&pair[1]));
        if prefixes && has_repeated_key(nodes, kids, scratch)? {
            return None;
        }
        let mut emitting = false;
        for pair in kids.windows(2) {
            nodes[pair[0].idx as usize].next = pair[1].idx;
        }
        for k in kids.iter() {
            emitting |= !nodes[k.idx as usize].is_empty_container();
        }
        let node = &mut nodes[idx as usize];
        node.first = kids[0].idx;
        node.last = kids[kids.len() - 1].idx;
        node.len = u32::try_from(kids.len()).ok()?;
        keys.truncate(base);
        // A non-root hash whose members all vanish encodes to an empty component.
        (top || emitting).then_some(())
    }

    /// At `[`: the elements of array `idx`, linked in order.
    fn array(&mut self, idx: u32, depth: usize) -> Option<()> {
        self.i += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Some(());
        }
        let mut prev = NONE;
        let mut len = 0u32;
        loop {
            let child = self.value(Text::EMPTY, depth, true)?;
            if prev == NONE {
                self.nodes[idx as usize].first = child;
            } else {
                self.nodes[prev as usize].next = child;
            }
            prev = child;
            len = len.checked_add(1)?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        let node = &mut self.nodes[idx as usize];
        node.last = prev;
        node.len = len;
        Some(())
    }

    fn value(&mut self, key: Text<'a>, depth: usize, in_array: bool) -> Option<u32> {
        self.skip_ws();
        match self.peek()? {
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                let idx = self.push(Node::new(key, Kind::Hash))?;
                self.object(idx, depth + 1, in_array)?;
                Some(idx)
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                let idx = self.push(Node::new(key, Kind::Array))?;
                self.array(idx, depth + 1)?;
                Some(idx)
            }
            b'"' => {
                let v = self.string(false)?;
                self.push(Node::new(key, Kind::Scalar(v)))
            }
            b't' => {
                let v = self.literal(b"true")?;
                self.push(Node::new(key, Kind::Scalar(v)))
            }
            b'f' => {
                let v = self.literal(b"false")?;
                self.push(Node::new(key, Kind::Scalar(v)))
            }
            b'n' => {
                self.literal(b"null")?;
                self.push(Node::new(key, Kind::Null))
            }
            b'-' | b'0'..=b'9' => {
                let v = self.number()?;
                self.push(Node::new(key, Kind::Scalar(v)))
            }
            _ => None,
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Option<Text<'a>> {
        if !self.s[self.i..].starts_with(word) {
            return None;
        }
        self.i += word.len();
        Some(Text {
            raw: word,
            enc: Enc::Plain,
            clean: true,
        })
    }

    fn digits(&mut self) -> bool {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i > from
    }

    /// A number's own text, after checking the JSON number grammar.
    fn number(&mut self) -> Option<Text<'a>> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else if !self.digits() {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !self.digits() {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !self.digits() {
                return None;
            }
        }
        Some(Text::plain(&self.s[start..self.i]))
    }

    /// At `"`: a key. Keys are short: a byte loop that also learns whether the key needs
    /// escaping; one with a backslash (or worse) goes through [`string`](Self::string).
    #[inline(always)]
    fn key(&mut self) -> Option<Text<'a>> {
        let s = self.s;
        let start = self.i + 1;
        let mut i = start;
        let mut classes = UNRESERVED;
        while let Some(&b) = s.get(i) {
            let class = CLASS[usize::from(b)];
            if class > OTHER {
                break;
            }
            classes |= class;
            i += 1;
        }
        if s.get(i) != Some(&b'"') {
            return self.string(true);
        }
        self.i = i + 1;
        Some(Text {
            raw: &s[start..i],
            enc: Enc::Plain,
            clean: classes == UNRESERVED,
        })
    }

    /// At `"`: the string's raw contents (escapes validated, not decoded). `clean` is only
    /// worked out for keys (it speeds up sorting); a value is escaped when written anyway.
    #[inline(always)]
    fn string(&mut self, key: bool) -> Option<Text<'a>> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let s = self.s;
        let start = self.i + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            // Eight bytes at a time while none is `"`, `\` or a control character.
            while let Some(w) = s.get(i..i + 8) {
                let w = u64::from_le_bytes(w.try_into().ok()?);
                let quote = w ^ (ONES * u64::from(b'"'));
                let backslash = w ^ (ONES * u64::from(b'\\'));
                let special = (quote.wrapping_sub(ONES) & !quote)
                    | (backslash.wrapping_sub(ONES) & !backslash)
                    | (w.wrapping_sub(ONES * 0x20) & !w);
                let special = special & HIGHS;
                if special != 0 {
                    // The lowest flagged byte is a real one (borrows only run upwards).
                    i += (special.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            let b = *s.get(i)?;
            match CLASS[usize::from(b)] {
                UNRESERVED | OTHER => i += 1,
                QUOTE => break,
                BACKSLASH => {
                    escaped = true;
                    i = escape_end(s, i)?;
                }
                _ => return None,
            }
        }
        self.i = i + 1;
        let raw = &s[start..i];
        if escaped {
            return Some(Text {
                raw,
                enc: Enc::Json,
                clean: false,
            });
        }
        Some(if key {
            Text::plain(raw)
        } else {
            Text {
                raw,
                enc: Enc::Plain,
                clean: false,
            }
        })
    }
}

/// Whether two of `kids` have the same key (`None`: too many to compare pairwise here).
fn has_repeated_key(
    nodes: &[Node<'_>],
    kids: &[SortKey],
    scratch: &mut (Vec<u8>, Vec<u8>),
) -> Option<bool> {
    if kids.len() > 64 {
        return None;
    }
    for (i, a) in kids.iter().enumerate() {
        for b in &kids[i + 1..] {
            let (a, b) = (nodes[a.idx as usize].key, nodes[b.idx as usize].key);
            let same = if a.clean && b.clean {
                a.raw == b.raw
            } else {
                scratch.0.clear();
                scratch.1.clear();
                super::escape_text(&mut scratch.0, a);
                super::escape_text(&mut scratch.1, b);
                scratch.0 == scratch.1
            };
            if same {
                return Some(true);
            }
        }
    }
    Some(false)
}

fn hex4(s: &[u8], at: usize) -> Option<u32> {
    let hex = s.get(at..at + 4)?;
    let mut v = 0u32;
    for &h in hex {
        v = v << 4 | char::from(h).to_digit(16)?;
    }
    Some(v)
}

/// At a backslash: the index after the (valid) escape sequence.
fn escape_end(s: &[u8], i: usize) -> Option<usize> {
    match *s.get(i + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 2),
        b'u' => {
            let hi = hex4(s, i + 2)?;
            if (0xD800..0xDC00).contains(&hi) {
                if s.get(i + 6..i + 8) != Some(b"\\u") {
                    return None;
                }
                let lo = hex4(s, i + 8)?;
                (0xDC00..0xE000).contains(&lo).then_some(i + 12)
            } else if (0xDC00..0xE000).contains(&hi) {
                None
            } else {
                Some(i + 6)
            }
        }
        _ => None,
    }
}

/// Calls `f` with the decoded bytes of a validated JSON string's contents, piece by piece.
pub(super) fn decode(raw: &[u8], f: &mut dyn FnMut(&[u8])) {
    let hex4 = |at: usize| {
        raw.get(at..at + 4).map_or(0, |h| {
            h.iter().fold(0u32, |v, &d| {
                v << 4 | char::from(d).to_digit(16).unwrap_or(0)
            })
        })
    };
    let (mut i, mut run) = (0, 0);
    while i < raw.len() {
        if raw[i] != b'\\' {
            i += 1;
            continue;
        }
        if run < i {
            f(&raw[run..i]);
        }
        let e = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match e {
            b'b' => f(&[0x08]),
            b'f' => f(&[0x0c]),
            b'n' => f(b"\n"),
            b'r' => f(b"\r"),
            b't' => f(b"\t"),
            b'u' => {
                let hi = hex4(i);
                i += 4;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let lo = hex4(i + 2);
                    i += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3ff)
                } else {
                    hi
                };
                let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                f(ch.encode_utf8(&mut [0; 4]).as_bytes());
            }
            other => f(&[other]),
        }
        run = i;
    }
    if run < raw.len() {
        f(&raw[run..]);
    }
}
