//! Programmable rate limits (verify-v2.md §2.9): `RateLimits` (`RK…`) and their `Buckets`
//! (`BL…`), create/list/fetch/update/delete. A verification created with
//! `RateLimits={"<unique_name>":"<value>"}` counts one hit per bucket and value; once `Max` hits
//! lie inside the last `Interval` seconds, the next is 429 20429 (`verifications.rs`).

use serde_json::{Value, json};

use super::envelope::{created, date, error, invalid_parameter, no_content, ok, sid};
use super::state::{Bucket, RateLimit};
use super::{Ctx, Route, page};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "POST /v2/Services/{ServiceSid}/RateLimits",
        handler: create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/RateLimits",
        handler: list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}",
        handler: fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}",
        handler: update,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}",
        handler: delete,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets",
        handler: bucket_create,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets",
        handler: bucket_list,
    },
    Route {
        key: "GET /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{BucketSid}",
        handler: bucket_fetch,
    },
    Route {
        key: "POST /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{BucketSid}",
        handler: bucket_update,
    },
    Route {
        key: "DELETE /v2/Services/{ServiceSid}/RateLimits/{RateLimitSid}/Buckets/{BucketSid}",
        handler: bucket_delete,
    },
];

/// Largest `Interval`, in seconds (one year).
const MAX_INTERVAL: i64 = 31_536_000;

fn rl_json(ctx: &Ctx<'_>, r: &RateLimit) -> Value {
    let url = ctx.url(&format!(
        "/v2/Services/{}/RateLimits/{}",
        r.service_sid, r.sid
    ));
    json!({
        "sid": r.sid,
        "service_sid": r.service_sid,
        "account_sid": ctx.account_sid(),
        "unique_name": r.unique_name,
        "description": r.description,
        "date_created": date(r.created_at),
        "date_updated": date(r.updated_at),
        "url": url,
        "links": {"buckets": format!("{url}/Buckets")},
    })
}

fn bucket_json(ctx: &Ctx<'_>, b: &Bucket) -> Value {
    json!({
        "sid": b.sid,
        "rate_limit_sid": b.rate_limit_sid,
        "service_sid": b.service_sid,
        "account_sid": ctx.account_sid(),
        "max": b.max,
        "interval": b.interval,
        "date_created": date(b.created_at),
        "date_updated": date(b.updated_at),
        "url": ctx.url(&format!(
            "/v2/Services/{}/RateLimits/{}/Buckets/{}",
            b.service_sid, b.rate_limit_sid, b.sid
        )),
    })
}

/// A unique name: 1–64 letters, digits, `_`, `-` or `.` (the docs ask for no PII).
fn valid_unique_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Whether `{RateLimitSid}` exists in `{ServiceSid}`.
fn rate_limit_exists(ctx: &Ctx<'_>, st: &crate::state::State) -> bool {
    st.twilio
        .rate_limits
        .get(ctx.arg("RateLimitSid"))
        .is_some_and(|r| r.service_sid == ctx.arg("ServiceSid"))
}

