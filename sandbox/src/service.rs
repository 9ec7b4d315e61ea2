//! The per-request pipeline: decode the path, route, read and parse the parameters, check the
//! key, count the request and take an armed fault (one lock), apply the fault, run the handler
//! (panics caught), log.

use std::borrow::Cow;
use std::future::poll_fn;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use hyper::body::{Body as _, Bytes, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response};
use percent_encoding::percent_decode_str;

use crate::auth;
use crate::body::SandboxBody;
use crate::control::{self, Outcome};
use crate::faults::{self, FaultKind, FaultSpec};
use crate::params::{ParamError, Params};
use crate::reply::Reply;
use crate::routes::{self, Ctx};
use crate::state::Shared;
use crate::twilio;
use crate::ui;

/// Largest request body accepted (413 above).
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest declared body that is still drained before answering 413.
const MAX_DRAIN: u64 = 16 * 1024 * 1024;
/// Longest request path accepted.
const MAX_PATH: usize = 8 * 1024;

/// Counter key for requests that match no route.
const UNMATCHED: &str = "(unmatched)";

/// Serves one request. `Err` makes hyper drop the connection without an answer.
pub async fn handle(
    shared: Arc<Shared>,
    reset_flag: Arc<AtomicBool>,
    req: Request<Incoming>,
) -> Result<Response<SandboxBody>, io::Error> {
    let start = Instant::now();
    let target = shared
        .log
        .is_some()
        .then(|| auth::redact_target(req.uri().path(), req.uri().query()));
    let method = req.method().clone();
    // Reads of the control API and the UI's own files change nothing; anything else may.
    let path = req.uri().path();
    let read_only = (method == hyper::Method::GET && path.starts_with("/sandbox/"))
        || (shared.config.ui && ui::is_ui_path(path));
    let result = process(&shared, &reset_flag, req).await;
    if !read_only {
        shared.changes.bump();
    }
    if let Some(target) = target {
        let status = match &result {
            Ok(r) => r.status().as_u16().to_string(),
            Err(_) => "closed".to_string(),
        };
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if let Some(log) = &shared.log {
            log.line(format!("{method} {target} {status} {ms:.1}ms"));
        }
    }
    result
}

