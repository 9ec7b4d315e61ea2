//! Client-side validation (authy-api.md §5) under one rule: **never refuse what the API
//! accepts.** An argument is refused before any I/O only when
//!
//! - it cannot be sent safely: control characters (NUL, CR, LF, …; a tab is text), input
//!   longer than [`VALUE_MAX_CHARS`] / [`SEGMENT_MAX_BYTES`], or syntax that would change the
//!   request itself (an empty, `.` or `..` path segment, `/` or `\` in one, brackets in a
//!   parameter name). The error has no Authy code and says why;
//! - or the API certainly refuses it (a token that is not 6–12 digits, a `code_length` outside
//!   4–10, a `via` other than sms/call): the error then carries the API's own `error_code` and
//!   message, as its answer would.
//!
//! Both are [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument): nothing was
//! sent. Everything else — phone numbers in any format, e-mails, actions and messages with
//! punctuation or Unicode, ids that are not numbers, logos without a `default` one — is sent,
//! and the API's answer says what it thinks of it (tests/differential.rs holds the library
//! to this against the sandbox).

use crate::error::Error;
use crate::params::Params;

/// Shortest token the API accepts (digits).
pub const TOKEN_MIN_LEN: usize = 6;
/// Longest token the API accepts (digits).
pub const TOKEN_MAX_LEN: usize = 12;
/// Longest path segment sent (an Authy id, a uuid), in bytes.
pub const SEGMENT_MAX_BYTES: usize = 256;
/// Longest parameter value sent (an e-mail, a phone number, a message, a logo URL…), in
/// characters. Values travelling in a query string are also bounded by
/// [`MAX_QUERY_URL_BYTES`] together.
pub const VALUE_MAX_CHARS: usize = 4096;

/// The API's error code and message for a token that is not 6–12 digits (answered with 401).
pub(crate) const TOKEN_INVALID: (&str, &str) = ("60020", "Token is invalid");
/// The API's error code for an invalid parameter (answered with 400).
const INVALID_PARAMETER: &str = "60004";

type Result<T = ()> = std::result::Result<T, Error>;

fn err(msg: impl Into<String>) -> Error {
    Error::invalid_argument(msg)
}

/// A control character that is not sent: everything `char::is_control` says except tab.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// Any parameter value (form body or query string, where it is percent-encoded): refused only
/// with control characters or when longer than [`VALUE_MAX_CHARS`]. Empty values are sent.
pub(crate) fn text(what: &str, value: &str) -> Result {
    if value.chars().any(is_unsafe_char) {
        return Err(err(format!(
            "Invalid {what}: control characters (NUL, CR, LF, ...) cannot be sent"
        )));
    }
    if value.chars().count() > VALUE_MAX_CHARS {
        return Err(err(format!(
            "Invalid {what}: too long (at most {VALUE_MAX_CHARS} characters)"
        )));
    }
    Ok(())
}

/// A value sent as one path segment (an Authy id, a uuid; percent-encoded): refused when empty,
/// `.` or `..`, containing `/` or `\` (servers and proxies may decode `%2F` into a separator),
/// control characters, or longer than [`SEGMENT_MAX_BYTES`]. Anything else is sent: an id like
/// `tony` gets the API's own answer (404 `60026` "User not found.").
pub(crate) fn path_segment(what: &str, value: &str) -> Result {
    if value.is_empty() {
        return Err(err(format!("Invalid {what}: must not be empty")));
    }
    if value.len() > SEGMENT_MAX_BYTES {
        return Err(err(format!(
            "Invalid {what}: too long (at most {SEGMENT_MAX_BYTES} bytes)"
        )));
    }
    if value == "." || value == ".." {
        return Err(err(format!(
            "Invalid {what}: '.' and '..' are not path segments"
        )));
    }
    if value.contains(['/', '\\']) {
        return Err(err(format!("Invalid {what}: '/' and '\\' not allowed")));
    }
    if value.chars().any(is_unsafe_char) {
        return Err(err(format!(
            "Invalid {what}: control characters (NUL, CR, LF, ...) cannot be sent"
        )));
    }
    Ok(())
}

