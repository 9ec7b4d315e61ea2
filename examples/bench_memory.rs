//! Benchmark: memory of libauthy.
//!
//! - Peak RSS (`VmHWM` in `/proc/self/status`) of a process that starts the in-process sandbox,
//!   builds one `authy::Client` and makes 10,000 `verify_token` calls, against the same process
//!   that only starts the sandbox (and, for reference, one making the same calls with a bare
//!   ureq agent). Each is a fresh child process, run several times; medians are reported.
//! - Bytes per `Client`: heap bytes still allocated (counted by a wrapping global allocator)
//!   and RSS growth, for 1,000 clients built and kept.
//!
//! Run through `bench/run.sh` (release build), or
//! `cargo run --release --example bench_memory`. Prints Markdown table rows on stdout. Linux
//! only (reads `/proc/self/status`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicIsize, Ordering};

use authy::{Client, CreateUserOptions, VerifyOptions};
use authy_sandbox::{Sandbox, SandboxConfig};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract is `System`'s; the counter has no effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is (see the impl).
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CALLS: usize = 10_000;
const CLIENTS: usize = 1_000;
const TOKEN: &str = "0000000";

/// A `/proc/self/status` field in KiB (`VmHWM`, `VmRSS`).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

fn start_sandbox() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::default()).expect("start the sandbox");
    let client = Client::builder(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()
        .expect("build the client");
    (sandbox, client)
}

/// Runs one measurement in this (child) process and prints `VmHWM KiB` (or, for `clients`,
/// `heap_bytes_per_client rss_bytes_per_client`).
fn child(mode: &str) {
    match mode {
        "idle" => {
            let sandbox = Sandbox::start(SandboxConfig::default()).expect("start the sandbox");
            // Nothing else: let the sandbox's runtime settle, then read the peak.
            std::thread::sleep(std::time::Duration::from_millis(100));
            println!("{}", status_kib("VmHWM"));
            drop(sandbox);
        }
        "lib" | "bare" => {
            let (sandbox, setup_client) = start_sandbox();
            // The user is created with a client in both modes, so that both processes have
            // run the same setup; only the 10,000 calls differ.
            let user = setup_client
                .create_user(
                    "bench@example.com",
                    "555-123-4567",
                    &CreateUserOptions::default(),
                )
                .expect("create the user");
            let authy_id = user.user_id().expect("authy id");
            if mode == "lib" {
                let client = setup_client;
                for _ in 0..CALLS {
                    let resp = client
                        .verify_token(&authy_id, TOKEN, &VerifyOptions::default())
                        .expect("verify_token");
                    assert!(resp.ok());
                }
            } else {
                let url = format!(
                    "{}/protected/json/verify/{TOKEN}/{authy_id}?force=true",
                    sandbox.base_url()
                );
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .proxy(None)
                    .max_redirects(0)
                    .timeout_connect(Some(authy::DEFAULT_CONNECT_TIMEOUT))
                    .timeout_global(Some(authy::DEFAULT_TIMEOUT))
                    .user_agent(setup_client.user_agent())
                    .accept("application/json")
                    .build()
                    .into();
                for _ in 0..CALLS {
                    let mut resp = agent
                        .get(&url)
                        .header("X-Authy-API-Key", sandbox.api_key())
                        .call()
                        .expect("bare call");
                    assert_eq!(resp.status().as_u16(), 200);
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(authy::MAX_BODY_BYTES as u64)
                        .read_to_vec()
                        .expect("read body");
                    std::hint::black_box(body);
                }
            }
            println!("{}", status_kib("VmHWM"));
            drop(sandbox);
        }
        "clients" => {
            let sandbox = Sandbox::start(SandboxConfig::default()).expect("start the sandbox");
            // Build (and drop) one first so that one-time initialisation is not counted.
            drop(
                Client::builder(sandbox.api_key())
                    .base_url(sandbox.base_url())
                    .build(),
            );
            let heap0 = LIVE_BYTES.load(Ordering::Relaxed);
            let rss0 = status_kib("VmRSS");
            let clients: Vec<Client> = (0..CLIENTS)
                .map(|_| {
                    Client::builder(sandbox.api_key())
                        .base_url(sandbox.base_url())
                        .build()
                        .expect("build a client")
                })
                .collect();
            let heap1 = LIVE_BYTES.load(Ordering::Relaxed);
            let rss1 = status_kib("VmRSS");
            // The Vec itself holds CLIENTS pointers; it is part of keeping them.
            println!(
                "{} {}",
                (heap1 - heap0) as f64 / CLIENTS as f64,
                (rss1.saturating_sub(rss0) * 1024) as f64 / CLIENTS as f64
            );
            drop(clients);
            drop(sandbox);
        }
        other => panic!("unknown mode {other}"),
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

/// Runs `mode` in a fresh child process and returns the numbers it printed.
fn run_child(mode: &str) -> Vec<f64> {
    let exe = std::env::current_exe().expect("current exe");
    let out = Command::new(exe)
        .args(["child", mode])
        .output()
        .expect("run the child");
    assert!(
        out.status.success(),
        "child {mode} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .split_whitespace()
        .map(|v| v.parse().expect("a number"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        child(args.get(1).map(String::as_str).unwrap_or(""));
        return;
    }
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (mut idle, mut lib, mut bare, mut heap, mut rss) = (vec![], vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let i = run_child("idle")[0];
        let l = run_child("lib")[0];
        // The bare reference once only: 10,000 calls take a while on a loaded machine.
        let b = if run == 0 {
            run_child("bare")[0]
        } else {
            f64::NAN
        };
        let c = run_child("clients");
        eprintln!(
            "memory run {run}: idle {i} KiB, lib {l} KiB, bare {b} KiB, \
             per client {:.0} B heap / {:.0} B RSS",
            c[0], c[1]
        );
        idle.push(i);
        lib.push(l);
        if !b.is_nan() {
            bare.push(b);
        }
        heap.push(c[0]);
        rss.push(c[1]);
    }
    let (idle, lib, bare) = (median(&mut idle), median(&mut lib), median(&mut bare));
    let (heap, rss) = (median(&mut heap), median(&mut rss));
    println!(
        "| peak RSS (VmHWM): sandbox + `authy::Client`, {CALLS} `verify_token` calls | {:.1} MiB | {:.1} MiB (sandbox only) | +{:.0} KiB |",
        lib / 1024.0,
        idle / 1024.0,
        lib - idle
    );
    println!(
        "| peak RSS (VmHWM): sandbox + bare ureq `Agent`, same {CALLS} calls (reference, 1 run) | {:.1} MiB | {:.1} MiB (sandbox only) | +{:.0} KiB (libauthy − bare: {:+.0} KiB) |",
        bare / 1024.0,
        idle / 1024.0,
        bare - idle,
        lib - bare
    );
    println!(
        "| memory per `Client`, {CLIENTS} built and kept (no calls) | {heap:.0} B heap | {rss:.0} B RSS growth | – |"
    );
}
