//! Benchmark: heap bytes per `authy::Client`, counted by a wrapping global allocator.
//!
//! ```text
//! bench_memory BASE_URL API_KEY CA_FILE|-
//! ```
//!
//! Builds and keeps `CLIENTS` clients three ways and prints, per client, the heap bytes still
//! allocated (one line: `default target connected`):
//! - `default`: `Client::builder(key).build()` (api.authy.com, the bundled Mozilla roots), no I/O;
//! - `target`: pointed at the sandbox `bench/run.sh` started (with its root CA for HTTPS), no I/O;
//! - `connected`: the same clients after one `app_details` call each, i.e. each holding one
//!   pooled keep-alive connection (and, over HTTPS, its TLS session): what "one client per
//!   thread" costs over one shared client.
//!
//! The RSS growth over 100,000 calls is measured through the C ABI (`bench/c_calls.c rss`).

mod bench_common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use authy::Client;
use bench_common::{Target, app_details};

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

const CLIENTS: usize = 200;

fn live() -> isize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// Heap bytes per client while `CLIENTS` built by `build` are kept (the Vec's own pointers
/// included: they are part of keeping them), and the clients.
fn per_client(build: impl Fn() -> Client) -> (f64, Vec<Client>) {
    // One built and dropped first, so that one-time initialisation is not counted.
    drop(build());
    let before = live();
    let clients: Vec<Client> = (0..CLIENTS).map(|_| build()).collect();
    ((live() - before) as f64 / CLIENTS as f64, clients)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (target, _) = Target::from_args(&args);

    let (default, clients) = per_client(|| {
        Client::builder(target.api_key.as_str())
            .build()
            .expect("build a default client")
    });
    drop(clients);

    // A first call with a throw-away client, so that lazily initialised process-wide state
    // (if any) is not counted as the clients' connections.
    app_details(&target.client());
    let (built, clients) = per_client(|| target.client());
    let before = live();
    for client in &clients {
        app_details(client);
    }
    let connected = built + (live() - before) as f64 / CLIENTS as f64;
    println!("{default:.0} {built:.0} {connected:.0}");
}
