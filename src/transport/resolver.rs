//! The agent's name resolver: a small cache of host name lookups, owned by one agent (so by
//! one client in one process: see `transport::process`), with lookups on helper threads so a
//! hung system resolver is bounded by the resolve timeout.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::panic;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::cancel::{Cancel, POLL};

/// How long a successful lookup is reused. getaddrinfo does not tell the record's TTL; a
/// short fixed time keeps a busy client from looking the name up on every call while still
/// following DNS changes quickly (a connection failure also drops the entry, see
/// [`forget_address`]).
const DNS_TTL: Duration = Duration::from_secs(30);

/// Most (host, port) entries kept per cache. Lookups in flight are entries too, so this
/// also bounds the lookup threads that can be alive at once.
const DNS_MAX_ENTRIES: usize = 64;

/// A lookup in flight for longer than this is presumed lost (its thread hung in the system
/// resolver) and the next caller starts a new one, so one stuck lookup cannot block a host
/// name for good. Lookups inherited through `fork()` (their thread did not survive it) are
/// restarted at once.
const DNS_LOOKUP_ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// A blocking name lookup: the system resolver (getaddrinfo) in production.
type LookupFn = fn(&str, u16) -> io::Result<Vec<SocketAddr>>;

fn system_lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    (host, port).to_socket_addrs().map(Iterator::collect)
}

/// The agent's name resolver, replacing ureq's default one, which looks the host up again
/// on every request (even when a pooled connection is then reused) and, since we set
/// timeouts, does so on a newly spawned thread each time.
///
/// - IP literals are returned as they are: no lookup, no thread.
/// - Names under `.invalid` fail at once (RFC 6761 §6.4).
/// - Other names are looked up on a helper thread, so that the caller can give up when the
///   resolve (or, for a proxy, connect) timeout expires; a hung lookup is never waited for
///   beyond it. Concurrent requests for the same (host, port) share one lookup, so one
///   thread per entry is in flight (a new one only after [`DNS_LOOKUP_ABANDONED_AFTER`]),
///   and there are at most [`DNS_MAX_ENTRIES`] entries.
/// - Successful answers are cached for [`DNS_TTL`]; failures are not cached.
///
/// Each client has its own cache, shared by its pool shards (no process-global state): it is freed with the client, and a
/// child of `fork()` builds a new agent, so a new cache, instead of sharing its parent's.
#[derive(Debug, Clone)]
pub(crate) struct CachingResolver {
    cache: Arc<DnsCache>,
}

impl CachingResolver {
    /// A resolver with a new, empty cache over the system resolver (getaddrinfo).
    pub(crate) fn new() -> Self {
        CachingResolver {
            cache: Arc::new(DnsCache::new(system_lookup, DNS_TTL)),
        }
    }

    /// After a failed connection to `base`, drops its cached addresses so that the next
    /// request looks the name up again (the host may have moved).
    pub(crate) fn forget_address(&self, base: &str) {
        let Ok(uri) = base.parse::<http::Uri>() else {
            return;
        };
        if let Some((host, port)) = host_and_port(&uri)
            && ip_literal(host).is_none()
        {
            self.cache.forget(host, port);
        }
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // Messages never echo the URI: its query string holds request parameters.
        let (host, port) = host_and_port(uri)
            .ok_or_else(|| ureq::Error::BadUri("missing host, or unknown scheme".into()))?;
        let family = config.ip_family();
        let mut out = self.empty();
        if let Some(ip) = ip_literal(host) {
            let addr = SocketAddr::new(ip, port);
            if family.keep_wanted(std::iter::once(addr)).next().is_some() {
                out.push(addr);
            }
        } else {
            // The call's deadline and cancel token bound the wait too (see `trace`).
            let timeout = super::trace::bounded(timeout, timeout.reason);
            let limit = (!timeout.after.is_not_happening()).then(|| *timeout.after);
            let cancel = super::trace::current_cancel();
            let addrs = self.cache.resolve(host, port, limit, cancel.as_ref());
            let addrs = addrs.map_err(|e| match e {
                LookupError::TimedOut => ureq::Error::Timeout(timeout.reason),
                LookupError::Failed(detail) => ureq::Error::Io(io::Error::other(DnsFailure {
                    host: host.to_string(),
                    detail,
                })),
            })?;
            for addr in family.keep_wanted(addrs.iter().copied()) {
                if out.try_push(addr).is_err() {
                    break;
                }
            }
        }
        if out.is_empty() {
            Err(ureq::Error::HostNotFound)
        } else {
            Ok(out)
        }
    }
}