fn respond(reply: Reply) -> Response<SandboxBody> {
    let mut resp = Response::new(SandboxBody::full(reply.body));
    *resp.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

fn param_error(e: ParamError) -> Reply {
    match e {
        ParamError::InvalidUtf8 => Reply::error(400, "60005", "UTF-8 invalid"),
        ParamError::MalformedBody(kind) => Reply::error(
            400,
            "60005",
            &format!("Invalid request body: malformed {kind}"),
        ),
        ParamError::TooComplex => Reply::error(
            400,
            "60002",
            "Invalid request: too many or too deeply nested parameters",
        ),
        ParamError::TypeConflict(k) => Reply::invalid_parameter(&k, "conflicting types"),
        ParamError::XmlBody => Reply::error(
            400,
            "60002",
            "Invalid request: XML request bodies are not supported by the sandbox; send the parameters as a query string, a form or a JSON body",
        ),
    }
}

async fn process(
    shared: &Shared,
    reset_flag: &Arc<AtomicBool>,
    req: Request<Incoming>,
) -> Result<Response<SandboxBody>, io::Error> {
    let (parts, body) = req.into_parts();
    let path_too_long = parts.uri.path().len() > MAX_PATH;
    // Repeated slashes are one (authy-java with a base URL ending in `/` sends
    // `//protected/json/...`, which the real API served); faults and counters see this path.
    let raw_path = collapse_slashes(parts.uri.path());
    let raw_path = raw_path.as_ref();
    let method = parts.method.as_str();
    // The browser UI: static files, never counted or faulted, no key (they hold no data).
    if shared.config.ui && ui::is_ui_path(raw_path) {
        return Ok(respond(ui::serve(method, raw_path)));
    }

    // Decode each segment before matching (clients percent-encode ids, tokens and uuids).
    let decoded: Option<Vec<Cow<'_, str>>> = if path_too_long {
        None
    } else {
        raw_path
            .split('/')
            .skip(1)
            .map(|s| percent_decode_str(s).decode_utf8().ok())
            .collect()
    };
    let mut segs: Vec<&str> = decoded
        .as_ref()
        .map(|d| d.iter().map(|c| c.as_ref()).collect())
        .unwrap_or_default();
    if segs.len() > 1 && segs.last() == Some(&"") {
        segs.pop();
    }
    let twilio = crate::twilio::family_of_raw(raw_path);
    let is_control = twilio.is_none() && segs.first() == Some(&"sandbox");
    // The real API's `xml` format: every API answer below goes through `xml::render`.
    let xml = !is_control && twilio.is_none() && routes::is_xml(&segs);
    let respond = |reply: Reply| {
        respond(if xml {
            crate::xml::render(reply)
        } else {
            reply
        })
    };
    let matched = if is_control || twilio.is_some() {
        None
    } else {
        routes::match_route(method, &segs)
    };

    // Read the body (bounded).
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // Bodies over the limit are drained (so the client can read the 413) unless absurdly large.
    let body_bytes = if declared.is_some_and(|n| n > MAX_DRAIN) {
        None
    } else {
        let reading = read_body(body, MAX_BODY);
        match shared.config.effective_read_timeout() {
            // A body that trickles in forever must not hold the connection: drop it unanswered.
            Some(limit) => tokio::time::timeout(limit, reading)
                .await
                .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??,
            None => reading.await?,
        }
    };

    if let Some(family) = twilio {
        let segs = decoded.is_some().then_some(segs.as_slice());
        return twilio_request(
            shared, reset_flag, &parts, body_bytes, segs, raw_path, family,
        )
        .await;
    }

    // Parameters and key, when the request can be served at all.
    let servable = body_bytes.is_some() && decoded.is_some() && (is_control || matched.is_some());
    let mut params = Params::new();
    let parsed = if servable {
        parse_params(
            &mut params,
            &parts,
            body_bytes.as_deref().unwrap_or_default(),
        )
    } else {
        Ok(())
    };
    let authorized = servable
        && parsed.is_ok()
        && auth::authorized(&parts.headers, &params, &shared.config.api_key);

    if !is_control {
        let template = matched.as_ref().map(|m| m.1);
        let (fault, _) = count_request(shared, template, raw_path, authorized);
        if let Some(f) = &fault {
            match f.kind {
                FaultKind::Latency => tokio::time::sleep(Duration::from_millis(f.latency_ms)).await,
                _ => return faulted(f, reset_flag, false),
            }
        }
    }

    if body_bytes.is_none() {
        return Ok(respond(Reply::error(
            413,
            "60002",
            "Request entity too large (the limit is 1 MiB)",
        )));
    }
    if decoded.is_none() {
        return Ok(respond(Reply::error(400, "60005", "UTF-8 invalid")));
    }
    if !is_control && matched.is_none() {
        return Ok(respond(Reply::route_not_found()));
    }
    if let Err(e) = parsed {
        return Ok(respond(param_error(e)));
    }
    if !authorized {
        return Ok(respond(Reply::invalid_api_key()));
    }

    if is_control {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            control::handle(shared, method, &segs[1..], &params)
        }))
        .unwrap_or_else(|_| Outcome::Reply(Reply::internal_error()));
        return Ok(respond(match outcome {
            Outcome::Reply(r) => r,
            Outcome::Decided { status, callback } => {
                let record = crate::callback::deliver(&shared.callbacks, callback).await;
                control::decided_reply(shared, status, record)
            }
            Outcome::WaitForChange { since, wait } => {
                let generation = shared.changes.wait_past(since, wait).await;
                control::changes_reply(shared, generation)
            }
        }));
    }

    let (route, _, args) = matched.expect("checked above");
    let ctx = Ctx {
        shared,
        params: &params,
        args,
    };
    let reply = catch_unwind(AssertUnwindSafe(|| routes::dispatch(route, &ctx)))
        .unwrap_or_else(|_| Reply::internal_error());
    Ok(respond(reply))
}

/// One lock: counts a non-control request under its route template (faulted ones too), takes
/// an armed fault, counts an authorized Authy API call whose handler will run for the app stats.
/// Returns the fault and the sandbox-clock time.
fn count_request(
    shared: &Shared,
    template: Option<&'static str>,
    raw_path: &str,
    authy_call: bool,
) -> (Option<FaultSpec>, i64) {
    let mut st = shared.lock();
    *st.requests
        .entry(template.unwrap_or(UNMATCHED))
        .or_insert(0) += 1;
    st.total_requests += 1;
    let fault = if st.faults.is_empty() {
        None
    } else {
        faults::take(&mut st.faults, raw_path)
    };
    let handler_runs = fault.as_ref().is_none_or(|f| f.kind == FaultKind::Latency);
    if authy_call && handler_runs {
        st.month_stats().api_calls += 1;
    }
    (fault, st.now())
}

