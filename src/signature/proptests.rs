//! Seeded property tests of the canonicaliser and the verifier (a fuzzer's job, with a
//! deterministic generator so that `cargo test` stays bounded and repeatable).
//!
//! The properties, over generated callbacks, mutations of them and random text:
//! 1. whatever the single-pass canonicaliser writes is what the reference writes (and when it
//!    says `TooLarge`, so does the reference), and the [`VerifiedParams`] built from its tree,
//!    like those built from the reference's, hold exactly the reference's tree and answer every
//!    pointer into it (and near misses) as a lookup in that tree does;
//! 2. the public functions never panic, and canonical text is ASCII;
//! 3. a signature computed for a callback verifies it, and a mutated callback verifies with the
//!    same signature only if its canonical text is unchanged.
//!
//! `cargo test --lib` runs [`CASES`] cases per target; the long run is
//! `SIGNATURE_FUZZ_CASES=5000000 cargo test --release --lib signature::proptests::long -- --ignored --nocapture`.

use super::*;

/// Cases per target in the default test run (fewer in a debug build, which is ~10 × slower).
const CASES: u64 = if cfg!(debug_assertions) { 1_000 } else { 5_000 };

/// xorshift64*: small, seeded, good enough to spread inputs.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Keys that stress the ordering rules: prefixes of each other, escaped bytes, brackets.
const KEYS: &[&str] = &[
    "a",
    "a2",
    "aZ",
    "a b",
    "a/b",
    "a%",
    "a-",
    "a.",
    "b",
    "device",
    "device_uuid",
    "status",
    "uuid",
    "k",
    "k[",
    "x]",
    "é",
    "~",
    "",
    "0",
    "A",
    "a=",
    "Process ID",
    "_",
    "a[b]",
    "logos",
];

/// Scalar texts: escapes, unicode, empty, digits, characters JSON must escape.
const TEXTS: &[&str] = &[
    "", "approved", "a b", "x/y+z=", "é", "😀", "\"", "\\", "\n", "1", "-1.5e+3", "~", "&", "=",
    "%", "[]", "true",
];

/// JSON numbers, as their literal text.
const NUMBERS: &[&str] = &["0", "1", "-1", "12.5", "1e5", "-1.50e+3", "688611"];
/// JSON whitespace runs.
const SPACES: &[&str] = &[" ", "\n", "\t ", "\r\n"];

#[derive(Clone, Debug)]
enum Gen {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(String),
    Obj(Vec<(String, Gen)>),
    Arr(Vec<Gen>),
}

fn gen_text(rng: &mut Rng, pool: &[&str]) -> String {
    if rng.chance(70) {
        (*rng.pick(pool)).to_string()
    } else {
        let alphabet = "abAZ09_.-~ /+=&%[]é\"\\";
        let chars: Vec<char> = alphabet.chars().collect();
        (0..rng.below(6)).map(|_| *rng.pick(&chars)).collect()
    }
}

fn gen_value(rng: &mut Rng, depth: usize) -> Gen {
    let container = depth < 5 && rng.chance(35);
    if container {
        let n = rng.below(5);
        if rng.chance(60) {
            let mut members = Vec::new();
            for _ in 0..n {
                let key = gen_text(rng, KEYS);
                if !rng.chance(3) && members.iter().any(|(k, _)| *k == key) {
                    continue; // a repeated key now and then, mostly unique
                }
                members.push((key, gen_value(rng, depth + 1)));
            }
            Gen::Obj(members)
        } else {
            Gen::Arr((0..n).map(|_| gen_value(rng, depth + 1)).collect())
        }
    } else {
        match rng.below(6) {
            0 => Gen::Null,
            1 => Gen::Bool(rng.chance(50)),
            2 => Gen::Num(NUMBERS[rng.below(NUMBERS.len())]),
            _ => Gen::Str(gen_text(rng, TEXTS)),
        }
    }
}

