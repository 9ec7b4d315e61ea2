//! Seeded property test of the parameter parser ([`crate::params`]): query string + form body +
//! JSON body merged, Rack nested keys. A stable-toolchain property test (no cargo-fuzz, so it runs
//! in every `cargo test`): 20,000 cases by default, each case several parser executions.
//!
//! `PARAMS_FUZZ_CASES=N` and `PARAMS_FUZZ_SEED=S` (decimal or 0x-hex) change the count and the
//! seed; a failing case prints its own seed, which reproduces it alone with `PARAMS_FUZZ_CASES=1`.
//!
//! Properties, for every input:
//! 1. the parser never panics (random bytes, token soup near the Rack grammar, mutated JSON);
//! 2. its output is bounded by its input: at most `MAX_PAIRS + 1` top-level keys, at most
//!    `2 * MAX_DEPTH + 1` levels deep (the limit counts Rack's recursion, as Rack does, and an
//!    array of hashes, `x[][y]`, is two levels per step), at most `1 + len * (MAX_DEPTH + 2)` nodes, and no more key and
//!    text bytes than the input had;
//! 3. it is deterministic, and adding `a` then `b` equals adding `a&b` (same tree or same error);
//! 4. percent-encoding any byte other than `& ; = % +` and hex digits changes nothing;
//! 5. a generated tree written as a form (Rack `x[y]`, `x[]`, `x[][y]`, php `x[0][y]` in any
//!    index order, `+` or `%20`, `&` or `;`, empty pairs), split between the query and a form or
//!    JSON body, parses back to exactly that tree.

use std::time::Instant;

use serde_json::{Map, Value};

use crate::params::{MAX_DEPTH, MAX_KEY_LEN, MAX_PAIRS, ParamError, Params};

/// SplitMix64: tiny, seeded, reproducible, independent of any crate's versioned algorithm.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim().replace('_', "");
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
        }
        Err(_) => default,
    }
}

/// One parse of a whole request; a panic is reported with the input that caused it.
fn parse(seed: u64, query: Option<&[u8]>, ct: &str, body: &[u8]) -> Result<Params, ParamError> {
    std::panic::catch_unwind(|| {
        let mut p = Params::new();
        p.add_request(query, ct, body).map(|()| p)
    })
    .unwrap_or_else(|_| {
        panic!(
            "seed {seed:#x}: the parser panicked on query={:?} content-type={ct:?} body={:?}",
            query.map(String::from_utf8_lossy),
            String::from_utf8_lossy(body)
        )
    })
}

/// (nodes, depth, key + text bytes), `_json` not counted as input text.
fn measure(root: &Map<String, Value>) -> (usize, usize, usize) {
    let mut nodes = 1;
    let mut depth = 1;
    let mut text: usize = root.keys().filter(|k| *k != "_json").map(String::len).sum();
    let mut stack: Vec<(&Value, usize)> = root.values().map(|v| (v, 2)).collect();
    while let Some((v, d)) = stack.pop() {
        nodes += 1;
        depth = depth.max(d);
        match v {
            Value::String(s) => text += s.len(),
            Value::Object(m) => {
                text += m.keys().map(String::len).sum::<usize>();
                stack.extend(m.values().map(|c| (c, d + 1)));
            }
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            _ => {}
        }
    }
    (nodes, depth, text)
}

fn assert_bounded(seed: u64, input_len: usize, r: &Result<Params, ParamError>) {
    let Ok(p) = r else { return };
    let root = p.root();
    let (nodes, depth, text) = measure(root);
    assert!(
        root.len() <= MAX_PAIRS + 1,
        "seed {seed:#x}: {} top-level keys",
        root.len()
    );
    assert!(depth <= 2 * MAX_DEPTH + 1, "seed {seed:#x}: depth {depth}");
    assert!(
        nodes <= 1 + input_len * (MAX_DEPTH + 2),
        "seed {seed:#x}: {nodes} nodes from {input_len} bytes"
    );
    assert!(
        text <= input_len,
        "seed {seed:#x}: {text} text bytes from {input_len} input bytes"
    );
}

