//! [`VerifyClient`]: Twilio Verify v2 and Lookup v2 (verify-v2.md) on the same core as the
//! Authy [`Client`](crate::Client): the same transport (timeouts, TLS roots, proxies, pool,
//! fork safety, retries that never repeat a side effect), the endpoint table, the Twilio
//! dialect (HTTP Basic, `{code,message,more_info,status}` errors, 2xx success, a code check
//! that is OK only when `approved`).
//!
//! Client-side validation refuses only what is unsafe or certainly refused by the API: a `To`
//! that is neither E.164 nor an e-mail address, SIDs of the wrong shape (two letters + 32 hex
//! digits), a code outside 4–10 characters. Path segments are escaped for `/`, `?`, `#` (a
//! literal `+` is kept). The Auth Token / API key secret never appears in a URL, an error or
//! `Debug` output.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::cancel::Cancel;
use crate::conn::{self, Call, Conn};
use crate::dialect::{Api, Credentials, Success};
use crate::endpoints::{self, Endpoint};
use crate::error::{Error, ErrorKind};
use crate::form::TwilioForm;
use crate::netopts::{NetOptions, net_option_setters, redact_userinfo};
use crate::pager::{self, MAX_PAGE_BODY_BYTES};
use crate::response::Response;
use crate::transport::CallOptions;
use crate::validation;

/// The production base URL of Twilio Verify (paths under `/v2`).
pub const DEFAULT_VERIFY_BASE_URL: &str = "https://verify.twilio.com";
/// The production base URL of Twilio Lookup (paths under `/v2`).
pub const DEFAULT_LOOKUPS_BASE_URL: &str = "https://lookups.twilio.com";

/// Options of a [`VerifyClient`]; create one with [`VerifyClient::builder`] (Account SID +
/// Auth Token) or [`VerifyClient::builder_with_api_key`] (API key SID + secret + Account SID).
///
/// Every setter takes and returns the builder by value; nothing is checked until
/// [`build`](VerifyClientBuilder::build). The network options are the same
/// [`NetOptions`] as the Authy builder's. `Debug` never shows the secret.
#[derive(Clone)]
#[must_use]
pub struct VerifyClientBuilder {
    /// The Basic user: the Account SID or the API key SID.
    user: String,
    secret: String,
    account_sid: String,
    verify_base_url: String,
    lookups_base_url: String,
    net: NetOptions,
}

impl VerifyClientBuilder {
    fn new(user: &str, secret: &str, account_sid: &str) -> Self {
        VerifyClientBuilder {
            user: user.to_string(),
            secret: secret.to_string(),
            account_sid: account_sid.to_string(),
            verify_base_url: DEFAULT_VERIFY_BASE_URL.to_string(),
            lookups_base_url: DEFAULT_LOOKUPS_BASE_URL.to_string(),
            net: NetOptions::default(),
        }
    }

    pub(crate) fn net_mut(&mut self) -> &mut NetOptions {
        &mut self.net
    }

    /// The Verify base URL (default [`DEFAULT_VERIFY_BASE_URL`]); same rules as
    /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url). For the sandbox, the URL it
    /// printed at start-up.
    pub fn verify_base_url(mut self, url: impl Into<String>) -> Self {
        self.verify_base_url = url.into();
        self
    }

    /// The Lookup base URL (default [`DEFAULT_LOOKUPS_BASE_URL`]); same rules.
    pub fn lookups_base_url(mut self, url: impl Into<String>) -> Self {
        self.lookups_base_url = url.into();
        self
    }

    /// Replaces every network option at once (see [`NetOptions`]).
    pub fn net_options(mut self, net: NetOptions) -> Self {
        self.net = net;
        self
    }

    net_option_setters!();

    /// Validates the options and builds the client.
    ///
    /// Errors with [`ErrorKind::InvalidArgument`] when a SID is not `AC…` / `SK…` + 32 hex
    /// digits, the secret is empty or not printable ASCII, or a base URL or network option is
    /// invalid (as for the Authy builder). When the two base URLs would need different proxies
    /// from the environment, set the proxy explicitly.
    pub fn build(self) -> Result<VerifyClient, Error> {
        sid("AC", "Account SID", &self.account_sid)?;
        sid_any(&["AC", "SK"], "credential SID", &self.user)?;
        if self.secret.is_empty()
            || self.secret.len() > 256
            || !self.secret.bytes().all(|b| b.is_ascii_graphic())
        {
            // Never echo the secret.
            return Err(Error::invalid_argument(
                "Invalid Auth Token or API key secret: expected 1-256 printable ASCII characters",
            ));
        }
        let verify = self
            .net
            .base_url("Verify base URL", &self.verify_base_url)?;
        let lookups = self
            .net
            .base_url("Lookup base URL", &self.lookups_base_url)?;
        let settings = self.net.settings(&verify, Some(&lookups))?;
        let conn = Conn::new(Credentials::basic(&self.user, &self.secret), settings);
        Ok(VerifyClient {
            call: CallOptions::default(),
            inner: Arc::new(Inner {
                user: self.user,
                account_sid: self.account_sid,
                verify_base_url: verify,
                lookups_base_url: lookups,
                conn,
            }),
        })
    }
}

impl fmt::Debug for VerifyClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("VerifyClientBuilder");
        d.field("user", &self.user)
            .field("secret", &"<redacted>")
            .field("account_sid", &self.account_sid)
            .field("verify_base_url", &redact_userinfo(&self.verify_base_url))
            .field("lookups_base_url", &redact_userinfo(&self.lookups_base_url));
        self.net.debug_fields(&mut d);
        d.finish()
    }
}

/// A blocking client of Twilio Verify v2 and Lookup v2.
///
/// Build one with [`VerifyClient::builder`], once, and share it: it is immutable, `Clone`
/// (an `Arc` inside) and `Send + Sync`. Every method blocks until the answer arrives or a
/// timeout expires, validates its arguments before any I/O, and returns `Ok(Response)` for
/// any answer of the API (check [`Response::ok`]; a code check is OK only when `approved`) or
/// `Err(Error)` when there is no usable answer.
#[derive(Clone)]
pub struct VerifyClient {
    inner: Arc<Inner>,
    /// The timeout given to [`VerifyClient::with_timeout`] (`None`: the built one) and the
    /// token of [`VerifyClient::with_cancel`].
    call: CallOptions,
}

struct Inner {
    user: String,
    account_sid: String,
    verify_base_url: String,
    lookups_base_url: String,
    conn: Conn,
}