/// The host (without IPv6 brackets) and port of a URI, with the scheme's default port.
fn host_and_port(uri: &http::Uri) -> Option<(&str, u16)> {
    let host = uri.host()?;
    let port = match uri.port_u16() {
        Some(p) => p,
        None => match uri.scheme_str()? {
            s if s.eq_ignore_ascii_case("https") => 443,
            s if s.eq_ignore_ascii_case("http") => 80,
            _ => return None,
        },
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (!host.is_empty()).then_some((host, port))
}

fn ip_literal(host: &str) -> Option<IpAddr> {
    host.parse().ok()
}

/// A failed lookup, as carried inside `ureq::Error::Io` to `transport::map_io_error`.
#[derive(Debug)]
pub(crate) struct DnsFailure {
    host: String,
    detail: String,
}

impl fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not resolve {}: {}", self.host, self.detail)
    }
}

impl std::error::Error for DnsFailure {}

#[derive(Debug, Clone, PartialEq)]
enum LookupError {
    /// The name does not resolve, or the lookup could not be made (detail).
    Failed(String),
    /// The caller's time ran out; the lookup may still complete and fill the cache.
    TimedOut,
}

/// Cached lookups by (lower-case host, port).
struct DnsCache {
    lookup: LookupFn,
    ttl: Duration,
    entries: Mutex<HashMap<(String, u16), Entry>>,
}

enum Entry {
    Ready {
        addrs: Arc<[SocketAddr]>,
        expires: Instant,
    },
    Pending(Arc<Lookup>),
}

/// One lookup in flight, awaited by every caller that wants its answer.
struct Lookup {
    outcome: Mutex<Option<Result<Arc<[SocketAddr]>, String>>>,
    done: Condvar,
    started: Instant,
    /// The process that started the thread (a child of `fork()` has no such thread).
    pid: u32,
}

impl fmt::Debug for DnsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DnsCache")
            .field("ttl", &self.ttl)
            .field("entries", &lock(&self.entries).len())
            .finish_non_exhaustive()
    }
}