/// Same tree or same error.
fn same(a: &Result<Params, ParamError>, b: &Result<Params, ParamError>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x.root() == y.root(),
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

fn show(r: &Result<Params, ParamError>) -> String {
    match r {
        Ok(p) => Value::Object(p.root().clone()).to_string(),
        Err(e) => format!("{e:?}"),
    }
}

const CONTENT_TYPES: &[&str] = &[
    "",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "application/json",
    "APPLICATION/JSON; charset=utf-8",
    "text/plain",
    "application/xml",
    "multipart/form-data; boundary=x",
];

/// Pieces close to the Rack grammar, so that most inputs reach the nested-key code.
const TOKENS: &[&str] = &[
    "a", "b", "user", "logos", "res", "url", "0", "1", "12", "999999", "1000000", "[", "]", "[]",
    "[a]", "[b]", "[0]", "[1]", "[]", "][", "[[", "]]", "=", "=", "&", "&", ";", "&&", "%5B",
    "%5D", "%5b%5d", "%", "%F", "%FF", "%C3%A9", "%E2%82", "%00", "%2", "+", "%20", "%26", "%3D",
    "é", "日本", "x", "_json", "[][", "[=]", "a[", "]=",
];

fn token_soup(rng: &mut Rng, max_tokens: usize) -> Vec<u8> {
    let n = rng.below(max_tokens + 1);
    let mut out = Vec::new();
    for _ in 0..n {
        if rng.one_in(40) {
            out.push(rng.next() as u8);
        } else {
            out.extend_from_slice(rng.pick(TOKENS).as_bytes());
        }
    }
    if rng.one_in(60) {
        // Deep nesting around the limit.
        let mut k = b"d".to_vec();
        for _ in 0..MAX_DEPTH - 3 + rng.below(8) {
            k.extend_from_slice(rng.pick(&["[x]", "[]", "[0]"]).as_bytes());
        }
        k.extend_from_slice(b"=v&");
        k.extend_from_slice(&out);
        out = k;
    }
    out
}

/// Percent-encodes every byte that is not `& ; = % +` or a hex digit (property 4).
fn encode_transparent(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 3);
    for &b in data {
        if b"&;=%+".contains(&b) || b.is_ascii_hexdigit() || rng.one_in(3) {
            out.push(b);
        } else if rng.one_in(2) {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.extend_from_slice(format!("%{b:02x}").as_bytes());
        }
    }
    out
}

// ---- Generated trees (property 5) ----

const KEY_PARTS: &[&str] = &[
    "a",
    "b",
    "c",
    "user",
    "email",
    "details",
    "Process ID",
    "x y",
    "a&b",
    "k=v",
    "50%",
    "1+1",
    "semi;colon",
    "#frag",
    "?q",
    "/p",
    "é",
    "日本",
    "🙂",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    "<>",
    "-",
    "_",
    "~",
    ".",
    "*",
    "0x",
    "ab1",
];

/// A non-empty key with no brackets that is not all digits (digit-only keys become indexes).
fn gen_key(rng: &mut Rng) -> String {
    let mut k = String::new();
    for _ in 0..1 + rng.below(3) {
        k.push_str(rng.pick(KEY_PARTS));
    }
    if k.bytes().all(|b| b.is_ascii_digit()) {
        k.push('k');
    }
    k
}

fn gen_text(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => rng.below(1_000_000).to_string(),
        2 => "a b&c=d;e+f%g".to_string(),
        _ => {
            let mut s = String::new();
            for _ in 0..rng.below(5) {
                s.push_str(rng.pick(KEY_PARTS));
                if rng.one_in(3) {
                    s.push_str(rng.pick(&["[", "]", "[]", " ", "=", "&"]));
                }
            }
            s
        }
    }
}

