//! `X-Twilio-Signature`: the signature Twilio puts on the webhooks it sends (Verify Push
//! events, verify-v2.md §4.5), verified offline.
//!
//! ```text
//! base64( HMAC-SHA1( auth_token, url + name1 + value1 + name2 + value2 + ... ) )
//! ```
//!
//! `url` is the full URL Twilio requested (scheme, host, optional port, path, query string);
//! the form parameters follow, names in byte order and, for a repeated name, each of its
//! distinct values in byte order, with no separators. A JSON-bodied webhook signs the URL alone:
//! its query carries `bodySHA256=<hex SHA-256 of the body>`, which [`verify`] checks against
//! the body. As twilio-python's `RequestValidator` does, a URL with a port is also tried
//! without it, and one without a port with the scheme's default port (`:443` for `https`,
//! `:80` otherwise), because proxies add or drop the default port on the way.
//!
//! ```
//! use authy::signature::twilio;
//!
//! let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
//! let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
//!             &From=%2B14158675309&To=%2B18005551212";
//! assert!(twilio::verify("12345", url, body.as_bytes(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").is_ok());
//! assert!(twilio::verify("12346", url, body.as_bytes(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").is_err());
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

use super::escape::{MacSink, Sink as _, hex_digit};
use super::{MAX_PARAMS_LEN, SignatureError};

/// Length in bytes of an HMAC-SHA1 tag.
const TAG_LEN: usize = 20;

/// Name of the header Twilio sends the signature in.
pub const HEADER: &str = "X-Twilio-Signature";

/// Bytes of decoded names and values kept on the stack (those with `+` or `%`; a Verify
/// event has ≈ 300); a body that needs more is decoded into a buffer on the heap.
const STACK_DECODED: usize = 1024;
/// Most form parameters sorted on the stack (a Verify event has 13); more go through
/// [`form_urlencoded`].
const STACK_PAIRS: usize = 32;
/// The stack buffer between the string to sign and the HMAC (a Verify event: ≈ 800 bytes).
const MAC_BUF: usize = 1024;

/// A decoded name and value.
type Pair<'a> = (&'a [u8], &'a [u8]);

/// The `X-Twilio-Signature` Twilio would send for a form-encoded request to `url` with
/// `params` (decoded name/value pairs, in any order; repeats allowed). For a JSON-bodied
/// request pass no params and a `url` carrying `bodySHA256`. To check a received request use
/// [`verify`], which compares in constant time.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
) -> Result<String, SignatureError> {
    check_args(auth_token, url)?;
    let mut pairs = borrowed_pairs(params);
    let pairs = sort_dedup(&mut pairs);
    Ok(BASE64.encode(mac(keyed(auth_token), url, pairs).finalize().into_bytes()))
}

/// Checks a received webhook: `url` is the full URL Twilio requested (as configured in Twilio;
/// behind a proxy, the public one), `body` the raw request body (a form, or JSON when the
/// URL's query has `bodySHA256`; empty for a GET webhook, whose parameters are in the URL),
/// `signature` the `X-Twilio-Signature` header value.
///
/// `Ok(())` only when the signature matches (constant-time comparison) and, for a JSON body,
/// the body's SHA-256 is the URL's `bodySHA256`. [`SignatureError::Mismatch`] otherwise,
/// [`SignatureError::BodyHashMismatch`] for a body that is not the one the URL names,
/// [`SignatureError::MalformedSignature`] for a header that is not base64 of 20 bytes;
/// an empty Auth Token or URL is a caller error.
pub fn verify(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    check_args(auth_token, url)?;
    if body.len() > MAX_PARAMS_LEN {
        return Err(SignatureError::TooLarge);
    }
    if let Some(expected) = body_sha256(url) {
        let actual = hex(&Sha256::digest(body));
        if actual != expected {
            return Err(SignatureError::BodyHashMismatch);
        }
        return verify_sorted(auth_token, url, &[], signature);
    }
    // The usual webhook: pairs on the stack, names and values borrowed from the body where
    // they need no decoding, decoded into a stack buffer where they do.
    let mut pairs: [Pair<'_>; STACK_PAIRS] = [(b"", b""); STACK_PAIRS];
    let mut buf = [0u8; STACK_DECODED];
    if let Some(n) = decode_form(body, &mut buf, &mut pairs) {
        return verify_sorted(auth_token, url, sort_dedup(&mut pairs[..n]), signature);
    }
    if body.len() > STACK_DECODED {
        let mut buf = vec![0u8; body.len()];
        if let Some(n) = decode_form(body, &mut buf, &mut pairs) {
            return verify_sorted(auth_token, url, sort_dedup(&mut pairs[..n]), signature);
        }
    }
    let params: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    verify_params(auth_token, url, &params, signature)
}

/// [`verify`] for parameters already decoded by the application's web framework (a form
/// request; for a JSON body use [`verify`], which checks `bodySHA256`).
pub fn verify_params<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
    signature: &str,
) -> Result<(), SignatureError> {
    check_args(auth_token, url)?;
    let mut pairs = borrowed_pairs(params);
    verify_sorted(auth_token, url, sort_dedup(&mut pairs), signature)
}

