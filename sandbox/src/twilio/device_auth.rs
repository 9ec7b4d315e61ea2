//! Device authentication of the Verify Push mobile SDKs (verify-v2.md §4.4.2): HTTP Basic with
//! the user `token`. Creating a push factor takes an AccessToken the service issued (same
//! service and identity, within its `ttl`); the other calls an SDK makes about its factor and
//! its challenges take a JWT signed by that factor's key (`kid` = `config.credential_sid`,
//! `sub` = the account, `nbf`/`exp` around the sandbox clock). Account credentials open these
//! routes as they open every other.

use super::entity_state::{Binding, entity_key};
use crate::state::Shared;

/// The Basic user name of device calls.
pub const DEVICE_USER: &str = "token";
/// Clock skew tolerated on `nbf`/`exp`, seconds.
pub const LEEWAY: i64 = 60;

/// Whether a request that account credentials did not open carries device credentials (Basic
/// user [`DEVICE_USER`]) that open its route.
pub fn from_request(shared: &Shared, matched: &super::Matched, headers: &hyper::HeaderMap) -> bool {
    match (matched, super::auth::basic_credentials(headers)) {
        (super::Matched::Route(route, args), Some((user, password))) if user == DEVICE_USER => {
            authorized(shared, route.key, args, &password)
        }
        _ => false,
    }
}

/// Whether a request to the route `key` (with its path arguments) carries device credentials
/// that open it. `password` is the Basic password sent with the user [`DEVICE_USER`].
pub fn authorized(
    shared: &Shared,
    key: &str,
    args: &[(&'static str, String)],
    password: &str,
) -> bool {
    let arg = |name: &str| {
        args.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let (service, identity) = (arg("ServiceSid"), arg("Identity"));
    let st = shared.lock();
    let now = st.now();
    let es = &st.twilio.entities;
    match key {
        "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors" => {
            es.access_tokens.values().any(|t| {
                t.service_sid == service
                    && t.identity.eq_ignore_ascii_case(identity)
                    && now < t.created_at.saturating_add(t.ttl)
                    && super::auth::ct_eq(&t.token, password)
            })
        }
        "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}"
        | "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}"
        | "DELETE /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}"
        | "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges"
        | "GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}"
        | "POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}" => {
            let Some(entity) = es.entities.get(&entity_key(service, identity)) else {
                return false;
            };
            // The factor the call is about: the one in the path, the challenge's, or (lists)
            // any push factor of the entity.
            let wanted: Option<&str> = if key.contains("/Factors/") {
                Some(arg("Sid"))
            } else if key.ends_with("/Challenges/{Sid}") {
                es.challenges.get(arg("Sid")).map(|c| c.factor_sid.as_str())
            } else {
                None
            };
            let account = &shared.config.account_sid;
            es.factors
                .values()
                .filter(|f| f.entity_sid == entity.sid)
                .filter(|f| wanted.is_none_or(|w| f.sid == w))
                .any(|f| match &f.binding {
                    Binding::Push(p) => super::push::check_device_jwt(
                        password,
                        &p.key,
                        &p.credential_sid,
                        account,
                        now,
                        LEEWAY,
                    ),
                    Binding::Totp(_) => false,
                })
        }
        _ => false,
    }
}
