//! The endpoint table: every endpoint the library calls, in one place. Each row gives its
//! name, API (host and dialect), method, path template, whether it is a read (no side effect:
//! it may be sent again after any failure) and its success rule.
//!
//! Everything else derives from it: the client methods send through a row
//! ([`Client::call`](crate::Client)), the retry classification of a path
//! ([`classify`], `is_read`), the token-check marking of a raw request, the C function
//! `authy_endpoint_is_read()` (and through it the bindings), and a test that checks every row
//! against the sandbox's own route templates (`tests/endpoint_table.rs`).
//!
//! Adding an endpoint: one row here, its method (validation + parameters + `self.call`), its
//! short C function (one `endpoint()` call), tests.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::dialect::{Api, Dialect, Success};

/// One endpoint of an API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// The client method's name (also the C function's suffix).
    pub(crate) name: &'static str,
    /// The API: which base URL, which dialect.
    pub(crate) api: Api,
    /// `GET`, `POST`, `DELETE`.
    pub(crate) method: &'static str,
    /// The path below the base URL; `{name}` is one path segment, filled in order.
    pub(crate) path: &'static str,
    /// A read: no side effect, may be sent again after any failure.
    pub(crate) read: bool,
    /// When an answer is a success (a rule of the API's dialect).
    pub(crate) success: Success,
}

impl Endpoint {
    /// The dialect of the endpoint's API.
    pub(crate) fn dialect(&self) -> Dialect {
        self.api.dialect()
    }

    /// Whether `method` and `path` (no query string) are a call of this endpoint: same method,
    /// same literal segments (case-sensitive), one non-empty segment per placeholder.
    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        if method != self.method {
            return false;
        }
        let mut want = segments(self.path);
        let mut got = segments(path);
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if is_placeholder(w) => {
                    if g.is_empty() {
                        return false;
                    }
                }
                (Some(w), Some(g)) if w == g => {}
                _ => return false,
            }
        }
    }

    /// The path with each placeholder replaced by the next of `args`, escaped as the
    /// endpoint's dialect requires. Panics (a bug of this crate) when the number of arguments
    /// differs from the number of placeholders.
    pub(crate) fn path_with(&self, args: &[&str]) -> String {
        // Room for the arguments as they are (an escaped one grows it, rarely).
        let room = args.iter().map(|a| a.len()).sum::<usize>();
        let mut path = String::with_capacity(self.path.len() + room);
        let mut args = args.iter();
        for seg in segments(self.path) {
            path.push('/');
            if is_placeholder(seg) {
                let arg = args.next().expect("an argument for every placeholder");
                path.extend(utf8_percent_encode(arg, segment_escapes(self.dialect())));
            } else {
                path.push_str(seg);
            }
        }
        assert!(args.next().is_none(), "as many arguments as placeholders");
        path
    }

    /// The literal start of the template, up to its first placeholder.
    fn literal_prefix(&self) -> &'static str {
        self.path.find('{').map_or(self.path, |i| &self.path[..i])
    }
}

fn segments(path: &str) -> std::str::Split<'_, char> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

fn is_placeholder(seg: &str) -> bool {
    seg.starts_with('{') && seg.ends_with('}')
}

/// Bytes escaped in an Authy path segment: everything but RFC 3986 unreserved characters.
const AUTHY_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Twilio path segments keep a literal `+` (E.164 numbers in Lookup paths, verify-v2.md §1.1);
/// `/`, `?`, `#` and everything else outside the unreserved set are escaped.
const TWILIO_SEGMENT: &AsciiSet = &AUTHY_SEGMENT.remove(b'+');

fn segment_escapes(dialect: Dialect) -> &'static AsciiSet {
    match dialect {
        Dialect::Authy => AUTHY_SEGMENT,
        Dialect::Twilio => TWILIO_SEGMENT,
    }
}

