//! authy-sandbox: a faithful, stateful local emulator of the legacy Authy REST API, and of
//! Twilio Verify v2 and Lookup v2 (under `/v2/...`, HTTP Basic auth with the Account SID and
//! Auth Token: `Sandbox::account_sid`, `Sandbox::auth_token`).
//!
//! Start it in-process from Rust tests:
//! ```no_run
//! use authy_sandbox::{Sandbox, SandboxConfig};
//! let sb = Sandbox::start(SandboxConfig::default()).unwrap();
//! let (url, key) = (sb.base_url(), sb.api_key()); // hand both to the client under test
//! println!("sandbox at {url}"); // the key itself is never logged
//! # let _ = key;
//! // dropped => server stops
//! ```
//! or run the `authy-sandbox` binary. See `sandbox/README.md` for the endpoints, the control API
//! under `/sandbox/...` and the quirks reproduced.
//!
//! The library installs no global logger and no global crypto provider.

#![forbid(unsafe_code)]

mod auth;
mod body;
mod callback;
mod changes;
mod clock;
mod config;
mod control;
mod faults;
mod inbox;
mod log;
mod params;
#[cfg(test)]
mod params_prop;
mod phone;
mod reply;
mod routes;
mod server;
mod service;
pub mod signer;
mod state;
mod tls;
mod twilio;
mod ui;
mod views;
mod xml;

pub use config::{
    CallbackMethod, DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_AUTH_TOKEN, DEFAULT_READ_TIMEOUT,
    SandboxConfig, TlsMode,
};
pub use server::Sandbox;
/// Verify v2 building blocks a test can use to play a Verify Push device or a TOTP app, or to
/// check a webhook: P-256 device keys, factor payloads and ES256 JWTs ([`verify_push`]), RFC
/// 6238 codes ([`verify_totp`]) and `X-Twilio-Signature` ([`twilio_signature`]).
pub use twilio::{push as verify_push, totp as verify_totp, webhook_sig as twilio_signature};