/// Values that a form can express and that parse back unchanged.
fn gen_value(rng: &mut Rng, depth: usize) -> Value {
    let choice = if depth >= 5 { 0 } else { rng.below(6) };
    match choice {
        0 | 1 => Value::String(gen_text(rng)),
        2 => Value::Object(gen_map(rng, depth + 1, 4)),
        3 => Value::Array(
            (0..1 + rng.below(4))
                .map(|_| Value::String(gen_text(rng)))
                .collect(),
        ),
        4 => {
            // Rack `x[][a]=..&x[][b]=..`: every element has the key "a", written first, so each
            // element starts where "a" repeats; element values are texts or lists of texts.
            Value::Array(
                (0..1 + rng.below(3))
                    .map(|_| {
                        let mut m = Map::new();
                        m.insert("a".into(), Value::String(gen_text(rng)));
                        for _ in 0..rng.below(3) {
                            let v = if rng.one_in(3) {
                                Value::Array(
                                    (0..1 + rng.below(3))
                                        .map(|_| Value::String(gen_text(rng)))
                                        .collect(),
                                )
                            } else {
                                Value::String(gen_text(rng))
                            };
                            m.insert(gen_key(rng), v);
                        }
                        Value::Object(m)
                    })
                    .collect(),
            )
        }
        _ => {
            // php `x[0][..]`: any values, written with explicit indexes.
            Value::Array(
                (0..1 + rng.below(3))
                    .map(|_| gen_value(rng, depth + 1))
                    .collect(),
            )
        }
    }
}

fn gen_map(rng: &mut Rng, depth: usize, max: usize) -> Map<String, Value> {
    let mut m = Map::new();
    for _ in 0..1 + rng.below(max) {
        m.insert(gen_key(rng), gen_value(rng, depth));
    }
    m
}

/// One key segment of a path.
#[derive(Clone)]
enum Seg {
    Name(String),
    Push,
}

/// Encodes a component: unreserved bytes kept or encoded at random, the rest always encoded
/// (space as `+` or `%20`), UTF-8 sometimes raw.
fn enc(rng: &mut Rng, s: &str, out: &mut Vec<u8>) {
    for &b in s.as_bytes() {
        let unreserved = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        if (unreserved || (b >= 0x80 && rng.one_in(2))) && !rng.one_in(8) {
            out.push(b);
        } else if b == b' ' && rng.one_in(2) {
            out.push(b'+');
        } else if rng.one_in(2) {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.extend_from_slice(format!("%{b:02x}").as_bytes());
        }
    }
}

fn bracket(rng: &mut Rng, open: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(match (open, rng.below(3)) {
        (true, 0) => b"%5B".as_slice(),
        (true, 1) => b"%5b",
        (true, _) => b"[",
        (false, 0) => b"%5D",
        (false, 1) => b"%5d",
        (false, _) => b"]",
    });
}

/// Writes one pair `path=value` (or `path` alone for an empty value, sometimes).
fn write_pair(rng: &mut Rng, path: &[Seg], value: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, seg) in path.iter().enumerate() {
        match (i, seg) {
            (0, Seg::Name(n)) => enc(rng, n, &mut out),
            (_, Seg::Name(n)) => {
                bracket(rng, true, &mut out);
                enc(rng, n, &mut out);
                bracket(rng, false, &mut out);
            }
            (_, Seg::Push) => {
                bracket(rng, true, &mut out);
                bracket(rng, false, &mut out);
            }
        }
    }
    if !value.is_empty() || !rng.one_in(3) {
        out.push(b'=');
        enc(rng, value, &mut out);
    }
    out
}

/// The pairs that express `v` under `path`, in an order the parser rebuilds it from.
fn flatten(rng: &mut Rng, path: &mut Vec<Seg>, v: &Value, out: &mut Vec<Vec<u8>>) {
    match v {
        Value::String(s) => out.push(write_pair(rng, path, s)),
        Value::Object(m) => {
            for (k, c) in m {
                path.push(Seg::Name(k.clone()));
                flatten(rng, path, c, out);
                path.pop();
            }
        }
        Value::Array(items) if items.iter().all(Value::is_string) && rng.one_in(2) => {
            for item in items {
                path.push(Seg::Push);
                flatten(rng, path, item, out);
                path.pop();
            }
        }
        Value::Array(items)
            if items
                .iter()
                .all(|i| i.get("a").is_some_and(Value::is_string))
                && items.iter().all(rack_element) =>
        {
            for item in items {
                let m = item.as_object().expect("checked");
                path.push(Seg::Push);
                for (k, c) in std::iter::once(("a", &m["a"])).chain(
                    m.iter()
                        .filter(|(k, _)| *k != "a")
                        .map(|(k, c)| (k.as_str(), c)),
                ) {
                    path.push(Seg::Name(k.to_string()));
                    flatten(rng, path, c, out);
                    path.pop();
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            // Explicit indexes, groups in random order (the parser sorts them).
            let mut groups: Vec<Vec<Vec<u8>>> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut g = Vec::new();
                    path.push(Seg::Name(i.to_string()));
                    flatten(rng, path, item, &mut g);
                    path.pop();
                    g
                })
                .collect();
            for i in (1..groups.len()).rev() {
                groups.swap(i, rng.below(i + 1));
            }
            out.extend(groups.into_iter().flatten());
        }
        _ => unreachable!("generated trees hold texts, objects and arrays only"),
    }
}

