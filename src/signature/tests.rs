//! Unit tests of the signature module: the shared vectors, the canonical form, hostile input.

use super::*;
use nonce::parse_nonce_seconds;
use std::time::UNIX_EPOCH;

fn req<'a>(method: &'a str, url: &'a str, nonce: &'a str, params: &'a str) -> CallbackRequest<'a> {
    CallbackRequest {
        method,
        url,
        nonce,
        params,
    }
}

struct Vector {
    source: String,
    api_key: String,
    method: String,
    url: String,
    nonce: String,
    params: String,
    expected: String,
    valid: bool,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/onetouch_signature_vectors.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the signature vectors at {path}: {e}"));
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().map(str::to_owned);
    all.as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            source: s(v, "source").unwrap(),
            api_key: s(v, "api_key").unwrap(),
            method: s(v, "method").unwrap(),
            url: s(v, "url").unwrap(),
            nonce: s(v, "nonce").unwrap(),
            params: s(v, "body_json")
                .or_else(|| s(v, "query_string"))
                .expect("vector without body_json or query_string"),
            expected: s(v, "expected_signature").unwrap(),
            valid: v["valid"].as_bool().unwrap(),
        })
        .collect()
}

#[test]
fn every_shared_vector() {
    let vectors = vectors();
    assert!(vectors.len() >= 11, "expected the shared vectors");
    assert!(
        vectors.iter().any(|v| !v.valid),
        "expected a negative vector"
    );
    assert!(vectors.iter().any(|v| v.method == "GET"));
    for v in &vectors {
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        let result = verify_signature(&v.api_key, &r, &v.expected, &CallbackOptions::default());
        if v.valid {
            assert_eq!(result, Ok(()), "{}", v.source);
            assert_eq!(
                compute_signature(&v.api_key, &r).unwrap(),
                v.expected,
                "{}",
                v.source
            );
        } else {
            assert_eq!(result, Err(SignatureError::Mismatch), "{}", v.source);
            assert_ne!(compute_signature(&v.api_key, &r).unwrap(), v.expected);
        }
    }
}

#[test]
fn negative_vector_has_the_documented_correct_signature() {
    // §6.4 B1-negative: the body's real signature is known.
    let v = vectors().into_iter().find(|v| !v.valid).unwrap();
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    assert_eq!(
        compute_signature(&v.api_key, &r).unwrap(),
        "1I8YM+sy/RQ0s88CnagEcEtKVIxWhfzMNkCYY1z9JZI="
    );
}

#[test]
fn get_vectors_canonicalise_to_their_own_query_string() {
    for v in vectors().iter().filter(|v| v.method == "GET") {
        assert_eq!(
            canonical_params(Method::Get, &v.params).unwrap(),
            v.params,
            "{}",
            v.source
        );
    }
}

#[test]
fn documented_signed_strings() {
    let r = req(
        "post",
        "https://foo.bar/",
        "1455825429",
        r#"{"foo":{"bar":{"biz":"foo bar"}},"qux":"net"}"#,
    );
    assert_eq!(
        string_to_sign(&r).unwrap(),
        "1455825429|POST|https://foo.bar/|foo%5Bbar%5D%5Bbiz%5D=foo+bar&qux=net"
    );
    assert_eq!(
        compute_signature("foo", &r).unwrap(),
        "+fyGys+d5yNJx9SpeKZdf+N77od1t1cC/fVSWDW2+kY="
    );
}

#[test]
fn python_empty_params_vectors() {
    // §6.4 D: the upstream signatures are over empty parameters.
    let url = "https://api.authy.com/dashboard/json/application/webhooks";
    let post = req("POST", url, "1427849783.886085", "{}");
    let get = req("GET", url, "1427849783.886085", "");
    assert_eq!(
        compute_signature("foobar123", &post).unwrap(),
        "UJRjviTdXFA0xu4duxW9BWVDRZGsmSUDd4RglmzcX4o="
    );
    assert_eq!(
        compute_signature("foobar123", &get).unwrap(),
        "yjA/tsM6Rkxgww9wmZLxRWaouw21ZRsi7QIOdm7cEmA="
    );
}

