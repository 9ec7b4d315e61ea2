//! Verification Attempts (verify-v2.md §2.10): `GET /v2/Attempts` (filtered, paginated),
//! `GET /v2/Attempts/{AttemptSid}`, `GET /v2/Attempts/Summary`. One attempt per send; it is
//! `converted` once its verification is approved.

use serde_json::{Value, json};

use super::envelope::{date, invalid_parameter, ok};
use super::state::Attempt;
use super::{Ctx, Route, page};
use crate::phone::{iso_country, split_international};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[
    Route {
        key: "GET /v2/Attempts",
        handler: list,
    },
    Route {
        key: "GET /v2/Attempts/Summary",
        handler: summary,
    },
    Route {
        key: "GET /v2/Attempts/{AttemptSid}",
        handler: fetch,
    },
];

/// The filters of the list, as the libraries name them.
const LIST_FILTERS: &[&str] = &[
    "DateCreatedAfter",
    "DateCreatedBefore",
    "ChannelData.To",
    "Country",
    "Channel",
    "VerifyServiceSid",
    "VerificationSid",
    "Status",
];

/// Channels the Attempts API knows.
const CHANNELS: &[&str] = &["sms", "call", "email", "whatsapp", "rbm", "sna"];

/// The ISO country of an attempt's destination (`None` for e-mail).
fn country(a: &Attempt) -> Option<&'static str> {
    split_international(&a.to)
        .ok()
        .map(|(cc, n)| iso_country(cc, &n))
}

fn to_json(ctx: &Ctx<'_>, a: &Attempt) -> Value {
    let carrier = split_international(&a.to)
        .ok()
        .map(|(cc, n)| crate::phone::line_info(cc, &n).1);
    json!({
        "sid": a.sid,
        "account_sid": ctx.account_sid(),
        "service_sid": a.service_sid,
        "verification_sid": a.verification_sid,
        "date_created": date(a.created_at),
        "date_updated": date(a.updated_at),
        "conversion_status": if a.converted { "converted" } else { "unconverted" },
        "channel": a.channel,
        "price": {"value": if a.channel == "email" { "0.00" } else { "0.05" }, "currency": "usd"},
        "channel_data": {
            "verification_sid": a.verification_sid,
            "to": a.to,
            "status": if a.converted { "confirmed" } else { "unconfirmed" },
            "message_status": "delivered",
            "error_code": null,
            "country": country(a),
            "code_length": a.code_length,
            "locale": a.locale,
            "carrier": carrier,
        },
        "url": ctx.url(&format!("/v2/Attempts/{}", a.sid)),
    })
}

/// The filters common to the list and the summary.
struct Filter<'a> {
    after: Option<i64>,
    before: Option<i64>,
    country: Option<&'a str>,
    channel: Option<&'a str>,
    service: Option<&'a str>,
    to: Option<&'a str>,
    verification: Option<&'a str>,
    status: Option<bool>,
    prefix: Option<&'a str>,
}

fn read_filter<'a>(ctx: &'a Ctx<'_>) -> Result<Filter<'a>, Reply> {
    let f = ctx.form;
    let time = |name: &str| -> Result<Option<i64>, Reply> {
        match f.text(name) {
            None => Ok(None),
            Some(t) => crate::clock::parse_iso8601(t)
                .map(Some)
                .ok_or_else(|| invalid_parameter(name)),
        }
    };
    let channel = f.text("Channel");
    if let Some(c) = channel
        && !CHANNELS.iter().any(|k| k.eq_ignore_ascii_case(c))
    {
        return Err(invalid_parameter("Channel"));
    }
    let status = match f.text("Status") {
        None => None,
        Some(s) if s.eq_ignore_ascii_case("converted") => Some(true),
        Some(s) if s.eq_ignore_ascii_case("unconverted") => Some(false),
        Some(_) => return Err(invalid_parameter("Status")),
    };
    Ok(Filter {
        after: time("DateCreatedAfter")?,
        before: time("DateCreatedBefore")?,
        country: f.text("Country"),
        channel,
        service: f.text("VerifyServiceSid"),
        to: f.text("ChannelData.To"),
        verification: f.text("VerificationSid"),
        status,
        prefix: f.text("DestinationPrefix"),
    })
}

impl Filter<'_> {
    fn keeps(&self, a: &Attempt) -> bool {
        self.after.is_none_or(|t| a.created_at >= t)
            && self.before.is_none_or(|t| a.created_at <= t)
            && self
                .country
                .is_none_or(|c| country(a).is_some_and(|k| k.eq_ignore_ascii_case(c)))
            && self
                .channel
                .is_none_or(|c| a.channel.eq_ignore_ascii_case(c))
            && self.service.is_none_or(|s| s == a.service_sid)
            && self.to.is_none_or(|t| t == a.to)
            && self.verification.is_none_or(|v| v == a.verification_sid)
            && self.status.is_none_or(|s| s == a.converted)
            && self.prefix.is_none_or(|p| a.to.starts_with(p))
    }
}

fn list(ctx: &Ctx<'_>) -> Reply {
    let filter = match read_filter(ctx) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let records: Vec<Value> = {
        let st = ctx.shared.lock();
        // Newest first.
        st.twilio
            .attempts
            .iter()
            .rev()
            .filter(|a| filter.keeps(a))
            .map(|a| to_json(ctx, a))
            .collect()
    };
    page::render(ctx, "attempts", records, LIST_FILTERS)
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let st = ctx.shared.lock();
    match st
        .twilio
        .attempts
        .iter()
        .find(|a| a.sid == ctx.arg("AttemptSid"))
    {
        Some(a) => ok(to_json(ctx, a)),
        None => ctx.not_found(),
    }
}

/// `9/11` → `"81.818181818"`, `1` → `"100"`, no attempts → `"0"`.
fn percentage(converted: usize, total: usize) -> String {
    if total == 0 {
        return "0".into();
    }
    let text = format!("{:.9}", converted as f64 * 100.0 / total as f64);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn summary(ctx: &Ctx<'_>) -> Reply {
    let filter = match read_filter(ctx) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (total, converted) = {
        let st = ctx.shared.lock();
        st.twilio
            .attempts
            .iter()
            .filter(|a| filter.keeps(a))
            .fold((0, 0), |(t, c), a| (t + 1, c + usize::from(a.converted)))
    };
    ok(json!({
        "total_attempts": total,
        "total_converted": converted,
        "total_unconverted": total - converted,
        "conversion_rate_percentage": percentage(converted, total),
        "url": ctx.url("/v2/Attempts/Summary"),
    }))
}

#[cfg(test)]
mod tests {
    use super::percentage;

    #[test]
    fn conversion_rate_is_written_as_the_api_does() {
        assert_eq!(percentage(9, 11), "81.818181818");
        assert_eq!(percentage(1, 1), "100");
        assert_eq!(percentage(1, 2), "50");
        assert_eq!(percentage(0, 0), "0");
        assert_eq!(percentage(0, 3), "0");
    }
}