/// An element that Rack `x[][k]` syntax rebuilds: texts or lists of texts under it.
fn rack_element(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.values()
            .all(|c| c.is_string() || c.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
    })
}

fn join(rng: &mut Rng, pairs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    if rng.one_in(8) {
        out.push(b'&');
    }
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(rng.pick(&["&", "&", ";", "&&", "&;"]).as_bytes());
        }
        out.extend_from_slice(p);
    }
    out
}

/// Interleaves per-key pair lists at random, keeping each list's own order.
fn interleave(rng: &mut Rng, mut lists: Vec<Vec<Vec<u8>>>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    lists.retain(|l| !l.is_empty());
    let mut heads = vec![0; lists.len()];
    while !lists.is_empty() {
        let i = rng.below(lists.len());
        out.push(lists[i][heads[i]].clone());
        heads[i] += 1;
        if heads[i] == lists[i].len() {
            lists.swap_remove(i);
            heads.swap_remove(i);
        }
    }
    out
}

struct Counters {
    executions: u64,
    round_trips: u64,
    ok: u64,
    err: u64,
}

fn random_bytes_case(rng: &mut Rng, seed: u64, c: &mut Counters) {
    let query = rng.bytes(64);
    let body = rng.bytes(96);
    let ct = rng.pick(CONTENT_TYPES);
    let q = (!rng.one_in(4)).then_some(query.as_slice());
    let r = parse(seed, q, ct, &body);
    c.executions += 1;
    assert_bounded(seed, query.len() + body.len(), &r);
    tally(c, &r);
}

fn soup_case(rng: &mut Rng, seed: u64, c: &mut Counters) {
    let a = token_soup(rng, 24);
    let b = token_soup(rng, 24);
    let body = token_soup(rng, 24);
    let ct = rng.pick(&CONTENT_TYPES[..3]);
    let r = parse(seed, Some(&a), ct, &body);
    c.executions += 1;
    assert_bounded(seed, a.len() + body.len(), &r);
    tally(c, &r);
    // Deterministic.
    let again = parse(seed, Some(&a), ct, &body);
    c.executions += 1;
    assert!(same(&r, &again), "seed {seed:#x}: two parses differ");
    // `a` then `b` equals `a&b`.
    let mut joined = a.clone();
    joined.push(b'&');
    joined.extend_from_slice(&b);
    let one = parse(seed, Some(&joined), "", b"");
    let mut two = Params::new();
    let two = two
        .add_urlencoded(&a)
        .and_then(|()| two.add_urlencoded(&b))
        .map(|()| {
            two.finish();
            two
        });
    c.executions += 2;
    assert!(
        same(&one, &two),
        "seed {seed:#x}: a&b differs from a then b: {} vs {}",
        show(&one),
        show(&two)
    );
    // Percent-encoding everything else is transparent.
    let encoded = encode_transparent(rng, &a);
    let re = parse(seed, Some(&encoded), ct, &body);
    c.executions += 1;
    assert!(
        same(&r, &re),
        "seed {seed:#x}: {:?} and {:?} parse differently: {} vs {}",
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&encoded),
        show(&r),
        show(&re)
    );
}

