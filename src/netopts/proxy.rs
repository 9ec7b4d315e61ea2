//! The proxy of a client: an explicit one, or the one the environment names on opt-in
//! (`proxy_from_env`), with `NO_PROXY` matching, and the redacted display of proxy URLs.

use super::base_url::is_loopback_host;
use crate::error::Error;

/// The proxy for the base URLs and its redacted display: the explicit `proxy` URL when
/// set, else (with `from_env`) the one the environment names, else none.
pub(super) fn select(
    proxy: Option<&str>,
    from_env: bool,
    base: &str,
    secondary: Option<&str>,
) -> Result<Option<(ureq::Proxy, String)>, Error> {
    match proxy {
        Some(url) => parse_proxy(url).map(Some),
        None if from_env => proxy_from_env(base, secondary, |name| std::env::var(name).ok()),
        None => Ok(None),
    }
}

/// Checks a proxy URL (`http(s)://[user:password@]host:port[/]`) and returns the ureq
/// proxy plus the URL with its user info redacted. Messages never echo the URL (it may
/// hold a password).
pub(super) fn parse_proxy(url: &str) -> Result<(ureq::Proxy, String), Error> {
    parse_proxy_from(url, "proxy URL")
}

/// [`parse_proxy`], with `what` naming the source in error messages.
fn parse_proxy_from(url: &str, what: &str) -> Result<(ureq::Proxy, String), Error> {
    let bad = |why: &str| Error::invalid_argument(format!("Invalid {what}: {why}"));
    if url.len() > 2048 || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("expected printable ASCII without spaces"));
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return Err(bad("only http:// and https:// proxies are supported"));
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if authority.contains(['/', '?', '#']) || host_port.is_empty() {
        return Err(bad("expected scheme://[user:password@]host:port"));
    }
    let proxy = ureq::Proxy::new(url).map_err(|_| bad("not a valid URL"))?;
    Ok((proxy, redact_userinfo(url)))
}

/// `scheme://user:pw@host` → `scheme://<redacted>@host`; other strings unchanged.
pub(crate) fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}<redacted>{}", &url[..s + 3], &url[at..]),
        _ => url.to_string(),
    }
}

/// Host, port and scheme of a normalized base URL (`scheme://host[:port]`); the host is
/// lower-case, IPv6 literals keep their brackets.
struct Target<'a> {
    https: bool,
    host: String,
    port: u16,
    base: &'a str,
}

impl<'a> Target<'a> {
    fn of(base: &'a str) -> Self {
        let (https, authority) = match base.strip_prefix("https://") {
            Some(a) => (true, a),
            None => (false, base.strip_prefix("http://").unwrap_or(base)),
        };
        let default_port = if https { 443 } else { 80 };
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => {
                (&authority[..i], authority[i + 1..].parse().unwrap_or(0))
            }
            _ => (authority, default_port),
        };
        Target {
            https,
            host: host.to_ascii_lowercase(),
            port,
            base,
        }
    }

    /// The variable naming this target's proxy and its value (empty values count as unset).
    fn proxy_var(&self, env: &impl Fn(&str) -> Option<String>) -> Option<(&'static str, String)> {
        let names: &[&'static str] = if self.https {
            &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
        } else {
            // Never HTTP_PROXY: CGI servers set it from the request's `Proxy:` header.
            &["http_proxy", "all_proxy", "ALL_PROXY"]
        };
        names.iter().find_map(|name| {
            env(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .map(|v| (*name, v))
        })
    }
}