/// Defines one constant per row and [`ALL`], the table, in the same order.
macro_rules! table {
    ($($id:ident = $name:literal, $api:ident $method:literal $path:literal, $class:ident, $rule:ident;)*) => {
        $(
            pub(crate) const $id: Endpoint = Endpoint {
                name: $name,
                api: Api::$api,
                method: $method,
                path: $path,
                read: table!(@read $class),
                success: Success::$rule,
            };
        )*
        /// Every endpoint, in table order.
        pub(crate) const ALL: &[Endpoint] = &[$($id),*];
    };
    (@read read) => { true };
    (@read effect) => { false };
}

table! {
    // Authy (authy-api.md §3): users.
    CREATE_USER = "create_user", Authy "POST" "/protected/json/users/new", effect, Status200;
    USER_STATUS = "user_status", Authy "GET" "/protected/json/users/{authy_id}/status", read, Status200;
    DELETE_USER = "delete_user", Authy "POST" "/protected/json/users/{authy_id}/remove", effect, Status200;
    UPDATE_USER_EMAIL = "update_user_email", Authy "POST" "/protected/json/users/{authy_id}/update", effect, Status200;
    REQUEST_EMAIL = "request_email", Authy "POST" "/protected/json/email/{authy_id}", effect, Status200;
    REGISTER_ACTIVITY = "register_activity", Authy "POST" "/protected/json/users/{authy_id}/register_activity", effect, Status200;
    GENERATE_QR_CODE = "generate_qr_code", Authy "POST" "/protected/json/users/{authy_id}/secret", effect, Status200;
    REGISTRATION_STATUS = "registration_status", Authy "GET" "/protected/json/registrations/status", read, Status200;
    // Tokens.
    REQUEST_SMS = "request_sms", Authy "GET" "/protected/json/sms/{authy_id}", effect, Status200;
    REQUEST_CALL = "request_call", Authy "GET" "/protected/json/call/{authy_id}", effect, Status200;
    VERIFY_TOKEN = "verify_token", Authy "GET" "/protected/json/verify/{token}/{authy_id}", effect, TokenValid;
    // Phone verification and phone intelligence.
    START_PHONE_VERIFICATION = "start_phone_verification", Authy "POST" "/protected/json/phones/verification/start", effect, Status200;
    CHECK_PHONE_VERIFICATION = "check_phone_verification", Authy "GET" "/protected/json/phones/verification/check", effect, Status200;
    PHONE_VERIFICATION_STATUS = "phone_verification_status", Authy "GET" "/protected/json/phones/verification/status", read, Status200;
    PHONE_INFO = "phone_info", Authy "GET" "/protected/json/phones/info", read, Status200;
    // OneTouch.
    CREATE_APPROVAL_REQUEST = "create_approval_request", Authy "POST" "/onetouch/json/users/{authy_id}/approval_requests", effect, Status200;
    APPROVAL_REQUEST_STATUS = "approval_request_status", Authy "GET" "/onetouch/json/approval_requests/{uuid}", read, Status200;
    // The application.
    APP_DETAILS = "app_details", Authy "GET" "/protected/json/app/details", read, Status200;
    APP_STATS = "app_stats", Authy "GET" "/protected/json/app/stats", read, Status200;
    // Twilio Verify v2 (verify-v2.md §2): services.
    CREATE_SERVICE = "create_service", Verify "POST" "/v2/Services", effect, Any2xx;
    LIST_SERVICES = "list_services", Verify "GET" "/v2/Services", read, Any2xx;
    FETCH_SERVICE = "fetch_service", Verify "GET" "/v2/Services/{ServiceSid}", read, Any2xx;
    UPDATE_SERVICE = "update_service", Verify "POST" "/v2/Services/{ServiceSid}", effect, Any2xx;
    DELETE_SERVICE = "delete_service", Verify "DELETE" "/v2/Services/{ServiceSid}", effect, Any2xx;
    // Verifications and their check (a wrong code is 200 `pending`: not a success).
    CREATE_VERIFICATION = "create_verification", Verify "POST" "/v2/Services/{ServiceSid}/Verifications", effect, Any2xx;
    FETCH_VERIFICATION = "fetch_verification", Verify "GET" "/v2/Services/{ServiceSid}/Verifications/{Sid}", read, Any2xx;
    UPDATE_VERIFICATION = "update_verification", Verify "POST" "/v2/Services/{ServiceSid}/Verifications/{Sid}", effect, Any2xx;
    CHECK_VERIFICATION = "check_verification", Verify "POST" "/v2/Services/{ServiceSid}/VerificationCheck", effect, Approved;
    // Entities, Factors, Challenges (§2.4–§2.6). A factor's verification and a challenge with
    // an AuthPayload are code checks: the client sends them with the `Verified` / `Approved`
    // rule (`Call.success`), the row keeps the rule of its other uses.
    CREATE_ENTITY = "create_entity", Verify "POST" "/v2/Services/{ServiceSid}/Entities", effect, Any2xx;
    LIST_ENTITIES = "list_entities", Verify "GET" "/v2/Services/{ServiceSid}/Entities", read, Any2xx;
    FETCH_ENTITY = "fetch_entity", Verify "GET" "/v2/Services/{ServiceSid}/Entities/{Identity}", read, Any2xx;
    DELETE_ENTITY = "delete_entity", Verify "DELETE" "/v2/Services/{ServiceSid}/Entities/{Identity}", effect, Any2xx;
    CREATE_FACTOR = "create_factor", Verify "POST" "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors", effect, Any2xx;
    LIST_FACTORS = "list_factors", Verify "GET" "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors", read, Any2xx;
    FETCH_FACTOR = "fetch_factor", Verify "GET" "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}", read, Any2xx;
    UPDATE_FACTOR = "update_factor", Verify "POST" "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}", effect, Any2xx;
    DELETE_FACTOR = "delete_factor", Verify "DELETE" "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}", effect, Any2xx;
    CREATE_CHALLENGE = "create_challenge", Verify "POST" "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges", effect, Any2xx;
    LIST_CHALLENGES = "list_challenges", Verify "GET" "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges", read, Any2xx;
    FETCH_CHALLENGE = "fetch_challenge", Verify "GET" "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}", read, Any2xx;
    UPDATE_CHALLENGE = "update_challenge", Verify "POST" "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}", effect, Any2xx;
    // Webhooks (§2.7), Service Rate Limits and their Buckets (§2.8), Verification Attempts
    // (§2.9; no Service in the path, `Summary` before the `{Sid}` row that would match it).
    CREATE_WEBHOOK = "create_webhook", Verify "POST" "/v2/Services/{ServiceSid}/Webhooks", effect, Any2xx;
    LIST_WEBHOOKS = "list_webhooks", Verify "GET" "/v2/Services/{ServiceSid}/Webhooks", read, Any2xx;
    FETCH_WEBHOOK = "fetch_webhook", Verify "GET" "/v2/Services/{ServiceSid}/Webhooks/{Sid}", read, Any2xx;
    UPDATE_WEBHOOK = "update_webhook", Verify "POST" "/v2/Services/{ServiceSid}/Webhooks/{Sid}", effect, Any2xx;
    DELETE_WEBHOOK = "delete_webhook", Verify "DELETE" "/v2/Services/{ServiceSid}/Webhooks/{Sid}", effect, Any2xx;
    CREATE_RATE_LIMIT = "create_rate_limit", Verify "POST" "/v2/Services/{ServiceSid}/RateLimits", effect, Any2xx;
    LIST_RATE_LIMITS = "list_rate_limits", Verify "GET" "/v2/Services/{ServiceSid}/RateLimits", read, Any2xx;
    FETCH_RATE_LIMIT = "fetch_rate_limit", Verify "GET" "/v2/Services/{ServiceSid}/RateLimits/{Sid}", read, Any2xx;
    UPDATE_RATE_LIMIT = "update_rate_limit", Verify "POST" "/v2/Services/{ServiceSid}/RateLimits/{Sid}", effect, Any2xx;
    DELETE_RATE_LIMIT = "delete_rate_limit", Verify "DELETE" "/v2/Services/{ServiceSid}/RateLimits/{Sid}", effect, Any2xx;
    CREATE_BUCKET = "create_bucket", Verify "POST" "/v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets", effect, Any2xx;
    LIST_BUCKETS = "list_buckets", Verify "GET" "/v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets", read, Any2xx;
    FETCH_BUCKET = "fetch_bucket", Verify "GET" "/v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{Sid}", read, Any2xx;
    UPDATE_BUCKET = "update_bucket", Verify "POST" "/v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{Sid}", effect, Any2xx;
    DELETE_BUCKET = "delete_bucket", Verify "DELETE" "/v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{Sid}", effect, Any2xx;
    LIST_ATTEMPTS = "list_attempts", Verify "GET" "/v2/Attempts", read, Any2xx;
    ATTEMPTS_SUMMARY = "attempts_summary", Verify "GET" "/v2/Attempts/Summary", read, Any2xx;
    FETCH_ATTEMPT = "fetch_attempt", Verify "GET" "/v2/Attempts/{Sid}", read, Any2xx;
    // Lookup v2 (§6.3).
    LOOKUP_PHONE_NUMBER = "lookup_phone_number", Lookups "GET" "/v2/PhoneNumbers/{PhoneNumber}", read, Any2xx;
}

