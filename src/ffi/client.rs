//! `authy_client`: the immutable, thread-safe client, its release, the generic request, and the
//! plumbing shared by the endpoint functions (`users.rs`, `tokens.rs`, `onetouch.rs`,
//! `phones.rs`, `app.rs`).

use std::ffi::c_char;
use std::ptr::NonNull;

use super::boundary::{guard, guard_result};
use super::cancel::{authy_cancel, cancel_ref};
use super::error::authy_error;
use super::params::{OptionReader, authy_params};
use super::ptr::{free_handle, handle_ref, into_handle, out_arg, write_out};
use super::response::authy_response;
use super::result::authy_result;
use super::strings::str_arg;
use crate::client::Client;
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;

/// A client of the Authy API, built by authy_client_builder_build().
///
/// Ownership: owned by the caller, released with authy_client_free(). A call that has started
/// holds its own reference to the client's state: freeing the handle while calls run on other
/// threads is safe (they finish normally, and the state is released when the last one returns);
/// only calls that start after the free are invalid.
///
/// Thread safety: immutable. A `const authy_client *` may be used by any number of threads at
/// once; all calls share one connection pool. Every endpoint function blocks its thread until
/// the answer arrives or a timeout expires.
pub struct authy_client {
    inner: Client,
}

impl authy_client {
    pub(crate) fn new(inner: Client) -> authy_client {
        authy_client { inner }
    }

    pub(crate) fn inner(&self) -> &Client {
        &self.inner
    }
}

/// The client behind `client`, as a reference of the call's own: the handle may be freed by
/// another thread while the call runs (the shared state lives until the last reference goes).
///
/// # Safety
/// `client` must be NULL or a live client.
pub(crate) unsafe fn client_ref(client: *const authy_client) -> Result<Client, authy_error> {
    // SAFETY: forwarded caller contract.
    unsafe { handle_ref(client, "client") }.map(|c| c.inner().clone())
}

/// Hands an endpoint's outcome to C: a successful answer becomes a new `authy_response` in
/// `*out`; an unsuccessful answer (non-200, invalid token) becomes an error carrying its HTTP
/// status, API code, `more_info`, message and body; no answer becomes the core error.
///
/// # Safety
/// `out` must be valid for a write.
pub(crate) unsafe fn deliver(
    out: NonNull<*mut authy_response>,
    outcome: Result<Response, Error>,
) -> Result<(), authy_error> {
    let response = outcome?;
    if let Some(e) = response.error() {
        return Err(authy_error::from_answer(&e, response.body()));
    }
    // SAFETY: forwarded caller contract.
    unsafe { write_out(out, into_handle(authy_response::new(response))) };
    Ok(())
}

/// Makes a client that shares `client`'s connections and settings but gives each call the
/// overall timeout `timeout_ms` instead of the built one: a per-call deadline (bindings map a
/// Go `context` deadline or a Ruby `timeout:` onto it). No I/O, no new connection; cheap enough
/// to make for a single call.
///
/// Ownership: `*out` is a new client, released with authy_client_free(); it stays valid after
/// `client` is freed (they share the pool, which lives as long as either).
///
/// Thread safety: like any `const authy_client *`.
///
/// @param client The client to derive from (not consumed).
/// @param timeout_ms Overall timeout of each call through the new handle, in milliseconds,
///        greater than 0.
/// @param out Receives the new client.
/// @param error Optional; receives the error on failure.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for `timeout_ms` 0;
///         AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_with_timeout_ms(
    client: *const authy_client,
    timeout_ms: u64,
    out: *mut *const authy_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or a live client.
        let client = unsafe { client_ref(client)? };
        let derived = client.with_timeout(std::time::Duration::from_millis(timeout_ms))?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(authy_client::new(derived)).cast_const()) };
        Ok(())
    })
}

/// Makes a client that shares `client`'s connections, settings and timeout, whose calls are
/// stopped by authy_cancel_cancel() on `cancel`: at once between attempts or before the first,
/// and during an attempt by shutting its connection down (the connection is never reused). A
/// stopped call returns AUTHY_RESULT_CANCELLED; authy_error_request_sent() says whether the
/// request may have reached the server. No I/O; cheap enough to make for a single call (derive it
/// from a authy_client_with_timeout_ms() handle for a deadline and a cancel together).
///
/// Ownership: `*out` is a new client, released with authy_client_free(). It holds its own
/// reference to the token: `cancel` may be freed before it (authy_cancel_cancel() then has no
/// handle left to be called on).
///
/// Thread safety: like any `const authy_client *`.
///
/// @param client The client to derive from (not consumed).
/// @param cancel The token (not consumed); see authy_cancel_new().
/// @param out Receives the new client.
/// @param error Optional; receives the error on failure.
/// @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_with_cancel(
    client: *const authy_client,
    cancel: *const authy_cancel,
    out: *mut *const authy_client,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        let out = out_arg(out, "out")?;
        // SAFETY: caller contract: NULL or live handles.
        let (client, cancel) = unsafe { (client_ref(client)?, cancel_ref(cancel)?) };
        let derived = client.with_cancel(cancel);
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(authy_client::new(derived)).cast_const()) };
        Ok(())
    })
}