/// Optional parameters of [`VerifyClient::create_verification`] (verify-v2.md §2.2); unset
/// ones are not sent. Anything else goes in `extra` (PascalCase keys, as the API names them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerificationOptions {
    /// `CustomFriendlyName`: overrides the service name in the message.
    pub custom_friendly_name: Option<String>,
    /// `Locale` (`en`, `pt-BR`, ...).
    pub locale: Option<String>,
    /// `CustomCode` (needs the service's `CustomCodeEnabled`).
    pub custom_code: Option<String>,
    /// `Amount` (PSD2).
    pub amount: Option<String>,
    /// `Payee` (PSD2).
    pub payee: Option<String>,
    /// `SendDigits` (call channel).
    pub send_digits: Option<String>,
    /// `AppHash` (Android SMS Retriever).
    pub app_hash: Option<String>,
    /// `TemplateSid` (`HJ…`).
    pub template_sid: Option<String>,
    /// `DeviceIp`.
    pub device_ip: Option<String>,
    /// `RateLimits`: a JSON object, sent as one JSON string.
    pub rate_limits: Option<Value>,
    /// `ChannelConfiguration`: a JSON object, sent as one JSON string.
    pub channel_configuration: Option<Value>,
    /// Any other parameter (`Tags`, `RiskCheck`, `EnableSnaClientToken`, ...).
    pub extra: TwilioForm,
}

/// Optional parameters of [`VerifyClient::create_challenge`] (verify-v2.md §2.6); unset ones
/// are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChallengeOptions {
    /// `AuthPayload`: the TOTP code (then the answer is OK only when `approved`).
    pub auth_payload: Option<String>,
    /// `ExpirationDate` (`YYYY-MM-DDTHH:MM:SSZ`; default now + 5 minutes, at most + 60).
    pub expiration_date: Option<String>,
    /// `Details.Message`: what the push notification and the app show (required for push).
    pub details_message: Option<String>,
    /// `Details.Fields`: `(label, value)` rows shown by the app, sent as one JSON item each.
    pub details_fields: Vec<(String, String)>,
    /// `HiddenDetails`: a JSON object kept with the challenge, not shown.
    pub hidden_details: Option<Value>,
    /// Any other parameter, with the API's names.
    pub extra: TwilioForm,
}

/// What a VerificationCheck is about: the destination of a pending verification, or its SID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckTarget<'a> {
    /// `To`: the E.164 number or e-mail address the code was sent to.
    To(&'a str),
    /// `VerificationSid`: `VE…`.
    VerificationSid(&'a str),
}

/// The outcome of [`VerifyClient::check_code`]: the four answers a login flow tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The code is right (`status` `approved`).
    Approved,
    /// The code is wrong (200 with `status` `pending`): the user may try again.
    WrongCode,
    /// No pending verification (404 20404: expired, approved, canceled or out of attempts).
    NotPending,
    /// Too many wrong codes (429 60202): start a new verification later.
    TooManyAttempts,
}

/// A new status for [`VerifyClient::update_verification`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationUpdate {
    /// `canceled`: the pending verification ends (a new one may be sent).
    Canceled,
    /// `approved`: you checked the code yourself (e.g. a `CustomCode`).
    Approved,
}

/// The pages of a list (`meta.next_page_url` followed while it is on the base URL's origin),
/// one [`Response`] per page; read the records with [`Response::page_records`]. The iteration
/// ends after a page without a next page, an unsuccessful answer (returned as the last item),
/// an error, or a `next_page_url` that is not on the base URL's origin (an
/// [`ErrorKind::Decode`] item after the page that named it; nothing is sent there).
pub struct Pages {
    client: VerifyClient,
    endpoint: Endpoint,
    /// The next page's request, or why the answer's `next_page_url` is not followed.
    next: Option<Result<Call, Error>>,
}

impl Iterator for Pages {
    type Item = Result<Response, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let call = match self.next.take()? {
            Ok(call) => call,
            Err(refused) => return Some(Err(refused)),
        };
        let outcome = self.client.send(self.endpoint.api, call);
        if let Ok(resp) = &outcome
            && resp.ok()
            && let Some(url) = resp.pointer("/meta/next_page_url").and_then(Value::as_str)
        {
            let base = self.client.base_of(self.endpoint.api);
            self.next = Some(
                pager::next_path(base, url)
                    .map(|path| page_call(&self.endpoint, path, String::new())),
            );
        }
        Some(outcome)
    }
}

fn page_call(ep: &Endpoint, path: String, encoded: String) -> Call {
    Call {
        body_limit: MAX_PAGE_BODY_BYTES,
        ..Call::new(ep.method, path, encoded, ep.read, ep.success)
    }
}

impl VerifyClient {
    /// Starts building a client authenticated with the Account SID (`AC…`) and its Auth Token.
    pub fn builder(account_sid: &str, auth_token: &str) -> VerifyClientBuilder {
        VerifyClientBuilder::new(account_sid, auth_token, account_sid)
    }

    /// Starts building a client authenticated with an API key (`SK…` and its secret) of the
    /// account `account_sid` (`AC…`).
    pub fn builder_with_api_key(
        api_key_sid: &str,
        api_key_secret: &str,
        account_sid: &str,
    ) -> VerifyClientBuilder {
        VerifyClientBuilder::new(api_key_sid, api_key_secret, account_sid)
    }

    /// The same client with another overall timeout per call (shares the connections), as
    /// [`Client::with_timeout`](crate::Client::with_timeout).
    pub fn with_timeout(&self, timeout: Duration) -> Result<VerifyClient, Error> {
        Ok(VerifyClient {
            inner: Arc::clone(&self.inner),
            call: conn::with_timeout(&self.call, timeout)?,
        })
    }

    /// The same client (and timeout) with a [`Cancel`] token, as
    /// [`Client::with_cancel`](crate::Client::with_cancel).
    pub fn with_cancel(&self, cancel: &Cancel) -> VerifyClient {
        VerifyClient {
            inner: Arc::clone(&self.inner),
            call: conn::with_cancel(&self.call, cancel),
        }
    }

    /// The Account SID.
    pub fn account_sid(&self) -> &str {
        &self.inner.account_sid
    }

    /// The Verify base URL (normalized).
    pub fn verify_base_url(&self) -> &str {
        &self.inner.verify_base_url
    }

    /// The Lookup base URL (normalized).
    pub fn lookups_base_url(&self) -> &str {
        &self.inner.lookups_base_url
    }

    /// The overall timeout of calls through this handle.
    pub fn timeout(&self) -> Duration {
        self.call.timeout.unwrap_or(self.inner.conn.net.timeout)
    }

    fn base_of(&self, api: Api) -> &str {
        match api {
            Api::Lookups => &self.inner.lookups_base_url,
            Api::Verify | Api::Authy => &self.inner.verify_base_url,
        }
    }