/// The check itself, on the distinct pairs in byte order.
fn verify_sorted(
    auth_token: &str,
    url: &str,
    pairs: &[Pair<'_>],
    signature: &str,
) -> Result<(), SignatureError> {
    // 24 base64 characters of a 20-byte tag; 24 decode to at most 18 + 2 padding: room for 24.
    let mut tag = [0u8; 24];
    match BASE64.decode_slice(signature.as_bytes(), &mut tag) {
        Ok(TAG_LEN) => {}
        _ => return Err(SignatureError::MalformedSignature),
    }
    let key = keyed(auth_token);
    // The URL as given first, the other port spelling only if that fails. Each comparison is
    // constant-time; stopping at the first match tells a caller only which spelling the
    // signature was made for, which is no secret (the URL is the caller's own).
    if mac(key.clone(), url, pairs)
        .verify_slice(&tag[..TAG_LEN])
        .is_ok()
    {
        return Ok(());
    }
    match other_port_spelling(url) {
        Some(other)
            if mac(key, &other, pairs)
                .verify_slice(&tag[..TAG_LEN])
                .is_ok() =>
        {
            Ok(())
        }
        _ => Err(SignatureError::Mismatch),
    }
}

fn check_args(auth_token: &str, url: &str) -> Result<(), SignatureError> {
    if auth_token.is_empty() {
        return Err(SignatureError::EmptyAuthToken);
    }
    if url.is_empty() {
        return Err(SignatureError::EmptyUrl);
    }
    Ok(())
}

/// The parameters as byte slices, in the given order.
fn borrowed_pairs<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Vec<Pair<'_>> {
    params
        .iter()
        .map(|(k, v)| (k.as_ref().as_bytes(), v.as_ref().as_bytes()))
        .collect()
}

/// The distinct pairs in byte order (names first, then values: a tuple's order; for UTF-8
/// text the same as the order of the strings).
fn sort_dedup<'p, 'a>(pairs: &'p mut [Pair<'a>]) -> &'p [Pair<'a>] {
    pairs.sort_unstable();
    let mut kept = 0;
    for i in 0..pairs.len() {
        if kept == 0 || pairs[i] != pairs[kept - 1] {
            pairs[kept] = pairs[i];
            kept += 1;
        }
    }
    &pairs[..kept]
}

/// `body` split and decoded as [`form_urlencoded::parse`] does (`&`-separated, empty parts
/// skipped, the name up to the first `=`, `+` as space, `%XX` with two hex digits as that
/// byte, any other `%` kept), into `pairs`; the decoded bytes go to `buf`, the parts that
/// need no decoding are borrowed from `body`. The number of pairs, or `None` where that
/// parser's answer would differ or does not fit: more than `pairs.len()` pairs, more decoded
/// bytes than `buf` holds (`body.len()` always fits), or a name or value that is not UTF-8
/// once decoded (it replaces the bad bytes with U+FFFD).
fn decode_form<'a>(body: &'a [u8], buf: &'a mut [u8], pairs: &mut [Pair<'a>]) -> Option<usize> {
    let mut rest: &'a mut [u8] = buf;
    let mut n = 0;
    for part in body.split(|&b| b == b'&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = match part.iter().position(|&b| b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &b""[..]),
        };
        let slot = pairs.get_mut(n)?;
        *slot = (
            decode_part(name, &mut rest)?,
            decode_part(value, &mut rest)?,
        );
        n += 1;
    }
    Some(n)
}

