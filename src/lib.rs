//! libauthy: a blocking client for the Authy two-factor authentication API, with a C ABI.
//!
//! The Rust core (everything outside `ffi`) is safe, idiomatic Rust: build a [`Client`]
//! once with [`Client::builder`], share it between threads, and call the endpoint
//! methods. Every call blocks until the answer arrives or a timeout expires, and returns
//! `Ok(`[`Response`]`)` for any answer of the API (check [`Response::ok`], or use
//! [`Response::into_result`]) or `Err(`[`Error`]`)` when there is no usable answer
//! (invalid argument, transport failure, undecodable body).
//!
//! ```no_run
//! use authy::{Client, VerifyOptions};
//! let client = Client::builder("my-api-key").build()?;
//! let resp = client.verify_token("12345", "0123456", &VerifyOptions::default())?;
//! if resp.ok() {
//!     println!("token accepted");
//! }
//! # Ok::<(), authy::Error>(())
//! ```

// Only the C ABI (`mod ffi`) may use `unsafe`; the core is safe Rust (tests/ffi_artifacts.rs
// also scans the sources).
#![deny(unsafe_code)]

mod app;
mod cancel;
mod client;
mod config;
mod conn;
mod dialect;
mod endpoints;
mod error;
mod failopen;
mod form;
mod health;
mod jsoncheck;
mod netopts;
mod onetouch;
mod pager;
mod params;
mod phones;
mod response;
mod tokens;
mod transport;
mod types;
mod users;
mod validation;
mod verify;

pub use cancel::Cancel;
pub use client::Client;
pub use config::{ClientBuilder, DEFAULT_BASE_URL};
pub use error::{Error, ErrorKind};
pub use failopen::{FailOpenPolicy, Verdict};
pub use form::TwilioForm;
pub use health::HealthReport;
pub use netopts::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, NetOptions};
pub use onetouch::{
    ApprovalOutcome, ApprovalRequestOptions, Logo, MAX_WAIT_TIMEOUT, MIN_WAIT_INTERVAL,
    WaitOptions, WaitStatus,
};
pub use pager::MAX_PAGE_BODY_BYTES;
pub use params::{ParamValue, Params};
pub use phones::{PhoneVerificationOptions, VerificationLookup, Via};
pub use response::{MAX_BODY_BYTES, Response};
pub use tokens::{CallOptions, SmsOptions, VerifyOptions};
pub use transport::RetryPolicy;
pub use transport::retry::MAX_RETRY_ATTEMPTS;
pub use types::ApprovalStatus;
pub use users::{ActivityOptions, CreateUserOptions, QrCodeOptions};
pub use verify::{
    ChallengeOptions, CheckOutcome, CheckTarget, DEFAULT_LOOKUPS_BASE_URL, DEFAULT_VERIFY_BASE_URL,
    Pages, VerificationOptions, VerificationUpdate, VerifyClient, VerifyClientBuilder,
};

// other modules

pub mod catalog;
#[allow(unsafe_code)]
mod ffi;
pub mod signature;