    fn send(&self, api: Api, call: Call) -> Result<Response, Error> {
        self.inner
            .conn
            .send(self.base_of(api), None, &self.call, call)
    }

    fn call(&self, ep: &Endpoint, args: &[&str], form: &TwilioForm) -> Result<Response, Error> {
        self.call_as(ep, args, form, ep.success)
    }

    /// [`call`](Self::call) with another success rule: a code sent to an endpoint whose other
    /// uses are plain updates (a factor's verification, a challenge's `AuthPayload`).
    fn call_as(
        &self,
        ep: &Endpoint,
        args: &[&str],
        form: &TwilioForm,
        success: Success,
    ) -> Result<Response, Error> {
        debug_assert_ne!(ep.api, Api::Authy);
        debug_assert_eq!(success.dialect(), ep.api.dialect());
        let call = Call::new(
            ep.method,
            ep.path_with(args),
            form.encode(),
            ep.read,
            success,
        );
        self.send(ep.api, call)
    }

    fn pages(&self, ep: &Endpoint, args: &[&str], page_size: Option<u32>) -> Result<Pages, Error> {
        self.pages_where(ep, args, page_size, &TwilioForm::new())
    }

    /// The pages of a list with filters (`Status`, `FactorSid`...) sent with the first page.
    fn pages_where(
        &self,
        ep: &Endpoint,
        args: &[&str],
        page_size: Option<u32>,
        filters: &TwilioForm,
    ) -> Result<Pages, Error> {
        let mut form = filters.clone();
        if let Some(n) = page_size {
            if !(1..=1000).contains(&n) {
                return Err(Error::invalid_argument("Invalid page size: 1 to 1000"));
            }
            form.int("PageSize", i64::from(n))?;
        }
        Ok(Pages {
            client: self.clone(),
            endpoint: *ep,
            next: Some(Ok(page_call(ep, ep.path_with(args), form.encode()))),
        })
    }

    // ------------------------------------------------------------------ services

    /// Creates a Verify Service (`POST /v2/Services`) named `friendly_name`; `options` holds
    /// the other parameters (`CodeLength`, `Totp.Issuer`, ...). **Blocks.**
    pub fn create_service(
        &self,
        friendly_name: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        if friendly_name.is_empty() {
            return Err(Error::invalid_argument(
                "Invalid FriendlyName: must not be empty",
            ));
        }
        let mut form = TwilioForm::new();
        form.text("FriendlyName", friendly_name)?;
        self.call(&endpoints::CREATE_SERVICE, &[], &joined(form, options))
    }