fn gen_root(rng: &mut Rng) -> Gen {
    loop {
        if let Gen::Obj(m) = gen_value(rng, 0) {
            return Gen::Obj(m);
        }
    }
}

fn write_json_string(rng: &mut Rng, s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '/' if rng.chance(30) => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if rng.chance(10) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.chance(10) {
        out.push_str(SPACES[rng.below(SPACES.len())]);
    }
}

fn write_json(rng: &mut Rng, g: &Gen, out: &mut String) {
    ws(rng, out);
    match g {
        Gen::Null => out.push_str("null"),
        Gen::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Gen::Num(n) => out.push_str(n),
        Gen::Str(s) => write_json_string(rng, s, out),
        Gen::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                write_json_string(rng, k, out);
                ws(rng, out);
                out.push(':');
                write_json(rng, v, out);
            }
            ws(rng, out);
            out.push('}');
        }
        Gen::Arr(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(rng, v, out);
            }
            ws(rng, out);
            out.push(']');
        }
    }
    ws(rng, out);
}

/// A generated JSON body.
pub(super) fn gen_json(rng: &mut Rng) -> String {
    let root = gen_root(rng);
    let mut out = String::new();
    write_json(rng, &root, &mut out);
    out
}

/// A generated GET query: the canonical text of a generated body (what Authy sends), often
/// changed the way a proxy or a hand-written client might change it.
pub(super) fn gen_query(rng: &mut Rng) -> String {
    let body = gen_json(rng);
    let Ok(canonical) = canonical_params(Method::Post, &body) else {
        return body; // not even a query: still a fine input
    };
    let mut parts: Vec<String> = canonical.split('&').map(str::to_string).collect();
    match rng.below(8) {
        0 => {
            let i = rng.below(parts.len() + 1);
            parts.insert(i, String::new()); // an empty component
        }
        1 if parts.len() > 1 => {
            let (i, j) = (rng.below(parts.len()), rng.below(parts.len()));
            parts.swap(i, j);
        }
        2 => {
            let i = rng.below(parts.len());
            let p = parts[i]
                .replace("%5B", "[")
                .replace("%5D", "]")
                .replace('+', "%20");
            parts[i] = p;
        }
        3 => {
            let i = rng.below(parts.len());
            let dup = parts[i].clone();
            parts.push(dup);
        }
        4 => {
            let i = rng.below(parts.len());
            parts[i] = parts[i].to_lowercase();
        }
        _ => {}
    }
    let q = parts.join("&");
    if rng.chance(10) { format!("?{q}") } else { q }
}

