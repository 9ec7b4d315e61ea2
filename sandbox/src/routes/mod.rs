//! The real API's routes (authy-api.md §11.1): matching on decoded path segments, dispatch to
//! one module per API area.

pub(crate) mod app;
mod onetouch;
pub use onetouch::ONETOUCH_APP_ID;
mod phones;
mod sdk;
mod tokens;
mod users;

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use crate::params::Params;
use crate::reply::Reply;
use crate::state::Shared;

/// What a handler gets.
pub struct Ctx<'a> {
    /// Shared state and configuration.
    pub shared: &'a Shared,
    /// Merged request parameters.
    pub params: &'a Params,
    /// Path arguments in order (`{id}`, `{token}`, `{uuid}`).
    pub args: Vec<String>,
}

impl Ctx<'_> {
    /// Path argument `i` (empty when absent).
    pub fn arg(&self, i: usize) -> &str {
        self.args.get(i).map(String::as_str).unwrap_or("")
    }
}

/// One API endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `POST users/new`
    UsersNew,
    /// `POST users/{id}/remove|delete`, `POST users/delete/{id}`
    UserDelete,
    /// `GET users/{id}/status`
    UserStatus,
    /// `POST users/{id}/update`
    UserUpdate,
    /// `POST email/{id}`
    Email,
    /// `POST users/{id}/register_activity`
    RegisterActivity,
    /// `POST users/{id}/secret`
    Secret,
    /// `GET registrations/status`
    RegistrationStatus,
    /// `GET sms/{id}`
    Sms,
    /// `GET call/{id}`
    Call,
    /// `GET verify/{token}/{id}`
    Verify,
    /// `GET app/details`
    AppDetails,
    /// `GET app/stats`
    AppStats,
    /// `POST phones/verification/start`
    PhoneStart,
    /// `GET phones/verification/check`
    PhoneCheck,
    /// `GET phones/verification/status`
    PhoneStatus,
    /// `GET phones/info`
    PhoneInfo,
    /// `POST sdk/registrations`
    SdkRegistrations,
    /// `DELETE sdk/devices/{id}`
    SdkDeviceDelete,
    /// `POST /onetouch/json/users/{id}/approval_requests`
    ApprovalCreate,
    /// `GET /onetouch/json/approval_requests/{uuid}`
    ApprovalStatus,
}

/// The request asks for the `xml` format (`/protected/xml/...`, `/onetouch/xml/...`, §1.1).
pub fn is_xml(segs: &[&str]) -> bool {
    segs.len() >= 2 && matches!(segs[0], "protected" | "onetouch") && segs[1] == "xml"
}

/// Matches a request; returns the route, its template (the request-counter key) and arguments.
/// The `xml` format matches the same routes, counted under templates with `/xml/`.
pub fn match_route(method: &str, segs: &[&str]) -> Option<(Route, &'static str, Vec<String>)> {
    if is_xml(segs) {
        let mut json = segs.to_vec();
        json[1] = "json";
        let (route, template, args) = match_json_route(method, &json)?;
        return Some((route, xml_template(template), args));
    }
    match_json_route(method, segs)
}

