//! A strict, depth-bounded JSON parser keeping numbers as their JSON text.

use std::collections::btree_map::Entry;

use super::{Hash, Node, SignatureError};
use crate::signature::MAX_DEPTH;

fn malformed(why: &str, at: usize) -> SignatureError {
    SignatureError::MalformedParams(format!("invalid JSON body: {why} at byte {at}"))
}

/// Parses a JSON object (the POST body). An empty or all-whitespace body is malformed: Authy
/// always sends an object, and "no body" must not pass as "no parameters".
pub(crate) fn parse_object(text: &str) -> Result<Hash, SignatureError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.skip_ws();
    if p.i == p.s.len() {
        return Err(SignatureError::MalformedParams(
            "the JSON body is empty".into(),
        ));
    }
    if p.peek() != Some(b'{') {
        return Err(SignatureError::MalformedParams(
            "the JSON body is not an object".into(),
        ));
    }
    let hash = p.object(1)?;
    p.skip_ws();
    if p.i != p.s.len() {
        return Err(malformed("trailing characters", p.i));
    }
    Ok(hash)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), SignatureError> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(malformed(&format!("expected '{}'", b as char), self.i))
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), SignatureError> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(malformed("unexpected character", self.i))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SignatureError> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(SignatureError::TooDeep);
                }
                self.object(depth + 1).map(Node::Hash)
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(SignatureError::TooDeep);
                }
                self.array(depth + 1).map(Node::Array)
            }
            Some(b'"') => self.string().map(Node::Scalar),
            Some(b't') => self
                .literal(b"true")
                .map(|()| Node::Scalar(b"true".to_vec())),
            Some(b'f') => self
                .literal(b"false")
                .map(|()| Node::Scalar(b"false".to_vec())),
            Some(b'n') => self.literal(b"null").map(|()| Node::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Node::Scalar),
            Some(_) => Err(malformed("unexpected character", self.i)),
            None => Err(malformed("unexpected end", self.i)),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Hash, SignatureError> {
        self.expect(b'{')?;
        let mut hash = Hash::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(hash);
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(malformed("expected a string key", self.i));
            }
            let key_at = self.i;
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            let value = self.value(depth)?;
            // Ruby's JSON.parse keeps the last of repeated keys, other parsers the first:
            // a repeated key would let a signed body carry a second, unsigned value.
            // Authy never sends one, so it is malformed.
            match hash.entry(key) {
                Entry::Occupied(_) => return Err(malformed("repeated key", key_at)),
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(hash);
                }
                _ => return Err(malformed("expected ',' or '}'", self.i)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Node>, SignatureError> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                _ => return Err(malformed("expected ',' or ']'", self.i)),
            }
        }
    }

    /// The number's own text, after checking the JSON number grammar.
    fn number(&mut self) -> Result<Vec<u8>, SignatureError> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.peek() {
                p.i += 1;
            }
            p.i > from
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else if !digits(self) {
            return Err(malformed("invalid number", self.i));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(malformed("invalid number", self.i));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !digits(self) {
                return Err(malformed("invalid number", self.i));
            }
        }
        Ok(self.s[start..self.i].to_vec())
    }

    fn hex4(&mut self) -> Result<u32, SignatureError> {
        let hex = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| malformed("truncated \\u escape", self.i))?;
        let text = std::str::from_utf8(hex).map_err(|_| malformed("bad \\u escape", self.i))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed("bad \\u escape", self.i));
        }
        let v = u32::from_str_radix(text, 16).map_err(|_| malformed("bad \\u escape", self.i))?;
        self.i += 4;
        Ok(v)
    }

    /// A string's decoded UTF-8 bytes.
    fn string(&mut self) -> Result<Vec<u8>, SignatureError> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            // The plain bytes up to the next quote, backslash or control character, at once.
            let rest = &self.s[self.i..];
            let plain = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            out.extend_from_slice(&rest[..plain]);
            self.i += plain;
            let Some(b) = self.peek() else {
                return Err(malformed("unterminated string", self.i));
            };
            self.i += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(malformed("unterminated string", self.i));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let at = self.i;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return Err(malformed("lone surrogate", at));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(malformed("lone surrogate", at));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            let ch = char::from_u32(code)
                                .ok_or_else(|| malformed("lone surrogate", at))?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(malformed("bad escape", self.i - 1)),
                    }
                }
                0x00..=0x1f => return Err(malformed("control character in string", self.i)),
                _ => out.push(b),
            }
        }
    }
}
