//! Access tokens (verify-v2.md §2.8): `POST /v2/Services/{ServiceSid}/AccessTokens` and
//! `GET …/AccessTokens/{Sid}`. The token is what a backend hands to the app so that it can
//! enrol a push factor; the sandbox issues an opaque compact-JWE-shaped string.

use base64::Engine as _;
use serde_json::{Value, json};

use super::entities::{bad, valid_identity};
use super::entity_state::AccessToken;
use super::envelope::{created, date, invalid_parameter, ok, sid};
use super::{Ctx, Route};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/AccessTokens",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}",
        handler: fetch,
    },
];

/// `Ttl` bounds (seconds).
pub const TTL_RANGE: std::ops::RangeInclusive<i64> = 60..=300;
/// Default `Ttl`.
pub const DEFAULT_TTL: i64 = 60;

fn to_json(ctx: &Ctx<'_>, t: &AccessToken) -> Value {
    json!({
        "sid": t.sid,
        "account_sid": ctx.account_sid(),
        "service_sid": t.service_sid,
        "entity_identity": t.identity,
        "factor_type": t.factor_type,
        "factor_friendly_name": t.factor_friendly_name,
        "token": t.token,
        "ttl": t.ttl,
        "date_created": date(t.created_at),
        "url": ctx.url(&format!("/v2/Services/{}/AccessTokens/{}", t.service_sid, t.sid)),
    })
}

/// A compact-JWE-shaped opaque token (header as in the OAI example, random parts).
fn opaque_token() -> String {
    let enc = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let header = enc(
        br#"{"zip":"DEF","kid":"SAS_S3___KMS_v1","cty":"twilio-fpa;v=1","enc":"A256GCM","alg":"dir"}"#,
    );
    let hex = |n| crate::state::random_hex(n);
    format!(
        "{header}..{}.{}.{}",
        enc(hex(16).as_bytes()),
        enc(hex(96).as_bytes()),
        enc(hex(22).as_bytes())
    )
}

fn create(ctx: &Ctx<'_>) -> Reply {
    let form = ctx.form;
    let identity = match form.text("Identity") {
        Some(i) if valid_identity(i) => i,
        Some(_) => return bad("Identity"),
        None => return invalid_parameter("Identity"),
    };
    match form.text("FactorType") {
        Some(t) if t.eq_ignore_ascii_case("push") => {}
        Some(_) => return bad("FactorType"),
        None => return invalid_parameter("FactorType"),
    }
    let friendly = match form.text("FactorFriendlyName") {
        Some(n) if n.chars().count() > super::factors::MAX_FRIENDLY_NAME => {
            return bad("FactorFriendlyName");
        }
        other => other.map(str::to_string),
    };
    let ttl = match form.text("Ttl") {
        None => DEFAULT_TTL,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(n) if TTL_RANGE.contains(&n) => n,
            _ => return bad("Ttl"),
        },
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let t = AccessToken {
        sid: sid("YK"),
        service_sid: ctx.arg("ServiceSid").to_string(),
        identity: identity.to_string(),
        factor_type: "push".into(),
        factor_friendly_name: friendly,
        token: opaque_token(),
        ttl,
        created_at: st.now(),
    };
    let answer = to_json(ctx, &t);
    st.twilio.entities.access_tokens.insert(t.sid.clone(), t);
    created(answer)
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    match st.twilio.entities.access_tokens.get(ctx.arg("Sid")) {
        Some(t) if t.service_sid == ctx.arg("ServiceSid") => ok(to_json(ctx, t)),
        _ => ctx.not_found(),
    }
}