/// An Authy id (a path segment; see [`path_segment`]).
pub(crate) fn authy_id(id: &str) -> Result {
    path_segment("Authy id", id)
}

/// A uuid path segment (approval request; see [`path_segment`]).
pub(crate) fn uuid(what: &str, uuid: &str) -> Result {
    path_segment(what, uuid)
}

/// A TOTP/SMS token (a path segment): 6–12 ASCII digits. Anything else is what the API
/// certainly refuses, and is refused with its code and message (`60020` "Token is invalid");
/// an empty token is refused as an empty path segment.
pub(crate) fn token(token: &str) -> Result {
    if token.is_empty() {
        return path_segment("token", token);
    }
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    if digits && (TOKEN_MIN_LEN..=TOKEN_MAX_LEN).contains(&token.len()) {
        Ok(())
    } else {
        Err(Error::refused_as_api(TOKEN_INVALID.0, TOKEN_INVALID.1))
    }
}

/// A phone verification `code_length`: the API refuses values outside 4–10 (`60004`).
pub(crate) fn code_length(n: u64) -> Result {
    if (4..=10).contains(&n) {
        Ok(())
    } else {
        Err(invalid_parameter(
            "code_length",
            &format!("'{n}' must be an Integer between 4 and 10"),
        ))
    }
}

/// The API's `60004` refusal of parameter `name`: "Invalid parameter: {name} - {detail}".
pub(crate) fn invalid_parameter(name: &str, detail: &str) -> Error {
    Error::refused_as_api(
        INVALID_PARAMETER,
        &format!("Invalid parameter: {name} - {detail}"),
    )
}

/// One `details` / `hidden_details` / `data` entry: the value is [`text`]; the key is text
/// too, and must be non-empty and without brackets (`details[]` or `details[a][b]` would
/// change the parameter's structure), and the parameter name it makes (`details[key]`) at most
/// [`Params::MAX_KEY_LEN`] bytes, like any parameter name.
pub(crate) fn detail(what: &str, key: &str, value: &str) -> Result {
    if key.is_empty() {
        return Err(err(format!("Invalid {what} key: must not be empty")));
    }
    if what.len() + key.len() + 2 > Params::MAX_KEY_LEN {
        return Err(err(format!(
            "Invalid {what} key: too long (the parameter name {what}[...] may have at most {} bytes)",
            Params::MAX_KEY_LEN
        )));
    }
    text(&format!("{what} key"), key)?;
    if key.contains(['[', ']']) {
        return Err(err(format!("Invalid {what} key: '[' and ']' not allowed")));
    }
    text(&format!("{what} value"), value)
}

/// Checks a flat key/value list with [`detail`], refuses duplicate keys (only one of them
/// could be sent), and returns it as a [`Params`] map.
pub(crate) fn detail_map(what: &str, entries: &[(String, String)]) -> Result<Params> {
    let mut map = Params::new();
    for (key, value) in entries {
        detail(what, key, value)?;
        if map.get(key).is_some() {
            return Err(err(format!("Invalid {what} key: duplicate key")));
        }
        map.set(key.as_str(), value.as_str());
    }
    Ok(map)
}

/// The logo list: every `res` and `url` is [`text`]. Which resolutions, how many, with or
/// without a `default` one, and what URL the API takes is the API's to say.
pub(crate) fn logos<'a>(logos: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result {
    for (res, url) in logos {
        text("logo res", res)?;
        text("logo url", url)?;
    }
    Ok(())
}

/// A request method for [`Client::request`](crate::Client::request): GET, POST, PUT,
/// DELETE or PATCH (any case); returns it upper-cased.
pub(crate) fn method(method: &str) -> Result<&'static str> {
    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];
    METHODS
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .ok_or_else(|| err("Invalid method: expected GET, POST, PUT, DELETE or PATCH"))
}