/// Random edits: a byte replaced, inserted or removed, a slice duplicated.
pub(super) fn mutate(rng: &mut Rng, s: &str) -> String {
    const BYTES: &[u8] = b"{}[]\":,\\u0123456789abcdefABCDEFnrtl.-+ &=%?;#\t";
    let mut b = s.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = if b.is_empty() { 0 } else { rng.below(b.len()) };
        match rng.below(4) {
            0 if !b.is_empty() => b[at] = *rng.pick(BYTES),
            1 => b.insert(at, *rng.pick(BYTES)),
            2 if !b.is_empty() => {
                b.remove(at);
            }
            _ if !b.is_empty() => {
                let end = (at + rng.below(8)).min(b.len());
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Whether the single-pass canonicaliser takes `params` (writes their canonical text).
pub(super) fn fast_takes(method: Method, params: &str) -> bool {
    matches!(
        fast::feed(method, params, &mut Vec::new(), MAX_CANONICAL_LEN),
        Ok(Some(_))
    )
}

/// Property 1 (and 2): the fast path agrees with the reference, and so do the verified
/// parameters built from its tree; nothing panics.
pub(super) fn check_agreement(method: Method, params: &str) {
    let mut fast_out = Vec::new();
    let fast = fast::feed(method, params, &mut fast_out, MAX_CANONICAL_LEN);
    let reference = reference::canonical(method, params, MAX_CANONICAL_LEN);
    match fast {
        Ok(Some(tree)) => {
            assert_eq!(
                reference.as_deref(),
                Ok(&fast_out[..]),
                "fast and reference disagree on {method} {params:?}"
            );
            let root = reference::parse(method, params).unwrap();
            let what = format!("{method} {params:?}");
            verified::oracle::assert_same(&tree.verified(), &root, &what);
        }
        Ok(None) => assert!(fast_out.is_empty(), "a fallback wrote output"),
        Err(e) => assert_eq!(reference, Err(e), "{method} {params:?}"),
    }
    if let Ok(root) = reference::parse(method, params) {
        let what = format!("reference, {method} {params:?}");
        verified::oracle::assert_same(&VerifiedParams::from_reference(&root), &root, &what);
    }
    match canonical_params(method, params) {
        Ok(text) => {
            assert!(text.is_ascii(), "{text:?}");
            assert_eq!(reference.as_deref(), Ok(text.as_bytes()));
        }
        Err(e) => assert_eq!(reference, Err(e)),
    }
}

/// Property 3: sign, verify, mutate, verify again.
pub(super) fn check_signature(rng: &mut Rng, method: Method, params: &str) {
    let key = "k3y";
    let request = CallbackRequest {
        method: method.as_str(),
        url: "https://example.com/cb",
        nonce: "1512923419",
        params,
    };
    let opts = CallbackOptions::new();
    let Ok(signature) = compute_signature(key, &request) else {
        return;
    };
    assert_eq!(verify_signature(key, &request, &signature, &opts), Ok(()));
    assert!(is_valid(key, &request, &signature, &opts));
    let original = canonical_params(method, params).unwrap();
    let mutated = mutate(rng, params);
    let changed = CallbackRequest {
        params: &mutated,
        ..request
    };
    if verify_signature(key, &changed, &signature, &opts).is_ok() {
        assert_eq!(
            canonical_params(method, &mutated).as_deref(),
            Ok(original.as_str()),
            "{params:?} -> {mutated:?} verified with a different canonical text"
        );
    }
}

/// One execution of each target on inputs drawn from `rng`; the number of executions.
pub(super) fn round(rng: &mut Rng) -> u64 {
    let body = gen_json(rng);
    check_agreement(Method::Post, &body);
    check_signature(rng, Method::Post, &body);
    let query = gen_query(rng);
    check_agreement(Method::Get, &query);
    check_signature(rng, Method::Get, &query);
    let (m1, m2) = (mutate(rng, &body), mutate(rng, &query));
    check_agreement(Method::Post, &m1);
    check_agreement(Method::Get, &m2);
    check_agreement(Method::Get, &m1);
    check_agreement(Method::Post, &m2);
    8
}

#[test]
fn generated_callbacks_agree_verify_and_resist_mutation() {
    let mut rng = Rng::new(0x5eed_0001);
    let mut fast_handled = [0u32; 2];
    for _ in 0..CASES {
        round(&mut rng);
        // The generator must reach the fast path often, or property 1 says little.
        let body = gen_json(&mut rng);
        let query = gen_query(&mut rng);
        for (i, (m, p)) in [(Method::Post, &body), (Method::Get, &query)]
            .into_iter()
            .enumerate()
        {
            if fast_takes(m, p) {
                fast_handled[i] += 1;
            }
        }
    }
    let least = CASES as u32 / 10;
    assert!(fast_handled.iter().all(|&n| n > least), "{fast_handled:?}");
}

#[test]
fn real_vectors_and_their_mutations() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/onetouch_signature_vectors.json"
    ))
    .unwrap();
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut rng = Rng::new(7);
    for v in all.as_array().unwrap() {
        let method = Method::parse(v["method"].as_str().unwrap()).unwrap();
        let p = v["body_json"]
            .as_str()
            .or(v["query_string"].as_str())
            .unwrap();
        // Every real vector takes the fast path.
        assert!(fast_takes(method, p), "{}", v["source"]);
        check_agreement(method, p);
        for _ in 0..200 {
            let m = mutate(&mut rng, p);
            check_agreement(method, &m);
            check_signature(&mut rng, method, p);
        }
    }
}

