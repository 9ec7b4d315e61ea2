//! Base URLs: `http(s)://host[:port]`, cleartext only to loopback hosts unless allowed.

use crate::error::Error;

/// Checks a base URL and returns it without a trailing `/` (`scheme://host[:port]`).
///
/// `http` is refused for a host that is not loopback unless `allow_insecure_http`: the API
/// key would travel in cleartext.
pub(crate) fn normalize_base_url(
    what: &str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid_argument(format!("Invalid {what}: {why}"));
    if url.len() > 2048 {
        return Err(bad("too long"));
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "whitespace, control or non-ASCII characters not allowed",
        ));
    }
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", &url[url.len() - r.len()..])
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", &url[url.len() - r.len()..])
    } else {
        return Err(bad("only http:// and https:// URLs are supported"));
    };
    if rest.contains(['?', '#']) {
        return Err(bad("a query string or fragment is not allowed"));
    }
    if rest.contains('@') {
        return Err(bad("user info is not allowed"));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '\\', '%']) {
        return Err(bad("a path is not allowed (expected scheme://host[:port])"));
    }
    // Host and optional port; IPv6 literals in brackets.
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((h, after)) = inner.split_once(']') else {
            return Err(bad("unterminated IPv6 address"));
        };
        if h.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("invalid IPv6 address"));
        }
        match after {
            "" => (h, None),
            p if p.starts_with(':') => (h, Some(&p[1..])),
            _ => return Err(bad("unexpected characters after the host")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("missing host"));
    }
    if !authority.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(bad("invalid host name"));
    }
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("invalid port"));
        }
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) => {}
            _ => return Err(bad("invalid port")),
        }
    }
    if scheme == "http" && !allow_insecure_http && !is_loopback_host(host) {
        return Err(bad(
            "http:// is allowed only for a loopback host (127.0.0.0/8, [::1], localhost): \
             use https://, or allow_insecure_http to send the API key in cleartext",
        ));
    }
    Ok(format!("{scheme}://{authority}"))
}

/// `true` for `localhost`, an IPv4 address in 127.0.0.0/8 and `::1` (brackets removed).
pub(super) fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
        || host
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = [
            ("https://api.authy.com", "https://api.authy.com"),
            ("https://api.authy.com/", "https://api.authy.com"),
            ("HTTP://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:80/", "http://[::1]:80"),
            ("https://localhost:443", "https://localhost:443"),
        ];
        for (input, want) in ok {
            assert_eq!(normalize_base_url("base URL", input, false).unwrap(), want);
        }
        let bad = [
            "",
            "api.authy.com",
            "ftp://api.authy.com",
            "https://",
            "https://api.authy.com/protected",
            "https://api.authy.com/?x=1",
            "https://api.authy.com#frag",
            "https://user:pw@api.authy.com",
            "https://api.authy.com:99999",
            "https://api.authy.com:",
            "https://api.authy.com:80x",
            "https://api authy.com",
            "https://api.authy.com\n",
            "https://[::1",
            "https://[nothex]:80",
            "https://a_b.com",
            "https://api.authy.com//",
            "https://api.authy.com/%2e%2e",
        ];
        for input in bad {
            assert!(
                normalize_base_url("base URL", input, false).is_err(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn cleartext_only_to_loopback_unless_allowed() {
        let loopback = [
            "http://127.0.0.1:8080",
            "http://127.255.0.9",
            "http://[::1]:8080",
            "http://localhost:3000",
            "http://LocalHost",
        ];
        for url in loopback {
            assert!(normalize_base_url("base URL", url, false).is_ok(), "{url}");
        }
        let remote = [
            "http://api.authy.com",
            "http://API.AUTHY.COM:80",
            "http://10.0.0.7:8080",
            "http://128.0.0.1",
            "http://0.0.0.0:8080",
            "http://[::ffff:127.0.0.1]",
            "http://[2001:db8::1]:80",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ];
        for url in remote {
            let e = normalize_base_url("base URL", url, false).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
            assert!(e.message().contains("loopback"), "{url}: {e}");
            assert!(normalize_base_url("base URL", url, true).is_ok(), "{url}");
        }
        // https is never affected.
        assert!(normalize_base_url("base URL", "https://api.authy.com", false).is_ok());
        assert!(normalize_base_url("base URL", "https://10.0.0.7:8443", false).is_ok());
    }
}
