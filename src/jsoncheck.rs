//! Whether a body is one JSON object that `serde_json` parses into a `Value`, decided in one
//! pass without building anything.
//!
//! Every successful answer is checked at call time (a success whose body does not decode is an
//! error, not an empty answer), while its tree is built only if something reads it (see
//! `response`). Nothing passes this check that `serde_json::from_str::<Value>` then refuses
//! (the fuzz test `tests/fuzz_response.rs` and the tests below hold the two together): RFC
//! 8259 grammar, no control characters in strings, escapes including surrogate pairs (a lone
//! surrogate is refused), at most 127 levels of nesting (serde_json's recursion limit),
//! nothing but whitespace after the object. The one difference: numbers above 1e308 in
//! magnitude are refused, some of which serde_json would parse (its float parser is not exact
//! next to `f64::MAX`). serde_json's own skipping parser (`RawValue`) is not an option: it lets
//! lone surrogates and numbers out of range through, and costs about three times as much.

/// serde_json refuses the 128th level of nesting.
const MAX_DEPTH: usize = 127;

/// `true` for the bytes a JSON string may hold as they are (not `"`, `\` or a control).
static PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = false;
        i += 1;
    }
    t[b'"' as usize] = false;
    t[b'\\' as usize] = false;
    t
};

/// Whether `body` is one JSON object (see the module documentation).
pub(crate) fn is_object(body: &str) -> bool {
    let mut c = Cursor {
        b: body.as_bytes(),
        i: 0,
    };
    c.ws();
    if c.peek() != Some(b'{') {
        return false;
    }
    if c.value(0).is_none() {
        return false;
    }
    c.ws();
    c.i == c.b.len()
}

