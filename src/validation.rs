//! Client-side validation (authy-api.md §5): every argument is checked before any I/O,
//! with the strictest sensible union of the official clients' rules, and anything that
//! could smuggle path or query syntax into a URL is refused.

use crate::error::Error;
use crate::params::Params;

/// Shortest accepted token (digits).
pub const TOKEN_MIN_LEN: usize = 6;
/// Longest accepted token (digits).
pub const TOKEN_MAX_LEN: usize = 12;
/// Longest accepted Authy id (digits).
pub const AUTHY_ID_MAX_LEN: usize = 20;
/// Longest approval request message, details key or value (characters).
pub const TEXT_MAX_CHARS: usize = 200;
/// Longest custom action or action message (characters).
pub const ACTION_MAX_CHARS: usize = 255;
/// Longest logo URL (characters).
pub const LOGO_URL_MAX_CHARS: usize = 500;
/// Longest custom phone-verification message (characters).
pub const CUSTOM_MESSAGE_MAX_CHARS: usize = 500;

type Result<T = ()> = std::result::Result<T, Error>;

fn err(msg: impl Into<String>) -> Error {
    Error::invalid_argument(msg)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `true` for C0 controls and DEL, other than tab, newline and carriage return.
fn is_bad_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// Free text sent in a form body or query string (encoded, so only controls matter).
fn check_text(what: &str, value: &str, max_chars: usize) -> Result {
    if value.trim().is_empty() {
        return Err(err(format!("Invalid {what}: must not be empty")));
    }
    if value.chars().count() > max_chars {
        return Err(err(format!(
            "Invalid {what}: too long (at most {max_chars} characters)"
        )));
    }
    if value.chars().any(is_bad_control) {
        return Err(err(format!(
            "Invalid {what}: control characters not allowed"
        )));
    }
    Ok(())
}

/// A single-line word-like value: printable, no whitespace, no controls.
fn check_word(what: &str, value: &str, max_chars: usize) -> Result {
    if value.is_empty() {
        return Err(err(format!("Invalid {what}: must not be empty")));
    }
    if value.chars().count() > max_chars {
        return Err(err(format!(
            "Invalid {what}: too long (at most {max_chars} characters)"
        )));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(format!(
            "Invalid {what}: whitespace and control characters not allowed"
        )));
    }
    Ok(())
}

/// An Authy id: digits only, 1–20 digits.
pub(crate) fn authy_id(id: &str) -> Result {
    if id.is_empty() {
        return Err(err("Invalid Authy id: must not be empty"));
    }
    if !all_digits(id) {
        return Err(err("Invalid Authy id: only digits accepted"));
    }
    if id.len() > AUTHY_ID_MAX_LEN {
        return Err(err("Invalid Authy id: unexpected length (1-20 digits)"));
    }
    Ok(())
}

/// A TOTP/SMS token: digits only, 6–12 digits.
pub(crate) fn token(token: &str) -> Result {
    if !all_digits(token) {
        return Err(err("Invalid token: only digits accepted"));
    }
    if !(TOKEN_MIN_LEN..=TOKEN_MAX_LEN).contains(&token.len()) {
        return Err(err("Invalid token: unexpected length (6-12 digits)"));
    }
    Ok(())
}

/// A phone verification code: digits only, 4–10 digits.
pub(crate) fn verification_code(code: &str) -> Result {
    if !all_digits(code) {
        return Err(err("Invalid verification code: only digits accepted"));
    }
    if !(4..=10).contains(&code.len()) {
        return Err(err(
            "Invalid verification code: unexpected length (4-10 digits)",
        ));
    }
    Ok(())
}

/// A country calling code: 1–4 digits, not zero.
pub(crate) fn country_code(cc: &str) -> Result {
    if !all_digits(cc) {
        return Err(err("Invalid country code: only digits accepted"));
    }
    if cc.len() > 4 || cc.bytes().all(|b| b == b'0') {
        return Err(err("Invalid country code: expected 1-4 digits"));
    }
    Ok(())
}

/// A phone number: digits with optional spaces, dashes and dots; 4–15 digits, at most 25
/// characters.
pub(crate) fn phone_number(phone: &str) -> Result {
    if phone.len() > 25 {
        return Err(err("Invalid phone number: too long"));
    }
    if !phone
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.'))
    {
        return Err(err(
            "Invalid phone number: only digits, spaces, dashes and dots accepted",
        ));
    }
    let digits = phone.bytes().filter(u8::is_ascii_digit).count();
    if !(4..=15).contains(&digits) {
        return Err(err("Invalid phone number: expected 4-15 digits"));
    }
    Ok(())
}