    /// Fetches a Service (`GET /v2/Services/{VA…}`). **Blocks.**
    pub fn fetch_service(&self, service_sid: &str) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.call(
            &endpoints::FETCH_SERVICE,
            &[service_sid],
            &TwilioForm::new(),
        )
    }

    /// Updates a Service (`POST /v2/Services/{VA…}`) with the parameters of `options`.
    /// **Blocks.**
    pub fn update_service(
        &self,
        service_sid: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.call(&endpoints::UPDATE_SERVICE, &[service_sid], options)
    }

    /// Deletes a Service (`DELETE /v2/Services/{VA…}`; 204). **Blocks.**
    pub fn delete_service(&self, service_sid: &str) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.call(
            &endpoints::DELETE_SERVICE,
            &[service_sid],
            &TwilioForm::new(),
        )
    }

    /// The pages of the Services list (`GET /v2/Services`), `page_size` records each (1–1000;
    /// `None`: the API's default). Nothing is sent before the first `next()`.
    pub fn list_services(&self, page_size: Option<u32>) -> Result<Pages, Error> {
        self.pages(&endpoints::LIST_SERVICES, &[], page_size)
    }

    // ------------------------------------------------------------------ verifications

    /// Sends a code (`POST /v2/Services/{VA…}/Verifications`): `to` is an E.164 number
    /// (`+15017122661`) or, for the `email` channel, an e-mail address; `channel` is `sms`,
    /// `call`, `email`, `whatsapp`, `sna`, `auto`... A resend within 10 minutes reuses the
    /// code; more than 5 sends is 429 60203 (`Error::api_code`). **Blocks.**
    pub fn create_verification(
        &self,
        service_sid: &str,
        to: &str,
        channel: &str,
        options: &VerificationOptions,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        channel_name(channel)?;
        destination(to, channel == "email")?;
        let mut form = TwilioForm::new();
        form.text("To", to)?.text("Channel", channel)?;
        let o = options;
        for (key, value) in [
            ("CustomFriendlyName", &o.custom_friendly_name),
            ("Locale", &o.locale),
            ("CustomCode", &o.custom_code),
            ("Amount", &o.amount),
            ("Payee", &o.payee),
            ("SendDigits", &o.send_digits),
            ("AppHash", &o.app_hash),
            ("TemplateSid", &o.template_sid),
            ("DeviceIp", &o.device_ip),
        ] {
            form.opt_text(key, value.as_deref())?;
        }
        if let Some(code) = &o.custom_code {
            code_shape("CustomCode", code)?;
        }
        if let Some(t) = &o.template_sid {
            sid("HJ", "TemplateSid", t)?;
        }
        for (key, value) in [
            ("RateLimits", &o.rate_limits),
            ("ChannelConfiguration", &o.channel_configuration),
        ] {
            if let Some(v) = value {
                if !v.is_object() {
                    return Err(Error::invalid_argument(format!(
                        "Invalid {key}: must be a JSON object"
                    )));
                }
                form.json(key, v)?;
            }
        }
        self.call(
            &endpoints::CREATE_VERIFICATION,
            &[service_sid],
            &joined(form, &o.extra),
        )
    }

    /// Fetches a verification (`GET /v2/Services/{VA…}/Verifications/{VE…}`); an approved,
    /// expired or canceled one is 404 20404. **Blocks.**
    pub fn fetch_verification(
        &self,
        service_sid: &str,
        verification_sid: &str,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        sid("VE", "Verification SID", verification_sid)?;
        self.call(
            &endpoints::FETCH_VERIFICATION,
            &[service_sid, verification_sid],
            &TwilioForm::new(),
        )
    }

    /// Cancels or approves a verification (`POST /v2/Services/{VA…}/Verifications/{VE…}`,
    /// `Status`). **Blocks.**
    pub fn update_verification(
        &self,
        service_sid: &str,
        verification_sid: &str,
        status: VerificationUpdate,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        sid("VE", "Verification SID", verification_sid)?;
        let mut form = TwilioForm::new();
        form.text(
            "Status",
            match status {
                VerificationUpdate::Canceled => "canceled",
                VerificationUpdate::Approved => "approved",
            },
        )?;
        self.call(
            &endpoints::UPDATE_VERIFICATION,
            &[service_sid, verification_sid],
            &form,
        )
    }

    /// Checks a code (`POST /v2/Services/{VA…}/VerificationCheck`). The answer is
    /// [`ok`](Response::ok) only when its `status` is `approved`: a wrong code is a 200 answer
    /// with `pending`, whose [`Response::error`] is an [`ErrorKind::InvalidToken`]. No pending
    /// verification is 404 20404, too many wrong codes 429 60202 ([`check_code`] tells the
    /// four apart). `code` is 4–10 characters. `extra` carries `Amount`/`Payee` (PSD2) or
    /// `SnaClientToken`. **Blocks.**
    ///
    /// [`check_code`]: VerifyClient::check_code
    #[must_use = "a wrong code is an Ok answer: check Response::ok() or call into_result()"]
    pub fn check_verification(
        &self,
        service_sid: &str,
        target: CheckTarget<'_>,
        code: &str,
        extra: &TwilioForm,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        code_shape("Code", code)?;
        let mut form = TwilioForm::new();
        form.text("Code", code)?;
        match target {
            CheckTarget::To(to) => {
                destination(to, to.contains('@'))?;
                form.text("To", to)?;
            }
            CheckTarget::VerificationSid(ve) => {
                sid("VE", "Verification SID", ve)?;
                form.text("VerificationSid", ve)?;
            }
        }
        self.call(
            &endpoints::CHECK_VERIFICATION,
            &[service_sid],
            &joined(form, extra),
        )
    }

    /// [`check_verification`](VerifyClient::check_verification) as one of the four outcomes
    /// of a login flow; any other answer (invalid parameters, an unknown service, a refused
    /// key...) and any transport failure is the `Err`.
    pub fn check_code(
        &self,
        service_sid: &str,
        target: CheckTarget<'_>,
        code: &str,
    ) -> Result<CheckOutcome, Error> {
        let resp = self.check_verification(service_sid, target, code, &TwilioForm::new())?;
        let Some(e) = resp.error() else {
            return Ok(CheckOutcome::Approved);
        };
        match (e.kind(), e.api_code()) {
            (ErrorKind::InvalidToken, _) => Ok(CheckOutcome::WrongCode),
            (_, Some("20404")) => Ok(CheckOutcome::NotPending),
            (_, Some("60202")) => Ok(CheckOutcome::TooManyAttempts),
            _ => Err(e),
        }
    }

    // ------------------------------------------------------------------ entities

    /// Creates an Entity (`POST /v2/Services/{VA…}/Entities`): the user whose factors these
    /// are, named by your own `identity` (a UUID or other opaque id; never personal data).
    /// **Blocks.**
    pub fn create_entity(&self, service_sid: &str, identity: &str) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        let mut form = TwilioForm::new();
        form.text("Identity", identity)?;
        self.call(&endpoints::CREATE_ENTITY, &[service_sid], &form)
    }

    /// Fetches an Entity (`GET …/Entities/{identity}`). **Blocks.**
    pub fn fetch_entity(&self, service_sid: &str, identity: &str) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        self.call(
            &endpoints::FETCH_ENTITY,
            &[service_sid, identity],
            &TwilioForm::new(),
        )
    }

    /// Deletes an Entity with its factors and challenges (`DELETE …/Entities/{identity}`;
    /// 204). **Blocks.**
    pub fn delete_entity(&self, service_sid: &str, identity: &str) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        self.call(
            &endpoints::DELETE_ENTITY,
            &[service_sid, identity],
            &TwilioForm::new(),
        )
    }

    /// The pages of a Service's Entities (`GET …/Entities`, key `entities`). No I/O until the
    /// first `next()`.
    pub fn list_entities(&self, service_sid: &str, page_size: Option<u32>) -> Result<Pages, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.pages(&endpoints::LIST_ENTITIES, &[service_sid], page_size)
    }

    // ------------------------------------------------------------------ factors

    /// Creates a Factor (`POST …/Entities/{identity}/Factors`; the Entity is created if
    /// needed). `factor_type` is `totp` or `push`; `options` holds the rest, with the API's
    /// names: TOTP `Config.Alg`, `Config.TimeStep`, `Config.CodeLength`, `Config.Skew` and,
    /// to move an existing secret over (e.g. from Authy), `Binding.Secret` (Base32); push
    /// `Binding.Alg`, `Binding.PublicKey`, `Config.AppId`, `Config.NotificationPlatform`,
    /// `Config.NotificationToken`, `Config.SdkVersion`; `Metadata` (a JSON string). A new TOTP
    /// factor's answer carries `binding.secret` and `binding.uri` (only this once); it is
    /// `unverified` until [`verify_factor`](Self::verify_factor). **Blocks.**
    pub fn create_factor(
        &self,
        service_sid: &str,
        identity: &str,
        friendly_name: &str,
        factor_type: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        if friendly_name.is_empty() {
            return Err(Error::invalid_argument(
                "Invalid FriendlyName: must not be empty",
            ));
        }
        word("FactorType", factor_type)?;
        let mut form = TwilioForm::new();
        form.text("FriendlyName", friendly_name)?
            .text("FactorType", factor_type)?;
        self.call(
            &endpoints::CREATE_FACTOR,
            &[service_sid, identity],
            &joined(form, options),
        )
    }

    /// Verifies a new Factor with its first code (`POST …/Factors/{YF…}`, `AuthPayload`): a
    /// TOTP code, or for push the device's signature. The answer is [`ok`](Response::ok) only
    /// when the factor's `status` is `verified`: a wrong code is a 200 answer with
    /// `unverified`, whose [`Response::error`] is an [`ErrorKind::InvalidToken`]; too many
    /// wrong codes are 429 60310. **Blocks.**
    #[must_use = "a wrong code is an Ok answer: check Response::ok() or call into_result()"]
    pub fn verify_factor(
        &self,
        service_sid: &str,
        identity: &str,
        factor_sid: &str,
        auth_payload: &str,
    ) -> Result<Response, Error> {
        let args = factor_args(service_sid, identity, factor_sid)?;
        let mut form = TwilioForm::new();
        form.text("AuthPayload", auth_payload)?;
        payload_shape(auth_payload)?;
        self.call_as(&endpoints::UPDATE_FACTOR, &args, &form, Success::Verified)
    }

    /// Updates a Factor (`POST …/Factors/{YF…}`) with `options`: `FriendlyName`, the
    /// `Config.*` of its type. To verify it use [`verify_factor`](Self::verify_factor).
    /// **Blocks.**
    pub fn update_factor(
        &self,
        service_sid: &str,
        identity: &str,
        factor_sid: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        let args = factor_args(service_sid, identity, factor_sid)?;
        if let Some(name) = auth_payload_name(options) {
            return Err(Error::invalid_argument(format!(
                "Invalid parameter: {name} (use verify_factor, which checks the answer)"
            )));
        }
        self.call(&endpoints::UPDATE_FACTOR, &args, options)
    }

    /// Fetches a Factor (`GET …/Factors/{YF…}`; never its binding). **Blocks.**
    pub fn fetch_factor(
        &self,
        service_sid: &str,
        identity: &str,
        factor_sid: &str,
    ) -> Result<Response, Error> {
        let args = factor_args(service_sid, identity, factor_sid)?;
        self.call(&endpoints::FETCH_FACTOR, &args, &TwilioForm::new())
    }

    /// Deletes a Factor and its challenges (`DELETE …/Factors/{YF…}`; 204). **Blocks.**
    pub fn delete_factor(
        &self,
        service_sid: &str,
        identity: &str,
        factor_sid: &str,
    ) -> Result<Response, Error> {
        let args = factor_args(service_sid, identity, factor_sid)?;
        self.call(&endpoints::DELETE_FACTOR, &args, &TwilioForm::new())
    }

    /// The pages of an Entity's Factors (`GET …/Factors`, key `factors`). No I/O until the
    /// first `next()`.
    pub fn list_factors(
        &self,
        service_sid: &str,
        identity: &str,
        page_size: Option<u32>,
    ) -> Result<Pages, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        self.pages(
            &endpoints::LIST_FACTORS,
            &[service_sid, identity],
            page_size,
        )
    }

    // ------------------------------------------------------------------ challenges

    /// Creates a Challenge for a verified Factor (`POST …/Entities/{identity}/Challenges`).
    /// With an `auth_payload` (a TOTP code) this is a code check: [`ok`](Response::ok) only
    /// when the challenge is `approved`, a wrong code is a 2xx `pending` answer whose
    /// [`Response::error`] is an [`ErrorKind::InvalidToken`]. Without one (push) the answer is
    /// the `pending` challenge the device will answer. **Blocks.**
    #[must_use = "a wrong code is an Ok answer: check Response::ok() or call into_result()"]
    pub fn create_challenge(
        &self,
        service_sid: &str,
        identity: &str,
        factor_sid: &str,
        options: &ChallengeOptions,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        sid("YF", "FactorSid", factor_sid)?;
        let o = options;
        if let Some(name) = auth_payload_name(&o.extra) {
            return Err(Error::invalid_argument(format!(
                "Invalid parameter: {name} (give the code as auth_payload, which checks the answer)"
            )));
        }
        let mut form = TwilioForm::new();
        form.text("FactorSid", factor_sid)?;
        if let Some(p) = &o.auth_payload {
            payload_shape(p)?;
        }
        form.opt_text("AuthPayload", o.auth_payload.as_deref())?
            .opt_text("ExpirationDate", o.expiration_date.as_deref())?
            .opt_text("Details.Message", o.details_message.as_deref())?;
        for (label, value) in &o.details_fields {
            form.json(
                "Details.Fields",
                &serde_json::json!({ "label": label, "value": value }),
            )?;
        }
        if let Some(h) = &o.hidden_details {
            if !h.is_object() {
                return Err(Error::invalid_argument(
                    "Invalid HiddenDetails: must be a JSON object",
                ));
            }
            form.json("HiddenDetails", h)?;
        }
        let rule = if o.auth_payload.is_some() {
            Success::Approved
        } else {
            Success::Any2xx
        };
        self.call_as(
            &endpoints::CREATE_CHALLENGE,
            &[service_sid, identity],
            &joined(form, &o.extra),
            rule,
        )
    }

    /// Fetches a Challenge (`GET …/Challenges/{YC…}`): its `status` is `pending`, `approved`,
    /// `denied` or `expired`. **Blocks.**
    pub fn fetch_challenge(
        &self,
        service_sid: &str,
        identity: &str,
        challenge_sid: &str,
    ) -> Result<Response, Error> {
        let args = challenge_args(service_sid, identity, challenge_sid)?;
        self.call(&endpoints::FETCH_CHALLENGE, &args, &TwilioForm::new())
    }

    /// Answers a pending TOTP Challenge with a code (`POST …/Challenges/{YC…}`,
    /// `AuthPayload`): [`ok`](Response::ok) only when it becomes `approved`; a wrong code is a
    /// 200 `pending` answer ([`ErrorKind::InvalidToken`]); an answered one is 403 60322, an
    /// expired one 403 60323, too many wrong codes 429 60308. `extra` may carry `Metadata`.
    /// **Blocks.**
    #[must_use = "a wrong code is an Ok answer: check Response::ok() or call into_result()"]
    pub fn update_challenge(
        &self,
        service_sid: &str,
        identity: &str,
        challenge_sid: &str,
        auth_payload: &str,
        extra: &TwilioForm,
    ) -> Result<Response, Error> {
        let args = challenge_args(service_sid, identity, challenge_sid)?;
        payload_shape(auth_payload)?;
        let mut form = TwilioForm::new();
        form.text("AuthPayload", auth_payload)?;
        self.call_as(
            &endpoints::UPDATE_CHALLENGE,
            &args,
            &joined(form, extra),
            Success::Approved,
        )
    }

    /// The pages of an Entity's Challenges (`GET …/Challenges`, key `challenges`), newest
    /// first unless `filters` has `Order=asc`; `filters` may also hold `FactorSid` and
    /// `Status`. No I/O until the first `next()`.
    pub fn list_challenges(
        &self,
        service_sid: &str,
        identity: &str,
        filters: &TwilioForm,
        page_size: Option<u32>,
    ) -> Result<Pages, Error> {
        sid("VA", "Service SID", service_sid)?;
        identity_shape(identity)?;
        self.pages_where(
            &endpoints::LIST_CHALLENGES,
            &[service_sid, identity],
            page_size,
            filters,
        )
    }

    // ------------------------------------------------------------------ webhooks

    /// Creates a Webhook (`POST /v2/Services/{VA…}/Webhooks`): Verify POSTs the `event_types`
    /// (`factor.created`, `factor.verified`, `factor.deleted`, `challenge.approved`,
    /// `challenge.denied`, or `*`) to `webhook_url`, signed with `X-Twilio-Signature` (check it
    /// with [`signature::twilio::verify`](crate::signature::twilio::verify)). `options`:
    /// `Status` (`enabled`/`disabled`), `Version` (`v2`/`v1`). **Blocks.**
    pub fn create_webhook(
        &self,
        service_sid: &str,
        friendly_name: &str,
        event_types: &[&str],
        webhook_url: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        if friendly_name.is_empty() || event_types.is_empty() || webhook_url.is_empty() {
            return Err(Error::invalid_argument(
                "Invalid webhook: FriendlyName, EventTypes and WebhookUrl are required",
            ));
        }
        for e in event_types {
            validation::text("EventTypes", e)?;
        }
        validation::text("WebhookUrl", webhook_url)?;
        let mut form = TwilioForm::new();
        form.text("FriendlyName", friendly_name)?
            .list("EventTypes", event_types.iter().copied())?
            .text("WebhookUrl", webhook_url)?;
        self.call(
            &endpoints::CREATE_WEBHOOK,
            &[service_sid],
            &joined(form, options),
        )
    }

    /// Fetches a Webhook (`GET …/Webhooks/{YW…}`). **Blocks.**
    pub fn fetch_webhook(&self, service_sid: &str, webhook_sid: &str) -> Result<Response, Error> {
        let args = child_args(service_sid, "YW", "Webhook SID", webhook_sid)?;
        self.call(&endpoints::FETCH_WEBHOOK, &args, &TwilioForm::new())
    }

    /// Updates a Webhook (`POST …/Webhooks/{YW…}`) with `options` (`FriendlyName`,
    /// `EventTypes`, `WebhookUrl`, `Status`, `Version`). **Blocks.**
    pub fn update_webhook(
        &self,
        service_sid: &str,
        webhook_sid: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        let args = child_args(service_sid, "YW", "Webhook SID", webhook_sid)?;
        self.call(&endpoints::UPDATE_WEBHOOK, &args, options)
    }

    /// Deletes a Webhook (`DELETE …/Webhooks/{YW…}`; 204). **Blocks.**
    pub fn delete_webhook(&self, service_sid: &str, webhook_sid: &str) -> Result<Response, Error> {
        let args = child_args(service_sid, "YW", "Webhook SID", webhook_sid)?;
        self.call(&endpoints::DELETE_WEBHOOK, &args, &TwilioForm::new())
    }

    /// The pages of a Service's Webhooks (`GET …/Webhooks`, key `webhooks`).
    pub fn list_webhooks(&self, service_sid: &str, page_size: Option<u32>) -> Result<Pages, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.pages(&endpoints::LIST_WEBHOOKS, &[service_sid], page_size)
    }

    // ------------------------------------------------------------------ rate limits

    /// Creates a Service Rate Limit (`POST /v2/Services/{VA…}/RateLimits`) named
    /// `unique_name` (what verifications name in their `RateLimits` parameter); `options`:
    /// `Description`. Add its limits with [`create_bucket`](Self::create_bucket). **Blocks.**
    pub fn create_rate_limit(
        &self,
        service_sid: &str,
        unique_name: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        sid("VA", "Service SID", service_sid)?;
        validation::text("UniqueName", unique_name)?;
        let mut form = TwilioForm::new();
        form.text("UniqueName", unique_name)?;
        self.call(
            &endpoints::CREATE_RATE_LIMIT,
            &[service_sid],
            &joined(form, options),
        )
    }

    /// Fetches a Rate Limit (`GET …/RateLimits/{RK…}`). **Blocks.**
    pub fn fetch_rate_limit(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
    ) -> Result<Response, Error> {
        let args = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
        self.call(&endpoints::FETCH_RATE_LIMIT, &args, &TwilioForm::new())
    }

    /// Updates a Rate Limit (`POST …/RateLimits/{RK…}`, `Description`). **Blocks.**
    pub fn update_rate_limit(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        let args = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
        self.call(&endpoints::UPDATE_RATE_LIMIT, &args, options)
    }

    /// Deletes a Rate Limit and its Buckets (`DELETE …/RateLimits/{RK…}`; 204). **Blocks.**
    pub fn delete_rate_limit(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
    ) -> Result<Response, Error> {
        let args = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
        self.call(&endpoints::DELETE_RATE_LIMIT, &args, &TwilioForm::new())
    }

    /// The pages of a Service's Rate Limits (`GET …/RateLimits`, key `rate_limits`).
    pub fn list_rate_limits(
        &self,
        service_sid: &str,
        page_size: Option<u32>,
    ) -> Result<Pages, Error> {
        sid("VA", "Service SID", service_sid)?;
        self.pages(&endpoints::LIST_RATE_LIMITS, &[service_sid], page_size)
    }

    /// Adds a Bucket to a Rate Limit (`POST …/RateLimits/{RK…}/Buckets`): at most `max`
    /// verifications per `interval_seconds` for each value of the rate limit. **Blocks.**
    pub fn create_bucket(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        max: u32,
        interval_seconds: u32,
    ) -> Result<Response, Error> {
        let args = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
        let mut form = TwilioForm::new();
        form.int("Max", i64::from(max))?
            .int("Interval", i64::from(interval_seconds))?;
        self.call(&endpoints::CREATE_BUCKET, &args, &form)
    }

    /// Fetches a Bucket (`GET …/Buckets/{BL…}`). **Blocks.**
    pub fn fetch_bucket(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        bucket_sid: &str,
    ) -> Result<Response, Error> {
        let args = bucket_args(service_sid, rate_limit_sid, bucket_sid)?;
        self.call(&endpoints::FETCH_BUCKET, &args, &TwilioForm::new())
    }

    /// Updates a Bucket (`POST …/Buckets/{BL…}`, `Max` and/or `Interval`). **Blocks.**
    pub fn update_bucket(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        bucket_sid: &str,
        options: &TwilioForm,
    ) -> Result<Response, Error> {
        let args = bucket_args(service_sid, rate_limit_sid, bucket_sid)?;
        self.call(&endpoints::UPDATE_BUCKET, &args, options)
    }

    /// Deletes a Bucket (`DELETE …/Buckets/{BL…}`; 204). **Blocks.**
    pub fn delete_bucket(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        bucket_sid: &str,
    ) -> Result<Response, Error> {
        let args = bucket_args(service_sid, rate_limit_sid, bucket_sid)?;
        self.call(&endpoints::DELETE_BUCKET, &args, &TwilioForm::new())
    }

    /// The pages of a Rate Limit's Buckets (`GET …/Buckets`, key `buckets`).
    pub fn list_buckets(
        &self,
        service_sid: &str,
        rate_limit_sid: &str,
        page_size: Option<u32>,
    ) -> Result<Pages, Error> {
        let args = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
        self.pages(&endpoints::LIST_BUCKETS, &args, page_size)
    }

    // ------------------------------------------------------------------ attempts

    /// The pages of the account's Verification Attempts (`GET /v2/Attempts`, key `attempts`),
    /// one per message sent; `filters`: `DateCreatedAfter`, `DateCreatedBefore`,
    /// `ChannelData.To`, `Country`, `Channel`, `VerifyServiceSid`, `VerificationSid`, `Status`.
    pub fn list_attempts(
        &self,
        filters: &TwilioForm,
        page_size: Option<u32>,
    ) -> Result<Pages, Error> {
        self.pages_where(&endpoints::LIST_ATTEMPTS, &[], page_size, filters)
    }

    /// Fetches an Attempt (`GET /v2/Attempts/{VL…}`). **Blocks.**
    pub fn fetch_attempt(&self, attempt_sid: &str) -> Result<Response, Error> {
        sid("VL", "Attempt SID", attempt_sid)?;
        self.call(
            &endpoints::FETCH_ATTEMPT,
            &[attempt_sid],
            &TwilioForm::new(),
        )
    }

    /// The Attempts' summary (`GET /v2/Attempts/Summary`: totals and conversion rate) for the
    /// `filters` of [`list_attempts`](Self::list_attempts) (and `DestinationPrefix`).
    /// **Blocks.**
    pub fn attempts_summary(&self, filters: &TwilioForm) -> Result<Response, Error> {
        self.call(&endpoints::ATTEMPTS_SUMMARY, &[], filters)
    }

    // ------------------------------------------------------------------ lookup

    /// Looks a phone number up (`GET /v2/PhoneNumbers/{number}` on the Lookup base URL):
    /// `number` in E.164 (or national with `country_code`, ISO-2); `fields` are data packages
    /// (`line_type_intelligence`, `caller_name`, ...), sent as one comma-separated `Fields`.
    /// Invalid numbers are a 200 answer with `valid: false`. **Blocks.**
    pub fn lookup_phone_number(
        &self,
        number: &str,
        fields: &[&str],
        country_code: Option<&str>,
    ) -> Result<Response, Error> {
        if number.is_empty()
            || number.len() > 32
            || !number.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        {
            return Err(Error::invalid_argument(
                "Invalid phone number: 1-32 printable ASCII characters",
            ));
        }
        let mut form = TwilioForm::new();
        if !fields.is_empty() {
            if !fields
                .iter()
                .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            {
                return Err(Error::invalid_argument(
                    "Invalid Lookup field: lower-case names such as line_type_intelligence",
                ));
            }
            form.text("Fields", &fields.join(","))?;
        }
        if let Some(cc) = country_code {
            if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::invalid_argument(
                    "Invalid CountryCode: an ISO 3166-1 alpha-2 code such as US",
                ));
            }
            form.text("CountryCode", cc)?;
        }
        self.call(&endpoints::LOOKUP_PHONE_NUMBER, &[number], &form)
    }
}

