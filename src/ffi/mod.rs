//! The C ABI of libauthy: the only module with `unsafe`, `extern "C"` and raw pointers.
//!
//! Thin glue over the safe core: check and convert the C arguments, call the core, convert the
//! result back. One file per C type, plus the shared helpers:
//!
//! * [`boundary`]: the panic boundary every exported function runs inside;
//! * [`ptr`]: NULL checks, handle casts, out-parameter writes;
//! * [`strings`]: C strings in and out;
//! * [`version`]: version queries.
//!
//! The conventions (ownership, borrowed strings, threads, blocking) are stated once in the
//! header preamble (`cbindgen.toml`) and per function in the doc comments below, which cbindgen
//! copies into `include/authy.h`.
//!
//! Exported items are written as plain `#[unsafe(no_mangle)] pub unsafe extern "C" fn` so that
//! cbindgen sees them; no macro defines exported items.

// The C names (`authy_client`, `authy_result`, ...) are the contract; they are snake_case.
#![allow(non_camel_case_types)]

pub(crate) mod boundary;
pub(crate) mod fork;
pub(crate) mod ptr;
pub(crate) mod strcache;
pub(crate) mod strings;

// The public modules, in the order the header reads, top-down (cbindgen emits the functions in
// the order it parses the modules, the enums in the order the functions first use them, the
// opaque types by name). One module per group: rustfmt would sort a group alphabetically.

// Making a client.
pub mod builder;

pub mod client;

pub mod cancel;

// Checking a client: reachability, TLS, the API key.
pub mod health;

// The endpoints.
pub mod users;

pub mod tokens;

pub mod onetouch;

pub mod phones;

pub mod app;

// Twilio Verify v2 and Lookup v2 (a Verify client from the same builder), and list pages.
pub mod verify;
// Verify TOTP and Push: Entities, Factors, Challenges.
pub mod verify_entities;
// Verify Webhooks, Rate Limits and Buckets, Attempts.
pub mod verify_config;

// What a call returns.
pub mod response;

pub mod error;

// Helpers: parameters, OneTouch callbacks, the error catalog, result codes, the version.
pub mod params;

pub mod callback;
// Twilio webhook signatures (`X-Twilio-Signature`), offline.
pub mod twilio_signature;

pub mod catalog;

pub mod endpoints;

pub mod result;

pub mod version;

#[cfg(test)]
mod tests;