/// The endpoint a request is a call of, if any (for a raw request: its retry class).
pub(crate) fn classify(method: &str, path: &str) -> Option<&'static Endpoint> {
    ALL.iter().find(|e| e.matches(method, path))
}

/// `true` for the reads of the table — requests without a side effect, which may be sent
/// again after any failure. Everything else, including a raw `GET` of an SMS, call or
/// verification path and any path outside the table, has (or may have) a side effect.
/// `path` is the path without its query string.
pub(crate) fn is_read(method: &str, path: &str) -> bool {
    classify(method, path).is_some_and(|e| e.read)
}

/// The success rule of a raw request to `path` (any method): the rule of a token check
/// when the path starts, in any case, like a token-check endpoint's template (marking more
/// answers as token checks can only make `ok()` stricter), else Authy's 200.
pub(crate) fn raw_success(path: &str) -> Success {
    let token_check = ALL
        .iter()
        .filter(|e| e.success == Success::TokenValid)
        .any(|e| {
            let prefix = e.literal_prefix();
            path.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        });
    if token_check {
        Success::TokenValid
    } else {
        Success::Status200
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_escaped_by_dialect() {
        assert_eq!(
            VERIFY_TOKEN.path_with(&["123456", "42"]),
            "/protected/json/verify/123456/42"
        );
        assert_eq!(
            APPROVAL_REQUEST_STATUS.path_with(&["a/../b?c#d %e+f"]),
            "/onetouch/json/approval_requests/a%2F..%2Fb%3Fc%23d%20%25e%2Bf"
        );
        let lookup = LOOKUP_PHONE_NUMBER;
        assert_eq!(
            lookup.path_with(&["+14159929960"]),
            "/v2/PhoneNumbers/+14159929960"
        );
        assert_eq!(
            lookup.path_with(&["a/b?c#d"]),
            "/v2/PhoneNumbers/a%2Fb%3Fc%23d"
        );
    }

    #[test]
    fn only_reads_are_idempotent() {
        for (m, p) in [
            ("GET", "/protected/json/users/42/status"),
            ("GET", "/protected/json/registrations/status"),
            ("GET", "/protected/json/phones/verification/status"),
            ("GET", "/protected/json/phones/info"),
            ("GET", "/protected/json/app/details"),
            ("GET", "/protected/json/app/stats"),
            ("GET", "/onetouch/json/approval_requests/abc-123"),
        ] {
            assert!(is_read(m, p), "{m} {p}");
        }
        for (m, p) in [
            ("GET", "/protected/json/sms/42"),
            ("GET", "/protected/json/call/42"),
            ("GET", "/protected/json/verify/1234567/42"),
            ("GET", "/protected/json/phones/verification/check"),
            ("POST", "/protected/json/users/new"),
            ("POST", "/protected/json/app/details"),
            ("DELETE", "/protected/json/users/42/status"),
            ("GET", "/protected/xml/app/details"),
            ("GET", "/protected/json/users/42/status/x"),
            ("GET", "/protected/json/users//status"),
            ("GET", "/Protected/json/app/details"),
            ("GET", "/sandbox/users/42/last_code"),
        ] {
            assert!(!is_read(m, p), "{m} {p}");
        }
    }

    #[test]
    fn token_check_paths() {
        let tc = |p: &str| raw_success(p) == Success::TokenValid;
        assert!(tc("/protected/json/verify/1234567/42"));
        assert!(tc("/Protected/JSON/Verify/1234567/42"));
        assert!(tc(&VERIFY_TOKEN.path_with(&["1234567", "42"])));
        assert!(!tc("/protected/json/verify"));
        assert!(!tc("/protected/json/sms/42"));
        assert!(!tc("/protected/json/phones/verification/check"));
        assert!(!tc("/é"));
    }

    #[test]
    fn the_table_is_well_formed() {
        let mut names = std::collections::HashSet::new();
        for e in ALL {
            assert!(names.insert(e.name), "duplicate name {}", e.name);
            assert!(e.path.starts_with('/'), "{}", e.name);
            assert!(matches!(e.method, "GET" | "POST" | "DELETE"), "{}", e.name);
            // A read is never a POST, and every row classifies as itself.
            assert!(!(e.read && e.method == "POST"), "{}", e.name);
            assert_eq!(e.success.dialect(), e.api.dialect(), "{}", e.name);
            let example: Vec<&str> = segments(e.path)
                .filter(|s| is_placeholder(s))
                .map(|_| "x1")
                .collect();
            let path = e.path_with(&example);
            assert_eq!(classify(e.method, &path), Some(e), "{}", e.name);
        }
    }

    /// `{authy_id}` → `{}`: the sandbox names its placeholders differently.
    fn shape(template: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for ch in template.chars() {
            match ch {
                '{' => {
                    inside = true;
                    out.push('{');
                }
                '}' => {
                    inside = false;
                    out.push('}');
                }
                _ if inside => {}
                _ => out.push(ch),
            }
        }
        out
    }

    /// Every row, sent once to the sandbox (over HTTP), is counted by the sandbox under a
    /// route template of the same method and shape: the table and the emulator agree.
    #[test]
    fn every_row_is_a_route_of_the_sandbox() {
        use authy_sandbox::{Sandbox, SandboxConfig};
        let sb = Sandbox::start(SandboxConfig::default()).unwrap();
        let c = crate::Client::builder(sb.api_key())
            .base_url(sb.base_url())
            .build()
            .unwrap();
        for e in ALL {
            let args: Vec<&str> = segments(e.path)
                .filter(|s| is_placeholder(s))
                .map(|_| "1234567")
                .collect();
            let _ = c
                .request(e.method, &e.path_with(&args), &crate::Params::new())
                .unwrap();
        }
        let counts = c
            .request("GET", "/sandbox/requests", &crate::Params::new())
            .unwrap();
        let counts = counts
            .pointer("/requests")
            .and_then(|v| v.as_object())
            .unwrap();
        let routes: std::collections::HashMap<String, u64> = counts
            .iter()
            .map(|(k, v)| (shape(k), v.as_u64().unwrap()))
            .collect();
        for e in ALL {
            let key = format!("{} {}", e.method, shape(e.path));
            assert_eq!(
                routes.get(&key),
                Some(&1),
                "{} ({key}) in {counts:?}",
                e.name
            );
        }
        assert_eq!(routes.len(), ALL.len(), "{counts:?}");
    }
}