/// Serves `/v2/...` (Verify v2, Lookup v2) and `/sandbox/verify/...`: Basic auth (the control
/// routes also take the Authy key), the Twilio error envelope, a `Date` header from the sandbox
/// clock on every answer. `segs` is `None` when the path is not UTF-8 or too long.
async fn twilio_request(
    shared: &Shared,
    reset_flag: &Arc<AtomicBool>,
    parts: &hyper::http::request::Parts,
    body: Option<Vec<u8>>,
    segs: Option<&[&str]>,
    raw_path: &str,
    family: twilio::Family,
) -> Result<Response<SandboxBody>, io::Error> {
    use twilio::{Matched, envelope};
    let method = parts.method.as_str();
    let matched = segs.map_or(Matched::NotFound, |s| {
        twilio::match_route(family, method, s)
    });
    let path = segs.map_or_else(|| raw_path.to_string(), |s| format!("/{}", s.join("/")));
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let form = body
        .as_deref()
        .map(|b| twilio::form::Form::parse(parts.uri.query().map(str::as_bytes), content_type, b));
    let mut authorized = twilio::auth::authorized(&parts.headers, &shared.config);
    if family == twilio::Family::Control && !authorized {
        let header = parts
            .headers
            .get("x-authy-api-key")
            .and_then(|v| v.to_str().ok());
        let param = form
            .as_ref()
            .and_then(|f| f.as_ref().ok())
            .and_then(|f| f.get("api_key"));
        authorized = auth::key_matches(header.or(param), &shared.config.api_key);
    }
    if family == twilio::Family::Api && !authorized {
        // Verify Push SDK calls (Basic user `token`).
        authorized = twilio::device_auth::from_request(shared, &matched, &parts.headers);
    }
    let now = if family == twilio::Family::Api {
        let (fault, now) = count_request(shared, matched.counter_key(), raw_path, false);
        if let Some(f) = &fault {
            match f.kind {
                FaultKind::Latency => tokio::time::sleep(Duration::from_millis(f.latency_ms)).await,
                _ => return faulted(f, reset_flag, true),
            }
        }
        now
    } else {
        shared.lock().now()
    };
    let reply = match (&form, matched) {
        (None, _) => envelope::error(413, 413, "Request entity too large (the limit is 1 MiB)"),
        _ if !authorized => envelope::unauthorized(),
        (_, Matched::NotFound) => envelope::not_found(&path),
        (_, Matched::WrongMethod(allow)) => envelope::method_not_allowed(&allow),
        (Some(Err(e)), _) => e.reply(),
        (Some(Ok(form)), Matched::Route(route, args)) => {
            let host = parts
                .headers
                .get(hyper::header::HOST)
                .and_then(|v| v.to_str().ok());
            let base = twilio::request_base(&shared.base_url, host);
            let ctx = twilio::Ctx::new(shared, form, path, args, base);
            twilio::dispatch(route, &ctx)
        }
    };
    Ok(respond(
        reply.with_header("date", crate::clock::http_date(now)),
    ))
}

/// Merges the query string and the body (JSON or form, by content type or first byte).
fn parse_params(
    params: &mut Params,
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> Result<(), ParamError> {
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    params.add_request(parts.uri.query().map(str::as_bytes), content_type, body)
}

/// `path` with every run of `/` replaced by one `/`.
fn collapse_slashes(path: &str) -> Cow<'_, str> {
    if !path.contains("//") {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut prev_slash = false;
    for c in path.chars() {
        if c == '/' && prev_slash {
            continue;
        }
        prev_slash = c == '/';
        out.push(c);
    }
    Cow::Owned(out)
}

/// Reads at most `limit` bytes; `Ok(None)` when the body is larger.
async fn read_body(mut body: Incoming, limit: usize) -> Result<Option<Vec<u8>>, io::Error> {
    let mut buf = Vec::new();
    let mut too_large = false;
    let mut total: u64 = 0;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(io::Error::other)?;
        if let Ok(data) = frame.into_data() {
            total += data.len() as u64;
            if total > MAX_DRAIN {
                // Stop reading a body that never ends; the connection will be closed.
                return Ok(None);
            }
            if too_large || buf.len() + data.len() > limit {
                // Keep draining (bounded by the client) so the answer can be read.
                too_large = true;
                buf.clear();
                continue;
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok((!too_large).then_some(buf))
}

/// The answer of a fault that replaces the handler; `twilio` picks the 429 body's envelope.
fn faulted(
    f: &FaultSpec,
    reset_flag: &Arc<AtomicBool>,
    twilio: bool,
) -> Result<Response<SandboxBody>, io::Error> {
    let sample =
        br#"{"message":"SMS token was sent","cellphone":"+1-XXX-XXX-XX34","success":true}"#;
    let json_ct = HeaderValue::from_static("application/json; charset=utf-8");
    match f.kind {
        FaultKind::Latency => Ok(respond(Reply::internal_error())),
        FaultKind::Close => Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "fault injected: close",
        )),
        FaultKind::Reset => {
            let mut resp = Response::new(SandboxBody::broken(
                &sample[..sample.len() / 2],
                Some(reset_flag.clone()),
            ));
            resp.headers_mut().insert(CONTENT_TYPE, json_ct);
            Ok(resp)
        }
        FaultKind::Truncated => {
            let mut resp = Response::new(SandboxBody::broken(&sample[..sample.len() / 2], None));
            resp.headers_mut().insert(CONTENT_TYPE, json_ct);
            resp.headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(sample.len()));
            Ok(resp)
        }
        FaultKind::Status5xx => Ok(respond(Reply {
            status: f.status,
            body: faults::html_error_body(f.status).into(),
            content_type: "text/html",
            headers: Vec::new(),
        })),
        FaultKind::InvalidJson => Ok(respond(Reply {
            status: 200,
            body: Bytes::from_static(br#"{"message":"SMS token was sent","success":tru"#),
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
        })),
        FaultKind::Oversized => Ok(respond(Reply {
            status: 200,
            body: faults::oversized_body().into(),
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
        })),
        FaultKind::RateLimit => {
            let reply = if twilio {
                twilio::envelope::too_many_requests()
            } else {
                Reply::error(429, "60003", "DoS protection")
            };
            Ok(respond(
                reply.with_header("retry-after", f.retry_after.to_string()),
            ))
        }
    }
}