/// The proxy the environment names for the base URLs (see
/// [`NetOptions::proxy_from_env`](super::NetOptions::proxy_from_env)), with its redacted display; `None` when every base URL
/// is reached directly. `env` reads a variable.
pub(super) fn proxy_from_env(
    base: &str,
    secondary: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<(ureq::Proxy, String)>, Error> {
    let no_proxy = ["no_proxy", "NO_PROXY"]
        .iter()
        .find_map(|name| env(name))
        .unwrap_or_default();
    let targets: Vec<Target<'_>> = std::iter::once(base)
        .chain(secondary)
        .map(Target::of)
        .collect();
    let choices: Vec<Option<(&'static str, String)>> = targets
        .iter()
        .map(|t| {
            // Loopback is never proxied (Go's net/http rule): the proxy would see the request,
            // and for http:// the API key in it.
            if never_proxied(&t.host) || no_proxy_matches(&no_proxy, &t.host, t.port) {
                None
            } else {
                t.proxy_var(&env)
            }
        })
        .collect();
    let mut chosen = choices.iter().flatten();
    let Some((var, value)) = chosen.next() else {
        return Ok(None);
    };
    if chosen.any(|(_, other)| other != value) {
        return Err(Error::invalid_argument(
            "Invalid proxy from the environment: the base URL and the secondary base URL \
             would need different proxies; set the proxy explicitly",
        ));
    }
    let url = if value.contains("://") {
        value.clone()
    } else {
        format!("http://{value}")
    };
    let (proxy, shown) = parse_proxy_from(&url, &format!("proxy URL in {var}"))?;
    // A base URL reached directly while the other one uses the proxy: ureq bypasses a
    // proxy by host name, so the two must differ.
    let direct: Vec<&Target<'_>> = targets
        .iter()
        .zip(&choices)
        .filter(|(_, c)| c.is_none())
        .map(|(t, _)| t)
        .collect();
    if direct.is_empty() {
        return Ok(Some((proxy, format!("{shown} (from {var})"))));
    }
    if targets
        .iter()
        .zip(&choices)
        .any(|(t, c)| c.is_some() && direct.iter().any(|d| d.host == t.host))
    {
        return Err(Error::invalid_argument(
            "Invalid proxy from the environment: one base URL would use the proxy and the \
             other, on the same host, would not; set the proxy explicitly",
        ));
    }
    let bad = || Error::invalid_argument(format!("Invalid proxy URL in {var}: not a valid URL"));
    let mut rebuilt = ureq::Proxy::builder(proxy.protocol())
        .host(proxy.host())
        .port(proxy.port());
    if let Some(user) = proxy.username() {
        rebuilt = rebuilt.username(user);
    }
    if let Some(password) = proxy.password() {
        rebuilt = rebuilt.password(password);
    }
    let mut shown = format!("{shown} (from {var}");
    for d in &direct {
        rebuilt = rebuilt.no_proxy(&d.host);
        shown.push_str(&format!("; direct to {}", d.base));
    }
    shown.push(')');
    Ok(Some((rebuilt.build().map_err(|_| bad())?, shown)))
}

/// Loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`, also as `[::ffff:127.x.y.z]`): never
/// reached through a proxy from the environment.
fn never_proxied(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    is_loopback_host(bare)
        || bare
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// Whether a `NO_PROXY` list (see [`NetOptions::proxy_from_env`](super::NetOptions::proxy_from_env)) matches `host`
/// (lower-case, IPv6 in brackets) on `port`.
fn no_proxy_matches(list: &str, host: &str, port: u16) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let host_ip = bare.parse::<std::net::IpAddr>().ok();
    let host_name = host.trim_end_matches('.');
    list.split([',', ' ', '\t', '\n', '\r'])
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.to_ascii_lowercase();
            // A bare IP address or CIDR block (IPv6 without brackets has several ':').
            if let Some(ip) = host_ip
                && let Some(hit) = ip_entry_matches(&entry, ip)
            {
                return hit;
            }
            let (name, entry_port) = split_entry_port(&entry);
            if entry_port.is_some_and(|p| p != port) {
                return false;
            }
            if let Some(ip) = host_ip {
                let name = name.trim_start_matches('[').trim_end_matches(']');
                return name.parse::<std::net::IpAddr>().is_ok_and(|e| e == ip);
            }
            let name = name
                .strip_prefix("*.")
                .or_else(|| name.strip_prefix('.'))
                .unwrap_or(name)
                .trim_end_matches('.');
            !name.is_empty()
                && (host_name == name
                    || host_name
                        .strip_suffix(name)
                        .is_some_and(|rest| rest.ends_with('.')))
        })
}