/// One name or value of [`decode_form`]: `raw` itself when it has no `+` or `%`, else its
/// decoding at the front of `rest` (which then keeps what follows it).
fn decode_part<'a>(raw: &'a [u8], rest: &mut &'a mut [u8]) -> Option<&'a [u8]> {
    let Some(first) = raw.iter().position(|&b| b == b'+' || b == b'%') else {
        return (raw.is_ascii() || std::str::from_utf8(raw).is_ok()).then_some(raw);
    };
    let out = std::mem::take(rest);
    let dst = out.get_mut(..raw.len())?;
    dst[..first].copy_from_slice(&raw[..first]);
    let (mut i, mut j) = (first, first);
    while i < raw.len() {
        let b = raw[i];
        i += 1;
        dst[j] = match b {
            b'+' => b' ',
            b'%' => match (
                raw.get(i).copied().and_then(hex_digit),
                raw.get(i + 1).copied().and_then(hex_digit),
            ) {
                (Some(h), Some(l)) => {
                    i += 2;
                    h << 4 | l
                }
                _ => b'%',
            },
            _ => b,
        };
        j += 1;
    }
    let (part, tail) = out.split_at_mut(j);
    *rest = tail;
    let part: &'a [u8] = part;
    (part.is_ascii() || std::str::from_utf8(part).is_ok()).then_some(part)
}

/// The HMAC keyed with the Auth Token, before any data.
fn keyed(auth_token: &str) -> Hmac<Sha1> {
    Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key length")
}

