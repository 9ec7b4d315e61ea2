//! Benchmark: OneTouch callback signature verification (`authy::signature::verify_signature`)
//! on real callback vectors, against a bare HMAC-SHA256 over the pre-built string to sign
//! (same base64 decode of the header, same constant-time compare), so that the ratio is what
//! parsing the body / query string and canonicalising it cost.
//!
//! Run through `bench/run.sh` (release build), or
//! `cargo run --release --example bench_signature [VECTORS.json]`; the vectors default to
//! `tests/data/onetouch_signature_vectors.json`
//! (`AUTHY_SIGNATURE_VECTORS` overrides). Prints Markdown table rows on stdout.
//!
//! Instruction counts (repeatable where wall-clock time on a shared machine is not):
//! `BENCH_ITERS=1000 BENCH_ONLY=POST valgrind --tool=callgrind --toggle-collect='bench_signature::lib_once' target/release/examples/bench_signature`
//! (and `--toggle-collect='bench_signature::bare_verify'` for the baseline). Under valgrind
//! SHA-256 runs in software (no SHA-NI), so the instruction ratio understates the time ratio:
//! compare the difference (the canonicaliser's own instructions) rather than the ratio.

use std::hint::black_box;
use std::time::{Duration, Instant};

use authy::signature::{CallbackOptions, CallbackRequest, string_to_sign, verify_signature};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit as _, Mac as _};
use serde_json::Value;
use sha2::Sha256;

struct Vector {
    source: String,
    api_key: String,
    method: String,
    url: String,
    nonce: String,
    params: String,
    signature: String,
}

impl Vector {
    fn request(&self) -> CallbackRequest<'_> {
        CallbackRequest {
            method: &self.method,
            url: &self.url,
            nonce: &self.nonce,
            params: &self.params,
        }
    }
}

fn load() -> Vec<Vector> {
    let path = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("AUTHY_SIGNATURE_VECTORS").ok())
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/onetouch_signature_vectors.json"
            )
            .to_string()
        });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the signature vectors at {path}: {e}"));
    let all: Vec<Value> = serde_json::from_str(&text).expect("vectors are a JSON array");
    let field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    all.iter()
        .filter(|v| v.get("valid") == Some(&Value::Bool(true)))
        .map(|v| Vector {
            source: field(v, "source").unwrap_or_default(),
            api_key: field(v, "api_key").expect("api_key"),
            method: field(v, "method").expect("method"),
            url: field(v, "url").expect("url"),
            nonce: field(v, "nonce").expect("nonce"),
            params: field(v, "body_json")
                .or_else(|| field(v, "query_string"))
                .unwrap_or_default(),
            signature: field(v, "expected_signature").expect("expected_signature"),
        })
        .collect()
}

/// The baseline: HMAC-SHA256 of the ready string to sign, compared in constant time with the
/// base64-decoded header.
#[inline(never)]
fn bare_verify(key: &[u8], string_to_sign: &[u8], signature: &str) -> bool {
    let Ok(tag) = BASE64.decode(signature.trim().as_bytes()) else {
        return false;
    };
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("any key length");
    mac.update(string_to_sign);
    mac.verify_slice(&tag).is_ok()
}

/// One library verification (a named function, so that callgrind reports it apart).
#[inline(never)]
fn lib_once(
    api_key: &str,
    request: &CallbackRequest<'_>,
    signature: &str,
    options: &CallbackOptions,
) -> bool {
    verify_signature(api_key, black_box(request), signature, options).is_ok()
}

/// Verifications per second: repeats batches of `f` for about `budget`.
fn rate(budget: Duration, mut f: impl FnMut() -> bool) -> f64 {
    const BATCH: usize = 256;
    let start = Instant::now();
    let mut done = 0usize;
    loop {
        for _ in 0..BATCH {
            assert!(black_box(f()), "verification failed");
        }
        done += BATCH;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return done as f64 / elapsed.as_secs_f64();
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn main() {
    let vectors = load();
    // The largest real POST (JSON body) and GET (nested query string) callbacks.
    let pick = |method: &str| {
        vectors
            .iter()
            .filter(|v| v.method == method)
            .max_by_key(|v| v.params.len())
            .unwrap_or_else(|| panic!("no valid {method} vector"))
    };
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let budget = Duration::from_millis(150);
    let options = CallbackOptions::default();
    // `BENCH_ITERS=N`: N verifications of each kind, untimed, for `valgrind --tool=callgrind`
    // (instruction counts per call are repeatable where wall-clock time is not).
    let iters: Option<usize> = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok());

    // `BENCH_DUMP=DIR`: write the two vectors' fields and strings to sign into DIR (files
    // `POST.key`, `POST.url`, ..., `POST.sts`) for bench/c_callback.c, and stop.
    if let Ok(dir) = std::env::var("BENCH_DUMP") {
        for v in [pick("POST"), pick("GET")] {
            let signed = string_to_sign(&v.request()).expect("string to sign");
            let fields = [
                ("key", v.api_key.as_str()),
                ("method", &v.method),
                ("url", &v.url),
                ("nonce", &v.nonce),
                ("params", &v.params),
                ("sig", &v.signature),
                ("sts", &signed),
            ];
            for (name, value) in fields {
                let path = format!("{dir}/{}.{name}", v.method);
                std::fs::write(&path, value).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        }
        return;
    }

    // `BENCH_ONLY=POST` or `GET`: one of the two.
    let only = std::env::var("BENCH_ONLY").ok();
    for v in [pick("POST"), pick("GET")] {
        if only
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(&v.method))
        {
            continue;
        }
        let request = v.request();
        let signed = string_to_sign(&request).expect("string to sign");
        let key = v.api_key.as_bytes();
        let lib = || lib_once(&v.api_key, &request, &v.signature, &options);
        let bare = || bare_verify(key, black_box(signed.as_bytes()), &v.signature);
        assert!(lib() && bare(), "vector {} does not verify", v.source);
        if let Some(n) = iters {
            for _ in 0..n {
                assert!(black_box(lib_once(
                    &v.api_key,
                    &request,
                    &v.signature,
                    &options
                )));
            }
            for _ in 0..n {
                assert!(black_box(bare_verify(
                    key,
                    black_box(signed.as_bytes()),
                    &v.signature
                )));
            }
            println!(
                "{}: {n} verifications each (lib_once, bare_verify)",
                v.method
            );
            continue;
        }

        rate(Duration::from_millis(100), lib);
        rate(Duration::from_millis(100), bare);
        let (mut l, mut b, mut ratios) = (vec![], vec![], vec![]);
        for run in 0..runs {
            let (lr, br) = if run % 2 == 0 {
                let lr = rate(budget, lib);
                (lr, rate(budget, bare))
            } else {
                let br = rate(budget, bare);
                (rate(budget, lib), br)
            };
            eprintln!("{} run {run}: lib {lr:.0}/s, bare {br:.0}/s", v.method);
            l.push(lr);
            b.push(br);
            ratios.push(br / lr);
        }
        let (l, b, r) = (median(&mut l), median(&mut b), median(&mut ratios));
        println!(
            "| {} callback, {} B of params → {} B string to sign | {l:.0} /s ({:.2} µs) | {b:.0} /s ({:.2} µs) | {r:.2} |",
            v.method,
            v.params.len(),
            signed.len(),
            1e6 / l,
            1e6 / b,
        );
    }
}
