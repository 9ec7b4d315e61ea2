//! Lookup v2 (verify-v2.md §6.3): `GET /v2/PhoneNumbers/{PhoneNumber}` with `Fields` and
//! `CountryCode`. Always 200, also for invalid numbers. Every fact is derived from the number
//! by `crate::phone` (the same model answers Authy `phones/info`), so it is deterministic and the
//! two APIs agree.

use serde_json::{Value, json};

use super::envelope::{invalid_parameter, ok};
use super::{Ctx, Route};
use crate::phone::{
    NumberError, calling_code, iso_country, line_info, national_format, number_hash,
    split_international,
};
use crate::reply::Reply;

/// The routes.
pub const ROUTES: &[Route] = &[Route {
    key: "GET /v2/PhoneNumbers/{PhoneNumber}",
    handler: fetch,
}];

/// Every data package Lookup v2 names; those without a model answer `null`.
const FIELDS: &[&str] = &[
    "validation",
    "caller_name",
    "sim_swap",
    "call_forwarding",
    "line_status",
    "line_type_intelligence",
    "identity_match",
    "reassigned_number",
    "sms_pumping_risk",
    "phone_number_quality_score",
    "pre_fill",
];

/// `(mobile_country_code, mobile_network_code)` of the North American mobile carriers.
fn network_codes(carrier: &str) -> Option<(&'static str, &'static str)> {
    Some(match carrier {
        "Verizon Wireless" => ("311", "480"),
        "AT&T Wireless" => ("310", "410"),
        "T-Mobile USA, Inc." => ("310", "260"),
        "Sprint Spectrum, L.P." => ("310", "120"),
        _ => return None,
    })
}

/// Lookup's `type` for the Authy model's line type.
fn lookup_type(kind: &str) -> &'static str {
    match kind {
        "cellphone" => "mobile",
        "landline" => "landline",
        _ => "nonFixedVoip",
    }
}

/// `line_type_intelligence` of a valid number.
fn line_type_intelligence(cc: &str, national: &str) -> Value {
    let (kind, carrier, _) = line_info(cc, national);
    let codes = (cc == "1").then(|| network_codes(carrier)).flatten();
    json!({
        "error_code": null,
        "mobile_country_code": codes.map(|c| c.0),
        "mobile_network_code": codes.map(|c| c.1),
        "carrier_name": carrier,
        "type": lookup_type(kind),
    })
}

/// A verification's `lookup` when the service has `lookup_enabled`: `{"carrier": {…}}`, or
/// `{}` for a number the model cannot read.
pub fn verification_lookup(to: &str) -> Value {
    let Ok((cc, national)) = split_international(to) else {
        return json!({});
    };
    let (kind, carrier, _) = line_info(cc, &national);
    let codes = (cc == "1").then(|| network_codes(carrier)).flatten();
    json!({"carrier": {
        "mobile_country_code": codes.map(|c| c.0),
        "type": if kind == "cellphone" { "mobile" } else { kind },
        "error_code": null,
        "mobile_network_code": codes.map(|c| c.1),
        "name": carrier,
    }})
}

/// `caller_name`: a name for North American numbers, error 60600 elsewhere (CNAM is a
/// North American service).
fn caller_name(cc: &str, national: &str) -> Value {
    const PEOPLE: &[&str] = &["JANE DOE", "JOHN SMITH", "ALEX JOHNSON", "MARIA GARCIA"];
    const BUSINESSES: &[&str] = &["ACME CORP", "SANDBOX LLC", "EXAMPLE INC"];
    if cc != "1" {
        return json!({"caller_name": null, "caller_type": null, "error_code": 60600});
    }
    let h = number_hash(cc, national) >> 24;
    let (kind, names) = if h.is_multiple_of(4) {
        ("BUSINESS", BUSINESSES)
    } else {
        ("CONSUMER", PEOPLE)
    };
    json!({
        "caller_name": names[(h >> 4) as usize % names.len()],
        "caller_type": kind,
        "error_code": null,
    })
}

/// `sms_pumping_risk`: a score 0–100 and its category.
fn sms_pumping_risk(cc: &str, national: &str) -> Value {
    let score = (number_hash(cc, national) >> 32) % 101;
    let category = match score {
        0..=39 => "low",
        40..=59 => "mild",
        60..=79 => "moderate",
        _ => "high",
    };
    json!({
        "carrier_risk_category": category,
        "number_blocked": false,
        "number_blocked_date": null,
        "number_blocked_last_3_months": null,
        "sms_pumping_risk_score": score,
        "error_code": null,
    })
}

fn fetch(ctx: &Ctx<'_>) -> Reply {
    let raw = ctx.arg("PhoneNumber");
    let mut wanted: Vec<String> = Vec::new();
    for f in ctx.form.all("Fields") {
        wanted.extend(
            f.split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty()),
        );
    }
    let country = ctx.form.text("CountryCode");
    // A national number is read in `CountryCode`'s country (US by default).
    let international = if raw.trim_start().starts_with('+') {
        raw.to_string()
    } else {
        let iso = country.unwrap_or("US");
        match calling_code(iso) {
            Some(cc) => format!("+{cc}{raw}"),
            None => return invalid_parameter("CountryCode"),
        }
    };
    let mut answer = json!({
        "calling_country_code": null,
        "country_code": null,
        "phone_number": raw,
        "national_format": null,
        "valid": false,
        "validation_errors": null,
        "url": ctx.url(&format!("/v2/PhoneNumbers/{raw}")),
    });
    for f in FIELDS {
        answer[*f] = Value::Null;
    }
    match split_international(&international) {
        Ok((cc, national)) => {
            answer["calling_country_code"] = json!(cc);
            answer["country_code"] = json!(iso_country(cc, &national));
            let e164 = format!("+{cc}{national}");
            answer["url"] = json!(ctx.url(&format!("/v2/PhoneNumbers/{e164}")));
            answer["phone_number"] = json!(e164);
            answer["national_format"] = json!(national_format(cc, &national));
            answer["valid"] = json!(true);
            for f in &wanted {
                answer[f.as_str()] = match f.as_str() {
                    "line_type_intelligence" => line_type_intelligence(cc, &national),
                    "caller_name" => caller_name(cc, &national),
                    "sms_pumping_risk" => sms_pumping_risk(cc, &national),
                    _ => continue,
                };
            }
        }
        Err(e) => {
            let digits: String = international
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect();
            if e != NumberError::NotANumber {
                answer["phone_number"] = json!(format!("+{digits}"));
            }
            answer["validation_errors"] = json!([e.as_str()]);
        }
    }
    ok(answer)
}
