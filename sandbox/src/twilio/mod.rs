//! Twilio Verify v2 and Lookup v2 (verify-v2.md), served under `/v2/...` on the same port as
//! the Authy routes, and their control routes under `/sandbox/verify/...`.
//!
//! Each resource module exports `ROUTES: &[Route]`; a route's key is its method and path
//! template (`"GET /v2/Services/{ServiceSid}"`), which is also its request-counter name. To add
//! a resource: one `mod` line and one entry in [`API`] (or [`CONTROL`]).
//!
//! Paths are matched on percent-decoded segments; a literal `+` stays a `+` (the libraries send
//! `/v2/PhoneNumbers/+14159929960` unencoded). A path no template matches is 404 20404; a path
//! that matches only with another method is 405 20004.

pub mod auth;
pub mod control;
pub mod envelope;
pub mod form;
pub mod page;
pub mod state;

pub mod push;
pub mod totp;
pub mod webhook_sig;

mod access_tokens;
mod attempts;
mod challenges;
mod checks;
pub mod device_auth;
mod entities;
mod entity_state;
mod factors;
mod lookup;
mod notifications;
mod push_control;
mod ratelimits;
mod services;
mod ui_views;
mod verifications;
mod webhooks;

use std::cmp::Reverse;

use crate::reply::Reply;
use crate::state::{Shared, State};
use form::Form;

/// The Verify and Lookup routes, one slice per resource module.
const API: &[&[Route]] = &[
    services::ROUTES,
    verifications::ROUTES,
    checks::ROUTES,
    ratelimits::ROUTES,
    attempts::ROUTES,
    lookup::ROUTES,
    entities::ROUTES,
    factors::ROUTES,
    challenges::ROUTES,
    notifications::ROUTES,
    access_tokens::ROUTES,
    webhooks::ROUTES,
];

/// The control routes under `/sandbox/verify/...`.
const CONTROL: &[&[Route]] = &[control::ROUTES, push_control::ROUTES, ui_views::ROUTES];

/// A handler: reads the request through [`Ctx`], answers.
pub type Handler = fn(&Ctx<'_>) -> Reply;

/// One endpoint.
#[derive(Clone, Copy)]
pub struct Route {
    /// `"METHOD /path/{Arg}/..."`: the matching template and the request-counter key.
    pub key: &'static str,
    /// What answers it.
    pub handler: Handler,
}

impl Route {
    fn method(&self) -> &'static str {
        self.key.split(' ').next().unwrap_or("")
    }

    fn template(&self) -> impl Iterator<Item = &'static str> {
        self.key.split(' ').nth(1).unwrap_or("").split('/').skip(1)
    }

    /// The path arguments when `segs` fit the template.
    fn capture(&self, segs: &[&str]) -> Option<Vec<(&'static str, String)>> {
        let mut args = Vec::new();
        let mut n = 0;
        for (t, s) in self.template().zip(segs) {
            n += 1;
            match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) if !s.is_empty() => args.push((name, s.to_string())),
                Some(_) => return None,
                None if t == *s => {}
                None => return None,
            }
        }
        (n == segs.len() && self.template().count() == n).then_some(args)
    }

    /// Literal segments: the more, the more specific (`Attempts/Summary` beats `Attempts/{Sid}`).
    fn literals(&self) -> usize {
        self.template().filter(|t| !t.starts_with('{')).count()
    }
}

/// Which family a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/v2/...`
    Api,
    /// `/sandbox/verify/...`
    Control,
}

/// The family of a request path (slashes collapsed, not yet decoded), if it is a Twilio one.
pub fn family_of_raw(path: &str) -> Option<Family> {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/v2") {
        Some(Family::Api)
    } else if under("/sandbox/verify") {
        Some(Family::Control)
    } else {
        None
    }
}