/// How many bytes at the start of `rest` a string holds as they are: eight at a time, then
/// one by one.
fn plain_run(rest: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The lowest flagged byte of each mask is exact (a borrow only runs upwards).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut n = 0;
    for chunk in rest.chunks_exact(8) {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let special = zero(v ^ (ONES * u64::from(b'"')))
            | zero(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if special != 0 {
            return n + (special.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + rest[n..]
        .iter()
        .take_while(|&&x| PLAIN[usize::from(x)])
        .count()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// One value at nesting `depth` (the whitespace before it already skipped).
    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            open @ (b'{' | b'[') => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                let (close, object) = if open == b'{' {
                    (b'}', true)
                } else {
                    (b']', false)
                };
                self.i += 1;
                self.ws();
                if self.eat(close).is_some() {
                    return Some(());
                }
                loop {
                    if object {
                        self.string()?;
                        self.ws();
                        self.eat(b':')?;
                        self.ws();
                    }
                    self.value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.ws();
                        }
                        b if b == close => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// A string, from its opening quote to past its closing one.
    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.i += plain_run(&self.b[self.i..]);
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            self.i += 1;
                            let unit = self.hex4()?;
                            match unit {
                                // A leading surrogate must be followed by an escaped trailing one.
                                0xD800..=0xDBFF => {
                                    self.literal(b"\\u")?;
                                    if !(0xDC00..=0xDFFF).contains(&self.hex4()?) {
                                        return None;
                                    }
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => {}
                            }
                        }
                        _ => return None,
                    }
                }
                // A control character.
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let end = self.i.checked_add(4)?;
        let digits = self.b.get(self.i..end)?;
        let mut unit = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return None,
            };
            unit = unit << 4 | u16::from(v);
        }
        self.i = end;
        Some(unit)
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` whose value fits an
    /// `f64` (serde_json refuses one that rounds to infinity).
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut float = false;
        if self.eat(b'.').is_some() {
            float = true;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        let text = &self.b[start..self.i];
        // An integer of up to 300 digits is below f64::MAX (about 1.8e308); anything else is
        // parsed to see whether it overflows (rare in answers). serde_json's float parser is
        // not exact next to the limit (it refuses 1.7976931348623158e308, which is
        // f64::MAX): magnitudes above 1e308 are refused here, so that nothing passes this
        // check that serde_json then cannot parse.
        if float || text.len() > 300 {
            let text = std::str::from_utf8(text).ok()?;
            if text.parse::<f64>().ok()?.abs() > 1e308 {
                return None;
            }
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|d| d.is_ascii_digit()) {
            self.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json says.
    fn reference(body: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v.is_object())
    }

    #[test]
    fn plain_runs_stop_at_the_first_special_byte_wherever_it_is() {
        for len in 0..40 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f] {
                    // UTF-8 bytes and 0x7f are plain; put some before the special one.
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|i| [b'a', 0xc3, 0xa9, 0x7f, b' '][i % 5])
                        .collect();
                    if at < len {
                        bytes[at] = special;
                        // Specials after the first must not matter.
                        if at + 1 < len {
                            bytes[at + 1] = b'"';
                        }
                    }
                    assert_eq!(plain_run(&bytes), at, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn agrees_with_serde_json_on_chosen_cases() {
        let deep = |n: usize| format!("{{\"a\":{}1{}}}", "[".repeat(n), "]".repeat(n));
        let cases = [
            r#"{}"#,
            r#"  { }  "#,
            r#"{"a":1}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1}x"#,
            r#"{"a":1}{}"#,
            r#"[1]"#,
            r#""s""#,
            r#"{"a":[1,2,[3,{"b":null}],true,false,"x"]}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":01}"#,
            r#"{"a":-0}"#,
            r#"{"a":-}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":1e+}"#,
            r#"{"a":1E-7}"#,
            r#"{"a":1e308}"#,
            r#"{"a":1e309}"#,
            r#"{"a":-1.8e308}"#,
            r#"{"a":17976931348623158e292}"#,
            r#"{"a":17976931348623159e292}"#,
            r#"{"a":1e-400}"#,
            r#"{"a":18446744073709551616}"#,
            r#"{"a":-9223372036854775809}"#,
            r#"{"a":"\u00e9\n\t\"\\\/\b\f\r"}"#,
            r#"{"a":"\ud83d\ude00"}"#,
            r#"{"a":"\ud83d"}"#,
            r#"{"a":"\ud83dx"}"#,
            r#"{"a":"\ud83d\u0041"}"#,
            r#"{"a":"\ude00"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":"\u12G4"}"#,
            r#"{"a":"\x"}"#,
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"\u{7f}\u{e9}\u{1F600}\"}",
            "{\"a\":\"tab\there\"}",
            r#"{"a":"unterminated}"#,
            r#"{"a""#,
            r#"{"#,
            "",
            "   ",
            "{\u{0b}}",
            "{\u{a0}}",
            r#"{"a":1 , "b" : [ ] , "c" : { } }"#,
            r#"{"a":1,"a":2}"#,
        ];
        for body in cases {
            assert_eq!(is_object(body), reference(body), "{body:?}");
        }
        let big = format!("{{\"a\":{}}}", "9".repeat(309));
        assert_eq!(is_object(&big), reference(&big));
        let fits = format!("{{\"a\":{}}}", "9".repeat(308));
        assert_eq!(is_object(&fits), reference(&fits));
        for n in [1, 100, 125, 126, 127, 128, 200] {
            assert_eq!(is_object(&deep(n)), reference(&deep(n)), "depth {n}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_generated_bodies() {
        // Seeded mutations of realistic answers: every prefix, and single-byte changes.
        let seeds = [
            r#"{"message":"Token is valid.","token":"is valid","success":"true","device":{"id":null,"os_type":"android","registration_date":1490996931,"last_sync_date":1.5e9}}"#,
            r#"{"sid":"VA0123","friendly_name":"My \"App\" \u00e9\ud83d\ude00","code_length":6,"push":{"include_date":true},"links":{"a":"https://x/y?z=1"},"ratio":-0.25e-3,"list":[[],{},[1,[2]]]}"#,
        ];
        let alphabet = b"{}[]\",:\\u0123456789abcdefABCDEF.eE+-tfnrl \t\n\x01";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for seed in seeds {
            for cut in 0..=seed.len() {
                if let Some(prefix) = seed.get(..cut) {
                    assert_eq!(is_object(prefix), reference(prefix), "{prefix:?}");
                    checked += 1;
                }
            }
            for _ in 0..5_000 {
                let mut bytes = seed.as_bytes().to_vec();
                for _ in 0..1 + next() % 3 {
                    let at = (next() % bytes.len() as u64) as usize;
                    let with = alphabet[(next() % alphabet.len() as u64) as usize];
                    match next() % 3 {
                        0 => bytes[at] = with,
                        1 => bytes.insert(at, with),
                        _ => {
                            bytes.remove(at);
                        }
                    }
                }
                if let Ok(body) = std::str::from_utf8(&bytes) {
                    assert_eq!(is_object(body), reference(body), "{body:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 9_000, "{checked}");
    }
}