/// Releases a client handle. Calls running on other threads with it are not disturbed: each
/// holds its own reference to the client's connections and settings, released when it returns.
/// The handle must not be used by calls that start after this one.
///
/// @param client A client from authy_client_builder_build(), authy_client_with_timeout_ms() or
///        authy_client_with_cancel(), or NULL (no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_free(client: *const authy_client) {
    guard(|| {
        // SAFETY: NULL or a live client (caller contract); calls in flight hold their own
        // `Client` clone (see `client_ref`), not this box.
        unsafe { free_handle(client) }
    })
}

/// Sends a request to any path of the API, or of the sandbox control API
/// (`/sandbox/...`). **Blocks.**
///
/// Unlike the endpoint functions, **any** HTTP answer is AUTHY_RESULT_OK: inspect it with
/// authy_response_status() / authy_response_ok() / authy_response_check(). The answer to a
/// token verification path (`/protected/json/verify/...`) is checked like the answer of
/// authy_client_verify_token(): authy_response_ok() also requires `"token":"is valid"`.
///
/// @param client The client (shared, read-only).
/// @param method `GET`, `POST`, `PUT`, `DELETE` or `PATCH` (any case).
/// @param path The path below the base URL, starting with `/`, made of ASCII letters, digits
///        and `/-_.~` (e.g. `"/protected/json/app/details"`).
/// @param params Optional parameters (NULL for none): the query string for GET and DELETE,
///        a form body otherwise. The API key is sent as a header; never put it in `params`.
/// @param out Receives the answer, owned by the caller (authy_response_free()).
/// @param error Optional error details.
/// @return AUTHY_RESULT_OK when the server answered; AUTHY_RESULT_INVALID_ARGUMENT for a bad
///         method or path (nothing sent); transport codes (2xx) when there was no answer;
///         AUTHY_RESULT_DECODE for a 200 answer that is not a JSON object or a body over 1 MiB.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn authy_client_request(
    client: *const authy_client,
    method: *const c_char,
    path: *const c_char,
    params: *const authy_params,
    out: *mut *mut authy_response,
    error: *mut *mut authy_error,
) -> authy_result {
    guard_result(error, || {
        // SAFETY: caller contract: live handles (or NULL params), C strings.
        let (client, method, path, params) = unsafe {
            (
                client_ref(client)?,
                str_arg(method, "method")?,
                str_arg(path, "path")?,
                params.as_ref(),
            )
        };
        let out = out_arg(out, "out")?;
        let params = params.map_or_else(Params::new, authy_params::to_core);
        let response = client.request(method, path, &params)?;
        // SAFETY: checked non-NULL, writable per the caller's contract.
        unsafe { write_out(out, into_handle(authy_response::new(response))) };
        Ok(())
    })
}

/// The common shape of an endpoint function: check the client and `out`, read the arguments and
/// options with `prepare` (refusing unknown option keys), then `send` the request and
/// [`deliver`] the outcome.
///
/// # Safety
/// `client` NULL or live; `options` NULL or a live `authy_params` not mutated during the call;
/// `out` NULL or valid for a write; `prepare` reads C strings under the caller's contract.
pub(crate) unsafe fn endpoint<T>(
    client: *const authy_client,
    options: *const authy_params,
    out: *mut *mut authy_response,
    name: &'static str,
    prepare: impl FnOnce(&mut OptionReader<'_>) -> Result<T, authy_error>,
    send: impl FnOnce(&Client, T) -> Result<Response, Error>,
) -> Result<(), authy_error> {
    // SAFETY: forwarded caller contract.
    let client = unsafe { client_ref(client)? };
    // SAFETY: forwarded caller contract.
    unsafe { endpoint_of(&client, options, out, name, prepare, send) }
}

/// [`endpoint`] for any client type (the Authy client, the Verify client), once the client is
/// borrowed.
///
/// # Safety
/// As [`endpoint`].
pub(crate) unsafe fn endpoint_of<C, T>(
    client: &C,
    options: *const authy_params,
    out: *mut *mut authy_response,
    name: &'static str,
    prepare: impl FnOnce(&mut OptionReader<'_>) -> Result<T, authy_error>,
    send: impl FnOnce(&C, T) -> Result<Response, Error>,
) -> Result<(), authy_error> {
    let out = out_arg(out, "out")?;
    // SAFETY: forwarded caller contract.
    let mut reader = unsafe { OptionReader::new(options, name) };
    let args = prepare(&mut reader)?;
    reader.finish()?;
    // SAFETY: `out` checked non-NULL, writable per the caller's contract.
    unsafe { deliver(out, send(client, args)) }
}