/// `GET /protected/xml/sms/{id}` for `GET /protected/json/sms/{id}` (made once per template).
fn xml_template(json: &'static str) -> &'static str {
    static CACHE: LazyLock<Mutex<HashMap<&'static str, &'static str>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(json)
        .or_insert_with(|| Box::leak(json.replacen("/json/", "/xml/", 1).into_boxed_str()))
}

fn match_json_route(method: &str, segs: &[&str]) -> Option<(Route, &'static str, Vec<String>)> {
    use Route::*;
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let r = match (method, segs) {
        ("POST", ["protected", "json", "users", "new"]) => {
            (UsersNew, "POST /protected/json/users/new", vec![])
        }
        ("POST", ["protected", "json", "users", "delete", id]) => (
            UserDelete,
            "POST /protected/json/users/delete/{id}",
            own(&[id]),
        ),
        ("POST", ["protected", "json", "users", id, "remove"]) => (
            UserDelete,
            "POST /protected/json/users/{id}/remove",
            own(&[id]),
        ),
        ("POST", ["protected", "json", "users", id, "delete"]) => (
            UserDelete,
            "POST /protected/json/users/{id}/delete",
            own(&[id]),
        ),
        ("GET", ["protected", "json", "users", id, "status"]) => (
            UserStatus,
            "GET /protected/json/users/{id}/status",
            own(&[id]),
        ),
        ("POST", ["protected", "json", "users", id, "update"]) => (
            UserUpdate,
            "POST /protected/json/users/{id}/update",
            own(&[id]),
        ),
        ("POST", ["protected", "json", "email", id]) => {
            (Email, "POST /protected/json/email/{id}", own(&[id]))
        }
        ("POST", ["protected", "json", "users", id, "register_activity"]) => (
            RegisterActivity,
            "POST /protected/json/users/{id}/register_activity",
            own(&[id]),
        ),
        ("POST", ["protected", "json", "users", id, "secret"]) => {
            (Secret, "POST /protected/json/users/{id}/secret", own(&[id]))
        }
        ("GET", ["protected", "json", "registrations", "status"]) => (
            RegistrationStatus,
            "GET /protected/json/registrations/status",
            vec![],
        ),
        ("GET", ["protected", "json", "sms", id]) => {
            (Sms, "GET /protected/json/sms/{id}", own(&[id]))
        }
        ("GET", ["protected", "json", "call", id]) => {
            (Call, "GET /protected/json/call/{id}", own(&[id]))
        }
        ("GET", ["protected", "json", "verify", token, id]) => (
            Verify,
            "GET /protected/json/verify/{token}/{id}",
            own(&[token, id]),
        ),
        ("GET", ["protected", "json", "app", "details"]) => {
            (AppDetails, "GET /protected/json/app/details", vec![])
        }
        ("GET", ["protected", "json", "app", "stats"]) => {
            (AppStats, "GET /protected/json/app/stats", vec![])
        }
        ("POST", ["protected", "json", "phones", "verification", "start"]) => (
            PhoneStart,
            "POST /protected/json/phones/verification/start",
            vec![],
        ),
        ("GET", ["protected", "json", "phones", "verification", "check"]) => (
            PhoneCheck,
            "GET /protected/json/phones/verification/check",
            vec![],
        ),
        ("GET", ["protected", "json", "phones", "verification", "status"]) => (
            PhoneStatus,
            "GET /protected/json/phones/verification/status",
            vec![],
        ),
        ("GET", ["protected", "json", "phones", "info"]) => {
            (PhoneInfo, "GET /protected/json/phones/info", vec![])
        }
        ("POST", ["protected", "json", "sdk", "registrations"]) => (
            SdkRegistrations,
            "POST /protected/json/sdk/registrations",
            vec![],
        ),
        ("DELETE", ["protected", "json", "sdk", "devices", id]) => (
            SdkDeviceDelete,
            "DELETE /protected/json/sdk/devices/{id}",
            own(&[id]),
        ),
        ("POST", ["onetouch", "json", "users", id, "approval_requests"]) => (
            ApprovalCreate,
            "POST /onetouch/json/users/{id}/approval_requests",
            own(&[id]),
        ),
        ("GET", ["onetouch", "json", "approval_requests", uuid]) => (
            ApprovalStatus,
            "GET /onetouch/json/approval_requests/{uuid}",
            own(&[uuid]),
        ),
        _ => return None,
    };
    // An empty `{id}`/`{token}` segment does not match (the real API answers 404, node PR #13).
    if r.2.iter().any(String::is_empty) {
        return None;
    }
    Some(r)
}

/// Runs the handler of a matched route (the caller has checked the API key).
pub fn dispatch(route: Route, ctx: &Ctx<'_>) -> Reply {
    use Route::*;
    match route {
        UsersNew => users::create(ctx),
        UserDelete => users::delete(ctx),
        UserStatus => users::status(ctx),
        UserUpdate => users::update(ctx),
        Email => tokens::email(ctx),
        RegisterActivity => users::register_activity(ctx),
        Secret => users::secret(ctx),
        RegistrationStatus => users::registration_status(ctx),
        Sms => tokens::sms_or_call(ctx, "sms"),
        Call => tokens::sms_or_call(ctx, "call"),
        Verify => tokens::verify(ctx),
        AppDetails => app::details(ctx),
        AppStats => app::stats(ctx),
        PhoneStart => phones::start(ctx),
        PhoneCheck => phones::check(ctx),
        PhoneStatus => phones::status(ctx),
        PhoneInfo => phones::info(ctx),
        SdkRegistrations => sdk::registrations(ctx),
        SdkDeviceDelete => sdk::delete_device(ctx),
        ApprovalCreate => onetouch::create(ctx),
        ApprovalStatus => onetouch::status(ctx),
    }
}

/// An Authy id path argument (digits only).
pub fn parse_id(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Digits of a phone number written with spaces, dashes, dots, parentheses or a leading `+`;
/// `None` when anything else appears or the length is implausible.
pub fn phone_digits(raw: &str) -> Option<String> {
    let mut digits = String::new();
    for c in raw.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '+' => {}
            _ => return None,
        }
    }
    (6..=15).contains(&digits.len()).then_some(digits)
}

/// A calling code: 1–4 digits, not starting with 0.
pub fn country_code_digits(raw: &str) -> Option<String> {
    let t = raw.trim().trim_start_matches('+');
    let ok =
        (1..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) && !t.starts_with('0');
    ok.then(|| t.to_string())
}
