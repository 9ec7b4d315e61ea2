//! The timeout bounds a whole call, all its attempts together (issue 13 §4: it was documented
//! as "per attempt" in one place and as "all attempts together" in another; the code does the
//! latter, and every document now says so).

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use authy::{Client, ErrorKind, RetryPolicy};

/// A server that accepts connections and reads the requests, but never answers.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(mut stream) = stream else { return };
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // Hold the connection open until the client gives up.
                while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    format!("http://{addr}")
}

#[test]
fn retries_of_a_silent_read_end_within_one_timeout() {
    let timeout = Duration::from_millis(600);
    let c = Client::builder("sandbox-api-key-0123456789abcdef")
        .base_url(silent_server())
        .connect_timeout(Duration::from_secs(2))
        .timeout(timeout)
        .retries(RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.app_details().unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    assert!(e.request_sent());
    // Per attempt, four attempts would take 2.4 s; all together they take one timeout (the
    // bound is loose so that a loaded machine cannot fail it).
    assert!(elapsed >= timeout, "{elapsed:?}");
    assert!(
        elapsed < timeout * 2,
        "{elapsed:?} for a {timeout:?} timeout"
    );
    // A per-call timeout (with_timeout) is a budget for the whole call too.
    let short = c.with_timeout(Duration::from_millis(300)).unwrap();
    let started = Instant::now();
    assert_eq!(short.app_stats().unwrap_err().kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
}
