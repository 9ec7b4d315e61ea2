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
    let _ = black_box(resp);
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

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn calls() {
    let env = setup();
    let runs = env_usize("BENCH_RUNS", 9);
    let n = env_usize("BENCH_CALLS", 300);
    let agent = bare_agent(&env);
    let agent2 = bare_agent(&env);
    let untimed = bare_agent_with(&env, None);
    const LIB: usize = 0;
    const BARE: usize = 1;
    /// A second bare agent like the first: the A/A check of the harness.
    const BARE2: usize = 2;
    const UNTIMED: usize = 3;
    const FRESH: usize = 4;
    /// The first bare agent again, in the A/A block (kept apart from its timings next to
    /// libauthy, so that each comparison uses only its own interleaved calls).
    const BARE_AA: usize = 5;
    const VARIANTS: usize = 6;
    let call = |variant: usize| match variant {
        LIB => lib_call(&env, &env.client),
        BARE | BARE_AA => bare_call(&env, &agent),
        BARE2 => bare_call(&env, &agent2),
        UNTIMED => bare_call(&env, &untimed),
        _ => bare_call(&env, &bare_agent(&env)),
    };

    // Warm-up: fills the pools, faults in the code paths, settles the sandbox.
    for i in 0..300 {
        for variant in [LIB, BARE, BARE2, UNTIMED] {
            call(variant);
        }
        if i % 4 == 0 {
            call(FRESH);
        }
    }

    // Pairs of variants take turns call by call in an A B B A pattern, every call timed on
    // its own: load changes on the shared machine hit both alike, and each follows itself
    // and the other equally often (a call pays for some of the previous call's clean-up,
    // e.g. the exit of ureq's resolver thread). libauthy is paired with the bare agent, and
    // the bare agent with a second one (A/A: shows the noise of the harness in this run).
    // The two references follow in blocks of their own.
    let mut rates: [Vec<f64>; VARIANTS] = Default::default();
    let mut samples: [Vec<f64>; VARIANTS] = Default::default();
    let (mut ratios, mut aa_ratios) = (vec![], vec![]);
    for run in 0..runs {
        let mut total = [Duration::ZERO; VARIANTS];
        let mut count = [0u32; VARIANTS];
        let mut timed = |variant: usize| {
            let start = Instant::now();
            call(variant);
            let elapsed = start.elapsed();
            total[variant] += elapsed;
            count[variant] += 1;
            samples[variant].push(elapsed.as_secs_f64());
        };
        // A B B A A B B A ...
        let abba = |k: usize, a: usize, b: usize| {
            if k.div_ceil(2).is_multiple_of(2) {
                a
            } else {
                b
            }
        };
        for k in 0..2 * n {
            timed(abba(k, LIB, BARE));
        }
        for k in 0..2 * n {
            timed(abba(k, BARE2, BARE_AA));
        }
        for _ in 0..n {
            timed(UNTIMED);
        }
        // Fewer no-keep-alive calls: each leaves a socket in TIME_WAIT.
        for _ in 0..(n / 4).max(1) {
            timed(FRESH);
        }
        let per_call: Vec<f64> = (0..VARIANTS)
            .map(|v| total[v].as_secs_f64() / f64::from(count[v]))
            .collect();
        eprintln!(
            "calls run {run}: lib {:.0}/s, bare {:.0}/s, bare #2 {:.0}/s, \
             bare without global timeout {:.0}/s, bare new agent {:.0}/s",
            1.0 / per_call[LIB],
            1.0 / per_call[BARE],
            1.0 / per_call[BARE2],
            1.0 / per_call[UNTIMED],
            1.0 / per_call[FRESH],
        );
        for (v, rate) in rates.iter_mut().enumerate() {
            rate.push(1.0 / per_call[v]);
        }
        ratios.push(per_call[LIB] / per_call[BARE]);
        aa_ratios.push(per_call[BARE2] / per_call[BARE_AA]);
    }
    let [lib, bare, bare2, untimed, fresh, bare_aa] = rates.map(|mut r| median(&mut r));
    let p50 = samples.map(|mut s| median(&mut s) * 1e6);
    let (mean_ratio, mean_aa) = (median(&mut ratios), median(&mut aa_ratios));
    let cell = |rate: f64, v: usize| {
        format!(
            "p50 {:.1} µs; mean {:.1} µs = {rate:.0} calls/s",
            p50[v],
            1e6 / rate
        )
    };
    // Ratio column: of the medians (p50) of all per-call times, then, in brackets, the median
    // over runs of the ratio of mean times (throughput), which the long tail of a loaded
    // machine (thread start-up, preemption) makes much noisier.
    let ratio = p50[LIB] / p50[BARE];
    println!(
        "| `verify_token`, keep-alive: `authy::Client` vs bare ureq `Agent` (same config) \
         | {} | {} | **{ratio:.3}** ({mean_ratio:.3}) | ≤ 1.10 at p50: {} |",
        cell(lib, LIB),
        cell(bare, BARE),
        if ratio <= 1.10 {
            "✅ met"
        } else {
            "❌ not met"
        }
    );
    println!(
        "| A/A check of the harness: a second bare `Agent` vs the first (same pattern) \
         | {} | {} | {:.3} ({mean_aa:.3}) | noise floor: ideally 1.000 |",
        cell(bare2, BARE2),
        cell(bare_aa, BARE_AA),
        p50[BARE2] / p50[BARE_AA],
    );
    println!(
        "| what the pool buys: bare ureq, new `Agent` per call (no keep-alive) vs bare \
         keep-alive | {} | {} | {:.3} ({:.3}) | – |",
        cell(fresh, FRESH),
        cell(bare, BARE),
        p50[FRESH] / p50[BARE],
        bare / fresh
    );
    println!(
        "| what `timeout_global` costs: bare ureq keep-alive with it (as the library) vs \
         without it (no resolver thread per call) | {} | {} | {:.3} ({:.3}) | – |",
        cell(bare, BARE),
        cell(untimed, UNTIMED),
        p50[BARE] / p50[UNTIMED],
        untimed / bare
    );
    eprintln!(
        "runs={runs} calls/run: {n} of each variant ({} new agents)",
        (n / 4).max(1)
    );
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
    let total = env_usize("BENCH_CALLS", 1200);
    let agents: Vec<ureq::Agent> = (0..32).map(|_| bare_agent(&env)).collect();
    let shared_agent = bare_agent(&env);

    for &threads in &[1usize, 8, 32] {
        let per_thread = (total / threads).max(1);
        // Warm-up at this thread count.
        threaded_rate(threads, (300 / threads).max(1), |_| {
            lib_call(&env, &env.client)
        });
        threaded_rate(threads, (300 / threads).max(1), |t| {
            bare_call(&env, &agents[t])
        });
        threaded_rate(threads, (300 / threads).max(1), |_| {
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
