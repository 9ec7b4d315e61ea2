//! Entities (verify-v2.md §2.4): `POST/GET /v2/Services/{ServiceSid}/Entities`,
//! `GET/DELETE /v2/Services/{ServiceSid}/Entities/{Identity}`, plus the helpers the factor,
//! challenge and notification modules share (entity lookup, the 60306 answer, paths).

use std::sync::MutexGuard;

use serde_json::{Value, json};

use super::entity_state::{Entity, entity_key};
use super::envelope::{created, date, error, no_content, ok, sid};
use super::{Ctx, Route, page, webhooks};
use crate::reply::Reply;
use crate::state::State;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/Entities",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/Entities/{Identity}",
        handler: fetch,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}/Entities/{Identity}",
        handler: delete,
    },
];

/// Shortest identity.
pub const MIN_IDENTITY: usize = 8;
/// Longest identity.
pub const MAX_IDENTITY: usize = 64;

/// 400 60306 "Invalid Request" naming the parameter (Verify's code for a malformed Identity,
/// Factor, Challenge, AuthPayload, JWT or Webhook parameter).
pub fn bad(name: &str) -> Reply {
    error(400, 60306, &format!("Invalid parameter: {name}"))
}

/// 8–64 characters of dash-separated ASCII alphanumerics (`ff483d1f-f591-898a-…`).
pub fn valid_identity(identity: &str) -> bool {
    (MIN_IDENTITY..=MAX_IDENTITY).contains(&identity.len())
        && identity
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `/v2/Services/{VA}/Entities/{identity}`.
pub fn entity_path(service_sid: &str, identity: &str) -> String {
    format!("/v2/Services/{service_sid}/Entities/{identity}")
}

/// Locks the state and finds the `{Identity}` entity of the `{ServiceSid}` service (404 20404
/// when either is unknown).
pub fn lock_entity<'a>(ctx: &Ctx<'a>) -> Result<(MutexGuard<'a, State>, Entity), Reply> {
    let st = ctx.lock_service()?;
    let identity = ctx.arg("Identity");
    if !valid_identity(identity) {
        return Err(bad("Identity"));
    }
    match st.twilio.entities.entity(ctx.arg("ServiceSid"), identity) {
        Some(e) => {
            let e = e.clone();
            Ok((st, e))
        }
        None => Err(ctx.not_found()),
    }
}

/// The entity `identity` of the service, created when absent (factor creation does that).
/// Returns it and whether it is new.
pub fn ensure_entity(st: &mut State, service_sid: &str, identity: &str) -> (Entity, bool) {
    if let Some(e) = st.twilio.entities.entity(service_sid, identity) {
        return (e.clone(), false);
    }
    let now = st.now();
    let seq = st.twilio.next_seq();
    let e = Entity {
        sid: sid("YE"),
        service_sid: service_sid.to_string(),
        identity: identity.to_string(),
        seq,
        created_at: now,
        factor_creations: Default::default(),
    };
    st.twilio
        .entities
        .entities
        .insert(entity_key(service_sid, identity), e.clone());
    (e, true)
}

/// The answer for an entity.
pub fn to_json(ctx: &Ctx<'_>, e: &Entity) -> Value {
    let url = ctx.url(&entity_path(&e.service_sid, &e.identity));
    json!({
        "sid": e.sid,
        "identity": e.identity,
        "account_sid": ctx.account_sid(),
        "service_sid": e.service_sid,
        "date_created": date(e.created_at),
        "date_updated": date(e.created_at),
        "url": url,
        "links": {
            "factors": format!("{url}/Factors"),
            "new_factors": format!("{url}/Factors"),
            "challenges": format!("{url}/Challenges"),
        }
    })
}

fn create(ctx: &Ctx<'_>) -> Reply {
    let identity = match ctx.form.text("Identity") {
        Some(i) if valid_identity(i) => i,
        Some(_) => return bad("Identity"),
        None => return super::envelope::invalid_parameter("Identity"),
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    // Creating an existing identity answers it again rather than failing (the service's answer
    // to a duplicate is not documented; a factor create would reuse it too).
    let (e, _) = ensure_entity(&mut st, ctx.arg("ServiceSid"), identity);
    created(to_json(ctx, &e))
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let service = ctx.arg("ServiceSid");
    let mut entities: Vec<&Entity> = st
        .twilio
        .entities
        .entities
        .values()
        .filter(|e| e.service_sid == service)
        .collect();
    entities.sort_by_key(|e| e.seq);
    let records = entities.iter().map(|e| to_json(ctx, e)).collect();
    drop(st);
    page::render(ctx, "entities", records, &[])
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    match lock_entity(ctx) {
        Ok((_, e)) => ok(to_json(ctx, &e)),
        Err(r) => r,
    }
}

fn delete(ctx: &Ctx<'_>) -> Reply {
    let (mut st, e) = match lock_entity(ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let factors = st
        .twilio
        .entities
        .remove_entity(&e.service_sid, &e.identity)
        .unwrap_or_default();
    for f in &factors {
        webhooks::emit(ctx, &mut st, "factor.deleted", f, None);
    }
    no_content()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_follow_the_documented_shape() {
        for good in [
            "ff483d1f-f591-898a-9942-916050d2ca3f",
            "ff483d1ff591898a9942916050d2ca3f",
            "12345678",
            "ABCDEFGH",
            &"a".repeat(64),
            "a-b-c-d-e",
        ] {
            assert!(valid_identity(good), "{good}");
        }
        for bad in [
            "1234567",
            &"a".repeat(65),
            "-abcdefgh",
            "abcdefgh-",
            "abcd--efgh",
            "abcd_efgh",
            "abcd efgh",
            "abcdéfgh",
            "user@example.com",
            "",
        ] {
            assert!(!valid_identity(bad), "{bad}");
        }
    }
}
