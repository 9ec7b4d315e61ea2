//! Benchmark: `authy::Client` against a running `authy-sandbox` (started by `bench/run.sh`,
//! shared with the C, wrk and authy-python measurements of the same run). Every call is
//! `app_details` (`GET /protected/json/app/details`).
//!
//! ```text
//! bench_client seq lib|bare BASE_URL API_KEY CA_FILE|- SECONDS
//!     sequential calls/s of the library, or of a bare ureq agent (the HTTP stack the library
//!     is built on, see bench_common::Target::bare_agent); prints the rate
//! bench_client seq bare-verify BASE_URL ACCOUNT_SID:AUTH_TOKEN CA_FILE|- SECONDS VA...
//!     the same bare agent on the Verify request `wrk` and the C ABI are measured on
//!     (`GET /v2/Services/VA...`, HTTP Basic)
//! bench_client threads BASE_URL API_KEY CA_FILE|-
//!     1, 4 and 32 threads sharing one Client vs one Client per thread (BENCH_ROUNDS rounds
//!     of BENCH_SECONDS each, interleaved); prints Markdown table rows
//! bench_client callgrind lib|bare BASE_URL API_KEY CA_FILE|- N
//! bench_client callgrind bare-verify BASE_URL ACCOUNT_SID:AUTH_TOKEN CA_FILE|- N VA...
//!     N calls inside bench_loop_lib / bench_loop_bare, for
//!     `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*bench_loop_*'`
//! ```
//!
//! CA_FILE is the sandbox's certificate (`authy-sandbox --tls-self-signed --ca-out FILE`) for
//! an `https://` URL, `-` for none. Progress and per-round numbers go to stderr.

mod bench_common;

use std::sync::Barrier;
use std::time::{Duration, Instant};

use authy::Client;
use bench_common::{ENDPOINT, Target, app_details, bare_get_with, env_or, median, rate_for};

/// The request of a bare variant: URL and credential header (`bare`: the Authy endpoint with
/// the API key; `bare-verify`: `GET /v2/Services/VA...` with HTTP Basic).
fn bare_request(
    target: &Target,
    variant: &str,
    extra: &[String],
) -> (String, &'static str, String) {
    match (variant, extra) {
        ("bare", []) => (
            format!("{}{ENDPOINT}", target.base_url),
            "X-Authy-API-Key",
            target.api_key.clone(),
        ),
        ("bare-verify", [va]) => (
            format!("{}/v2/Services/{va}", target.base_url),
            "Authorization",
            target.basic_authorization(),
        ),
        _ => panic!("unknown variant {variant} (or wrong arguments)"),
    }
}

fn seq(target: &Target, rest: &[String]) {
    let [variant, seconds, extra @ ..] = rest else {
        panic!("usage: seq lib|bare|bare-verify BASE_URL API_KEY CA_FILE|- SECONDS [VA]");
    };
    let duration = Duration::from_secs_f64(seconds.parse().expect("SECONDS"));
    let warm_up = Duration::from_millis(300);
    let client = target.client();
    let rate = if variant == "lib" {
        rate_for(warm_up, duration, || app_details(&client))
    } else {
        let agent = target.bare_agent(client.user_agent());
        let (url, header, value) = bare_request(target, variant, extra);
        rate_for(warm_up, duration, || {
            bare_get_with(&agent, &url, header, &value)
        })
    };
    println!("{rate:.1}");
}

/// Total calls/s of `clients.len()` threads, thread `t` calling with `clients[t]`, all until
/// the same deadline.
fn threaded_rate(clients: &[&Client], duration: Duration) -> f64 {
    let barrier = Barrier::new(clients.len() + 1);
    let (calls, elapsed) = std::thread::scope(|s| {
        let handles: Vec<_> = clients
            .iter()
            .map(|&client| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let mut calls = 0u64;
                    while start.elapsed() < duration {
                        app_details(client);
                        calls += 1;
                    }
                    calls
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let calls: u64 = handles.into_iter().map(|h| h.join().expect("thread")).sum();
        (calls, start.elapsed())
    });
    calls as f64 / elapsed.as_secs_f64()
}

fn threads(target: &Target) {
    let rounds: usize = env_or("BENCH_ROUNDS", 5);
    let duration = Duration::from_secs_f64(env_or("BENCH_SECONDS", 1.0));
    let shared = target.client();
    let own: Vec<Client> = (0..32).map(|_| target.client()).collect();
    for threads in [1usize, 4, 32] {
        let shared_set: Vec<&Client> = vec![&shared; threads];
        let own_set: Vec<&Client> = own.iter().take(threads).collect();
        // Warm-up: opens the connections of both set-ups (and the TLS sessions).
        threaded_rate(&shared_set, Duration::from_millis(200));
        threaded_rate(&own_set, Duration::from_millis(200));
        let (mut s, mut o, mut ratios) = (vec![], vec![], vec![]);
        for round in 0..rounds {
            let (sr, or) = if round % 2 == 0 {
                let sr = threaded_rate(&shared_set, duration);
                (sr, threaded_rate(&own_set, duration))
            } else {
                let or = threaded_rate(&own_set, duration);
                (threaded_rate(&shared_set, duration), or)
            };
            eprintln!("{threads} threads round {round}: shared {sr:.0}/s, own {or:.0}/s");
            s.push(sr);
            o.push(or);
            ratios.push(sr / or);
        }
        let (s, o, r) = (median(&mut s), median(&mut o), median(&mut ratios));
        println!("{threads} {s:.0} {o:.0} {r:.3}");
    }
}

fn callgrind(target: &Target, rest: &[String]) {
    let [variant, n, extra @ ..] = rest else {
        panic!("usage: callgrind lib|bare|bare-verify BASE_URL API_KEY CA_FILE|- N [VA]");
    };
    let n: usize = n.parse().expect("N");
    let client = target.client();
    // One call first, so that both loops start with a pooled connection.
    if variant == "lib" {
        app_details(&client);
        bench_loop_lib(&client, n);
    } else {
        let agent = target.bare_agent(client.user_agent());
        let (url, header, value) = bare_request(target, variant, extra);
        bare_get_with(&agent, &url, header, &value);
        bench_loop_bare(&agent, &url, header, &value, n);
    }
}

#[inline(never)]
fn bench_loop_lib(client: &Client, n: usize) {
    for _ in 0..n {
        app_details(client);
    }
}

#[inline(never)]
fn bench_loop_bare(agent: &ureq::Agent, url: &str, header: &str, value: &str, n: usize) {
    for _ in 0..n {
        bare_get_with(agent, url, header, value);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        eprintln!("usage: bench_client seq|threads|callgrind ...");
        std::process::exit(2);
    };
    let parse = |rest: &[String]| -> (Target, Vec<String>) {
        let (target, rest) = Target::from_args(rest);
        (target, rest.to_vec())
    };
    match mode.as_str() {
        "seq" | "callgrind" => {
            // seq|callgrind VARIANT BASE_URL API_KEY CA ARG [VA]
            let [variant, target_args @ ..] = rest else {
                panic!(
                    "usage: bench_client {mode} lib|bare|bare-verify BASE_URL API_KEY CA_FILE|- ARG"
                );
            };
            let (target, extra) = parse(target_args);
            let rest = [vec![variant.clone()], extra].concat();
            if mode == "seq" {
                seq(&target, &rest);
            } else {
                callgrind(&target, &rest);
            }
        }
        "threads" => threads(&parse(rest).0),
        _ => {
            eprintln!("usage: bench_client seq|threads|callgrind ...");
            std::process::exit(2);
        }
    }
}