fn json_case(rng: &mut Rng, seed: u64, c: &mut Counters) {
    let value = if rng.one_in(4) {
        gen_value(rng, 0)
    } else {
        Value::Object(gen_map(rng, 0, 6))
    };
    let mut text = value.to_string().into_bytes();
    let mutated = match rng.below(4) {
        0 if !text.is_empty() => {
            let i = rng.below(text.len());
            text[i] = rng.next() as u8;
            true
        }
        1 if !text.is_empty() => {
            text.truncate(rng.below(text.len()));
            true
        }
        _ => false,
    };
    if rng.one_in(3) {
        text.splice(0..0, b" \n\t".iter().copied());
    }
    let ct = rng.pick(&["application/json", "", "application/json; charset=utf-8"]);
    let r = parse(seed, None, ct, &text);
    c.executions += 1;
    assert_bounded(seed, text.len(), &r);
    tally(c, &r);
    if !mutated && (ct.contains("json") || value.is_object() || value.is_array()) {
        let expected = match value {
            Value::Object(m) => m,
            other => Map::from_iter([("_json".to_string(), other)]),
        };
        let got = r.unwrap_or_else(|e| panic!("seed {seed:#x}: valid JSON refused: {e:?}"));
        // Generated objects have no digit-only keys, so `finish` changes nothing.
        assert_eq!(got.root(), &expected, "seed {seed:#x}");
        c.round_trips += 1;
    }
}

fn round_trip_case(rng: &mut Rng, seed: u64, c: &mut Counters) {
    let tree = gen_map(rng, 0, 6);
    // Each top-level key goes to the query or to the body.
    let to_body: Vec<bool> = tree.keys().map(|_| rng.one_in(2)).collect();
    let json_body = rng.one_in(3);
    let mut query_lists = Vec::new();
    let mut body_lists = Vec::new();
    let mut body_map = Map::new();
    for ((k, v), in_body) in tree.iter().zip(&to_body) {
        let mut pairs = Vec::new();
        flatten(rng, &mut vec![Seg::Name(k.clone())], v, &mut pairs);
        match (in_body, json_body) {
            (false, _) => query_lists.push(pairs),
            (true, false) => body_lists.push(pairs),
            (true, true) => {
                body_map.insert(k.clone(), v.clone());
            }
        }
    }
    let query_pairs = interleave(rng, query_lists);
    let query = join(rng, &query_pairs);
    let mut body_lists_len = body_map.len();
    let (ct, body) = if json_body {
        let ct = rng.pick(&["application/json", "text/json", ""]);
        let text = Value::Object(body_map).to_string();
        // An empty object sniffs as JSON too; drop it sometimes to test "no body".
        if text == "{}" && rng.one_in(2) {
            (ct, Vec::new())
        } else {
            (ct, text.into_bytes())
        }
    } else {
        let pairs = interleave(rng, body_lists);
        body_lists_len = pairs.len();
        (rng.pick(&CONTENT_TYPES[..3]), join(rng, &pairs))
    };
    let q = (!query.is_empty() || rng.one_in(2)).then_some(query.as_slice());
    let r = parse(seed, q, ct, &body);
    c.executions += 1;
    let pairs = query_pairs.len() + body_lists_len;
    if pairs > MAX_PAIRS {
        // A rare huge tree: over the budget, refused as a whole.
        assert_eq!(r.err(), Some(ParamError::TooComplex), "seed {seed:#x}");
        return;
    }
    match &r {
        Ok(p) => assert_eq!(
            p.root(),
            &tree,
            "seed {seed:#x}: query={:?} body={:?}",
            String::from_utf8_lossy(&query),
            String::from_utf8_lossy(&body)
        ),
        Err(e) => panic!(
            "seed {seed:#x}: {e:?} for query={:?} content-type={ct:?} body={:?}",
            String::from_utf8_lossy(&query),
            String::from_utf8_lossy(&body)
        ),
    }
    assert_bounded(seed, query.len() + body.len(), &r);
    c.round_trips += 1;
    c.ok += 1;
}

fn tally(c: &mut Counters, r: &Result<Params, ParamError>) {
    if r.is_ok() {
        c.ok += 1;
    } else {
        c.err += 1;
    }
}