impl fmt::Debug for VerifyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut d = f.debug_struct("VerifyClient");
        d.field("user", &inner.user)
            .field("secret", &"<redacted>")
            .field("account_sid", &inner.account_sid)
            .field("verify_base_url", &inner.verify_base_url)
            .field("lookups_base_url", &inner.lookups_base_url);
        inner.conn.net.debug_fields(&mut d, self.timeout());
        d.field("cancel", &self.call.cancel).finish_non_exhaustive()
    }
}

/// `first` followed by the pairs of `extra`.
fn joined(mut first: TwilioForm, extra: &TwilioForm) -> TwilioForm {
    for (k, v) in extra.pairs() {
        // Keys of `extra` were checked when added.
        let _ = first.text(k, v);
    }
    first
}

/// A SID: `prefix` + 32 hex digits (verify-v2.md §2).
fn sid(prefix: &str, what: &str, value: &str) -> Result<(), Error> {
    sid_any(&[prefix], what, value)
}

fn sid_any(prefixes: &[&str], what: &str, value: &str) -> Result<(), Error> {
    let ok = value.len() == 34
        && prefixes.iter().any(|p| value.starts_with(p))
        && value[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "Invalid {what}: expected {} followed by 32 hexadecimal digits",
            prefixes.join(" or ")
        )))
    }
}