/// An e-mail address: a sanity check (one `@`, non-empty local part, a dotted domain, no
/// whitespace or controls, at most 254 characters).
pub(crate) fn email(email: &str) -> Result {
    if email.is_empty() {
        return Err(err("Invalid email: must not be empty"));
    }
    if email.len() > 254 {
        return Err(err("Invalid email: too long (at most 254 characters)"));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(
            "Invalid email: whitespace and control characters not allowed",
        ));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(err("Invalid email: missing '@'"));
    };
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(err("Invalid email: malformed address"));
    }
    Ok(())
}

/// A custom action name (`action`): 1–255 printable characters without whitespace.
pub(crate) fn action(action: &str) -> Result {
    check_word("action", action, ACTION_MAX_CHARS)
}

/// A custom action message (`action_message`): 1–255 characters of text.
pub(crate) fn action_message(msg: &str) -> Result {
    check_text("action message", msg, ACTION_MAX_CHARS)
}

/// A locale such as `en`, `pt-BR`, `zh-HK`: letters and dashes, 2–10 characters.
pub(crate) fn locale(locale: &str) -> Result {
    let ok = (2..=10).contains(&locale.len())
        && locale.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        && !locale.starts_with('-')
        && !locale.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(err(
            "Invalid locale: expected letters and dashes like 'en' or 'pt-BR'",
        ))
    }
}

/// A phone verification `code_length`: 4–10.
pub(crate) fn code_length(n: u8) -> Result {
    if (4..=10).contains(&n) {
        Ok(())
    } else {
        Err(err("Invalid code_length: expected a value from 4 to 10"))
    }
}

/// A custom verification message: text, at most 500 characters, containing `{{code}}`.
pub(crate) fn custom_message(msg: &str) -> Result {
    check_text("custom message", msg, CUSTOM_MESSAGE_MAX_CHARS)?;
    if !msg.contains("{{code}}") {
        return Err(err(
            "Invalid custom message: must contain the {{code}} placeholder",
        ));
    }
    Ok(())
}

/// A custom verification code: 4–10 ASCII letters or digits.
pub(crate) fn custom_code(code: &str) -> Result {
    if (4..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(err("Invalid custom code: expected 4-10 letters or digits"))
    }
}

/// An approval request message: non-empty, at most 200 characters.
pub(crate) fn approval_message(msg: &str) -> Result {
    check_text("message", msg, TEXT_MAX_CHARS)
}

/// One `details` / `hidden_details` entry: key and value non-empty, at most 200
/// characters; the key must not contain brackets (they would change the nesting).
pub(crate) fn detail(what: &str, key: &str, value: &str) -> Result {
    check_text(&format!("{what} key"), key, TEXT_MAX_CHARS)?;
    if key.contains(['[', ']']) {
        return Err(err(format!("Invalid {what} key: '[' and ']' not allowed")));
    }
    check_text(&format!("{what} value"), value, TEXT_MAX_CHARS)
}

/// Checks a flat key/value list with [`detail`], refuses duplicate keys, and returns it as
/// a [`Params`] map.
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

/// The logo list: `res` in default|low|med|high, one per resolution, a `default` logo
/// when any logo is given (as the Java client requires), `url` http(s) and at most 500
/// characters.
pub(crate) fn logos<'a>(logos: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result {
    let mut seen: Vec<&str> = Vec::new();
    for (res, url) in logos {
        if !matches!(res, "default" | "low" | "med" | "high") {
            return Err(err(
                "Invalid logo: res must be one of default, low, med, high",
            ));
        }
        if seen.contains(&res) {
            return Err(err(format!("Invalid logo: more than one '{res}' logo")));
        }
        seen.push(res);
        if url.chars().count() > LOGO_URL_MAX_CHARS {
            return Err(err("Invalid logo: url too long (at most 500 characters)"));
        }
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') => {}
            _ => return Err(err("Invalid logo: url must be an http or https URL")),
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err(
                "Invalid logo: url must not contain whitespace or control characters",
            ));
        }
    }
    if !seen.is_empty() && !seen.contains(&"default") {
        return Err(err("Invalid logo: a 'default' logo is required"));
    }
    Ok(())
}

/// A uuid path segment (approval request, phone verification): 1–64 ASCII letters,
/// digits and dashes.
pub(crate) fn uuid(what: &str, uuid: &str) -> Result {
    let ok = (1..=64).contains(&uuid.len())
        && uuid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(err(format!(
            "Invalid {what}: expected 1-64 letters, digits and dashes"
        )))
    }
}