#[test]
fn parser_properties_hold_for_seeded_random_inputs() {
    let cases = env_u64("PARAMS_FUZZ_CASES", 20_000);
    let base = env_u64("PARAMS_FUZZ_SEED", 0x5eed_0f9a_2a5e_5001);
    let started = Instant::now();
    let mut c = Counters {
        executions: 0,
        round_trips: 0,
        ok: 0,
        err: 0,
    };
    for i in 0..cases {
        let seed = base.wrapping_add(i.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let mut rng = Rng(seed);
        match rng.below(8) {
            0 | 1 => random_bytes_case(&mut rng, seed, &mut c),
            2..=4 => soup_case(&mut rng, seed, &mut c),
            5 => json_case(&mut rng, seed, &mut c),
            _ => round_trip_case(&mut rng, seed, &mut c),
        }
    }
    eprintln!(
        "params property test: {cases} cases, {} parser executions ({} accepted, {} refused \
         inputs), {} round trips, seed {base:#x}, {:.2?}",
        c.executions,
        c.ok,
        c.err,
        c.round_trips,
        started.elapsed()
    );
    // The generators reach both outcomes and the round trips.
    assert!(c.round_trips > cases / 5, "{}", c.round_trips);
    assert!(
        c.ok > cases / 4 && c.err > cases / 20,
        "{} ok, {} err",
        c.ok,
        c.err
    );
}

// ---- The limits at N and N + 1 ----

fn form(s: &str) -> Result<Params, ParamError> {
    let mut p = Params::new();
    p.add_urlencoded(s.as_bytes()).map(|()| p)
}

#[test]
fn pair_limit_is_exact() {
    let pairs = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join("&")
    };
    assert_eq!(form(&pairs(MAX_PAIRS)).unwrap().root().len(), MAX_PAIRS);
    assert_eq!(
        form(&pairs(MAX_PAIRS + 1)).err(),
        Some(ParamError::TooComplex)
    );
    // Empty pairs are free; query and body share the budget; JSON keys count too.
    let sparse = pairs(MAX_PAIRS).replace('&', "&&;");
    assert!(form(&sparse).is_ok());
    let half = pairs(MAX_PAIRS / 2);
    let mut p = Params::new();
    assert!(
        p.add_request(
            Some(half.as_bytes()),
            "application/x-www-form-urlencoded",
            half.as_bytes()
        )
        .is_ok()
    );
    let mut p = Params::new();
    let more = format!("{half}&x=1");
    assert_eq!(
        p.add_request(Some(half.as_bytes()), "", more.as_bytes()),
        Err(ParamError::TooComplex)
    );
    let json = |n: usize| {
        Value::Object((0..n).map(|i| (format!("j{i}"), Value::Null)).collect()).to_string()
    };
    assert!(Params::new().add_json(json(MAX_PAIRS).as_bytes()).is_ok());
    assert_eq!(
        Params::new().add_json(json(MAX_PAIRS + 1).as_bytes()),
        Err(ParamError::TooComplex)
    );
}

#[test]
fn key_length_limit_is_exact() {
    // Measured after percent-decoding.
    let k = "k".repeat(MAX_KEY_LEN);
    assert!(form(&format!("{k}=1")).is_ok());
    assert_eq!(form(&format!("{k}k=1")).err(), Some(ParamError::TooComplex));
    let encoded = "%6B".repeat(MAX_KEY_LEN);
    assert!(form(&format!("{encoded}=1")).is_ok());
    assert_eq!(
        form(&format!("{encoded}%6B=1")).err(),
        Some(ParamError::TooComplex)
    );
    // Values have no such limit.
    assert!(form(&format!("k={}", "v".repeat(10 * MAX_KEY_LEN))).is_ok());
}

#[test]
fn depth_limit_is_exact() {
    // The limit counts normalize steps, as Rack's `param_depth_limit` does: `k[x]` is one step
    // per segment; `k[][x]` (array of hashes) is one step but two levels of the tree; in a chain
    // of `[]` every second one is a hash key `[]` (Rack: `k[][][]` is `{k: [{"[]": [v]}]}`).
    // (segment, most segments accepted, depth of the tree then, root counted)
    for (seg, most, depth) in [
        ("[x]", MAX_DEPTH - 1, MAX_DEPTH + 1),
        ("[0]", MAX_DEPTH - 1, MAX_DEPTH + 1),
        ("[]", 2 * MAX_DEPTH - 1, 2 * MAX_DEPTH + 1),
        ("[][x]", MAX_DEPTH - 1, 2 * MAX_DEPTH),
        ("[x][]", MAX_DEPTH - 1, 2 * MAX_DEPTH),
    ] {
        let key = |n: usize| format!("k{}=v", seg.repeat(n));
        let ok = form(&key(most)).unwrap_or_else(|e| panic!("{seg}: {e:?}"));
        assert_eq!(measure(ok.root()).1, depth, "{seg}");
        assert_eq!(
            form(&key(most + 1)).err(),
            Some(ParamError::TooComplex),
            "{seg}"
        );
    }
    let mut p = form("k[][][]=v").unwrap();
    p.finish();
    assert_eq!(
        Value::Object(p.root().clone()),
        serde_json::json!({"k": [{"[]": ["v"]}]})
    );
    // JSON: a body MAX_DEPTH deep (the outer object counted) is accepted, one more is not.
    let nested = |d: usize| format!("{{\"k\":{}1{}}}", "[".repeat(d - 2), "]".repeat(d - 2));
    let ok = {
        let mut p = Params::new();
        p.add_json(nested(MAX_DEPTH).as_bytes())
            .map(|()| p)
            .unwrap()
    };
    assert_eq!(measure(ok.root()).1, MAX_DEPTH);
    assert_eq!(
        Params::new().add_json(nested(MAX_DEPTH + 1).as_bytes()),
        Err(ParamError::TooComplex)
    );
}