/// An Entity identity: 1–64 characters, no control characters (the API judges the rest).
fn identity_shape(identity: &str) -> Result<(), Error> {
    if identity.is_empty() || identity.chars().count() > 64 {
        return Err(Error::invalid_argument(
            "Invalid Identity: 1 to 64 characters",
        ));
    }
    validation::text("Identity", identity)
}

/// A name such as a factor type: 1–32 lower-case letters, digits or `_`.
fn word(what: &str, value: &str) -> Result<(), Error> {
    if (1..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "Invalid {what}: lower-case letters, digits or _ (e.g. totp, push)"
        )))
    }
}

/// The name of a parameter in `form` that may be read as `AuthPayload`: the sandbox matches
/// parameter names ignoring ASCII case, so `AUTHPAYLOAD` there is a code check that a call with
/// the plain 2xx success rule would report as OK even for a wrong code.
fn auth_payload_name(form: &TwilioForm) -> Option<&str> {
    form.pairs()
        .iter()
        .map(|(k, _)| k.as_str())
        .find(|k| k.eq_ignore_ascii_case("AuthPayload"))
}

/// An `AuthPayload`: a code (TOTP codes may be 3–8 digits) or a device's signature; not empty.
fn payload_shape(payload: &str) -> Result<(), Error> {
    if payload.is_empty() {
        return Err(Error::invalid_argument(
            "Invalid AuthPayload: must not be empty",
        ));
    }
    validation::text("AuthPayload", payload)
}