/// A request path for [`Client::request`](crate::Client::request): starts with `/`, at
/// most 1024 bytes, made of ASCII letters, digits and `/ - _ . ~` only, no empty or dot
/// segment (`//`, `/./`, `/../`).
pub(crate) fn request_path(path: &str) -> Result {
    if !path.starts_with('/') {
        return Err(err("Invalid path: must start with '/'"));
    }
    if path.len() > 1024 {
        return Err(err("Invalid path: too long (at most 1024 bytes)"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~')))
    {
        let shown = if c.is_ascii_graphic() {
            format!("'{c}'")
        } else {
            "whitespace, control or non-ASCII characters".to_string()
        };
        return Err(err(format!("Invalid path: {shown} not allowed")));
    }
    if path.len() > 1
        && path[1..]
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(err("Invalid path: empty, '.' or '..' segments not allowed"));
    }
    Ok(())
}

/// Longest path plus query string of a request whose parameters travel in the URL (GET,
/// DELETE). Common servers and proxies refuse longer request lines (8 KiB is nginx's default
/// buffer); longer parameters belong in a POST body.
pub(crate) const MAX_QUERY_URL_BYTES: usize = 8192;

/// The length of a path plus query string about to be sent (see [`MAX_QUERY_URL_BYTES`]).
pub(crate) fn query_length(len: usize) -> Result {
    if len > MAX_QUERY_URL_BYTES {
        return Err(err(format!(
            "Invalid request: the path and query string would be {len} bytes \
             (at most {MAX_QUERY_URL_BYTES}); send large parameters in a POST body"
        )));
    }
    Ok(())
}

/// Raw requests must not carry the API key as a parameter (it would travel in the URL or the
/// body, and end up in logs): the key is sent only in the `X-Authy-API-Key` header. Refuses
/// `api_key` in any case, also as a nested or array name (`api_key[]`, `api_key[x]`).
pub(crate) fn no_api_key_param(params: &crate::params::Params) -> Result {
    let is_key = |name: &str| {
        name.split('[')
            .next()
            .is_some_and(|base| base.eq_ignore_ascii_case("api_key"))
    };
    if params.iter().any(|(name, _)| is_key(name)) {
        return Err(err(
            "Invalid parameter api_key: the API key is sent only in the X-Authy-API-Key header",
        ));
    }
    Ok(())
}

/// An API key: 1–256 printable ASCII characters without space.
pub(crate) fn api_key(key: &str) -> Result {
    if key.is_empty() {
        return Err(err("Invalid API key: must not be empty"));
    }
    if key.len() > 256 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        // Never echo the key itself.
        return Err(err(
            "Invalid API key: expected 1-256 printable ASCII characters without spaces",
        ));
    }
    Ok(())
}

/// A User-Agent suffix: 1–128 printable ASCII characters (spaces allowed).
pub(crate) fn user_agent_suffix(s: &str) -> Result {
    if s.is_empty() || s.len() > 128 || !s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(err(
            "Invalid User-Agent suffix: expected 1-128 printable ASCII characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result) -> String {
        r.unwrap_err().message().to_string()
    }

    #[test]
    fn tokens_not_6_to_12_digits_get_the_apis_own_refusal() {
        assert!(token("123456").is_ok());
        assert!(token("123456789012").is_ok());
        for bad in [
            "12345",
            "1234567890123",
            "12345a",
            "123 456",
            "+123456",
            "１２３４５６",
            "123456\n",
            "12/3456",
            "1e5678",
        ] {
            let e = token(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{bad:?}");
            assert_eq!(e.authy_code(), Some("60020"), "{bad:?}");
            assert_eq!(e.message(), "Token is invalid", "{bad:?}");
            assert_eq!(e.http_status(), None, "no answer was received");
        }
        // Empty: there would be no path segment at all.
        let e = token("").unwrap_err();
        assert_eq!(e.authy_code(), None);
        assert_eq!(e.message(), "Invalid token: must not be empty");
    }

    #[test]
    fn authy_ids_are_sent_unless_they_would_change_the_path() {
        // Issue 13: `tony` reaches the API, which answers 404 60026 "User not found.".
        for good in [
            "1",
            "12345678901234567890",
            "tony",
            "-1",
            " 1",
            "1%2F",
            "1?x",
            "1#x",
            "é",
        ] {
            assert!(authy_id(good).is_ok(), "{good:?}");
        }
        for bad in ["", ".", "..", "../1", "1/2", "1\\2", "1\0", "1\r\n2"] {
            assert!(authy_id(bad).is_err(), "{bad:?}");
            assert_eq!(authy_id(bad).unwrap_err().authy_code(), None);
        }
        assert_eq!(msg(authy_id("")), "Invalid Authy id: must not be empty");
        assert!(authy_id(&"1".repeat(SEGMENT_MAX_BYTES)).is_ok());
        assert!(authy_id(&"1".repeat(SEGMENT_MAX_BYTES + 1)).is_err());
    }

    #[test]
    fn phones_emails_actions_are_sent_in_any_format_the_api_reads() {
        // Every one of these was refused before issue 13; the API (and the sandbox) take them.
        for good in [
            "(555) 867-5309",
            "+1 555-867-5309",
            "555/1234",
            "",
            "custom action?",
            "Action message $%^?@#",
            "user@com",
            "a@b..com",
            "Your code",
            "12 ab",
            "zh-Hant-TW",
            "10.0.0.1:80",
            "Ça marche? ✓ 日本語",
            "tab\there",
        ] {
            assert!(text("value", good).is_ok(), "{good:?}");
        }
        for bad in ["bad\0nul", "a\nb", "a\rb", "\u{7f}", "\u{85}", "\u{1b}[31m"] {
            assert_eq!(
                msg(text("action", bad)),
                "Invalid action: control characters (NUL, CR, LF, ...) cannot be sent",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn code_length_and_via_refusals_are_the_apis_own() {
        assert!(code_length(4).is_ok() && code_length(10).is_ok());
        for n in [0, 3, 11, 1000] {
            let e = code_length(n).unwrap_err();
            assert_eq!(e.authy_code(), Some("60004"));
            assert_eq!(
                e.message(),
                format!(
                    "Invalid parameter: code_length - '{n}' must be an Integer between 4 and 10"
                )
            );
        }
    }

    #[test]
    fn onetouch_inputs() {
        assert!(detail("details", "IP", "10.0.0.1").is_ok());
        assert!(
            detail("details", "k", "").is_ok(),
            "an empty value is the API's to judge"
        );
        assert!(
            detail("details", "", "v").is_err(),
            "details[] would be an array"
        );
        assert!(detail("details", "a][b", "v").is_err());
        assert!(detail("details", "k", "v\0").is_err());
        // A parameter name at most Params::MAX_KEY_LEN bytes, like any other.
        let key = |n: usize| "k".repeat(n - "details[]".len());
        assert!(detail("details", &key(Params::MAX_KEY_LEN), "v").is_ok());
        assert!(detail("details", &key(Params::MAX_KEY_LEN + 1), "v").is_err());
        let pairs = vec![
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "2".to_string()),
        ];
        assert_eq!(detail_map("details", &pairs).unwrap().len(), 2);
        let dup = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
        ];
        assert!(detail_map("details", &dup).is_err());
        // Issue 13: no `default` logo required; resolutions and URLs are the API's to judge.
        assert!(logos([("low", "http://foo.bar")]).is_ok());
        assert!(logos([("default", "https://e.com/a"), ("default", "ftp://e.com/b")]).is_ok());
        assert!(logos([("huge", "https://e.com/a b")]).is_ok());
        assert!(logos([]).is_ok());
        assert!(logos([("default", "https://e.com/\r\nX: y")]).is_err());
        assert!(uuid("uuid", "550e8400-e29b-41d4-a716-446655440000").is_ok());
        for bad in ["", "a/b", "..", "a\0"] {
            assert!(uuid("uuid", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn misc() {
        assert_eq!(method("get").unwrap(), "GET");
        assert!(method("TRACE").is_err());
        assert!(api_key("sandbox-api-key").is_ok());
        assert!(api_key("").is_err() && api_key("a b").is_err() && api_key("a\nb").is_err());
        assert!(!msg(api_key("secret key")).contains("secret"));
        assert!(user_agent_suffix("myapp/1.0 (x)").is_ok());
        assert!(user_agent_suffix("bad\r\nX-Evil: 1").is_err());
    }

    #[test]
    fn accepted_path_values_carry_no_path_syntax() {
        // Whatever an id/token/uuid validator accepts is one path segment once percent-encoded
        // (client.rs encodes everything but unreserved characters): never a separator or a dot
        // segment.
        let samples = [
            "1", "123456", "a-b", "..", ".", "%2e", "a/b", "a\\b", "a?b", "a#b", "a b", "a\u{0}b",
            "é", "--", "0000000",
        ];
        for s in samples {
            for ok in [
                authy_id(s).is_ok(),
                token(s).is_ok(),
                uuid("uuid", s).is_ok(),
            ] {
                if ok {
                    assert!(!s.is_empty() && s != "." && s != "..", "{s:?}");
                    assert!(!s.contains(['/', '\\']) && !s.chars().any(char::is_control));
                }
            }
        }
    }

    #[test]
    fn request_paths() {
        for good in [
            "/",
            "/protected/json/app/details",
            "/sandbox/users/12/last_code",
            "/a.b/c~d_e-f",
        ] {
            assert!(request_path(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "protected",
            "/a/../b",
            "/a/./b",
            "//a",
            "/a//b",
            "/a?b=c",
            "/a#f",
            "/a b",
            "/a%2Fb",
            "/a\nb",
            "/é",
            "/a\\b",
            "/..",
        ] {
            assert!(request_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn length_limits_hold_at_n_and_n_plus_one() {
        // Raw request paths: 1024 bytes.
        let path = |n: usize| format!("/{}", "a".repeat(n - 1));
        assert!(request_path(&path(1024)).is_ok());
        assert!(request_path(&path(1025)).is_err());
        // API keys: 1 to 256 printable characters.
        assert!(api_key(&"k".repeat(256)).is_ok());
        assert!(api_key(&"k".repeat(257)).is_err());
        assert!(api_key("k").is_ok());
        assert!(api_key("").is_err());
        // User-Agent suffixes: 1 to 128 characters.
        assert!(user_agent_suffix(&"u".repeat(128)).is_ok());
        assert!(user_agent_suffix(&"u".repeat(129)).is_err());
        assert!(user_agent_suffix("u").is_ok());
        assert!(user_agent_suffix("").is_err());
        // Queries of GET/DELETE requests: MAX_QUERY_URL_BYTES in all.
        assert!(query_length(MAX_QUERY_URL_BYTES).is_ok());
        assert!(query_length(MAX_QUERY_URL_BYTES + 1).is_err());
        // Parameter values: counted in characters, not bytes.
        assert!(text("action", &"é".repeat(VALUE_MAX_CHARS)).is_ok());
        assert_eq!(
            msg(text("action", &"é".repeat(VALUE_MAX_CHARS + 1))),
            format!("Invalid action: too long (at most {VALUE_MAX_CHARS} characters)")
        );
        // Path segments: bytes.
        assert!(path_segment("uuid", &"é".repeat(SEGMENT_MAX_BYTES / 2)).is_ok());
        assert!(path_segment("uuid", &format!("{}x", "é".repeat(SEGMENT_MAX_BYTES / 2))).is_err());
    }
}