#[test]
fn index_keys_become_arrays_up_to_six_digits() {
    let parsed = |s: &str| {
        let mut p = form(s).unwrap();
        p.finish();
        Value::Object(p.root().clone())
    };
    assert_eq!(
        parsed("a[999999]=x&a[2]=y"),
        serde_json::json!({"a": ["y", "x"]})
    );
    assert_eq!(
        parsed("a[1000000]=x&a[2]=y"),
        serde_json::json!({"a": {"1000000": "x", "2": "y"}})
    );
    assert_eq!(
        parsed("a[0]=x&a[b]=y"),
        serde_json::json!({"a": {"0": "x", "b": "y"}})
    );
    // Top-level digit keys stay keys.
    assert_eq!(parsed("0=x&1=y"), serde_json::json!({"0": "x", "1": "y"}));
}

#[test]
fn rack_arrays_of_hashes_split_on_a_repeated_key() {
    let parsed = |s: &str| {
        let mut p = form(s).unwrap();
        p.finish();
        Value::Object(p.root().clone())
    };
    // The `has_key` guard: `url` then `res` stay in one element; a repeated `url` starts one.
    assert_eq!(
        parsed("l[][url]=u&l[][res]=a&l[][url]=v"),
        serde_json::json!({"l": [{"url": "u", "res": "a"}, {"url": "v"}]})
    );
    assert_eq!(
        parsed("l[][a][b]=1&l[][a][c]=2&l[][a][b]=3"),
        serde_json::json!({"l": [{"a": {"b": "1", "c": "2"}}, {"a": {"b": "3"}}]})
    );
}

// ---- The Twilio form parser (`crate::twilio::form`) ----
//
// Properties, for every input (`TWILIO_FORM_FUZZ_CASES`, `TWILIO_FORM_FUZZ_SEED`):
// 1. it never panics and its output is bounded: at most `MAX_PAIRS` pairs, no more key and value
//    bytes than the input had;
// 2. it is deterministic, and the query's pairs come before the body's, in wire order;
// 3. generated pairs (any Unicode, repeated keys, dotted names, JSON-string values) written with
//    any mix of literal bytes, `%XX` escapes (either case) and `+` or `%20` for spaces, with
//    empty pairs and `k` for `k=`, parse back to exactly those pairs.

use crate::twilio::form::{Form, FormError};

fn form_parse(seed: u64, query: Option<&[u8]>, ct: &str, body: &[u8]) -> Result<Form, FormError> {
    std::panic::catch_unwind(|| Form::parse(query, ct, body)).unwrap_or_else(|_| {
        panic!(
            "seed {seed:#x}: the Twilio form parser panicked on query {:?}, type {ct:?}, body {:?}",
            query.map(String::from_utf8_lossy),
            String::from_utf8_lossy(body)
        )
    })
}

const TWILIO_KEYS: &[&str] = &[
    "To",
    "Channel",
    "Totp.TimeStep",
    "Details.Fields",
    "Passkeys.RelyingParty.Origins",
    "EventTypes",
    "a b",
    "k=v",
    "ü",
    "&",
    "+",
    "%",
    "",
];