/// A record of a Service: `[service_sid, sid]`, both checked.
fn child_args<'a>(
    service_sid: &'a str,
    prefix: &str,
    what: &str,
    child_sid: &'a str,
) -> Result<[&'a str; 2], Error> {
    sid("VA", "Service SID", service_sid)?;
    sid(prefix, what, child_sid)?;
    Ok([service_sid, child_sid])
}

fn bucket_args<'a>(
    service_sid: &'a str,
    rate_limit_sid: &'a str,
    bucket_sid: &'a str,
) -> Result<[&'a str; 3], Error> {
    let [va, rk] = child_args(service_sid, "RK", "Rate Limit SID", rate_limit_sid)?;
    sid("BL", "Bucket SID", bucket_sid)?;
    Ok([va, rk, bucket_sid])
}

fn factor_args<'a>(
    service_sid: &'a str,
    identity: &'a str,
    factor_sid: &'a str,
) -> Result<[&'a str; 3], Error> {
    sid("VA", "Service SID", service_sid)?;
    identity_shape(identity)?;
    sid("YF", "Factor SID", factor_sid)?;
    Ok([service_sid, identity, factor_sid])
}

fn challenge_args<'a>(
    service_sid: &'a str,
    identity: &'a str,
    challenge_sid: &'a str,
) -> Result<[&'a str; 3], Error> {
    sid("VA", "Service SID", service_sid)?;
    identity_shape(identity)?;
    sid("YC", "Challenge SID", challenge_sid)?;
    Ok([service_sid, identity, challenge_sid])
}