#[test]
fn canonical_form_rules() {
    let c = |body: &str| canonical_params(Method::Post, body).unwrap();
    // Sorted by encoded chunk, not by raw key: "a%5B" (hash a) sorts before "a2" and "aZ".
    assert_eq!(c(r#"{"aZ":1,"a":{"x":1},"a2":2}"#), "a%5Bx%5D=1&a2=2&aZ=1");
    // Arrays keep order; scalars in arrays; arrays of hashes element after element.
    assert_eq!(
        c(r#"{"l":[{"url":"u1","res":"b"},{"res":"a","url":"u2"}],"s":[3,1,2]}"#),
        "l%5B%5D%5Bres%5D=b&l%5B%5D%5Burl%5D=u1&l%5B%5D%5Bres%5D=a&l%5B%5D%5Burl%5D=u2\
         &s%5B%5D=3&s%5B%5D=1&s%5B%5D=2"
    );
    // Empty hashes and arrays vanish; null, booleans, numbers as JSON text.
    assert_eq!(
        c(
            r#"{"e":{},"f":[],"n":null,"t":true,"x":false,"num":-1.50e+3,"big":123456789012345678901234567890}"#
        ),
        "big=123456789012345678901234567890&n=&num=-1.50e%2B3&t=true&x=false"
    );
    // Escaping: only A-Za-z0-9_.-~ kept, space as '+', upper-case hex, UTF-8 bytes.
    assert_eq!(
        c(r#"{"k":"a b+c/d:e,f|g&h=i*j~k'l\u00e9\ud83d\ude00"}"#),
        "k=a+b%2Bc%2Fd%3Ae%2Cf%7Cg%26h%3Di%2Aj~k%27l%C3%A9%F0%9F%98%80"
    );
    // The same key in different objects is not a repetition.
    assert_eq!(c(r#"{"a":{"a":1},"b":{"a":2}}"#), "a%5Ba%5D=1&b%5Ba%5D=2");
    // An empty body is malformed, not "no parameters" (defect 8); `{}` is no parameters.
    for empty in ["", "  ", "\n"] {
        assert!(is_malformed(Method::Post, empty), "{empty:?}");
    }
    assert_eq!(c("{}"), "");
    // Nested arrays and empty arrays inside arrays.
    assert_eq!(c(r#"{"a":[[1],[]]}"#), "a%5B%5D%5B%5D=1&a%5B%5D%5B%5D=");
}

#[test]
fn rack_query_parsing() {
    let g = |q: &str| canonical_params(Method::Get, q).unwrap();
    assert_eq!(g("b=2&a=1"), "a=1&b=2");
    assert_eq!(g("?a=x+y%20z"), "a=x+y+z");
    assert_eq!(g("a"), "a=");
    assert_eq!(g("a[]=2&a[]=1"), "a%5B%5D=2&a%5B%5D=1");
    assert_eq!(g("h[y]=1&h[x]=2"), "h%5Bx%5D=2&h%5By%5D=1");
    // A repeated key starts a new array element.
    assert_eq!(
        g("l[][res]=a&l[][url]=u&l[][res]=b&l[][url]=v"),
        "l%5B%5D%5Bres%5D=a&l%5B%5D%5Burl%5D=u&l%5B%5D%5Bres%5D=b&l%5B%5D%5Burl%5D=v"
    );
    // Deeper paths inside array elements.
    assert_eq!(
        g("l[][a][b]=1&l[][a][c]=2"),
        "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bc%5D=2"
    );
    assert_eq!(
        g("l[][a][b]=1&l[][a][b]=2"),
        "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bb%5D=2"
    );
    // Empty segments and key-less pairs are ignored.
    assert_eq!(g("&&=x&[]=y&a=1&"), "a=1");
    // Type conflicts and broken escapes are malformed.
    for bad in ["a=1&a[]=2", "a[]=1&a[b]=2", "a[b]=1&a[]=2", "a=%zz", "a=%4"] {
        assert!(
            matches!(
                canonical_params(Method::Get, bad),
                Err(SignatureError::MalformedParams(_))
            ),
            "{bad}"
        );
    }
    // Non-UTF-8 bytes survive decoding and are re-escaped.
    assert_eq!(g("a=%FF"), "a=%FF");
}

fn is_malformed(method: Method, params: &str) -> bool {
    matches!(
        canonical_params(method, params),
        Err(SignatureError::MalformedParams(_))
    )
}

#[test]
fn repeated_json_keys_are_malformed() {
    for bad in [
        r#"{"a":1,"a":2}"#,
        r#"{"a":1,"a":1}"#,
        r#"{"a":null,"a":{}}"#,
        r#"{"a":{},"a":[]}"#,
        r#"{"a":1,"b":2,"\u0061":3}"#,
        r#"{"x":{"a":1,"a":2}}"#,
        r#"{"x":{"y":[{"a":1,"a":2}]}}"#,
    ] {
        assert!(is_malformed(Method::Post, bad), "{bad}");
    }
    // The same key in sibling objects and array elements is fine.
    assert!(!is_malformed(
        Method::Post,
        r#"{"a":{"a":1},"l":[{"a":1},{"a":2}]}"#
    ));
}

#[test]
fn repeated_query_keys_are_malformed() {
    for bad in [
        "a=1&a=2",
        "a=1&a=1",
        "a&a",
        "a=1&%61=2",
        "a=1&a]=2",
        "a[b]=1&a=2",
        "a[=1&a[=2",
        "h[x]=1&h[x]=2",
        "h[x][y]=1&h[y]=2&h[x][y]=3",
        "x[l][][a]=1&x[y]=1&x[y]=2",
    ] {
        assert!(is_malformed(Method::Get, bad), "{bad}");
    }
    // Array keys repeat legitimately (a repeated `l[][x]` starts a new element).
    for good in [
        "a[]=1&a[]=1",
        "l[][x]=1&l[][x]=1",
        "l[][x][y]=1&l[][x][y]=2",
    ] {
        assert!(!is_malformed(Method::Get, good), "{good}");
    }
}

/// The reported bypass: a signed "denied" callback with a second, unsigned "approved"
/// value in front. A parser keeping the first value would see "approved".
#[test]
fn a_repeated_key_cannot_smuggle_a_value_past_the_signature() {
    let opts = CallbackOptions::default();
    let post = vector_a1();
    assert_eq!(post.method, "POST");
    let get = vectors()
        .into_iter()
        .find(|v| v.method == "GET")
        .expect("a GET vector");
    let cases: [(&Vector, &str, &str, &str); 4] = [
        (
            &post,
            r#""status":"approved","approval_request""#,
            r#""status":"denied","approval_request""#,
            r#"{"status":"approved","#,
        ),
        (
            &post,
            r#""status":"approved","uuid""#,
            r#""status":"denied","uuid""#,
            r#"{"approval_request":{"transaction":{"status":"approved"}},"#,
        ),
        (
            &get,
            "&status=approved&",
            "&status=denied&",
            "status=approved&",
        ),
        (
            &get,
            "%5Bstatus%5D=approved&",
            "%5Bstatus%5D=denied&",
            "approval_request%5Btransaction%5D%5Bstatus%5D=approved&",
        ),
    ];
    for (v, from, to, prefix) in cases {
        assert_eq!(v.params.matches(from).count(), 1, "{from}");
        let denied = v.params.replace(from, to);
        let r = req(&v.method, &v.url, &v.nonce, &denied);
        let signature = compute_signature(&v.api_key, &r).unwrap();
        assert_eq!(verify_signature(&v.api_key, &r, &signature, &opts), Ok(()));
        let smuggled = match denied.strip_prefix('{') {
            Some(rest) => format!("{prefix}{rest}"),
            None => format!("{prefix}{denied}"),
        };
        let r = req(&v.method, &v.url, &v.nonce, &smuggled);
        assert!(
            matches!(
                verify_signature(&v.api_key, &r, &signature, &opts),
                Err(SignatureError::MalformedParams(_))
            ),
            "{smuggled}"
        );
    }
}

#[test]
fn verify_callback_exposes_the_verified_parameters() {
    let opts = CallbackOptions::default();
    let all = vectors();
    let by_nonce = |nonce: &str| all.iter().find(|v| v.nonce == nonce).unwrap();
    let verified = |v: &Vector| {
        let r = req(&v.method, &v.url, &v.nonce, &v.params);
        verify_callback(&v.api_key, &r, &v.expected, &opts).unwrap()
    };

    // A2 (POST): top level, nested, arrays, numbers, booleans, null, empty objects.
    let p = verified(by_nonce("1570641874"));
    assert_eq!(p.get_str("/status"), Some("approved"));
    assert_eq!(
        p.get_str("/uuid"),
        Some("4a725520-bff5-0135-eb01-0e5d90336a8c")
    );
    assert_eq!(p.get_str("/authy_id"), Some("688611"));
    assert_eq!(
        p.get_str("/approval_request/transaction/details/Process ID"),
        Some("1234567890")
    );
    assert_eq!(
        p.get_str("/approval_request/transaction/encrypted"),
        Some("false")
    );
    assert_eq!(
        p.get_str("/device/enabled_unlock_methods/1"),
        Some("fingerprint")
    );
    assert_eq!(p.get_str("/device/enabled_unlock_methods/2"), None);
    assert_eq!(p.get_str("/device/enabled_unlock_methods/01"), None);
    assert_eq!(p.get_str("/device/enabled_unlock_methods/x"), None);
    assert_eq!(p.get_str("/device/city"), Some(""));
    assert_eq!(p.get_str("/device"), None);
    assert!(p.contains("/device"));
    assert!(p.contains("/approval_request/transaction/device_details"));
    assert_eq!(
        p.get_str("/approval_request/transaction/device_details"),
        None
    );
    assert_eq!(p.get_str("/status/x"), None);
    assert_eq!(p.get_str("/nope"), None);
    assert_eq!(p.get_str("status"), None);
    assert_eq!(p.get_str(""), None);
    assert!(!format!("{p:?}").contains("approved"));

    // A7 (GET): Rack-parsed arrays of hashes.
    let p = verified(by_nonce("1512943081"));
    assert_eq!(p.get_str("/status"), Some("approved"));
    assert_eq!(p.get_str("/approval_request/logos/0/res"), Some("default"));
    assert_eq!(
        p.get_str("/approval_request/transaction/details/location"),
        Some("California,USA")
    );

    // Pointer escapes, and non-UTF-8 GET bytes.
    let key = "k";
    let body = r#"{"a/b":{"c~d":"x"}}"#;
    let r = req("POST", "https://e.x/", "1", body);
    let sig = compute_signature(key, &r).unwrap();
    let p = verify_callback(key, &r, &sig, &opts).unwrap();
    assert_eq!(p.get_str("/a~1b/c~0d"), Some("x"));
    let r = req("GET", "https://e.x/", "1", "a=%FF");
    let sig = compute_signature(key, &r).unwrap();
    let p = verify_callback(key, &r, &sig, &opts).unwrap();
    assert!(p.contains("/a"));
    assert_eq!(p.get_str("/a"), None);

    // Nothing is returned for a callback that does not verify.
    let v = all.iter().find(|v| !v.valid).unwrap();
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    assert_eq!(
        verify_callback(&v.api_key, &r, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );
    let v = by_nonce("1570641874");
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    let stale = CallbackOptions::new()
        .max_age(Duration::from_secs(300))
        .now(UNIX_EPOCH + Duration::from_secs(1_570_641_874 + 301));
    assert!(matches!(
        verify_callback(&v.api_key, &r, &v.expected, &stale),
        Err(SignatureError::NonceOutOfWindow { age_seconds: 301 })
    ));
}

fn vector_a1() -> Vector {
    vectors().into_iter().next().unwrap()
}

#[test]
fn tampering_is_rejected() {
    let v = vector_a1();
    let ok = req(&v.method, &v.url, &v.nonce, &v.params);
    let opts = CallbackOptions::default();
    assert_eq!(
        verify_signature(&v.api_key, &ok, &v.expected, &opts),
        Ok(())
    );

    let body = v.params.replace("\"approved\"", "\"denied\"");
    assert_ne!(body, v.params);
    let tampered = req(&v.method, &v.url, &v.nonce, &body);
    assert_eq!(
        verify_signature(&v.api_key, &tampered, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );

    let wrong_key = "FU10H0uCafgKnXvPfDm5iAisVuHDgXJB";
    assert_eq!(
        verify_signature(wrong_key, &ok, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );

    let wrong_url = req(
        &v.method,
        "https://requestb.in/ui9vdiuj",
        &v.nonce,
        &v.params,
    );
    assert_eq!(
        verify_signature(&v.api_key, &wrong_url, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );
    let http = req(
        &v.method,
        "http://requestb.in/ui9vdiui",
        &v.nonce,
        &v.params,
    );
    assert_eq!(
        verify_signature(&v.api_key, &http, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );

    // GET with the same JSON is not even a query string; a GET over an equivalent query
    // signs "GET" and so does not match either.
    let wrong_method = req("GET", &v.url, &v.nonce, "authy_id=688611");
    assert_eq!(
        verify_signature(&v.api_key, &wrong_method, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );

    let other_nonce = req(&v.method, &v.url, "1512923420", &v.params);
    assert_eq!(
        verify_signature(&v.api_key, &other_nonce, &v.expected, &opts),
        Err(SignatureError::Mismatch)
    );

    // Reformatted JSON (whitespace, key order) signs the same parameters.
    let value: serde_json::Value = serde_json::from_str(&v.params).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    let reformatted = req(&v.method, &v.url, &v.nonce, &pretty);
    assert_eq!(
        verify_signature(&v.api_key, &reformatted, &v.expected, &opts),
        Ok(())
    );
}

#[test]
fn url_query_and_fragment_are_ignored_and_method_case_too() {
    let v = vector_a1();
    let url = format!("{}?x=1#frag", v.url);
    let r = req("post", &url, &v.nonce, &v.params);
    assert!(is_valid(
        &v.api_key,
        &r,
        &v.expected,
        &CallbackOptions::new()
    ));
}

#[test]
fn garbage_signatures_are_invalid() {
    let v = vector_a1();
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    let opts = CallbackOptions::default();
    for sig in [
        "",
        "not base64!",
        "AAAA",
        &v.expected[..40],
        "6uKAaKxCkkFEyQujwdudyPNUgRi2fY5otoCOQN7VjCw=AAAA",
    ] {
        assert_eq!(
            verify_signature(&v.api_key, &r, sig, &opts),
            Err(SignatureError::MalformedSignature),
            "{sig:?}"
        );
    }
    // Right length, wrong bytes.
    let zero = BASE64.encode([0u8; 32]);
    assert_eq!(
        verify_signature(&v.api_key, &r, &zero, &opts),
        Err(SignatureError::Mismatch)
    );
    // A header value arrives trimmed: surrounding whitespace is malformed (defect 8).
    for padded in [
        format!(" {}", v.expected),
        format!("{}\t", v.expected),
        format!("{}\r\n", v.expected),
        format!(" {} ", v.expected),
    ] {
        assert_eq!(
            verify_signature(&v.api_key, &r, &padded, &opts),
            Err(SignatureError::MalformedSignature),
            "{padded:?}"
        );
    }
}

#[test]
fn argument_errors() {
    let v = vector_a1();
    let opts = CallbackOptions::default();
    let put = req("PUT", &v.url, &v.nonce, &v.params);
    let e = verify_signature(&v.api_key, &put, &v.expected, &opts).unwrap_err();
    assert_eq!(e, SignatureError::UnsupportedMethod);
    assert!(e.is_argument_error());
    let ok = req(&v.method, &v.url, &v.nonce, &v.params);
    assert_eq!(
        verify_signature("", &ok, &v.expected, &opts),
        Err(SignatureError::EmptyApiKey)
    );
    let no_url = req(&v.method, "?a=b", &v.nonce, &v.params);
    assert_eq!(
        verify_signature(&v.api_key, &no_url, &v.expected, &opts),
        Err(SignatureError::EmptyUrl)
    );
    assert!(!SignatureError::Mismatch.is_argument_error());
}

#[test]
fn replay_window() {
    let v = vector_a1(); // nonce 1512923419
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
    let window = CallbackOptions::new().max_age(Duration::from_secs(300));
    assert_eq!(
        verify_signature(
            &v.api_key,
            &r,
            &v.expected,
            &window.now(at(1512923419 + 300))
        ),
        Ok(())
    );
    assert_eq!(
        verify_signature(
            &v.api_key,
            &r,
            &v.expected,
            &window.now(at(1512923419 - 300))
        ),
        Ok(())
    );
    assert_eq!(
        verify_signature(
            &v.api_key,
            &r,
            &v.expected,
            &window.now(at(1512923419 + 301))
        ),
        Err(SignatureError::NonceOutOfWindow { age_seconds: 301 })
    );
    assert_eq!(
        verify_signature(
            &v.api_key,
            &r,
            &v.expected,
            &window.now(at(1512923419 - 301))
        ),
        Err(SignatureError::NonceOutOfWindow { age_seconds: -301 })
    );
    // System clock: this 2017 nonce is long expired.
    assert!(matches!(
        verify_signature(&v.api_key, &r, &v.expected, &window),
        Err(SignatureError::NonceOutOfWindow { .. })
    ));
    // A mismatch is reported as such even when the nonce is also stale.
    let zero = BASE64.encode([0u8; 32]);
    assert_eq!(
        verify_signature(&v.api_key, &r, &zero, &window),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn non_numeric_nonce_fails_only_with_a_window() {
    let r = req("POST", "https://foo.bar/", "a-guid-nonce", "{}");
    let sig = compute_signature("k", &r).unwrap();
    assert_eq!(
        verify_signature("k", &r, &sig, &CallbackOptions::new()),
        Ok(())
    );
    let window = CallbackOptions::new().max_age(Duration::from_secs(60));
    assert_eq!(
        verify_signature("k", &r, &sig, &window),
        Err(SignatureError::InvalidNonce)
    );
    assert_eq!(parse_nonce_seconds("1427849783.886085"), Some(1427849783));
    for bad in [
        "",
        ".",
        "1.",
        ".5",
        "-1",
        "+1",
        "1e9",
        " 1",
        "99999999999999999999999",
    ] {
        assert_eq!(parse_nonce_seconds(bad), None, "{bad:?}");
    }
}

#[test]
fn hostile_input_is_bounded() {
    // Too large.
    let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_PARAMS_LEN));
    assert_eq!(
        canonical_params(Method::Post, &huge),
        Err(SignatureError::TooLarge)
    );
    // Too deep, both syntaxes; a stack overflow here would abort the test binary.
    let deep_json = format!("{}{}", "{\"a\":".repeat(100_000), "1");
    assert_eq!(
        canonical_params(Method::Post, &deep_json),
        Err(SignatureError::TooDeep)
    );
    let deep_arr = "[".repeat(100_000);
    assert_eq!(
        canonical_params(Method::Post, &format!("{{\"a\":{deep_arr}")),
        Err(SignatureError::TooDeep)
    );
    let deep_query = format!("a{}=1", "[b]".repeat(10_000));
    assert_eq!(
        canonical_params(Method::Get, &deep_query),
        Err(SignatureError::TooDeep)
    );
    // Just inside the depth limit is fine.
    let ok = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    assert!(canonical_params(Method::Post, &ok).is_ok());
    // Expansion: a long key repeated for many leaves would blow up the canonical text.
    let key = "k".repeat(400_000);
    let leaves = vec!["1"; 100_000].join(",");
    let bomb = format!("{{\"{key}\":[{leaves}]}}");
    assert!(bomb.len() <= MAX_PARAMS_LEN);
    assert_eq!(
        canonical_params(Method::Post, &bomb),
        Err(SignatureError::TooLarge)
    );
}

#[test]
fn malformed_json_is_rejected() {
    for bad in [
        "[]",
        "1",
        "\"s\"",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":tru}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\u{1}\"}",
        "{} x",
        "{a:1}",
        "{\"a\":[1,]}",
    ] {
        assert!(
            matches!(
                canonical_params(Method::Post, bad),
                Err(SignatureError::MalformedParams(_))
            ),
            "{bad:?}"
        );
    }
    let v = vector_a1();
    let r = req("POST", &v.url, &v.nonce, "{not json");
    assert!(matches!(
        verify_signature(&v.api_key, &r, &v.expected, &CallbackOptions::new()),
        Err(SignatureError::MalformedParams(_))
    ));
}

#[test]
fn arbitrary_input_never_panics() {
    // A small deterministic generator over the characters that matter to both parsers.
    const ALPHABET: &[u8] = b"{}[]\":,\\u0123456789abcdeEfnrtl.-+ &=%?;#\xc3\xa9";
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..5000 {
        let len = (next() % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        for method in [Method::Get, Method::Post] {
            if let Ok(canonical) = canonical_params(method, &text) {
                assert!(canonical.is_ascii(), "{canonical:?}");
            }
        }
        let wrapped = format!("{{\"a\":{text}}}");
        let _ = canonical_params(Method::Post, &wrapped);
    }
}

#[test]
fn errors_never_show_the_key() {
    let key = "super-secret-key-value";
    let r = req("POST", "https://x/", "1", "{");
    let e = verify_signature(key, &r, "", &CallbackOptions::new()).unwrap_err();
    assert!(!e.to_string().contains(key));
    assert!(!format!("{e:?}").contains(key));
}

/// `base64(HMAC-SHA256(key, data))`, computed here without the module's canonicaliser.
fn raw_signature(key: &str, data: &str) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// Defect 8: Rails' `to_query` writes an empty component for a nested hash whose values are
/// all empty (`{"a":1,"m":{"x":{}},"z":2}` → `&a=1&z=2`), and Authy sends and signs that query
/// as it is.
#[test]
fn get_query_with_empty_components_verifies_as_signed() {
    let opts = CallbackOptions::new();
    let url = "https://example.com/authy/callback";
    let cases = [
        // (the parameters as JSON, the query Rails writes for them)
        (r#"{"a":1,"m":{"x":{}},"z":2}"#, "&a=1&z=2"),
        (r#"{"m":{"x":{}},"n":{"y":{}},"z":2}"#, "&&z=2"),
        (
            r#"{"l":[{"y":1},{"x":{}},{"z":1}]}"#,
            "l%5B%5D%5By%5D=1&&l%5B%5D%5Bz%5D=1",
        ),
        (r#"{"l":[{"y":1},{}]}"#, "l%5B%5D%5By%5D=1&"),
    ];
    for (json, query) in cases {
        // The reference `to_query` of the JSON is that query, empty components included.
        assert_eq!(canonical_params(Method::Post, json).unwrap(), query);
        let signature = raw_signature("key", &format!("1512923419|GET|{url}|{query}"));
        let r = req("GET", url, "1512923419", query);
        assert_eq!(canonical_params(Method::Get, query).unwrap(), query);
        assert_eq!(
            verify_signature("key", &r, &signature, &opts),
            Ok(()),
            "{query}"
        );
        let p = verify_callback("key", &r, &signature, &opts).unwrap();
        assert!(p.contains("/z") || p.contains("/l"), "{query}");
        // With a leading `?` too.
        let q = format!("?{query}");
        let r = req("GET", url, "1512923419", &q);
        assert_eq!(
            verify_signature("key", &r, &signature, &opts),
            Ok(()),
            "{q}"
        );
        // The empty components are signed: dropping them breaks the signature.
        let stripped: Vec<&str> = query.split('&').filter(|c| !c.is_empty()).collect();
        let stripped = stripped.join("&");
        let r = req("GET", url, "1512923419", &stripped);
        assert_eq!(
            verify_signature("key", &r, &signature, &opts),
            Err(SignatureError::Mismatch),
            "{stripped}"
        );
    }
    // A reordered query is still signed as its canonical text (empty components dropped).
    assert_eq!(
        canonical_params(Method::Get, "z=2&&a=1").unwrap(),
        "a=1&z=2"
    );
}

/// Defect 8: an empty POST body is malformed, not "no parameters".
#[test]
fn empty_post_body_is_malformed() {
    let url = "https://example.com/cb";
    // What a verifier treating "" as no parameters would accept.
    let signature = raw_signature("key", &format!("1|POST|{url}|"));
    for body in ["", " ", "\r\n"] {
        let r = req("POST", url, "1", body);
        assert!(
            matches!(
                verify_signature("key", &r, &signature, &CallbackOptions::new()),
                Err(SignatureError::MalformedParams(_))
            ),
            "{body:?}"
        );
        assert!(matches!(
            compute_signature("key", &r),
            Err(SignatureError::MalformedParams(_))
        ));
    }
    // `{}` is no parameters, and a GET without a query is too.
    let r = req("POST", url, "1", "{}");
    assert_eq!(
        verify_signature("key", &r, &signature, &CallbackOptions::new()),
        Ok(())
    );
    let get_signature = raw_signature("key", &format!("1|GET|{url}|"));
    let r = req("GET", url, "1", "");
    assert_eq!(
        verify_signature("key", &r, &get_signature, &CallbackOptions::new()),
        Ok(())
    );
}

/// Defect 8: the replay window is capped at the documented 300 seconds.
#[test]
fn replay_window_above_300_seconds_is_refused() {
    let v = vector_a1(); // nonce 1512923419
    let r = req(&v.method, &v.url, &v.nonce, &v.params);
    let now = UNIX_EPOCH + Duration::from_secs(1_512_923_419);
    let with = |max: Duration| CallbackOptions::new().max_age(max).now(now);
    assert_eq!(MAX_AGE_LIMIT, Duration::from_secs(300));
    assert_eq!(
        verify_signature(&v.api_key, &r, &v.expected, &with(MAX_AGE_LIMIT)),
        Ok(())
    );
    for too_long in [
        Duration::from_secs(301),
        Duration::from_millis(300_001),
        Duration::MAX,
    ] {
        let e = verify_signature(&v.api_key, &r, &v.expected, &with(too_long)).unwrap_err();
        assert_eq!(e, SignatureError::MaxAgeTooLarge, "{too_long:?}");
        assert!(e.is_argument_error());
        assert!(e.to_string().contains("300"));
        assert_eq!(
            verify_callback(&v.api_key, &r, &v.expected, &with(too_long)),
            Err(SignatureError::MaxAgeTooLarge)
        );
    }
    // Refused before anything else: even a garbage signature reports the argument error.
    assert_eq!(
        verify_signature(&v.api_key, &r, "x", &with(Duration::from_secs(301))),
        Err(SignatureError::MaxAgeTooLarge)
    );
}

/// Defect 10: `is_valid` is false for a wrong signature and for mismatching parameters.
#[test]
fn is_valid_is_false_for_anything_that_does_not_verify() {
    let v = vector_a1();
    let opts = CallbackOptions::new();
    let ok = req(&v.method, &v.url, &v.nonce, &v.params);
    assert!(is_valid(&v.api_key, &ok, &v.expected, &opts));
    let zero = BASE64.encode([0u8; 32]);
    assert!(!is_valid(&v.api_key, &ok, &zero, &opts));
    assert!(!is_valid(&v.api_key, &ok, "garbage", &opts));
    assert!(!is_valid("other-key", &ok, &v.expected, &opts));
    let body = v.params.replace("\"approved\"", "\"denied\"");
    let tampered = req(&v.method, &v.url, &v.nonce, &body);
    assert!(!is_valid(&v.api_key, &tampered, &v.expected, &opts));
    let stale = CallbackOptions::new()
        .max_age(Duration::from_secs(300))
        .now(UNIX_EPOCH + Duration::from_secs(1_512_923_419 + 301));
    assert!(!is_valid(&v.api_key, &ok, &v.expected, &stale));
}

/// Defect 10: the nesting limit of both parsers at exactly `MAX_DEPTH` and one more.
#[test]
fn depth_limit_at_n_and_n_plus_one() {
    // GET: `a[b]…[b]` with k groups nests k levels below `a`.
    let query = |k: usize| format!("a{}=1", "[b]".repeat(k));
    assert!(canonical_params(Method::Get, &query(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        canonical_params(Method::Get, &query(MAX_DEPTH)),
        Err(SignatureError::TooDeep)
    );
    // The same in canonical escaping (the fast path's syntax).
    let escaped = |k: usize| format!("a{}=1", "%5Bb%5D".repeat(k));
    assert!(canonical_params(Method::Get, &escaped(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        canonical_params(Method::Get, &escaped(MAX_DEPTH)),
        Err(SignatureError::TooDeep)
    );
    // Through arrays of hashes: `a[][b][][b]…`.
    let arrays = |k: usize| format!("a{}=1", "[][b]".repeat(k));
    assert!(canonical_params(Method::Get, &arrays(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        canonical_params(Method::Get, &arrays(MAX_DEPTH)),
        Err(SignatureError::TooDeep)
    );
    // Merging into the last array element counts a level too.
    let merged = |k: usize| format!("a[][x]=1&{}", arrays(k));
    assert!(canonical_params(Method::Get, &merged(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        canonical_params(Method::Get, &merged(MAX_DEPTH)),
        Err(SignatureError::TooDeep)
    );
    // POST: MAX_DEPTH nested containers are fine, one more is too deep, objects and arrays.
    let objects = |k: usize| format!("{}1{}", "{\"a\":".repeat(k), "}".repeat(k));
    assert!(canonical_params(Method::Post, &objects(MAX_DEPTH)).is_ok());
    assert_eq!(
        canonical_params(Method::Post, &objects(MAX_DEPTH + 1)),
        Err(SignatureError::TooDeep)
    );
    let arrays = |k: usize| format!("{{\"a\":{}1{}}}", "[".repeat(k), "]".repeat(k));
    assert!(canonical_params(Method::Post, &arrays(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        canonical_params(Method::Post, &arrays(MAX_DEPTH)),
        Err(SignatureError::TooDeep)
    );
}

/// Defect 10: Rack's `has_key` guard: a key the last array element lacks joins it, a key it
/// has starts a new element.
#[test]
fn array_of_hashes_elements_follow_rack() {
    let opts = CallbackOptions::new();
    let verified = |query: &str| {
        let r = req("GET", "https://e.x/", "1", query);
        let sig = compute_signature("k", &r).unwrap();
        verify_callback("k", &r, &sig, &opts).unwrap()
    };
    for query in [
        "l[][url]=u&l[][res]=a",
        "l%5B%5D%5Burl%5D=u&l%5B%5D%5Bres%5D=a",
    ] {
        let p = verified(query);
        assert_eq!(p.get_str("/l/0/url"), Some("u"), "{query}");
        assert_eq!(p.get_str("/l/0/res"), Some("a"), "{query}");
        assert!(!p.contains("/l/1"), "{query}");
        // One element, its keys sorted.
        assert_eq!(
            canonical_params(Method::Get, query).unwrap(),
            "l%5B%5D%5Bres%5D=a&l%5B%5D%5Burl%5D=u"
        );
    }
    // A key the last element has starts a new one, also for nested paths.
    let p = verified("l%5B%5D%5Bres%5D=a&l%5B%5D%5Bres%5D=b");
    assert_eq!(p.get_str("/l/0/res"), Some("a"));
    assert_eq!(p.get_str("/l/1/res"), Some("b"));
    let p = verified("l[][a][b]=1&l[][a][c]=2&l[][a][b]=3");
    assert_eq!(p.get_str("/l/0/a/b"), Some("1"));
    assert_eq!(p.get_str("/l/0/a/c"), Some("2"));
    assert_eq!(p.get_str("/l/1/a/b"), Some("3"));
    assert_eq!(
        canonical_params(
            Method::Get,
            "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bb%5D=3"
        )
        .unwrap(),
        "l%5B%5D%5Ba%5D%5Bb%5D=1&l%5B%5D%5Ba%5D%5Bb%5D=3"
    );
    // A new key that sorts before the last element's: Rack puts it in the same element, so
    // the canonical text sorts them.
    assert_eq!(
        canonical_params(Method::Get, "l%5B%5D%5Bb%5D=1&l%5B%5D%5Ba%5D=2").unwrap(),
        "l%5B%5D%5Ba%5D=2&l%5B%5D%5Bb%5D=1"
    );
    // The last element has `a` as a scalar and the key nests below it: Rack does not start a
    // new element (has_key is false) and the types conflict: malformed, in both syntaxes.
    for query in [
        "l[][a]=1&l[][a][b]=2",
        "l%5B%5D%5Ba%5D=1&l%5B%5D%5Ba%5D%5Bb%5D=2",
    ] {
        assert!(is_malformed(Method::Get, query), "{query}");
    }
    // A scalar element, then a hash key: a new (hash) element.
    let p = verified("l%5B%5D=1&l%5B%5D%5Bx%5D=2");
    assert_eq!(p.get_str("/l/0"), Some("1"));
    assert_eq!(p.get_str("/l/1/x"), Some("2"));
}

/// Defect 10: the 1 MiB parameter limit at exactly `MAX_PARAMS_LEN` and one more byte, for
/// both methods.
#[test]
fn params_limit_at_n_and_n_plus_one() {
    let body = |len: usize| format!("{{\"a\":\"{}\"}}", "x".repeat(len - 8));
    assert_eq!(body(MAX_PARAMS_LEN).len(), MAX_PARAMS_LEN);
    assert!(canonical_params(Method::Post, &body(MAX_PARAMS_LEN)).is_ok());
    assert_eq!(
        canonical_params(Method::Post, &body(MAX_PARAMS_LEN + 1)),
        Err(SignatureError::TooLarge)
    );
    let query = |len: usize| format!("a={}", "x".repeat(len - 2));
    assert!(canonical_params(Method::Get, &query(MAX_PARAMS_LEN)).is_ok());
    assert_eq!(
        canonical_params(Method::Get, &query(MAX_PARAMS_LEN + 1)),
        Err(SignatureError::TooLarge)
    );
    // The verifiers apply it too.
    let big = query(MAX_PARAMS_LEN + 1);
    let r = req("GET", "https://e.x/", "1", &big);
    assert_eq!(
        verify_callback("k", &r, "x", &CallbackOptions::new()),
        Err(SignatureError::TooLarge)
    );
}

/// Defect 10: the canonical text may be exactly `MAX_CANONICAL_LEN` bytes, not one more; the
/// fast path and the reference agree on the limit.
#[test]
fn canonical_limit_at_n_and_n_plus_one() {
    // 4096 leaves `k…k%5B%5D=1` of 1023 bytes and 4095 separators: 4 MiB - 1 bytes; each "12"
    // instead of "1" adds one byte.
    let key = "k".repeat(1015);
    let body = |longer: usize| {
        let leaves: Vec<&str> = (0..4096)
            .map(|i| if i < longer { "12" } else { "1" })
            .collect();
        format!("{{\"{key}\":[{}]}}", leaves.join(","))
    };
    let at_limit = body(1);
    assert!(at_limit.len() < MAX_PARAMS_LEN);
    assert_eq!(
        canonical_params(Method::Post, &at_limit).unwrap().len(),
        MAX_CANONICAL_LEN
    );
    assert_eq!(
        reference::canonical(Method::Post, &at_limit, MAX_CANONICAL_LEN)
            .unwrap()
            .len(),
        MAX_CANONICAL_LEN
    );
    let over = body(2);
    assert_eq!(
        canonical_params(Method::Post, &over),
        Err(SignatureError::TooLarge)
    );
    assert_eq!(
        reference::canonical(Method::Post, &over, MAX_CANONICAL_LEN),
        Err(SignatureError::TooLarge)
    );
    let r = req("POST", "https://e.x/", "1", &over);
    assert_eq!(compute_signature("k", &r), Err(SignatureError::TooLarge));
    // The nonce, method and URL do not count against the limit.
    let long_url = format!("https://e.x/{}", "p".repeat(10_000));
    let r = req("POST", &long_url, "1", &at_limit);
    assert!(compute_signature("k", &r).is_ok());
    // The same limit for a GET query the reference re-encodes (spaces written as %20).
    let small = reference::canonical(Method::Get, "a=x%20y", 4);
    assert_eq!(small, Err(SignatureError::TooLarge));
    assert_eq!(
        reference::canonical(Method::Get, "a=x%20y", 5).unwrap(),
        b"a=x+y"
    );
    // A canonical query at and over a small limit, fast path and reference.
    let mut out = Vec::new();
    assert_eq!(
        fast::feed(Method::Get, "a=12", &mut out, 4).map(|tree| tree.is_some()),
        Ok(true)
    );
    assert_eq!(
        fast::feed(Method::Get, "a=12", &mut Vec::new(), 3).map(|tree| tree.is_some()),
        Err(SignatureError::TooLarge)
    );
    assert_eq!(
        reference::canonical(Method::Get, "&a=1", 4).unwrap(),
        b"&a=1"
    );
    assert_eq!(
        reference::canonical(Method::Get, "&a=1", 3),
        Err(SignatureError::TooLarge)
    );
}

/// Issue 13: a GET callback signed for a value holding an encoded `;` must not verify when
/// replayed with the `;` decoded — our parser would read `status=denied;...` as one value, a
/// `;`-splitting one (Rack < 3, Python < 3.9.2) `status=approved`. A raw `;` is refused.
#[test]
fn a_raw_semicolon_in_a_get_query_is_refused_before_verifying() {
    let key = "FU10H0uCafgKnXvPfDm5iAisVuHDgXJA";
    let url = "https://example.com/authy/callback";
    let signed = "authy_id=1&status=denied%3Bstatus%3Dapproved&uuid=u1";
    let sig = compute_signature(key, &req("GET", url, "1512937258", signed)).unwrap();
    let opts = CallbackOptions::new();
    // As signed: verifies, and `status` is the whole (non-approved) value.
    let params = verify_callback(key, &req("GET", url, "1512937258", signed), &sig, &opts).unwrap();
    assert_eq!(params.get_str("/status"), Some("denied;status=approved"));
    // Replayed with the `;` decoded (the signature covers the same canonical text): refused.
    let replayed = "authy_id=1&status=denied;status%3Dapproved&uuid=u1";
    for query in [
        replayed,
        "authy_id=1&status=denied;status=approved&uuid=u1",
        "a=1;b=2",
        ";",
    ] {
        let r = req("GET", url, "1512937258", query);
        assert!(
            matches!(verify_signature(key, &r, &sig, &opts), Err(SignatureError::MalformedParams(m)) if m.contains("';'")),
            "{query}"
        );
        assert!(matches!(
            compute_signature(key, &r),
            Err(SignatureError::MalformedParams(_))
        ));
    }
    // POST bodies are JSON: a `;` in a string value is plain data there.
    let body = r#"{"status":"denied;status=approved"}"#;
    let sig = compute_signature(key, &req("POST", url, "1", body)).unwrap();
    assert!(verify_signature(key, &req("POST", url, "1", body), &sig, &opts).is_ok());
}

/// The canonical text goes to the HMAC through a stack buffer (`MAC_BUF` bytes): strings to
/// sign of every length around one and two buffers and around 4 KiB, with an escaped key (and
/// escaped value bytes) at every offset across the buffer's edge, sign and verify as the HMAC of
/// the whole string does.
#[test]
fn strings_to_sign_across_the_mac_buffer() {
    let (key, url, nonce) = ("buffer-key", "https://example.com/cb", "1455825429");
    let edges = [MAC_BUF, 2 * MAC_BUF, 4096];
    for method in ["POST", "GET"] {
        let body = |pad: usize| match method {
            "POST" => format!(
                r#"{{"a":"{}","k/ é":"v w","z":[1,{{"y":"/"}}]}}"#,
                "x".repeat(pad)
            ),
            _ => format!(
                "a={}&k%2F+%C3%A9=v+w&z%5B%5D=1&z%5B%5D%5By%5D=%2F",
                "x".repeat(pad)
            ),
        };
        let len_with = |pad: usize| {
            let params = body(pad);
            string_to_sign(&req(method, url, nonce, &params))
                .unwrap()
                .len()
        };
        let base = len_with(0);
        for edge in edges {
            for target in edge - 24..edge + 24 {
                let pad = target - base;
                let params = body(pad);
                let request = req(method, url, nonce, &params);
                let signed = string_to_sign(&request).unwrap();
                assert_eq!(signed.len(), target, "{method} pad {pad}");
                let sig = compute_signature(key, &request).unwrap();
                assert_eq!(sig, raw_signature(key, &signed), "{method} length {target}");
                assert_eq!(
                    verify_signature(key, &request, &sig, &CallbackOptions::new()),
                    Ok(()),
                    "{method} length {target}"
                );
            }
        }
    }
}
