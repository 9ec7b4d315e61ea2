//! Seeded property test of the response parser (`Response::from_bytes` and every accessor):
//! random bytes, near-valid JSON, and well-formed Authy answers with random values, under random
//! HTTP statuses. Properties: no panic; a 200 that is not a JSON object (or not UTF-8) is a
//! `Decode` error; `ok()` implies a 200; `error()` is `Some` exactly when `!ok()`, with the
//! answer's status and an API kind; a body over the limit is refused; accessors agree with the
//! JSON.
//!
//! `cargo test` runs 20,000 cases; `AUTHY_FUZZ_CASES=N` runs N (the closing note's long run),
//! `AUTHY_FUZZ_SEED` changes the seed (printed on failure).

use authy::{ErrorKind, MAX_BODY_BYTES, Response};

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const STATUSES: [u16; 14] = [
    200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 503,
];
const KEYS: [&str; 14] = [
    "success",
    "message",
    "error_code",
    "errors",
    "token",
    "user",
    "id",
    "approval_request",
    "uuid",
    "status",
    "ignored",
    "cellphone",
    "seconds_to_expire",
    "qr_code",
];

fn json_value(r: &mut Rng, depth: u32) -> String {
    match r.below(if depth > 3 { 6 } else { 9 }) {
        0 => "null".into(),
        1 => r.pick(&["true", "false"]).to_string(),
        2 => format!("{}", r.next() as i64 >> r.below(60)),
        3 => format!(
            "{}.{}e{}",
            r.below(1000),
            r.below(1000),
            r.below(40) as i64 - 20
        ),
        4 => format!("\"{}\"", json_text(r)),
        5 => format!(
            "\"{}\"",
            r.pick(&["is valid", "60020", "approved", "pending", "\\u0000", "é"])
        ),
        6 | 7 => {
            let n = r.below(5);
            let fields: Vec<String> = (0..n)
                .map(|_| format!("\"{}\":{}", r.pick(&KEYS), json_value(r, depth + 1)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        _ => {
            let n = r.below(4);
            let items: Vec<String> = (0..n).map(|_| json_value(r, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
    }
}

fn json_text(r: &mut Rng) -> String {
    let n = r.below(12);
    (0..n)
        .map(|_| match r.below(10) {
            0 => "\\\"".to_string(),
            1 => "\\n".to_string(),
            2 => "\\ud83d\\ude00".to_string(),
            3 => "\\ud800".to_string(), // a lone surrogate: invalid
            _ => char::from(b'a' + r.below(26) as u8).to_string(),
        })
        .collect()
}

fn body(r: &mut Rng) -> Vec<u8> {
    match r.below(6) {
        0 => (0..r.below(64)).map(|_| r.next() as u8).collect(),
        1 => {
            // Near-valid: a JSON object with one byte flipped, cut or doubled.
            let mut b = json_value(r, 3).into_bytes();
            if !b.is_empty() {
                let i = r.below(b.len() as u64) as usize;
                match r.below(3) {
                    0 => b[i] = r.next() as u8,
                    1 => b.truncate(i),
                    _ => b.insert(i, b[i]),
                }
            }
            b
        }
        2 => Vec::new(),
        _ => {
            let n = r.below(6);
            let fields: Vec<String> = (0..n)
                .map(|_| format!("\"{}\":{}", r.pick(&KEYS), json_value(r, 1)))
                .collect();
            format!("{{{}}}", fields.join(",")).into_bytes()
        }
    }
}

fn check(status: u16, bytes: &[u8]) {
    let utf8 = std::str::from_utf8(bytes).ok();
    let object = utf8
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .is_some_and(|v| v.is_object());
    match Response::from_bytes(status, bytes) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode, "{status} {bytes:?}: {e}");
            assert!(
                status == 200 && !object,
                "{status}: only an undecodable 200 is an error: {bytes:?}"
            );
        }
        Ok(resp) => {
            assert!(
                status != 200 || object,
                "a 200 that is not an object: {bytes:?}"
            );
            assert_eq!(resp.status(), status);
            if let Some(s) = utf8 {
                assert_eq!(resp.body(), s);
            }
            if resp.ok() {
                assert_eq!(status, 200);
                assert!(resp.error().is_none());
            } else {
                let e = resp.error().expect("an unsuccessful answer has an error");
                assert_eq!(e.http_status(), Some(status));
                assert!(e.kind().is_api(), "{:?}", e.kind());
            }
            // Accessors never panic and agree with the JSON where they read a string.
            let _ = (
                resp.ignored(),
                resp.message(),
                resp.error_code(),
                resp.errors(),
                resp.user_id(),
                resp.approval_uuid(),
                resp.approval_status(),
                resp.seconds_to_expire(),
                resp.cellphone(),
                resp.devices(),
                resp.registered(),
                resp.qr_code(),
                resp.verification_uuid(),
                resp.pointer_string("/user/id"),
                resp.pointer_string(""),
                resp.pointer_string("/a~1b/~0"),
            );
            // The top-level `message`, else `errors.message` (Authy uses both).
            if let Some(m) = resp.message() {
                let json = resp.json().expect("a message comes from JSON");
                let top = json.pointer("/message").and_then(|v| v.as_str());
                let nested = json.pointer("/errors/message").and_then(|v| v.as_str());
                assert_eq!(top.or(nested), Some(m));
            }
        }
    }
}

#[test]
fn random_answers_never_break_the_parser() {
    let cases: u64 = std::env::var("AUTHY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("AUTHY_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_2026_1201);
    let mut r = Rng(seed | 1);
    for i in 0..cases {
        let status = *r.pick(&STATUSES);
        let b = body(&mut r);
        let outcome = std::panic::catch_unwind(|| check(status, &b));
        if outcome.is_err() {
            panic!(
                "case {i} (seed {seed}): status {status}, body {:?}",
                String::from_utf8_lossy(&b)
            );
        }
    }
    eprintln!("response parser: {cases} cases (seed {seed}), 0 failures");
}

#[test]
fn the_body_limit_holds_at_n_and_n_plus_one() {
    let at = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES - 8));
    assert_eq!(at.len(), MAX_BODY_BYTES);
    assert!(Response::from_bytes(200, at.as_bytes()).is_ok());
    let over = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES - 7));
    let e = Response::from_bytes(200, over.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(Response::from_bytes(404, over.as_bytes()).is_err());
}

#[test]
fn a_200_that_is_not_utf8_is_refused_and_other_statuses_are_kept_lossily() {
    // The answer is decided by its JSON; a 200 whose bytes are not UTF-8 cannot be a valid
    // answer (JSON is UTF-8), so it is a decode error rather than a lossy guess.
    let e = Response::from_bytes(200, b"{\"token\":\"is valid\xff\"}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let resp = Response::from_bytes(503, b"<html>\xff</html>").unwrap();
    assert_eq!(resp.body(), "<html>\u{fffd}</html>");
    assert!(!resp.ok());
}
