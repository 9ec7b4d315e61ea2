//! Benchmark: the cost of `authy::Client` per call, against a bare ureq 3 agent sending the
//! same requests, both talking to the in-process `authy-sandbox` over loopback.
//!
//! Run through `bench/run.sh` (release build). By hand:
//!
//! ```text
//! cargo run --release --example bench_client -- calls        # sequential, keep-alive + not
//! cargo run --release --example bench_client -- concurrency  # 1, 8, 32 threads
//! ```
//!
//! Every measurement is repeated (runs interleaved, so that machine noise hits all variants
//! alike) after a warm-up; the medians are printed as Markdown table rows on stdout, progress
//! on stderr. The request is the one a login path makes: `verify_token` of a registered user
//! with the sandbox's magic token, `GET /protected/json/verify/0000000/{id}?force=true`,
//! answered 200 `"token":"is valid"`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use authy::{Client, CreateUserOptions, VerifyOptions};
use authy_sandbox::{Sandbox, SandboxConfig};

/// The sandbox's magic token (`SandboxConfig::magic_codes`, on by default).
const TOKEN: &str = "0000000";
/// Same limit as the library's (`authy::MAX_BODY_BYTES`).
const BODY_LIMIT: u64 = authy::MAX_BODY_BYTES as u64;

struct Env {
    /// The in-process sandbox (`None` when talking to an external one).
    _sandbox: Option<Sandbox>,
    client: Client,
    authy_id: String,
    /// Full URL of the request, for the bare agents.
    url: String,
    api_key: String,
    user_agent: String,
}

fn setup() -> Env {
    let sandbox = Sandbox::start(SandboxConfig::default()).expect("start the sandbox");
    let client = Client::builder(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()
        .expect("build the client");
    let user = client
        .create_user(
            "bench@example.com",
            "555-123-4567",
            &CreateUserOptions::default(),
        )
        .expect("create the user");
    let authy_id = user.user_id().expect("the sandbox returns an authy id");
    let url = format!(
        "{}/protected/json/verify/{TOKEN}/{authy_id}?force=true",
        sandbox.base_url()
    );
    Env {
        api_key: sandbox.api_key().to_string(),
        user_agent: client.user_agent().to_string(),
        _sandbox: Some(sandbox),
        client,
        authy_id,
        url,
    }
}

/// A bare ureq agent configured like the library's (4xx/5xx as answers, no redirects, no
/// proxy, same timeouts, User-Agent and Accept), so that both send the same bytes.
fn bare_agent(env: &Env) -> ureq::Agent {
    bare_agent_with(env, Some(authy::DEFAULT_TIMEOUT))
}

/// [`bare_agent`] with another global timeout. With none, ureq 3.5 resolves the host name
/// on the calling thread; with one, it resolves on a new thread per request (pooled
/// connection or not) so that it can give up on time.
fn bare_agent_with(env: &Env, global_timeout: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(authy::DEFAULT_CONNECT_TIMEOUT))
        .timeout_global(global_timeout)
        .user_agent(env.user_agent.as_str())
        .accept("application/json")
        .build()
        .into()
}

/// One call through the library; panics unless the token is accepted.
fn lib_call(env: &Env, client: &Client) {
    let resp = client
        .verify_token(&env.authy_id, TOKEN, &VerifyOptions::default())
        .expect("verify_token");
    assert!(resp.ok(), "unexpected answer: {}", resp.status());
    black_box(resp);
}

/// The same request with a bare agent: same headers, whole body read (same limit).
fn bare_call(env: &Env, agent: &ureq::Agent) {
    let mut resp = agent
        .get(&env.url)
        .header("X-Authy-API-Key", &env.api_key)
        .call()
        .expect("bare call");
    assert_eq!(resp.status().as_u16(), 200);
    let body = resp
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec()
        .expect("read body");
    black_box(body);
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

/// Calls per second of `n` runs of `f`.
fn rate(n: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn calls() {
    let env = setup();
    // Many short runs rather than a few long ones: each run pairs libauthy with the bare
    // agent back to back, so the median of the per-run ratios resists load changes.
    let runs = env_usize("BENCH_RUNS", 15);
    let n = env_usize("BENCH_CALLS", 500);
    let n_fresh = (n / 4).max(1);
    let agent = bare_agent(&env);
    let untimed = bare_agent_with(&env, None);

    // Warm-up: fills the pools, faults in the code paths, settles the sandbox.
    for _ in 0..500 {
        lib_call(&env, &env.client);
        bare_call(&env, &agent);
        bare_call(&env, &untimed);
    }
    for _ in 0..50 {
        bare_call(&env, &bare_agent(&env));
    }

    let (mut lib, mut bare, mut fresh, mut ratios) = (vec![], vec![], vec![], vec![]);
    let mut no_timeout = vec![];
    for run in 0..runs {
        // Alternate which variant goes first, so neither always follows the other.
        let (l, b) = if run % 2 == 0 {
            let l = rate(n, || lib_call(&env, &env.client));
            (l, rate(n, || bare_call(&env, &agent)))
        } else {
            let b = rate(n, || bare_call(&env, &agent));
            (rate(n, || lib_call(&env, &env.client)), b)
        };
        let f = rate(n_fresh, || bare_call(&env, &bare_agent(&env)));
        let u = rate(n, || bare_call(&env, &untimed));
        eprintln!(
            "calls run {run}: lib {l:.0}/s, bare {b:.0}/s, bare new agent {f:.0}/s, \
             bare without global timeout {u:.0}/s"
        );
        no_timeout.push(u);
        ratios.push(b / l);
        lib.push(l);
        bare.push(b);
        fresh.push(f);
    }
    let untimed = median(&mut no_timeout);
    let (lib, bare, fresh, ratio) = (
        median(&mut lib),
        median(&mut bare),
        median(&mut fresh),
        median(&mut ratios),
    );
    println!(
        "| `verify_token`, 1 thread, keep-alive: `authy::Client` vs bare ureq `Agent` \
         | {lib:.0} calls/s ({:.1} µs/call) | {bare:.0} calls/s ({:.1} µs/call) | {ratio:.3} | ≤ 1.10 {} |",
        1e6 / lib,
        1e6 / bare,
        if ratio <= 1.10 { "✅" } else { "❌" }
    );
    println!(
        "| same, bare ureq with a new `Agent` per call (no keep-alive) vs bare keep-alive \
         | {fresh:.0} calls/s ({:.1} µs/call) | {bare:.0} calls/s | {:.3} | – |",
        1e6 / fresh,
        bare / fresh
    );
    println!(
        "| same, bare ureq keep-alive without `timeout_global` (no resolver thread per call) \
         vs bare keep-alive with it | {untimed:.0} calls/s ({:.1} µs/call) | {bare:.0} calls/s | {:.3} | – |",
        1e6 / untimed,
        bare / untimed
    );
    eprintln!("runs={runs} calls/run={n} (no keep-alive: {n_fresh})");
}

/// Total calls per second of `threads` threads making `per_thread` calls each with `f`.
fn threaded_rate(threads: usize, per_thread: usize, f: impl Fn(usize) + Sync) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let f = &f;
            s.spawn(move || {
                for _ in 0..per_thread {
                    f(t);
                }
            });
        }
    });
    (threads * per_thread) as f64 / start.elapsed().as_secs_f64()
}