/// The long run for the report: `SIGNATURE_FUZZ_CASES` rounds (default 1,250,000 = 10 million
/// executions), seed from `SIGNATURE_FUZZ_SEED`.
#[test]
#[ignore = "long: run explicitly in release mode"]
fn long() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (cases, seed) = (
        env("SIGNATURE_FUZZ_CASES", 1_250_000),
        env("SIGNATURE_FUZZ_SEED", 1),
    );
    let mut rng = Rng::new(seed);
    let start = std::time::Instant::now();
    let mut executions = 0;
    for _ in 0..cases {
        executions += round(&mut rng);
    }
    eprintln!(
        "signature fuzz: {executions} executions in {:.1} s (seed {seed}), 0 failures",
        start.elapsed().as_secs_f64()
    );
}

/// Findings of the long run, kept as regression cases.
#[test]
fn fuzz_findings() {
    // A repeated key whose twins the chunk order puts apart (`""` as a hash sorts first, `" \"]"`
    // next, `""` as a scalar after it): once accepted by the fast path.
    let body = "{\"\":{\"\":1},\"\":false,\" \\\"]\":{\n},\"-é9 \":\"\\u00E9\"}";
    check_agreement(Method::Post, body);
    assert!(matches!(
        canonical_params(Method::Post, body),
        Err(SignatureError::MalformedParams(_))
    ));
    for body in [
        r#"{"a":{"x":1},"a2":1,"a":2}"#,
        r#"{"a":2,"a2":1,"a":{"x":1}}"#,
        r#"{"a b":1,"a":{"x":1},"a b":2}"#,
    ] {
        check_agreement(Method::Post, body);
        assert!(
            matches!(
                canonical_params(Method::Post, body),
                Err(SignatureError::MalformedParams(_))
            ),
            "{body}"
        );
    }
}

/// The sort words (`fast::SortKey`): keys that share their first 16 bytes, keys of exactly 15,
/// 16 and 17 bytes, keys that are prefixes of each other with every connective (scalar, hash,
/// array, empty containers), the empty key, and keys that need escaping, at the top level and
/// below: the fast path writes what the reference writes, or leaves the body to it.
#[test]
fn sort_word_edges() {
    let keys = [
        "registration_city",
        "registration_country",
        "registration_ip",
        "registration_cit",
        "registration_ci",
        "registration_c",
        "registration_",
        "abcdefghijklmnop",
        "abcdefghijklmno",
        "abcdefghijklmnopq",
        "abcdefgh",
        "abcdefg",
        "abcd",
        "abc",
        "a",
        "",
        "a b",
        "a-",
        "a.",
        "a0",
        "a=",
        "a[",
    ];
    let values = [
        "1",
        r#""x""#,
        "null",
        r#"{"z":1}"#,
        "[1]",
        "{}",
        "[]",
        r#"[{"y":2}]"#,
    ];
    let mut rng = Rng::new(16);
    let mut fast_taken = 0;
    for _ in 0..3_000 {
        let n = 1 + rng.below(6);
        let members: Vec<String> = (0..n)
            .map(|_| {
                let key = serde_json::to_string(rng.pick(&keys)).unwrap();
                format!("{key}:{}", rng.pick(&values))
            })
            .collect();
        let object = format!("{{{}}}", members.join(","));
        check_agreement(Method::Post, &object);
        check_agreement(Method::Post, &format!(r#"{{"outer":{object},"o":1}}"#));
        if fast_takes(Method::Post, &object) {
            fast_taken += 1;
        }
    }
    // Most bodies go through the sort words (the others repeat a key or hold a shape the fast
    // path leaves to the reference).
    assert!(
        fast_taken > 1_000,
        "the fast path took only {fast_taken} bodies"
    );
}