/// For an entry written as an IP address or CIDR block (no port): whether it matches `ip`.
/// `None` when the entry is not of that form.
fn ip_entry_matches(entry: &str, ip: std::net::IpAddr) -> Option<bool> {
    let (addr, prefix) = match entry.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let net = addr.parse::<std::net::IpAddr>().ok()?;
    let (a, b, bits) = match (net, ip) {
        (std::net::IpAddr::V4(n), std::net::IpAddr::V4(h)) => {
            (u32::from(n) as u128, u32::from(h) as u128, 32)
        }
        (std::net::IpAddr::V6(n), std::net::IpAddr::V6(h)) => (u128::from(n), u128::from(h), 128),
        _ => return Some(false),
    };
    let prefix = u32::from(prefix.unwrap_or(bits as u8));
    if prefix > bits {
        return Some(false);
    }
    let shift = bits - prefix;
    Some(shift >= 128 || (a >> shift) == (b >> shift))
}

/// `host:port` / `[v6]:port` → (`host`, port); other entries → (entry, `None`). An entry
/// whose port does not parse is kept whole (and then matches nothing).
fn split_entry_port(entry: &str) -> (&str, Option<u16>) {
    let split = if entry.starts_with('[') {
        entry.rfind("]:").map(|i| (i + 1, i + 2))
    } else if entry.matches(':').count() == 1 {
        entry.find(':').map(|i| (i, i + 1))
    } else {
        None
    };
    match split {
        Some((end, start)) => match entry[start..].parse() {
            Ok(p) => (&entry[..end], Some(p)),
            Err(_) => (entry, None),
        },
        None => (entry, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_entries() {
        let m = |list: &str, base: &str| {
            let t = Target::of(base);
            no_proxy_matches(list, &t.host, t.port)
        };
        let api = "https://api.authy.com";
        // Empty, unrelated, `*`.
        assert!(!m("", api));
        assert!(!m(" , ,", api));
        assert!(!m("example.com", api));
        assert!(m("*", api));
        assert!(m("foo, *", api));
        assert!(!m("*foo", api));
        // Domains match the host and its subdomains at a label boundary, any case.
        for entry in [
            "authy.com",
            ".authy.com",
            "*.authy.com",
            "AUTHY.COM",
            "api.authy.com",
            "authy.com.",
        ] {
            assert!(m(entry, api), "{entry}");
            assert!(m(&format!("x.org,{entry}"), api), "{entry}");
            assert!(m(&format!("x.org {entry}"), api), "{entry}");
        }
        assert!(m("authy.com", "https://authy.com"));
        assert!(m(".authy.com", "https://authy.com"));
        assert!(!m("thy.com", api));
        assert!(!m("uthy.com", api));
        assert!(!m("api.authy.com.evil", api));
        assert!(!m("other.api.authy.com", api));
        assert!(!m(".", api));
        // host:port matches that port only (the scheme's default when none is written).
        assert!(m("api.authy.com:443", api));
        assert!(!m("api.authy.com:8443", api));
        assert!(m("api.authy.com:8443", "https://api.authy.com:8443"));
        assert!(m("localhost:80", "http://localhost"));
        assert!(!m("localhost:x", "http://localhost"));
        // IP addresses and CIDR blocks match literal IP hosts only (no lookup).
        let ip = "http://127.0.0.1:8080";
        assert!(m("127.0.0.1", ip));
        assert!(m("127.0.0.1:8080", ip));
        assert!(!m("127.0.0.1:8081", ip));
        assert!(m("127.0.0.0/8", ip));
        assert!(m("0.0.0.0/0", ip));
        assert!(!m("10.0.0.0/8", ip));
        assert!(!m("127.0.0.0/33", ip));
        assert!(!m("127.0.0.2", ip));
        assert!(!m("localhost", ip));
        assert!(!m("0.0.1", ip));
        assert!(!m("127.0.0.1", "http://localhost:8080"));
        let v6 = "http://[::1]:8080";
        assert!(m("::1", v6));
        assert!(m("[::1]", v6));
        assert!(m("[::1]:8080", v6));
        assert!(!m("[::1]:8081", v6));
        assert!(m("::/0", v6));
        assert!(m("::1/128", v6));
        assert!(!m("fd00::/8", v6));
        assert!(!m("127.0.0.1", v6));
        assert!(m("fd00::/8", "https://[fd12:3456::1]"));
    }

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    /// The proxy chosen for the base URLs, shown (redacted), or the error message.
    fn chosen(
        base: &str,
        secondary: Option<&str>,
        vars: &[(&str, &str)],
    ) -> Result<Option<String>, String> {
        proxy_from_env(base, secondary, env_of(vars))
            .map(|o| o.map(|(_, shown)| shown))
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn proxy_variables_by_scheme_and_precedence() {
        let https = "https://api.authy.com";
        let http = "http://10.1.2.3:8080";
        assert_eq!(chosen(https, None, &[]), Ok(None));
        let p = |s: &str| Ok(Some(s.to_string()));
        assert_eq!(
            chosen(https, None, &[("HTTPS_PROXY", "http://p:1")]),
            p("http://p:1 (from HTTPS_PROXY)")
        );
        // Lower case first, as curl, wget, Python and Ruby do.
        assert_eq!(
            chosen(
                https,
                None,
                &[
                    ("HTTPS_PROXY", "http://up:1"),
                    ("https_proxy", "http://low:1")
                ]
            ),
            p("http://low:1 (from https_proxy)")
        );
        // Empty counts as unset; ALL_PROXY is the fallback.
        assert_eq!(
            chosen(
                https,
                None,
                &[("https_proxy", " "), ("ALL_PROXY", "http://all:1")]
            ),
            p("http://all:1 (from ALL_PROXY)")
        );
        // An https base URL never uses http_proxy; an http one never https_proxy.
        assert_eq!(
            chosen(https, None, &[("http_proxy", "http://p:1")]),
            Ok(None)
        );
        assert_eq!(
            chosen(http, None, &[("https_proxy", "http://p:1")]),
            Ok(None)
        );
        assert_eq!(
            chosen(http, None, &[("http_proxy", "http://p:1")]),
            p("http://p:1 (from http_proxy)")
        );
        // httpoxy: the upper-case HTTP_PROXY may come from a request header under CGI.
        assert_eq!(
            chosen(http, None, &[("HTTP_PROXY", "http://evil:1")]),
            Ok(None)
        );
        // No scheme: http://.
        assert_eq!(
            chosen(https, None, &[("https_proxy", "proxy.corp:3128")]),
            p("http://proxy.corp:3128 (from https_proxy)")
        );
        // Credentials are redacted, and never in an error.
        assert_eq!(
            chosen(https, None, &[("https_proxy", "http://u:hunter2@p:1")]),
            p("http://<redacted>@p:1 (from https_proxy)")
        );
        let e = chosen(https, None, &[("https_proxy", "socks5://u:hunter2@p:1")]).unwrap_err();
        assert!(e.contains("https_proxy") && !e.contains("hunter2"), "{e}");
        let e = chosen(https, None, &[("ALL_PROXY", "http://p:1/path")]).unwrap_err();
        assert!(e.starts_with("Invalid proxy URL in ALL_PROXY"), "{e}");
    }

    #[test]
    fn loopback_is_never_proxied_from_the_environment() {
        let all = [
            ("http_proxy", "http://p:1"),
            ("https_proxy", "http://p:1"),
            ("all_proxy", "http://p:1"),
        ];
        for base in [
            "http://127.0.0.1:8080",
            "http://127.9.8.7",
            "https://localhost:8443",
            "http://LOCALHOST",
            "http://[::1]:8080",
            "https://[::ffff:127.0.0.1]",
        ] {
            assert_eq!(chosen(base, None, &all), Ok(None), "{base}");
        }
        // Not loopback: proxied.
        for base in [
            "http://10.0.0.1",
            "https://localhost.example.com",
            "http://0.0.0.0:1",
        ] {
            assert!(chosen(base, None, &all).unwrap().is_some(), "{base}");
        }
        // A loopback secondary next to a proxied primary goes direct.
        let (proxy, shown) = proxy_from_env(
            "https://api.authy.com",
            Some("http://127.0.0.1:8080"),
            env_of(&all),
        )
        .unwrap()
        .unwrap();
        assert!(shown.contains("direct to http://127.0.0.1:8080"), "{shown}");
        let uri = |s: &str| s.parse::<ureq::http::Uri>().unwrap();
        assert!(proxy.is_no_proxy(&uri("http://127.0.0.1:8080/x")));
    }

    #[test]
    fn no_proxy_from_the_environment() {
        let https = "https://api.authy.com";
        let vars = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "localhost,.authy.com"),
        ];
        assert_eq!(chosen(https, None, &vars), Ok(None));
        let vars = [("https_proxy", "http://p:1"), ("NO_PROXY", "*")];
        assert_eq!(chosen(https, None, &vars), Ok(None));
        // no_proxy (lower case) wins over NO_PROXY, even when empty.
        let vars = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", ""),
            ("NO_PROXY", "*"),
        ];
        assert!(chosen(https, None, &vars).unwrap().is_some());

        // Two base URLs: one proxied, one direct (by host); both proxied by the same proxy;
        // two different proxies is an error.
        let both = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "backup.example.com"),
        ];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&both))
                .unwrap()
                .unwrap();
        assert!(
            shown.contains("direct to https://backup.example.com"),
            "{shown}"
        );
        let uri = |s: &str| s.parse::<ureq::http::Uri>().unwrap();
        assert!(proxy.is_no_proxy(&uri("https://backup.example.com/x")));
        assert!(!proxy.is_no_proxy(&uri("https://api.authy.com/x")));
        let v6 = [("http_proxy", "http://p:1"), ("no_proxy", "fd00::1")];
        let (proxy, _) =
            proxy_from_env("http://10.1.2.3:1", Some("http://[fd00::1]:2"), env_of(&v6))
                .unwrap()
                .unwrap();
        assert!(proxy.is_no_proxy(&uri("http://[fd00::1]:2/x")));
        assert!(!proxy.is_no_proxy(&uri("http://10.1.2.3:1/x")));
        let same = [("https_proxy", "http://u:pw@p:1")];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&same))
                .unwrap()
                .unwrap();
        assert!(!proxy.is_no_proxy(&uri("https://backup.example.com/x")));
        assert_eq!(shown, "http://<redacted>@p:1 (from https_proxy)");
        let differ = [("https_proxy", "http://p:1"), ("http_proxy", "http://q:1")];
        let e = chosen(https, Some("http://10.1.2.3:8080"), &differ).unwrap_err();
        assert!(e.contains("different proxies"), "{e}");
        // Same host, one proxied and one not: ureq bypasses by host, so refused.
        let port_only = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "api.authy.com:8443"),
        ];
        let e = chosen(https, Some("https://api.authy.com:8443"), &port_only).unwrap_err();
        assert!(e.contains("same host"), "{e}");
        // Credentials survive the rebuild for a bypass.
        let creds = [
            ("https_proxy", "http://us%40r:p%3Aw@p:1"),
            ("no_proxy", "backup.example.com"),
        ];
        let (proxy, shown) =
            proxy_from_env(https, Some("https://backup.example.com"), env_of(&creds))
                .unwrap()
                .unwrap();
        assert_eq!(
            (proxy.username(), proxy.password()),
            (Some("us@r"), Some("p:w"))
        );
        assert!(!shown.contains("p%3Aw"), "{shown}");
    }
}