fn concurrency() {
    let env = setup();
    let runs = env_usize("BENCH_RUNS", 5);
    let total = env_usize("BENCH_CALLS", 2000);
    let agents: Vec<ureq::Agent> = (0..32).map(|_| bare_agent(&env)).collect();
    let shared_agent = bare_agent(&env);

    for &threads in &[1usize, 8, 32] {
        let per_thread = (total / threads).max(1);
        // Warm-up at this thread count.
        threaded_rate(threads, (500 / threads).max(1), |_| {
            lib_call(&env, &env.client)
        });
        threaded_rate(threads, (500 / threads).max(1), |t| {
            bare_call(&env, &agents[t])
        });
        threaded_rate(threads, (500 / threads).max(1), |_| {
            bare_call(&env, &shared_agent)
        });
        let (mut lib, mut bare, mut shared, mut ratios) = (vec![], vec![], vec![], vec![]);
        for run in 0..runs {
            let lib_rate = || threaded_rate(threads, per_thread, |_| lib_call(&env, &env.client));
            let bare_rate = || threaded_rate(threads, per_thread, |t| bare_call(&env, &agents[t]));
            let (l, b) = if run % 2 == 0 {
                let l = lib_rate();
                (l, bare_rate())
            } else {
                let b = bare_rate();
                (lib_rate(), b)
            };
            let sh = threaded_rate(threads, per_thread, |_| bare_call(&env, &shared_agent));
            eprintln!(
                "{threads} threads run {run}: lib shared {l:.0}/s, bare per-thread {b:.0}/s, \
                 bare shared {sh:.0}/s"
            );
            ratios.push(b / l);
            lib.push(l);
            bare.push(b);
            shared.push(sh);
        }
        let (l, b, sh, r) = (
            median(&mut lib),
            median(&mut bare),
            median(&mut shared),
            median(&mut ratios),
        );
        println!("| {threads} | {l:.0} | {b:.0} | {r:.3} | {sh:.0} |");
    }
    eprintln!("runs={runs} calls/run={total}");
}

/// Makes `n` calls with the library or a bare agent against an already running sandbox (the
/// release `authy-sandbox` binary), inside `#[inline(never)]` functions so that callgrind can
/// count only their instructions (`--toggle-collect=*bench_loop_*`).
fn callgrind(args: &[String]) {
    let [variant, base_url, api_key, n] = args else {
        panic!("usage: callgrind lib|bare BASE_URL API_KEY N");
    };
    let n: usize = n.parse().expect("N");
    let client = Client::builder(api_key.as_str())
        .base_url(base_url.as_str())
        .build()
        .expect("build the client");
    let user = client
        .create_user(
            "bench@example.com",
            "555-123-4567",
            &CreateUserOptions::default(),
        )
        .expect("create the user");
    let authy_id = user.user_id().expect("authy id");
    let env = Env {
        _sandbox: None,
        url: format!("{base_url}/protected/json/verify/{TOKEN}/{authy_id}?force=true"),
        authy_id,
        api_key: api_key.clone(),
        user_agent: client.user_agent().to_string(),
        client,
    };
    let agent = bare_agent(&env);
    // One call first, so that both loops start with a pooled connection.
    match variant.as_str() {
        "lib" => {
            lib_call(&env, &env.client);
            bench_loop_lib(&env, n);
        }
        "bare" => {
            bare_call(&env, &agent);
            bench_loop_bare(&env, &agent, n);
        }
        other => panic!("unknown variant {other}"),
    }
}

#[inline(never)]
fn bench_loop_lib(env: &Env, n: usize) {
    for _ in 0..n {
        lib_call(env, &env.client);
    }
}

#[inline(never)]
fn bench_loop_bare(env: &Env, agent: &ureq::Agent, n: usize) {
    for _ in 0..n {
        bare_call(env, agent);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("calls") => calls(),
        Some("concurrency") => concurrency(),
        Some("callgrind") => callgrind(&args[1..]),
        _ => {
            eprintln!("usage: bench_client calls|concurrency|callgrind ...");
            std::process::exit(2);
        }
    }
    // Let the sandbox's runtime wind down before the process exits.
    std::thread::sleep(Duration::from_millis(10));
}