/// The outcome of matching.
pub enum Matched {
    /// A route and its arguments.
    Route(Route, Vec<(&'static str, String)>),
    /// The path exists with other methods (listed for `Allow`).
    WrongMethod(String),
    /// No such path.
    NotFound,
}

impl Matched {
    /// The request-counter key (`None` when nothing matched).
    pub fn counter_key(&self) -> Option<&'static str> {
        match self {
            Matched::Route(r, _) => Some(r.key),
            _ => None,
        }
    }
}

/// Matches a decoded path against a family's routes.
pub fn match_route(family: Family, method: &str, segs: &[&str]) -> Matched {
    let tables = match family {
        Family::Api => API,
        Family::Control => CONTROL,
    };
    let mut fits: Vec<(Route, Vec<(&'static str, String)>)> = tables
        .iter()
        .flat_map(|t| t.iter())
        .filter_map(|r| r.capture(segs).map(|args| (*r, args)))
        .collect();
    // HEAD is served as GET (hyper sends no body).
    let method = if method == "HEAD" { "GET" } else { method };
    fits.sort_by_key(|(r, _)| Reverse(r.literals()));
    if let Some(i) = fits.iter().position(|(r, _)| r.method() == method) {
        // The most specific template among those of this method.
        let best = fits[i].0.literals();
        if fits[..i].iter().all(|(r, _)| r.literals() == best) {
            let (r, args) = fits.swap_remove(i);
            return Matched::Route(r, args);
        }
    }
    if fits.is_empty() {
        return Matched::NotFound;
    }
    let best = fits[0].0.literals();
    let mut allow: Vec<&str> = fits
        .iter()
        .filter(|(r, _)| r.literals() == best)
        .map(|(r, _)| r.method())
        .collect();
    allow.sort_unstable();
    allow.dedup();
    Matched::WrongMethod(allow.join(", "))
}

/// What a handler gets.
pub struct Ctx<'a> {
    /// Shared state and configuration.
    pub shared: &'a Shared,
    /// The request parameters.
    pub form: &'a Form,
    /// The request path (decoded segments joined, from `/v2` or `/sandbox`).
    pub path: String,
    args: Vec<(&'static str, String)>,
    /// The base of absolute URLs in answers (see [`request_base`]).
    base: String,
}

/// The base URL of absolute URLs in an answer: the sandbox's own base URL, with the host the
/// request named when that is another name of the sandbox's listener (`localhost`,
/// `127.0.0.1`, `[::1]` with the sandbox's port), so a client that called
/// `http://localhost:PORT` is sent to `http://localhost:PORT/...` by `next_page_url` (real Twilio
/// answers on the host asked; careful clients do not follow a next page to another origin).
pub fn request_base(own: &str, host: Option<&str>) -> String {
    let (Some((scheme, own_host)), Some(host)) = (own.split_once("://"), host) else {
        return own.to_string();
    };
    let port = own_host.rsplit_once(':').map(|(_, p)| p);
    let Some((name, asked_port)) = host.trim().rsplit_once(':') else {
        return own.to_string();
    };
    let loopback = name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]";
    if loopback && Some(asked_port) == port {
        format!("{scheme}://{}:{asked_port}", name.to_ascii_lowercase())
    } else {
        own.to_string()
    }
}

impl<'a> Ctx<'a> {
    /// A context (the pipeline builds it; tests too).
    pub fn new(
        shared: &'a Shared,
        form: &'a Form,
        path: String,
        args: Vec<(&'static str, String)>,
        base: String,
    ) -> Ctx<'a> {
        Ctx {
            shared,
            form,
            path,
            args,
            base,
        }
    }

    /// The path argument named `name` in the template (empty when absent).
    pub fn arg(&self, name: &str) -> &str {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The absolute URL of a sandbox path (`/v2/...`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The configured Account SID (every record's `account_sid`).
    pub fn account_sid(&self) -> &str {
        &self.shared.config.account_sid
    }

    /// 404 20404 for this request's path.
    pub fn not_found(&self) -> Reply {
        envelope::not_found(&self.path)
    }

    /// Locks the state and checks that the `{ServiceSid}` argument names an existing service:
    /// a malformed SID is 400 60200 `Invalid parameter: ServiceSid`, an unknown one 404 20404.
    pub fn lock_service(&self) -> Result<std::sync::MutexGuard<'a, State>, Reply> {
        let sid = self.arg("ServiceSid");
        if !envelope::is_sid("VA", sid) {
            return Err(envelope::invalid_parameter("ServiceSid"));
        }
        let st = self.shared.lock();
        if !st.twilio.services.contains_key(sid) {
            return Err(self.not_found());
        }
        Ok(st)
    }
}

/// Runs a matched handler with panics caught (500 20500).
pub fn dispatch(route: Route, ctx: &Ctx<'_>) -> Reply {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (route.handler)(ctx)))
        .unwrap_or_else(|_| envelope::internal_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(family: Family, method: &str, path: &str) -> Result<&'static str, String> {
        let segs: Vec<&str> = path.split('/').skip(1).collect();
        match match_route(family, method, &segs) {
            Matched::Route(r, _) => Ok(r.key),
            Matched::WrongMethod(allow) => Err(format!("405 {allow}")),
            Matched::NotFound => Err("404".into()),
        }
    }

    #[test]
    fn routes_match_by_template_method_and_specificity() {
        let va = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(
            key(Family::Api, "GET", &format!("/v2/Services/{va}")),
            Ok("GET /v2/Services/{ServiceSid}")
        );
        assert_eq!(
            key(Family::Api, "PUT", &format!("/v2/Services/{va}")),
            Err("405 DELETE, GET, POST".into())
        );
        assert_eq!(
            key(
                Family::Api,
                "GET",
                &format!("/v2/Services/{va}/VerificationCheck")
            ),
            Err("405 POST".into())
        );
        assert_eq!(
            key(Family::Api, "GET", "/v2/PhoneNumbers/+14159929960"),
            Ok("GET /v2/PhoneNumbers/{PhoneNumber}")
        );
        assert_eq!(
            key(Family::Control, "POST", "/sandbox/verify/sna/VEx"),
            Ok("POST /sandbox/verify/sna/{VerificationSid}")
        );
        assert_eq!(key(Family::Api, "GET", "/v2/services"), Err("404".into()));
        assert_eq!(key(Family::Api, "GET", "/v2/Services/"), Err("404".into()));
        assert_eq!(key(Family::Api, "GET", "/v2"), Err("404".into()));
    }

    #[test]
    fn absolute_urls_follow_the_loopback_name_asked_for() {
        let own = "http://127.0.0.1:8080";
        assert_eq!(
            request_base(own, Some("localhost:8080")),
            "http://localhost:8080"
        );
        assert_eq!(
            request_base(own, Some("LOCALHOST:8080")),
            "http://localhost:8080"
        );
        assert_eq!(request_base(own, Some("[::1]:8080")), "http://[::1]:8080");
        assert_eq!(request_base(own, Some("127.0.0.1:8080")), own);
        for other in [
            Some("evil.example:8080"),
            Some("localhost:9090"),
            Some("localhost"),
            None,
        ] {
            assert_eq!(request_base(own, other), own, "{other:?}");
        }
        assert_eq!(
            request_base("https://localhost:443", Some("127.0.0.1:443")),
            "https://127.0.0.1:443"
        );
    }

    #[test]
    fn route_keys_are_well_formed_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in API.iter().chain(CONTROL).flat_map(|t| t.iter()) {
            assert!(seen.insert(r.key), "duplicate {}", r.key);
            assert!(matches!(r.method(), "GET" | "POST" | "DELETE"), "{}", r.key);
            let path = r.key.split(' ').nth(1).unwrap();
            assert!(
                path.starts_with("/v2/") || path.starts_with("/sandbox/verify/"),
                "{}",
                r.key
            );
        }
    }
}