/// Locks a mutex whose data stays consistent even if a holder panicked (every critical
/// section here is a single map or slot update).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl DnsCache {
    fn new(lookup: LookupFn, ttl: Duration) -> Self {
        DnsCache {
            lookup,
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The addresses of `host:port` (never empty), waiting at most `limit` for a lookup, and
    /// not after `cancel` is cancelled.
    fn resolve(
        self: &Arc<Self>,
        host: &str,
        port: u16,
        limit: Option<Duration>,
        cancel: Option<&Cancel>,
    ) -> Result<Arc<[SocketAddr]>, LookupError> {
        let deadline = limit.and_then(|l| Instant::now().checked_add(l));
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        if host == "invalid" || host.ends_with(".invalid") {
            return Err(LookupError::Failed(
                "names under .invalid never resolve (RFC 6761)".into(),
            ));
        }
        let key = (host, port);
        let pending = {
            let mut entries = lock(&self.entries);
            match entries.get(&key) {
                Some(Entry::Ready { addrs, expires }) if *expires > Instant::now() => {
                    return Ok(Arc::clone(addrs));
                }
                Some(Entry::Pending(lookup)) if !lookup.abandoned() => Arc::clone(lookup),
                // Absent, expired or abandoned.
                _ => self.start_lookup(&mut entries, key)?,
            }
        };
        pending.wait(deadline, cancel)
    }

    /// Starts a lookup thread for `key` and records it as pending (the lock is held, so
    /// exactly one lookup per key is started).
    fn start_lookup(
        self: &Arc<Self>,
        entries: &mut HashMap<(String, u16), Entry>,
        key: (String, u16),
    ) -> Result<Arc<Lookup>, LookupError> {
        if !entries.contains_key(&key) && entries.len() >= DNS_MAX_ENTRIES {
            make_room(entries)?;
        }
        let lookup = Arc::new(Lookup::new());
        let (for_thread, thread_key) = (Arc::clone(&lookup), key.clone());
        let cache = Arc::clone(self);
        thread::Builder::new()
            .name("authy-dns".into())
            .spawn(move || cache.run_lookup(thread_key, for_thread))
            .map_err(|e| LookupError::Failed(format!("could not start a lookup thread: {e}")))?;
        entries.insert(key, Entry::Pending(Arc::clone(&lookup)));
        Ok(lookup)
    }

    /// Body of a lookup thread: resolve, update the cache, wake the waiters.
    fn run_lookup(&self, key: (String, u16), lookup: Arc<Lookup>) {
        let lookup_fn = self.lookup;
        let result = panic::catch_unwind(|| lookup_fn(&key.0, key.1));
        let outcome = match result {
            Ok(Ok(addrs)) if !addrs.is_empty() => Ok(Arc::from(addrs)),
            Ok(Ok(_)) => Err("no address found".to_string()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("the lookup failed unexpectedly".to_string()),
        };
        {
            let mut entries = lock(&self.entries);
            // Only our own entry is replaced: it may have been given up as abandoned and
            // replaced by a newer lookup meanwhile.
            if matches!(entries.get(&key), Some(Entry::Pending(p)) if Arc::ptr_eq(p, &lookup)) {
                match &outcome {
                    Ok(addrs) => {
                        let expires = Instant::now() + self.ttl;
                        let addrs = Arc::clone(addrs);
                        entries.insert(key, Entry::Ready { addrs, expires });
                    }
                    Err(_) => {
                        entries.remove(&key);
                    }
                }
            }
        }
        *lock(&lookup.outcome) = Some(outcome);
        lookup.done.notify_all();
    }

    /// Drops the cached addresses of `host:port` (no effect on a lookup in flight).
    fn forget(&self, host: &str, port: u16) {
        let key = (
            host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase(),
            port,
        );
        let mut entries = lock(&self.entries);
        if matches!(entries.get(&key), Some(Entry::Ready { .. })) {
            entries.remove(&key);
        }
    }
}

/// Frees one slot of a full cache: expired answers and abandoned lookups first, else the
/// answer that expires soonest. Fails when every entry is a lookup in flight.
fn make_room(entries: &mut HashMap<(String, u16), Entry>) -> Result<(), LookupError> {
    let now = Instant::now();
    entries.retain(|_, e| match e {
        Entry::Ready { expires, .. } => *expires > now,
        Entry::Pending(lookup) => !lookup.abandoned(),
    });
    if entries.len() < DNS_MAX_ENTRIES {
        return Ok(());
    }
    let oldest = entries
        .iter()
        .filter_map(|(k, e)| match e {
            Entry::Ready { expires, .. } => Some((*expires, k)),
            Entry::Pending(_) => None,
        })
        .min_by_key(|(expires, _)| *expires)
        .map(|(_, k)| k.clone());
    match oldest {
        Some(k) => {
            entries.remove(&k);
            Ok(())
        }
        None => Err(LookupError::Failed(
            "too many host name lookups in progress".into(),
        )),
    }
}

impl Lookup {
    fn new() -> Self {
        Lookup {
            outcome: Mutex::new(None),
            done: Condvar::new(),
            started: Instant::now(),
            pid: std::process::id(),
        }
    }

    /// Whether no thread will ever finish this lookup (it was inherited through `fork()`),
    /// or it has been running for so long that it is presumed hung.
    fn abandoned(&self) -> bool {
        self.pid != std::process::id() || self.started.elapsed() > DNS_LOOKUP_ABANDONED_AFTER
    }

    /// Waits for the outcome until `deadline` (`None`: no limit) or until `cancel` is
    /// cancelled (looked at every [`POLL`]; the caller then reports the cancel).
    fn wait(
        &self,
        deadline: Option<Instant>,
        cancel: Option<&Cancel>,
    ) -> Result<Arc<[SocketAddr]>, LookupError> {
        let mut outcome = lock(&self.outcome);
        loop {
            if let Some(result) = outcome.as_ref() {
                return result.clone().map_err(LookupError::Failed);
            }
            if cancel.is_some_and(Cancel::is_cancelled) {
                return Err(LookupError::TimedOut);
            }
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left.is_some_and(|l| l.is_zero()) {
                return Err(LookupError::TimedOut);
            }
            let slice = match (left, cancel) {
                (Some(l), Some(_)) => Some(l.min(POLL)),
                (None, Some(_)) => Some(POLL),
                (left, None) => left,
            };
            outcome = match slice {
                None => self
                    .done
                    .wait(outcome)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(slice) => {
                    self.done
                        .wait_timeout(outcome, slice)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use ureq::unversioned::transport::time;

    use super::*;
    use crate::error::ErrorKind;
    use crate::transport::map_ureq_error;

    /// A cache of its own around `lookup`.
    fn cache(lookup: LookupFn, ttl: Duration) -> Arc<DnsCache> {
        Arc::new(DnsCache::new(lookup, ttl))
    }

    fn loopback(port: u16) -> Vec<SocketAddr> {
        vec![SocketAddr::from(([127, 0, 0, 1], port))]
    }

    fn resolve_uri(
        resolver: &CachingResolver,
        uri: &str,
        after: Option<Duration>,
    ) -> Result<Vec<SocketAddr>, ureq::Error> {
        let timeout = NextTimeout {
            after: after.map_or(time::Duration::NotHappening, time::Duration::Exact),
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        resolver
            .resolve(&uri.parse().unwrap(), &Config::default(), timeout)
            .map(|addrs| addrs.to_vec())
    }

    #[test]
    fn ip_literals_are_not_looked_up() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn lookup(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            Err(io::Error::other("must not be called"))
        }
        let r = CachingResolver {
            cache: cache(lookup, DNS_TTL),
        };
        let got = resolve_uri(&r, "http://127.0.0.1:8080/a?b=c", Some(Duration::ZERO)).unwrap();
        assert_eq!(got, vec!["127.0.0.1:8080".parse().unwrap()]);
        let got = resolve_uri(&r, "https://[::1]/x", None).unwrap();
        assert_eq!(got, vec!["[::1]:443".parse().unwrap()]);
        let got = resolve_uri(&r, "http://10.1.2.3/", None).unwrap();
        assert_eq!(got, vec!["10.1.2.3:80".parse().unwrap()]);
        assert_eq!(CALLS.load(Ordering::SeqCst), 0);
        assert!(matches!(
            resolve_uri(&r, "ftp://127.0.0.1/", None),
            Err(ureq::Error::BadUri(_))
        ));
    }

    #[test]
    fn concurrent_lookups_of_a_name_are_shared_then_cached_until_the_ttl() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
            assert_eq!(host, "api.example.test");
            CALLS.fetch_add(1, Ordering::SeqCst);
            thread::sleep(Duration::from_millis(100));
            Ok(loopback(port))
        }
        let c = cache(lookup, Duration::from_millis(400));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let c = Arc::clone(&c);
                thread::spawn(move || {
                    c.resolve("API.example.test", 443, Some(Duration::from_secs(5)), None)
                })
            })
            .collect();
        for t in threads {
            assert_eq!(&*t.join().unwrap().unwrap(), &loopback(443)[..]);
        }
        assert_eq!(CALLS.load(Ordering::SeqCst), 1, "one lookup for 8 callers");
        let started = Instant::now();
        for _ in 0..100 {
            c.resolve("api.example.test.", 443, Some(Duration::from_secs(5)), None)
                .unwrap();
        }
        assert!(started.elapsed() < Duration::from_millis(100));
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            1,
            "answers come from the cache"
        );
        // Another port is another entry.
        c.resolve("api.example.test", 80, None, None).unwrap();
        assert_eq!(CALLS.load(Ordering::SeqCst), 2);
        // Forgotten (after a connection failure): looked up again.
        c.forget("api.example.test", 80);
        c.resolve("api.example.test", 80, None, None).unwrap();
        assert_eq!(CALLS.load(Ordering::SeqCst), 3);
        // Expired: looked up again.
        thread::sleep(Duration::from_millis(450));
        c.resolve("api.example.test", 443, None, None).unwrap();
        assert_eq!(CALLS.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn failures_are_not_cached() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn lookup(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
            if CALLS.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(io::Error::other("Name or service not known"))
            } else {
                Ok(Vec::new())
            }
        }
        let c = cache(lookup, DNS_TTL);
        for _ in 0..3 {
            let e = c.resolve("nx.example.test", 443, None, None).unwrap_err();
            assert!(matches!(e, LookupError::Failed(_)), "{e:?}");
        }
        assert_eq!(CALLS.load(Ordering::SeqCst), 3);
        assert!(lock(&c.entries).is_empty());
    }

    #[test]
    fn a_hung_lookup_is_bounded_by_the_timeout_and_not_restarted() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn lookup(_: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            thread::sleep(Duration::from_millis(600));
            Ok(loopback(port))
        }
        let r = CachingResolver {
            cache: cache(lookup, DNS_TTL),
        };
        for _ in 0..5 {
            let started = Instant::now();
            let e = resolve_uri(
                &r,
                "https://slow.example.test/",
                Some(Duration::from_millis(50)),
            )
            .unwrap_err();
            assert!(
                matches!(e, ureq::Error::Timeout(ureq::Timeout::Resolve)),
                "{e:?}"
            );
            assert!(started.elapsed() < Duration::from_millis(400));
            let f = map_ureq_error(e);
            assert_eq!(f.error.kind(), ErrorKind::ConnectTimeout);
            assert!(f.before_send, "a lookup timeout allows failover");
        }
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            1,
            "callers wait on the same lookup"
        );
        // The late answer still fills the cache.
        let got = resolve_uri(
            &r,
            "https://slow.example.test/",
            Some(Duration::from_secs(5)),
        );
        assert_eq!(got.unwrap(), loopback(443));
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn invalid_names_fail_without_a_lookup_and_map_to_dns() {
        fn lookup(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
            panic!("no lookup for .invalid");
        }
        let r = CachingResolver {
            cache: cache(lookup, DNS_TTL),
        };
        for uri in [
            "https://api.authy.invalid/x",
            "http://INVALID./",
            "http://a.b.invalid:8080",
        ] {
            let e = resolve_uri(&r, uri, None).unwrap_err();
            let f = map_ureq_error(e);
            assert_eq!(f.error.kind(), ErrorKind::Dns, "{uri}");
            assert!(f.before_send);
            assert!(
                f.error.message().contains("RFC 6761"),
                "{}",
                f.error.message()
            );
        }
    }

    #[test]
    fn lookups_left_by_fork_or_hung_too_long_are_restarted() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn lookup(_: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            Ok(loopback(port))
        }
        let c = cache(lookup, DNS_TTL);
        let limit = Some(Duration::from_secs(5));
        let pending = |host: &str, lookup: Lookup| {
            lock(&c.entries).insert((host.to_string(), 443), Entry::Pending(Arc::new(lookup)));
        };
        // Started by the parent of a fork(): its thread does not exist here.
        let mut orphan = Lookup::new();
        orphan.pid = std::process::id().wrapping_add(1);
        pending("forked.example.test", orphan);
        c.resolve("forked.example.test", 443, limit, None).unwrap();
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
        // Presumed hung.
        if let Some(long_ago) =
            Instant::now().checked_sub(DNS_LOOKUP_ABANDONED_AFTER + Duration::from_secs(1))
        {
            let mut hung = Lookup::new();
            hung.started = long_ago;
            pending("hung.example.test", hung);
            c.resolve("hung.example.test", 443, limit, None).unwrap();
            assert_eq!(CALLS.load(Ordering::SeqCst), 2);
        }
        // A recent lookup in flight is waited for, not duplicated.
        let before = CALLS.load(Ordering::SeqCst);
        pending("busy.example.test", Lookup::new());
        let e = c
            .resolve(
                "busy.example.test",
                443,
                Some(Duration::from_millis(20)),
                None,
            )
            .unwrap_err();
        assert_eq!(e, LookupError::TimedOut);
        assert_eq!(CALLS.load(Ordering::SeqCst), before);
    }

    #[test]
    fn a_panicking_lookup_is_a_failure_and_not_cached() {
        fn lookup(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
            panic!("resolver bug (expected by this test)");
        }
        let c = cache(lookup, DNS_TTL);
        let e = c
            .resolve(
                "panic.example.test",
                443,
                Some(Duration::from_secs(5)),
                None,
            )
            .unwrap_err();
        assert!(matches!(e, LookupError::Failed(_)), "{e:?}");
        assert!(lock(&c.entries).is_empty());
    }

    #[test]
    fn the_cache_is_bounded() {
        let now = Instant::now();
        let ready = |secs_left: i64| Entry::Ready {
            addrs: Arc::from(loopback(1)),
            expires: if secs_left >= 0 {
                now + Duration::from_secs(secs_left as u64)
            } else {
                now - Duration::from_secs((-secs_left) as u64)
            },
        };
        let mut entries = HashMap::new();
        for i in 0..DNS_MAX_ENTRIES {
            entries.insert((format!("h{i}"), 443), ready(10 + i as i64));
        }
        // Full of live answers: the one expiring first goes.
        make_room(&mut entries).unwrap();
        assert_eq!(entries.len(), DNS_MAX_ENTRIES - 1);
        assert!(!entries.contains_key(&("h0".to_string(), 443)));
        // Expired answers go first, all of them.
        entries.insert(("old1".into(), 443), ready(-1));
        entries.insert(("old2".into(), 443), ready(-5));
        make_room(&mut entries).unwrap();
        assert_eq!(entries.len(), DNS_MAX_ENTRIES - 1);
        // Only lookups in flight: no room (and no further thread).
        let mut pending: HashMap<_, _> = (0..DNS_MAX_ENTRIES)
            .map(|i| {
                (
                    (format!("p{i}"), 443),
                    Entry::Pending(Arc::new(Lookup::new())),
                )
            })
            .collect();
        assert!(make_room(&mut pending).is_err());
        assert_eq!(pending.len(), DNS_MAX_ENTRIES);
    }
}