fn create(ctx: &Ctx<'_>) -> Reply {
    let name = match ctx.form.required("UniqueName") {
        Ok(n) => n.to_string(),
        Err(r) => return r,
    };
    if !valid_unique_name(&name) {
        return error(400, 60209, "Invalid Rate Limit unique name");
    }
    let description = match ctx.form.text_max("Description", 255) {
        Ok(d) => d.map(str::to_string),
        Err(r) => return r,
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    let service = ctx.arg("ServiceSid").to_string();
    if st
        .twilio
        .rate_limits
        .values()
        .any(|r| r.service_sid == service && r.unique_name == name)
    {
        return error(
            400,
            60208,
            "Rate Limit with this unique name already exists",
        );
    }
    let now = st.now();
    let seq = st.twilio.next_seq();
    let r = RateLimit {
        sid: sid("RK"),
        service_sid: service,
        unique_name: name,
        description,
        seq,
        created_at: now,
        updated_at: now,
    };
    let answer = rl_json(ctx, &r);
    st.twilio.rate_limits.insert(r.sid.clone(), r);
    created(answer)
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let records = match ctx.lock_service() {
        Ok(st) => {
            let mut all: Vec<&RateLimit> = st
                .twilio
                .rate_limits
                .values()
                .filter(|r| r.service_sid == ctx.arg("ServiceSid"))
                .collect();
            all.sort_by_key(|r| r.seq);
            all.into_iter().map(|r| rl_json(ctx, r)).collect()
        }
        Err(r) => return r,
    };
    page::render(ctx, "rate_limits", records, &[])
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !rate_limit_exists(ctx, &st) {
        return ctx.not_found();
    }
    ok(rl_json(
        ctx,
        &st.twilio.rate_limits[ctx.arg("RateLimitSid")],
    ))
}

fn update(ctx: &Ctx<'_>) -> Reply {
    let description = match ctx.form.text_max("Description", 255) {
        Ok(d) => d.map(str::to_string),
        Err(r) => return r,
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !rate_limit_exists(ctx, &st) {
        return ctx.not_found();
    }
    let now = st.now();
    let r = st
        .twilio
        .rate_limits
        .get_mut(ctx.arg("RateLimitSid"))
        .expect("checked");
    if ctx.form.has("Description") {
        r.description = description;
    }
    r.updated_at = now;
    ok(rl_json(ctx, r))
}

fn delete(ctx: &Ctx<'_>) -> Reply {
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !rate_limit_exists(ctx, &st) {
        return ctx.not_found();
    }
    let rk = ctx.arg("RateLimitSid");
    st.twilio.rate_limits.remove(rk);
    st.twilio.buckets.retain(|_, b| b.rate_limit_sid != rk);
    no_content()
}

/// `Max` and `Interval` (each required on create, optional on update).
fn read_bucket(ctx: &Ctx<'_>, required: bool) -> Result<(Option<i64>, Option<i64>), Reply> {
    let max = ctx.form.int("Max", 0, i64::from(i32::MAX))?;
    let interval = ctx.form.int("Interval", 1, MAX_INTERVAL)?;
    if required && max.is_none() {
        return Err(invalid_parameter("Max"));
    }
    if required && interval.is_none() {
        return Err(invalid_parameter("Interval"));
    }
    Ok((max, interval))
}

/// The bucket `{BucketSid}` of `{RateLimitSid}` in `{ServiceSid}`.
fn bucket_exists(ctx: &Ctx<'_>, st: &crate::state::State) -> bool {
    rate_limit_exists(ctx, st)
        && st
            .twilio
            .buckets
            .get(ctx.arg("BucketSid"))
            .is_some_and(|b| b.rate_limit_sid == ctx.arg("RateLimitSid"))
}

fn duplicate_interval(st: &crate::state::State, rk: &str, interval: i64, except: &str) -> bool {
    st.twilio
        .buckets
        .values()
        .any(|b| b.rate_limit_sid == rk && b.interval == interval && b.sid != except)
}

fn bucket_create(ctx: &Ctx<'_>) -> Reply {
    let (max, interval) = match read_bucket(ctx, true) {
        Ok((Some(m), Some(i))) => (m, i),
        Ok(_) => return invalid_parameter("Max"),
        Err(r) => return r,
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !rate_limit_exists(ctx, &st) {
        return ctx.not_found();
    }
    let rk = ctx.arg("RateLimitSid");
    if duplicate_interval(&st, rk, interval, "") {
        return error(400, 60211, "Bucket with this interval already exists");
    }
    let now = st.now();
    let seq = st.twilio.next_seq();
    let b = Bucket {
        sid: sid("BL"),
        rate_limit_sid: rk.to_string(),
        service_sid: ctx.arg("ServiceSid").to_string(),
        max,
        interval,
        seq,
        created_at: now,
        updated_at: now,
        hits: Default::default(),
    };
    let answer = bucket_json(ctx, &b);
    st.twilio.buckets.insert(b.sid.clone(), b);
    created(answer)
}

fn bucket_list(ctx: &Ctx<'_>) -> Reply {
    let records = match ctx.lock_service() {
        Ok(st) if rate_limit_exists(ctx, &st) => {
            let mut all: Vec<&Bucket> = st
                .twilio
                .buckets
                .values()
                .filter(|b| b.rate_limit_sid == ctx.arg("RateLimitSid"))
                .collect();
            all.sort_by_key(|b| b.seq);
            all.into_iter().map(|b| bucket_json(ctx, b)).collect()
        }
        Ok(_) => return ctx.not_found(),
        Err(r) => return r,
    };
    page::render(ctx, "buckets", records, &[])
}

fn bucket_fetch(ctx: &Ctx<'_>) -> Reply {
    let st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !bucket_exists(ctx, &st) {
        return ctx.not_found();
    }
    ok(bucket_json(ctx, &st.twilio.buckets[ctx.arg("BucketSid")]))
}

fn bucket_update(ctx: &Ctx<'_>) -> Reply {
    let (max, interval) = match read_bucket(ctx, false) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !bucket_exists(ctx, &st) {
        return ctx.not_found();
    }
    let bl = ctx.arg("BucketSid");
    if let Some(i) = interval
        && duplicate_interval(&st, ctx.arg("RateLimitSid"), i, bl)
    {
        return error(400, 60211, "Bucket with this interval already exists");
    }
    let now = st.now();
    let b = st.twilio.buckets.get_mut(bl).expect("checked");
    if let Some(m) = max {
        b.max = m;
    }
    if let Some(i) = interval {
        b.interval = i;
    }
    b.updated_at = now;
    ok(bucket_json(ctx, b))
}

fn bucket_delete(ctx: &Ctx<'_>) -> Reply {
    let mut st = match ctx.lock_service() {
        Ok(st) => st,
        Err(r) => return r,
    };
    if !bucket_exists(ctx, &st) {
        return ctx.not_found();
    }
    st.twilio.buckets.remove(ctx.arg("BucketSid"));
    no_content()
}