/// `key` fed with `url` and each pair's name and value, in large chunks.
fn mac(key: Hmac<Sha1>, url: &str, pairs: &[Pair<'_>]) -> Hmac<Sha1> {
    let mut sink = MacSink::<_, MAC_BUF>::new(key);
    sink.write(url.as_bytes());
    for (k, v) in pairs {
        sink.write(k);
        sink.write(v);
    }
    sink.finish()
}

/// The first `bodySHA256` of the URL's query, decoded.
fn body_sha256(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "bodySHA256")
        .map(|(_, v)| v.into_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The URL with its port removed (when it has one) or with the scheme's default port added
/// (when it has none); `None` for a URL without `scheme://`.
fn other_port_spelling(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    // The host and port follow any user information.
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let port_colon = host_port
        .rfind(':')
        .filter(|&i| !host_port[i..].contains(']'))
        .map(|i| host_start + i);
    let authority = match port_colon {
        Some(i) => authority[..i].to_string(),
        None => {
            let port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            format!("{authority}:{port}")
        }
    };
    Some(format!("{scheme}://{authority}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_spellings_like_request_validator() {
        let o = |u: &str| other_port_spelling(u);
        assert_eq!(
            o("https://a.example/x?y=1").as_deref(),
            Some("https://a.example:443/x?y=1")
        );
        assert_eq!(
            o("https://a.example:443/x").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            o("http://a.example").as_deref(),
            Some("http://a.example:80")
        );
        assert_eq!(
            o("http://a.example:1234/p").as_deref(),
            Some("http://a.example/p")
        );
        assert_eq!(
            o("https://u:p@a.example/x").as_deref(),
            Some("https://u:p@a.example:443/x")
        );
        assert_eq!(o("http://[::1]/x").as_deref(), Some("http://[::1]:80/x"));
        assert_eq!(o("http://[::1]:8080/x").as_deref(), Some("http://[::1]/x"));
        assert_eq!(o("no-scheme"), None);
    }

    /// What [`form_urlencoded`] (the general path) makes of `body`: distinct pairs, sorted.
    fn general(body: &[u8]) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// What the stack path makes of `body`, when it takes it.
    fn fast(body: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut buf = vec![0u8; body.len()];
        let mut pairs: [Pair<'_>; STACK_PAIRS] = [(b"", b""); STACK_PAIRS];
        let n = decode_form(body, &mut buf, &mut pairs)?;
        Some(
            sort_dedup(&mut pairs[..n])
                .iter()
                .map(|(k, v)| (k.to_vec(), v.to_vec()))
                .collect(),
        )
    }

    fn as_bytes(pairs: &[(String, String)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        pairs
            .iter()
            .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
            .collect()
    }

    /// Edges of the form decoding: each body decodes as `form_urlencoded` decodes it, and a
    /// signature made over that decoding verifies (and one changed byte does not).
    #[test]
    fn form_edges_like_form_urlencoded() {
        let url = "https://a.example/hook";
        let long_value = "x".repeat(MAC_BUF * 4);
        let many: String = (0..STACK_PAIRS + 1)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join("&");
        let bodies: Vec<Vec<u8>> = [
            "",
            "&",
            "&&a=1&&",
            "=",
            "a",
            "a=",
            "=b",
            "a=1&a=1",     // a repeated pair counts once
            "a=2&a=1&a=2", // repeated name: each distinct value, sorted
            "b=1&a=2",
            "a=&a=",
            "a=b=c",            // only the first `=` splits
            "a+b=c+d",          // `+` is a space
            "a%2Bb=c%2bd",      // `%2B` is a `+`, either case
            "%=%",              // a lone `%` stays
            "%2=%2g&%g2=x%",    // so does one without two hex digits
            "%+2=1",            // `+` is decoded first, then `% 2` is no escape
            "%25=%2525",        // `%25` is `%`, once
            "n%3Da=v%26w",      // escaped `=` and `&` are data
            "%C3%A9=%E2%98%83", // UTF-8, escaped
            "\u{e9}=\u{2603}",  // UTF-8, raw
            "a=%FF",            // not UTF-8 once decoded: U+FFFD (general path)
            "%C3=%A9",          // a character split between name and value
            "a=%00&b=%0A",
        ]
        .iter()
        .map(|b| b.as_bytes().to_vec())
        .chain([
            format!("a={long_value}").into_bytes(), // no decoding: borrowed
            format!("a=%20{long_value}").into_bytes(), // over STACK_DECODED: heap
            format!("a={}", &"+".repeat(STACK_DECODED)).into_bytes(), // exactly STACK_DECODED
            format!("a={}&b=+", &"+".repeat(STACK_DECODED)).into_bytes(), // one more byte
            many.into_bytes(),                      // over STACK_PAIRS
            vec![b'a', b'=', 0xff],                 // raw non-UTF-8
        ])
        .collect();
        for body in &bodies {
            let want = general(body);
            if let Some(got) = fast(body) {
                assert_eq!(got, as_bytes(&want), "{:?}", String::from_utf8_lossy(body));
            }
            let sig = sign("tok", url, &want).unwrap();
            assert_eq!(verify("tok", url, body, &sig), Ok(()), "{body:?}");
            let mut other = sig.into_bytes();
            other[0] = if other[0] == b'A' { b'B' } else { b'A' };
            let other = String::from_utf8(other).unwrap();
            assert_eq!(
                verify("tok", url, body, &other),
                Err(SignatureError::Mismatch),
                "{body:?}"
            );
        }
        // The stack path takes the usual cases and leaves the others.
        assert!(fast(b"a=%FF").is_none());
        assert!(fast(&[b'a', b'=', 0xff]).is_none());
        assert!(fast(b"%C3=%A9").is_none());
        assert!(fast(b"%C3%A9=%E2%98%83").is_some());
        assert!(fast(b"a+b=c%2Bd&a=1").is_some());
    }

    /// A sweep of generated bodies (bytes that matter to the decoding, in random order): the
    /// stack path decodes as `form_urlencoded` does whenever it takes a body.
    #[test]
    fn generated_bodies_decode_like_form_urlencoded() {
        let atoms: [&[u8]; 16] = [
            b"a", b"B", b"0", b"&", b"=", b"+", b"%", b"2", b"b", b"F", b"%2B", b"%41", b"%c3%a9",
            b"\xc3", b"\xff", b" ",
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut taken = 0;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x % 24) as usize;
            let mut body = Vec::new();
            let mut y = x;
            for _ in 0..n {
                y = y.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                body.extend_from_slice(atoms[(y >> 60) as usize]);
            }
            if let Some(got) = fast(&body) {
                taken += 1;
                assert_eq!(got, as_bytes(&general(&body)), "{body:?}");
            }
        }
        assert!(taken > 5_000, "the stack path took only {taken} bodies");
    }

    #[test]
    fn malformed_and_argument_errors() {
        let url = "https://a.example/x";
        let good = sign("t", url, &[("a", "1")]).unwrap();
        assert_eq!(good.len(), 28);
        assert!(verify("t", url, b"a=1", &good).is_ok());
        for bad in [
            "",
            " ",
            "abc",
            &format!(" {good}"),
            &good[..27],
            &format!("{good}A"),
        ] {
            assert_eq!(
                verify("t", url, b"a=1", bad),
                Err(SignatureError::MalformedSignature),
                "{bad:?}"
            );
        }
        assert_eq!(
            verify("", url, b"", &good),
            Err(SignatureError::EmptyAuthToken)
        );
        assert_eq!(verify("t", "", b"", &good), Err(SignatureError::EmptyUrl));
        assert!(SignatureError::EmptyAuthToken.is_argument_error());
        let huge = vec![b'a'; MAX_PARAMS_LEN + 1];
        assert_eq!(
            verify("t", url, &huge, &good),
            Err(SignatureError::TooLarge)
        );
        // The token never shows in an error.
        let e = verify("secret-token", url, b"a=2", &good).unwrap_err();
        assert_eq!(e, SignatureError::Mismatch);
        assert!(!e.to_string().contains("secret-token"));
    }
}
