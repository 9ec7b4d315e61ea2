//! [`Conn`]: what every client of an API holds — its credentials, its connections (the
//! transport) and what it shows of its network options — and the one way a request goes out.
//! The Authy [`Client`](crate::Client) and the [`VerifyClient`](crate::VerifyClient) are thin
//! handles over one each.

use crate::dialect::{Credentials, Success};
use crate::error::Error;
use crate::netopts::{NetInfo, NetSettings};
use crate::response::{MAX_BODY_BYTES, Response};
use crate::transport::{CallOptions, Prepared, Transport};
use crate::validation;

pub(crate) struct Conn {
    credentials: Credentials,
    pub(crate) net: NetInfo,
    transport: Transport,
}

/// One request: method, escaped path, parameters already encoded as a form (the query string
/// for GET and DELETE, else the body), its retry class, success rule and body limit.
pub(crate) struct Call {
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) encoded: String,
    pub(crate) read: bool,
    pub(crate) success: Success,
    pub(crate) body_limit: usize,
}

impl Call {
    /// A call with the default body limit ([`MAX_BODY_BYTES`]).
    pub(crate) fn new(
        method: &'static str,
        path: String,
        encoded: String,
        read: bool,
        success: Success,
    ) -> Call {
        Call {
            method,
            path,
            encoded,
            read,
            success,
            body_limit: MAX_BODY_BYTES,
        }
    }
}

/// The call options of a handle with another overall timeout (a zero timeout is refused, as
/// by the builders), keeping its cancel token.
pub(crate) fn with_timeout(
    options: &CallOptions,
    timeout: std::time::Duration,
) -> Result<CallOptions, Error> {
    if timeout.is_zero() {
        return Err(Error::invalid_argument(
            "Invalid timeout: must be greater than zero",
        ));
    }
    Ok(CallOptions {
        timeout: Some(timeout),
        cancel: options.cancel.clone(),
    })
}

/// The call options of a handle with a cancel token, keeping its timeout.
pub(crate) fn with_cancel(options: &CallOptions, cancel: &crate::cancel::Cancel) -> CallOptions {
    CallOptions {
        timeout: options.timeout,
        cancel: Some(cancel.clone()),
    }
}

impl Conn {
    pub(crate) fn new(credentials: Credentials, settings: NetSettings) -> Conn {
        let (transport, net) = settings.into_transport();
        Conn {
            credentials,
            net,
            transport,
        }
    }

    /// Sends `call` to `base` (then `secondary` when `base` cannot be connected to) with the
    /// calling handle's timeout and cancel token.
    pub(crate) fn send(
        &self,
        base: &str,
        secondary: Option<&str>,
        options: &CallOptions,
        call: Call,
    ) -> Result<Response, Error> {
        let Call {
            method,
            mut path,
            encoded,
            read,
            success,
            body_limit,
        } = call;
        let has_body = !matches!(method, "GET" | "DELETE");
        if !has_body && !encoded.is_empty() {
            validation::query_length(path.len() + 1 + encoded.len())?;
            path.push(if path.contains('?') { '&' } else { '?' });
            path.push_str(&encoded);
        }
        let prepared = Prepared {
            method,
            path_and_query: &path,
            form_body: has_body.then_some(encoded.as_str()),
            idempotent: read,
            auth: &self.credentials,
            success,
            body_limit,
        };
        self.transport.send(base, secondary, &prepared, options)
    }
}