/// A custom user id for `registration_status`: 1–255 printable characters, no whitespace.
pub(crate) fn custom_user_id(id: &str) -> Result {
    check_word("custom user id", id, 255)
}

/// A QR code label: 1–200 characters of text.
pub(crate) fn qr_label(label: &str) -> Result {
    check_text("QR code label", label, TEXT_MAX_CHARS)
}

/// A QR code size in pixels: 10–1000.
pub(crate) fn qr_size(size: u32) -> Result {
    if (10..=1000).contains(&size) {
        Ok(())
    } else {
        Err(err("Invalid QR code size: expected 10-1000 pixels"))
    }
}

/// A user activity type: `password_reset`, `banned`, `unbanned` or `cookie_login`.
pub(crate) fn activity_type(kind: &str) -> Result {
    if matches!(
        kind,
        "password_reset" | "banned" | "unbanned" | "cookie_login"
    ) {
        Ok(())
    } else {
        Err(err(
            "Invalid activity type: expected password_reset, banned, unbanned or cookie_login",
        ))
    }
}

/// A user IP address (IPv4 or IPv6, no port).
pub(crate) fn user_ip(ip: &str) -> Result {
    ip.parse::<std::net::IpAddr>()
        .map(|_| ())
        .map_err(|_| err("Invalid user ip: expected an IPv4 or IPv6 address"))
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
    fn tokens() {
        assert!(token("123456").is_ok());
        assert!(token("123456789012").is_ok());
        assert_eq!(
            msg(token("12345")),
            "Invalid token: unexpected length (6-12 digits)"
        );
        assert_eq!(
            msg(token("1234567890123")),
            "Invalid token: unexpected length (6-12 digits)"
        );
        for bad in [
            "",
            "12345a",
            "123 456",
            "+123456",
            "１２３４５６",
            "123456\n",
            "12/3456",
            "1e5678",
        ] {
            assert_eq!(
                msg(token(bad)),
                "Invalid token: only digits accepted",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn authy_ids() {
        assert!(authy_id("1").is_ok());
        assert!(authy_id("12345678901234567890").is_ok());
        assert!(authy_id("123456789012345678901").is_err());
        for bad in ["", "12a", "../1", "1/2", "1%2F", "1?x", "1#x", " 1", "-1"] {
            assert!(authy_id(bad).is_err(), "{bad:?}");
        }
        assert_eq!(msg(authy_id("x")), "Invalid Authy id: only digits accepted");
    }

    #[test]
    fn phones_and_codes() {
        assert!(country_code("1").is_ok());
        assert!(country_code("1868").is_ok());
        for bad in ["", "0", "12345", "+1", "1a"] {
            assert!(country_code(bad).is_err(), "{bad:?}");
        }
        for good in ["555-123-4567", "555.123.4567", "555 123 4567", "5551234"] {
            assert!(phone_number(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "123",
            "(555) 123",
            "555/1234",
            "5551234?x",
            "1234567890123456",
        ] {
            assert!(phone_number(bad).is_err(), "{bad:?}");
        }
        assert!(verification_code("1234").is_ok());
        assert!(verification_code("123").is_err());
        assert!(verification_code("12345678901").is_err());
        assert!(code_length(4).is_ok() && code_length(10).is_ok());
        assert!(code_length(3).is_err() && code_length(11).is_err());
        assert!(custom_message("Your code is {{code}}").is_ok());
        assert!(custom_message("Your code").is_err());
        assert!(custom_code("12ab").is_ok());
        assert!(custom_code("12 ab").is_err());
        assert!(locale("pt-BR").is_ok());
        assert!(locale("e").is_err() && locale("en/../x").is_err());
    }

    #[test]
    fn emails() {
        assert!(email("user@example.com").is_ok());
        for bad in [
            "",
            "user",
            "@example.com",
            "user@",
            "user@com",
            "a b@example.com",
            "a@b@c.com",
            "a@.com",
            "a@b..com",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn onetouch_inputs() {
        assert!(approval_message("Log in?").is_ok());
        assert!(approval_message("").is_err());
        assert!(approval_message("   ").is_err());
        assert!(approval_message(&"x".repeat(200)).is_ok());
        assert!(approval_message(&"é".repeat(201)).is_err());
        assert!(approval_message("bad\0nul").is_err());
        assert!(detail("details", "IP", "10.0.0.1").is_ok());
        assert!(detail("details", "", "v").is_err());
        assert!(detail("details", "k", "").is_err());
        assert!(detail("details", "a][b", "v").is_err());
        assert!(detail("details", "k", &"v".repeat(201)).is_err());
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
        assert!(
            logos([
                ("default", "https://e.com/a.png"),
                ("low", "http://e.com/b")
            ])
            .is_ok()
        );
        assert!(logos([]).is_ok());
        assert!(logos([("low", "https://e.com/a.png")]).is_err());
        assert!(logos([("huge", "https://e.com/a.png")]).is_err());
        assert!(
            logos([
                ("default", "https://e.com/a"),
                ("default", "https://e.com/b")
            ])
            .is_err()
        );
        assert!(logos([("default", "ftp://e.com/a")]).is_err());
        assert!(logos([("default", "https://")]).is_err());
        assert!(logos([("default", "https://e.com/a b")]).is_err());
        let long = format!("https://e.com/{}", "a".repeat(500));
        assert!(logos([("default", long.as_str())]).is_err());
        assert!(uuid("uuid", "550e8400-e29b-41d4-a716-446655440000").is_ok());
        for bad in ["", "a/b", "..", "a%2F", "a?b", "a b"] {
            assert!(uuid("uuid", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn misc() {
        assert!(action("login").is_ok());
        assert!(action("").is_err() && action("a b").is_err());
        assert!(action(&"a".repeat(256)).is_err());
        assert!(action_message("Log in to Acme").is_ok());
        assert!(activity_type("banned").is_ok() && activity_type("other").is_err());
        assert!(user_ip("10.0.0.1").is_ok() && user_ip("::1").is_ok());
        assert!(user_ip("10.0.0.1:80").is_err());
        assert!(qr_size(300).is_ok() && qr_size(0).is_err());
        assert!(custom_user_id("abc-1").is_ok() && custom_user_id("a b").is_err());
        assert_eq!(method("get").unwrap(), "GET");
        assert!(method("TRACE").is_err());
        assert!(api_key("sandbox-api-key").is_ok());
        assert!(api_key("").is_err() && api_key("a b").is_err() && api_key("a\nb").is_err());
        assert!(!msg(api_key("secret key")).contains("secret"));
        assert!(user_agent_suffix("myapp/1.0 (x)").is_ok());
        assert!(user_agent_suffix("bad\r\nX-Evil: 1").is_err());
    }

    #[test]
    fn accepted_path_values_carry_no_url_syntax() {
        // Whatever an id/token/uuid validator accepts is safe in a path segment as is.
        let samples = [
            "1", "123456", "a-b", "..", ".", "%2e", "a/b", "a?b", "a#b", "a b", "a\u{0}b", "é",
            "--", "0000000",
        ];
        for s in samples {
            for ok in [
                authy_id(s).is_ok(),
                token(s).is_ok(),
                uuid("uuid", s).is_ok(),
            ] {
                if ok {
                    assert!(
                        s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                        "{s:?}"
                    );
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
    }

    #[test]
    fn word_limits_hold_at_n_and_n_plus_one() {
        // Counted in characters, not bytes.
        assert!(action(&"é".repeat(ACTION_MAX_CHARS)).is_ok());
        assert!(action(&"é".repeat(ACTION_MAX_CHARS + 1)).is_err());
        assert!(action("").is_err());
        assert!(action("a b").is_err());
    }

    #[test]
    fn text_and_logo_limits_hold_at_n_and_n_plus_one() {
        assert!(action_message(&"m".repeat(ACTION_MAX_CHARS)).is_ok());
        assert!(action_message(&"m".repeat(ACTION_MAX_CHARS + 1)).is_err());
        assert!(action_message("").is_err());
        assert!(qr_label(&"q".repeat(TEXT_MAX_CHARS)).is_ok());
        assert!(qr_label(&"q".repeat(TEXT_MAX_CHARS + 1)).is_err());
        assert!(qr_label("").is_err());
        let url = |n: usize| format!("https://e.x/{}", "u".repeat(n - "https://e.x/".len()));
        assert!(logos([("default", url(LOGO_URL_MAX_CHARS).as_str())]).is_ok());
        assert!(logos([("default", url(LOGO_URL_MAX_CHARS + 1).as_str())]).is_err());
    }

    #[test]
    fn phone_and_email_lengths_hold_at_n_and_n_plus_one() {
        let phone25 = "1-2-3-4-5-6-7-8-9-0-1-2-3"; // 13 digits, 25 characters
        assert_eq!(phone25.len(), 25);
        assert!(phone_number(phone25).is_ok());
        assert!(phone_number(&format!("{phone25}-")).is_err());
        let email = |n: usize| format!("{}@example.com", "a".repeat(n - "@example.com".len()));
        assert!(super::email(&email(254)).is_ok());
        assert!(super::email(&email(255)).is_err());
    }
}