/// An E.164 number (`+` and 2–15 digits, the first not 0), or with `email` an e-mail address.
fn destination(to: &str, email: bool) -> Result<(), Error> {
    if email {
        // What an e-mail address is, the API judges; only what cannot be sent is refused here.
        return validation::text("To", to);
    }
    let digits = to.strip_prefix('+').unwrap_or("");
    if (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
    {
        Ok(())
    } else {
        // What the API answers: 400 60200 "Invalid parameter: To".
        Err(Error::refused_as_api(
            "60200",
            "Invalid parameter: To (expected an E.164 phone number such as +15017122661)",
        ))
    }
}

/// A channel name: 1–32 lower-case letters, digits or `_` (new channels are not refused).
fn channel_name(channel: &str) -> Result<(), Error> {
    if (1..=32).contains(&channel.len())
        && channel
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "Invalid Channel: expected a channel name such as sms, call or email",
        ))
    }
}

/// A code: 4–10 characters (anything else is 400 60200).
fn code_shape(what: &str, code: &str) -> Result<(), Error> {
    if (4..=10).contains(&code.chars().count()) && !code.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(Error::refused_as_api(
            "60200",
            &format!("Invalid parameter: {what} (4 to 10 characters)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "AC0123456789abcdef0123456789abcdef";
    const SK: &str = "SK0123456789abcdef0123456789abcdef";
    const VA: &str = "VA0123456789abcdef0123456789abcdef";

    fn offline() -> VerifyClient {
        // Port 9 on loopback: a call that passed validation fails to connect.
        VerifyClient::builder(AC, "tok-secret-123")
            .verify_base_url("http://127.0.0.1:9")
            .lookups_base_url("http://127.0.0.1:9")
            .build()
            .unwrap()
    }

    #[test]
    fn builder_checks_sids_and_never_shows_the_secret() {
        let b = VerifyClient::builder(AC, "tok-secret-123").verify_base_url("http://127.0.0.1:1");
        assert!(!format!("{b:?}").contains("tok-secret-123"));
        let c = b.clone().build().unwrap();
        assert!(!format!("{c:?}").contains("tok-secret-123"), "{c:?}");
        assert_eq!(c.account_sid(), AC);
        assert!(
            VerifyClient::builder_with_api_key(SK, "s", AC)
                .build()
                .is_ok()
        );
        for (user, secret, account) in [
            ("AC123", "t", "AC123"),
            (VA, "t", VA),
            (SK, "t", SK),
            (AC, "", AC),
            (AC, "has space", AC),
            (AC, "t", "ACzz23456789abcdef0123456789abcdef"),
        ] {
            let e = VerifyClientBuilder::new(user, secret, account)
                .build()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{user} {account}");
            assert!(!e.message().contains("has space"));
        }
        let e = VerifyClient::builder(AC, "t")
            .lookups_base_url("http://lookups.example.com")
            .build()
            .unwrap_err();
        assert!(e.message().contains("Lookup base URL"), "{e}");
    }

    #[test]
    fn per_call_timeout_and_cancel() {
        let c = offline();
        assert_eq!(c.timeout(), crate::netopts::DEFAULT_TIMEOUT);
        assert_eq!(
            c.with_timeout(Duration::ZERO).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let short = c.with_timeout(Duration::from_secs(3)).unwrap();
        assert_eq!(short.timeout(), Duration::from_secs(3));
        let cancel = Cancel::new();
        cancel.cancel();
        let stopped = short.with_cancel(&cancel);
        assert_eq!(stopped.timeout(), Duration::from_secs(3));
        let e = stopped.fetch_service(VA).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled);
        assert!(!e.request_sent());
    }

    #[test]
    fn validation_before_io() {
        let c = offline();
        let bad = |r: Result<Response, Error>| {
            assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidArgument);
        };
        let o = VerificationOptions::default();
        bad(c.create_verification("VA123", "+15017122661", "sms", &o));
        bad(c.create_verification(VA, "15017122661", "sms", &o));
        bad(c.create_verification(VA, "+0123", "sms", &o));
        bad(c.create_verification(VA, "+1", "sms", &o));
        bad(c.create_verification(VA, "+1234567890123456", "sms", &o));
        bad(c.create_verification(VA, "+15017122661", "SMS", &o));
        bad(c.create_verification(VA, "+15017122661", "", &o));
        let json_list = VerificationOptions {
            rate_limits: Some(serde_json::json!([1])),
            ..Default::default()
        };
        bad(c.create_verification(VA, "+15017122661", "sms", &json_list));
        let f = TwilioForm::new();
        bad(c.check_verification(VA, CheckTarget::To("+15017122661"), "123", &f));
        bad(c.check_verification(VA, CheckTarget::To("+15017122661"), "12345678901", &f));
        bad(c.check_verification(VA, CheckTarget::VerificationSid(VA), "123456", &f));
        // What the API certainly refuses carries its code (400 60200 "Invalid parameter: To").
        for e in [
            c.create_verification(VA, "+1 (501) 712-2661", "sms", &o)
                .unwrap_err(),
            c.check_verification(VA, CheckTarget::To("+15017122661"), "123", &f)
                .unwrap_err(),
        ] {
            assert_eq!(e.api_code(), Some("60200"), "{e}");
            assert!(e.message().starts_with("Invalid parameter: "), "{e}");
            assert_eq!(e.http_status(), None);
        }
        bad(c.fetch_verification(VA, "VE0123"));
        bad(c.fetch_service("VA0123456789abcdef0123456789abcdeg"));
        bad(c.lookup_phone_number("", &[], None));
        bad(c.lookup_phone_number("+1415\n", &[], None));
        bad(c.lookup_phone_number("+14155552671", &["Line Type"], None));
        bad(c.lookup_phone_number("+14155552671", &[], Some("USA")));
        assert!(c.list_services(Some(0)).is_err());
        assert!(c.list_services(Some(1001)).is_err());
        // Valid arguments get as far as the transport.
        for r in [
            c.create_verification(VA, "+15017122661", "sms", &o),
            c.create_verification(VA, "a@example.com", "email", &o),
            c.create_verification(VA, "+15017122661", "rcs", &o),
            c.check_verification(VA, CheckTarget::To("a@example.com"), "123456", &f),
            c.lookup_phone_number("(415) 555-2671", &["line_type_intelligence"], Some("US")),
        ] {
            assert_eq!(r.unwrap_err().kind(), ErrorKind::Connect);
        }
    }
}