fn twilio_text(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => r#"{"label": "IP", "value": "1.2.3.4"}"#.to_string(),
        2 => "+15017122661".to_string(),
        3 => rng.pick(TWILIO_KEYS).to_string(),
        _ => (0..rng.below(12))
            .map(|_| {
                rng.pick(&[
                    "a", "Z", "0", " ", "+", "&", "=", "%", ";", "é", "€", "😀", "\u{0}", "\n",
                    ".", "[", "]",
                ])
            })
            .collect(),
    }
}

/// Writes `s` as a form component, each byte chosen at random among the spellings that decode
/// to it.
fn twilio_encode(rng: &mut Rng, s: &str, out: &mut Vec<u8>) {
    for &b in s.as_bytes() {
        let reserved = matches!(b, b'&' | b'=' | b'%' | b'+') || !b.is_ascii_graphic();
        match (b, rng.below(3)) {
            (b' ', 0) => out.push(b'+'),
            (b' ', 1) => out.extend_from_slice(b"%20"),
            (_, 0) if !reserved => out.push(b),
            (_, 1) => out.extend_from_slice(format!("%{b:02x}").as_bytes()),
            _ => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
        }
    }
}

fn twilio_write(rng: &mut Rng, pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if rng.one_in(5) {
            out.push(b'&');
        }
        if !out.is_empty() && out.last() != Some(&b'&') {
            out.push(b'&');
        }
        twilio_encode(rng, k, &mut out);
        if !v.is_empty() || rng.below(2) == 0 {
            out.push(b'=');
            twilio_encode(rng, v, &mut out);
        }
    }
    out
}

#[test]
fn twilio_form_properties_hold_for_seeded_random_inputs() {
    let cases = env_u64("TWILIO_FORM_FUZZ_CASES", 10_000);
    let base = env_u64("TWILIO_FORM_FUZZ_SEED", 0x5eed_7711_0f0a_0001);
    let started = Instant::now();
    let (mut round_trips, mut refused) = (0u64, 0u64);
    for i in 0..cases {
        let seed = base.wrapping_add(i.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let mut rng = Rng(seed);
        if rng.below(3) == 0 {
            // Random bytes in the query and the body, any content type.
            let query = rng.bytes(64);
            let body = rng.bytes(128);
            let ct = rng.pick(&["application/x-www-form-urlencoded", "application/json", ""]);
            let q = rng.one_in(2).then_some(query.as_slice());
            let first = form_parse(seed, q, ct, &body);
            let second = form_parse(seed, q, ct, &body);
            match (&first, &second) {
                (Ok(a), Ok(b)) => assert_eq!(a.pairs(), b.pairs(), "seed {seed:#x}"),
                (Err(a), Err(b)) => assert_eq!(a, b, "seed {seed:#x}"),
                _ => panic!("seed {seed:#x}: not deterministic"),
            }
            match first {
                Ok(f) => {
                    assert!(f.pairs().len() <= MAX_PAIRS, "seed {seed:#x}");
                    let out: usize = f.pairs().iter().map(|(k, v)| k.len() + v.len()).sum();
                    let input = q.map_or(0, <[u8]>::len) + body.len();
                    assert!(out <= input, "seed {seed:#x}: {out} > {input}");
                }
                Err(_) => refused += 1,
            }
            continue;
        }
        // Round trip, split between the query and the body.
        let pairs: Vec<(String, String)> = (0..rng.below(10))
            .map(|_| (twilio_text(&mut rng), twilio_text(&mut rng)))
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .collect();
        let split = rng.below(pairs.len() + 1);
        let query = twilio_write(&mut rng, &pairs[..split]);
        let body = twilio_write(&mut rng, &pairs[split..]);
        let q = (!query.is_empty() || rng.one_in(2)).then_some(query.as_slice());
        let parsed = form_parse(seed, q, "application/x-www-form-urlencoded", &body)
            .unwrap_or_else(|e| panic!("seed {seed:#x}: {e:?} for {pairs:?}"));
        assert_eq!(parsed.pairs(), pairs.as_slice(), "seed {seed:#x}");
        round_trips += 1;
    }
    eprintln!(
        "twilio form property test: {cases} cases, {round_trips} round trips, {refused} refused \
         random inputs, seed {base:#x}, {:.2?}",
        started.elapsed()
    );
    assert!(round_trips > cases / 2, "{round_trips}");
    assert!(refused > 0, "random bytes reach the refusals");
}
