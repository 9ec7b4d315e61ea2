/**
 * @file authy.h
 * @brief libauthy: a blocking client for the Authy two-factor authentication REST API.
 *
 * Conventions of every function in this header:
 *
 * - Results. Fallible functions return an ::authy_result (AUTHY_RESULT_OK = 0). Numbers are
 *   stable and never reused; authy_result_str() describes any of them. Functions that take a
 *   result code take a uint32_t.
 * - Errors. Most functions take an optional last parameter `authy_error **error`. Pass NULL if
 *   you only want the result code; otherwise set the pointer to NULL before the call. On failure
 *   it receives a new ::authy_error (code, message, HTTP status, Authy error_code) that you own
 *   and must release with authy_error_free(). On success it is not touched. A non-NULL
 *   `*error` on entry is refused: the function does nothing, leaves it as it is and returns
 *   AUTHY_RESULT_ERROR_SLOT_IN_USE (so an error you still own is never leaked or freed).
 * - Arguments. Pointer arguments are checked: a NULL where a value is required gives
 *   AUTHY_RESULT_NULL_ARGUMENT, text that is not UTF-8 gives AUTHY_RESULT_INVALID_UTF8. Strings
 *   are NUL-terminated UTF-8 and are only read during the call (the library keeps copies).
 * - Outputs. Out-parameters are written only on success; on failure they keep their value.
 * - Ownership. Objects returned through `authy_xxx **out` are owned by the caller and released
 *   with the matching authy_xxx_free(). Every *_free function accepts NULL and does nothing.
 * - Borrowed strings. A `const char *` returned by an accessor is owned by the handle it was read
 *   from: it stays valid, unchanged, until that handle is freed. Never pass it to free(). The
 *   strings of authy_result_str() and authy_version() are static.
 * - U+0000 in text. A C string cannot hold U+0000, but text from the network can: valid JSON
 *   may carry it as the escape "\u0000", a body that is not JSON as a NUL byte. In every string
 *   this library hands out (decoded JSON values such as authy_response_get_string(), messages,
 *   error details, callback parameters) each U+0000 is replaced with U+FFFD, the replacement
 *   character (the three bytes EF BF BD), so a string is never silently cut short. The raw
 *   body of authy_response_body() keeps an escape as the six characters it is; read it to tell
 *   a received U+FFFD from a replaced U+0000. (U+FFFD also stands for the invalid bytes of an
 *   error body that is not UTF-8; a 200 body that is not UTF-8 is AUTHY_RESULT_DECODE.)
 * - Threads. A `const authy_client *` may be used from many threads at once (the client is
 *   immutable and shares one connection pool). Read-only accessors on a `const` handle (response,
 *   error) may run concurrently. A handle passed as non-const (builder, params) needs exclusive
 *   access while the call runs. No function keeps thread-local state.
 * - Processes (fork). A client built before fork() keeps working in the parent and in every
 *   child (pre-forking servers: build clients at boot, fork workers after). A connection, its
 *   TLS session and the name cache belong to the process that opened them: a process that finds
 *   the client made by another one opens its own connections on its first call and never reads,
 *   writes or closes the inherited ones, so no answer can reach the wrong process. Free the
 *   client in each process that is done with it (the child's copy is its own). As with any
 *   library, fork() while other threads are inside calls leaves those calls' memory behind in
 *   the child; the client itself stays usable there.
 * - Endpoints. The functions authy_client_<endpoint>(client, inputs..., options, out, error)
 *   and authy_verify_client_<endpoint>(...) validate their inputs before any I/O
 *   (AUTHY_RESULT_INVALID_ARGUMENT, nothing sent), then call the API. AUTHY_RESULT_OK means a
 *   successful answer, written to `*out` (an ::authy_response). An unsuccessful answer is
 *   returned as the code of its error (401 → AUTHY_RESULT_UNAUTHORIZED, 404 →
 *   AUTHY_RESULT_NOT_FOUND, 400 → AUTHY_RESULT_INVALID_PARAMETERS, 5xx →
 *   AUTHY_RESULT_SERVER_ERROR, ...) with the HTTP status, the API's error code (Authy
 *   `error_code` or Twilio `code`, authy_error_api_code()), Twilio's `more_info`, the message and
 *   the raw body in `*error`; so a wrong token or code is never AUTHY_RESULT_OK. Transport failures
 *   are the 2xx codes. `options` is NULL or an ::authy_params holding the optional arguments the
 *   function documents; unknown keys are refused. authy_client_request() is the raw escape hatch:
 *   there, any HTTP answer is AUTHY_RESULT_OK.
 * - Blocking. Every function that talks to the network blocks the calling thread until an answer
 *   arrives or a timeout expires (authy_client_builder_set_timeout_ms(); default 15 s per
 *   attempt). The OneTouch wait function blocks for up to its own time budget.
 * - Panics. An internal bug never unwinds into your code: it is reported as AUTHY_RESULT_PANIC
 *   (or NULL / false / 0 for functions without a result).
 */

#ifndef AUTHY_H
#define AUTHY_H

/* Generated by cbindgen from src/ffi (build.rs). Do not edit by hand. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/** Size of the buffer authy_callback_sign() needs: 44 base64 characters plus the NUL. */
#define AUTHY_SIGNATURE_BUFFER_SIZE 45

/** Major version of the libauthy API this header describes. */
#define AUTHY_VERSION_MAJOR 0
/** Minor version of the libauthy API this header describes. */
#define AUTHY_VERSION_MINOR 1
/** Patch version of the libauthy API this header describes. */
#define AUTHY_VERSION_PATCH 0
/** The version as one number, `MAJOR * 10000 + MINOR * 100 + PATCH`; compare it with
 *  authy_version_number() to detect a header/library mismatch. */
#define AUTHY_VERSION_NUMBER (0 * 10000 + 1 * 100 + 0)
/** The version as a string literal; authy_version() returns the library's. */
#define AUTHY_VERSION_STRING "0.1.0"

/**
 * Result code of the fallible libauthy functions.
 *
 * The numbers are grouped by range (1xx argument, 2xx transport, 3xx API answer, 4xx decoding,
 * 5xx internal, 6xx verification) and are stable: a value is never renumbered or reused, a
 * retired value stays listed here as a comment. New codes may be added in later versions, so
 * handle unknown values (authy_result_str() describes any number).
 *
 * Functions that take a code as an argument take a `uint32_t`.
 */
enum authy_result
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Success.
     */
    AUTHY_RESULT_OK = 0,
    /**
     * An argument was refused by client-side validation; nothing was sent.
     */
    AUTHY_RESULT_INVALID_ARGUMENT = 100,
    /**
     * A required pointer argument was NULL.
     */
    AUTHY_RESULT_NULL_ARGUMENT = 101,
    /**
     * A string argument was not valid UTF-8.
     */
    AUTHY_RESULT_INVALID_UTF8 = 102,
    /**
     * The `authy_error **error` argument pointed at a non-NULL `authy_error *` (an error the
     * caller still owns, typically one reused without authy_error_free()). The function did
     * nothing: `*error` is left as it was, no request was sent.
     */
    AUTHY_RESULT_ERROR_SLOT_IN_USE = 103,
    /**
     * The TCP connection could not be established.
     */
    AUTHY_RESULT_CONNECT = 200,
    /**
     * The host name could not be resolved.
     */
    AUTHY_RESULT_DNS = 201,
    /**
     * The TLS handshake failed.
     */
    AUTHY_RESULT_TLS = 202,
    /**
     * The overall timeout expired after the request was sent: it may have reached the server.
     */
    AUTHY_RESULT_TIMEOUT = 203,
    /**
     * Another I/O error while talking to the server (protocol error; a failed write before
     * the request was sent).
     */
    AUTHY_RESULT_IO = 204,
    /**
     * A timeout expired before the request could be sent — the connect timeout while the
     * connection (TCP, proxy tunnel, TLS handshake) was being made, or the overall timeout before
     * any write of the request succeeded: nothing reached the server.
     */
    AUTHY_RESULT_CONNECT_TIMEOUT = 205,
    /**
     * The connection was closed or reset before any byte of the answer arrived: the request was
     * sent and may have reached the server (whether it took effect is unknown).
     */
    AUTHY_RESULT_NO_RESPONSE = 206,
    /**
     * The answer was cut off: its status line and headers arrived, then the connection closed or
     * was reset before the end of the body. The server received the request.
     */
    AUTHY_RESULT_TRUNCATED = 207,
    /**
     * The call was cancelled with authy_cancel_cancel() (before an attempt, during one — its
     * connection was shut down and is never reused — or while waiting between attempts).
     * authy_error_request_sent() tells whether the request may have reached the server.
     */
    AUTHY_RESULT_CANCELLED = 208,
    /**
     * The API answered 401 or error code 60001 (invalid API key, unknown user, wrong phone
     * verification code). A wrong token is AUTHY_RESULT_TOKEN_INVALID.
     */
    AUTHY_RESULT_UNAUTHORIZED = 300,
    /**
     * The API answered 429 or error code 60003 (too many requests).
     */
    AUTHY_RESULT_RATE_LIMITED = 301,
    /**
     * The API answered 404 (unknown user, approval request, verification or route).
     */
    AUTHY_RESULT_NOT_FOUND = 302,
    /**
     * The API answered 400 (invalid parameters).
     */
    AUTHY_RESULT_INVALID_PARAMETERS = 303,
    /**
     * The API answered 409.
     */
    AUTHY_RESULT_CONFLICT = 304,
    /**
     * The API answered with a 5xx status.
     */
    AUTHY_RESULT_SERVER_ERROR = 305,
    /**
     * The API answered with another non-200 status (for example 403).
     */
    AUTHY_RESULT_API_ERROR = 306,
    /**
     * The API refused the token: Authy code 60020 (token is invalid) or 60019 (token already
     * used). A revoked API key is AUTHY_RESULT_UNAUTHORIZED instead.
     */
    AUTHY_RESULT_TOKEN_INVALID = 307,
    /**
     * A response could not be decoded (not JSON, too large).
     */
    AUTHY_RESULT_DECODE = 400,
    /**
     * A response accessor found no value of the requested type at that place (or an offline
     * lookup such as authy_catalog_lookup() found no entry).
     */
    AUTHY_RESULT_NO_VALUE = 401,
    /**
     * A bug in libauthy (an invariant did not hold).
     */
    AUTHY_RESULT_INTERNAL = 500,
    /**
     * A bug in libauthy: a panic was caught at the C boundary.
     */
    AUTHY_RESULT_PANIC = 501,
    /**
     * A OneTouch callback signature is missing, malformed, does not match, or its nonce is
     * outside the replay window.
     */
    AUTHY_RESULT_SIGNATURE_INVALID = 600,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum authy_result authy_result;
#else
typedef uint32_t authy_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Outcome of authy_client_verify_token_fail_open().
 *
 * 0 is AUTHY_VERDICT_INVALID, so a zero-initialised variable never reads as valid.
 */
enum authy_verdict
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The API answered and did not accept the token (or answered with an error the policy does
     * not accept). Refuse the login.
     */
    AUTHY_VERDICT_INVALID = 0,
    /**
     * The API answered that the token is valid.
     */
    AUTHY_VERDICT_VALID = 1,
    /**
     * The API could not be reached or failed, and the policy accepts the login anyway. This is
     * **not** a valid token: log it.
     */
    AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum authy_verdict authy_verdict;
#else
typedef uint32_t authy_verdict;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How authy_client_wait_for_approval() ended.
 */
enum authy_wait_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Still pending when the local time budget ran out.
     */
    AUTHY_WAIT_STATUS_TIMED_OUT = 0,
    /**
     * The user approved.
     */
    AUTHY_WAIT_STATUS_APPROVED = 1,
    /**
     * The user denied.
     */
    AUTHY_WAIT_STATUS_DENIED = 2,
    /**
     * The request expired.
     */
    AUTHY_WAIT_STATUS_EXPIRED = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum authy_wait_status authy_wait_status;
#else
typedef uint32_t authy_wait_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Flags of the `policy` argument of authy_client_verify_token_fail_open(): which failures are
 * turned into AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE. Combine with `|`.
 */
enum authy_fail_open
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Accept on connect, DNS, timeout and I/O errors (never on TLS errors).
     */
    AUTHY_FAIL_OPEN_TRANSPORT_ERROR = 1,
    /**
     * Accept on a 5xx answer that is not an Authy error (a proxy error page, or JSON without an
     * `error_code`). A 5xx carrying an Authy `error_code` (e.g. 503 / 60060, account suspended)
     * is the API's refusal and is never accepted.
     */
    AUTHY_FAIL_OPEN_SERVER_ERROR = 2,
    /**
     * Accept on a 429 / 60003 answer. Risky: an attacker who floods your login can provoke it.
     */
    AUTHY_FAIL_OPEN_RATE_LIMIT = 4,
    /**
     * `TRANSPORT_ERROR | SERVER_ERROR`, the recommended policy.
     */
    AUTHY_FAIL_OPEN_DEFAULT = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum authy_fail_open authy_fail_open;
#else
typedef uint32_t authy_fail_open;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Which trust anchors verify the API's certificate: the value of the `which` argument of
 * authy_client_builder_set_tls_roots(). A PEM given to authy_client_builder_set_root_ca_pem()
 * wins over either (the narrowest trust wins). Only TLS 1.2 and 1.3 are ever spoken.
 */
enum authy_tls_roots
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The Mozilla root certificates bundled in the library (the default): the same trust on
     * every machine, independent of the system's configuration.
     */
    AUTHY_TLS_ROOTS_BUNDLED = 0,
    /**
     * The platform's trust store and verifier. On Linux the system CA bundle, found as
     * OpenSSL finds it (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the distribution's
     * paths such as `/etc/ssl/certs`), read at the first HTTPS connection of each process; on
     * macOS and Windows the operating system verifies (keychain / certificate store,
     * enterprise policies, revocation).
     */
    AUTHY_TLS_ROOTS_PLATFORM = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum authy_tls_roots authy_tls_roots;
#else
typedef uint32_t authy_tls_roots;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The parameters of a OneTouch callback accepted by authy_callback_verify_params(), exactly as
 * libauthy parsed them to check the signature. Read them with authy_callback_get_string()
 * instead of parsing the body again: another parser may read something the signature did not
 * cover.
 *
 * Ownership: returned by authy_callback_verify_params(), owned by the caller, released with
 * authy_callback_free(). Strings returned by authy_callback_get_string() are owned by the
 * handle and stay valid until it is freed.
 *
 * Thread safety: immutable for the caller; authy_callback_get_string() may be called from
 * several threads at once.
 */
typedef struct authy_callback authy_callback;

/**
 * A cancellation token (authy_cancel_new()): authy_cancel_cancel() stops every call made
 * through a client from authy_client_with_cancel() with this token — running ones within
 * milliseconds (their connection is shut down), later ones before any I/O — with
 * AUTHY_RESULT_CANCELLED. Once cancelled it stays cancelled: use a new token per operation
 * (a Go `context`, a C++ `std::stop_token`).
 *
 * Methods: authy_cancel_new(), authy_cancel_cancel(), authy_cancel_is_cancelled(),
 * authy_cancel_free(); used by authy_client_with_cancel().
 *
 * Ownership: owned by the caller, released with authy_cancel_free(); clients derived with it
 * hold their own reference.
 *
 * Thread safety: a `const authy_cancel *` may be used by any number of threads at once (this is
 * its purpose: one thread waits in a call, another cancels).
 */
typedef struct authy_cancel authy_cancel;

/**
 * A client of the Authy API, built by authy_client_builder_build().
 *
 * Ownership: owned by the caller, released with authy_client_free(). A call that has started
 * holds its own reference to the client's state: freeing the handle while calls run on other
 * threads is safe (they finish normally, and the state is released when the last one returns);
 * only calls that start after the free are invalid.
 *
 * Thread safety: immutable. A `const authy_client *` may be used by any number of threads at
 * once; all calls share one connection pool. Every endpoint function blocks its thread until
 * the answer arrives or a timeout expires.
 */
typedef struct authy_client authy_client;

/**
 * The options of a client: credentials, base URLs, and the network options (timeouts, TLS
 * roots, proxy, pool, retries, User-Agent suffix), which have the same setters for both APIs.
 *
 * Made by authy_client_builder_new() for the Authy API (built with
 * authy_client_builder_build()), or by authy_client_builder_new_verify() /
 * authy_client_builder_new_verify_api_key() for Twilio Verify and Lookup (built with
 * authy_client_builder_build_verify()).
 *
 * Ownership: released with authy_client_builder_free(). Building does not consume it: one
 * builder may build several clients.
 *
 * Thread safety: the setters need exclusive access; building only reads it.
 */
typedef struct authy_client_builder authy_client_builder;

/**
 * Details of a failed call: result code, message, HTTP status, the API's error code (Authy
 * `error_code`, Twilio `code`) and Twilio's `more_info`.
 *
 * Ownership: created by libauthy when a call fails and its `authy_error **error` argument is
 * not NULL; owned by the caller, released with authy_error_free().
 *
 * Thread safety: immutable; the accessors may be called from several threads at once.
 */
typedef struct authy_error authy_error;

/**
 * The report of a health check: reachable, TLS, key accepted, latency.
 *
 * Ownership: created by authy_client_health_check(), owned by the caller, released with
 * authy_health_free(). Strings read from it are owned by it.
 *
 * Thread safety: immutable; the accessors may be called from several threads at once.
 */
typedef struct authy_health authy_health;

/**
 * The pages of a list, from authy_verify_client_list_services() and the other
 * authy_verify_client_list_*() functions: each authy_pages_next() sends
 * one request and hands out one page. `meta.next_page_url` is followed only when it is on the
 * client's base URL (same scheme, host and port): the credentials never go elsewhere.
 *
 * Methods: authy_pages_next(), authy_pages_free().
 *
 * Ownership: owned by the caller, released with authy_pages_free(); it holds its own reference
 * to the client's connections.
 *
 * Thread safety: authy_pages_next() needs exclusive access.
 */
typedef struct authy_pages authy_pages;

/**
 * A set of request parameters (optional arguments of an endpoint, or the parameters of
 * authy_client_request()).
 *
 * Ownership: created by authy_params_new(), released with authy_params_free(). Functions that
 * take a `const authy_params *` only read it during the call; the same set may be reused for
 * many calls.
 *
 * Thread safety: authy_params_set() needs exclusive access; once filled, a set may be read by
 * several calls on several threads at once.
 */
typedef struct authy_params authy_params;

/**
 * One answer of the Authy API: HTTP status, raw body, parsed JSON.
 *
 * Ownership: returned by the endpoint functions and authy_client_request(), owned by the
 * caller, released with authy_response_free(). Strings returned by the accessors are owned by
 * the response and stay valid until it is freed; a U+0000 in a value is returned as U+FFFD
 * ("U+0000 in text" at the top of this header).
 *
 * Thread safety: immutable for the caller; the accessors may be called from several threads at
 * once.
 */
typedef struct authy_response authy_response;

/**
 * A client of Twilio Verify v2 and Lookup v2, built by authy_client_builder_build_verify().
 *
 * Methods: authy_verify_client_create_service(), authy_verify_client_fetch_service(),
 * authy_verify_client_update_service(), authy_verify_client_delete_service(),
 * authy_verify_client_list_services(), authy_verify_client_create_verification(),
 * authy_verify_client_fetch_verification(), authy_verify_client_update_verification(),
 * authy_verify_client_check_verification(), authy_verify_client_lookup_phone_number(),
 * the Entities, Factors and Challenges of Verify TOTP and Push (authy_verify_client_create_entity(),
 * authy_verify_client_create_factor(), authy_verify_client_verify_factor(),
 * authy_verify_client_create_challenge(), ... ), authy_verify_client_free().
 *
 * Ownership: owned by the caller, released with authy_verify_client_free() once no call uses
 * it.
 *
 * Thread safety: immutable. A `const authy_verify_client *` may be used by any number of
 * threads at once; all calls share one connection pool. Every function that takes one blocks
 * its thread until the answer arrives or a timeout expires.
 */
typedef struct authy_verify_client authy_verify_client;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Starts building a client.
 *
 * Defaults: base URL `https://api.authy.com`, no secondary URL, connect timeout 5000 ms, overall
 * timeout 15000 ms per call (all attempts together), no User-Agent suffix. Nothing is validated before
 * authy_client_builder_build().
 *
 * @param api_key Your Authy API key (copied; never written to logs or error messages).
 * @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_new(const char *api_key,
                                      authy_client_builder **out,
                                      authy_error **error);

/**
 * Sets the base URL of the API: `http(s)://host[:port]`, no path (checked by
 * authy_client_builder_build()). For the sandbox, the URL it printed at start-up. `http://` is
 * accepted only for a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`) unless
 * authy_client_builder_set_allow_insecure_http() allows it: the API key would travel in
 * cleartext.
 *
 * @param builder The builder (exclusive access during the call).
 * @param url The URL (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_set_base_url(authy_client_builder *builder,
                                               const char *url,
                                               authy_error **error);

/**
 * Sets a secondary base URL, tried only when the primary one cannot be connected to (DNS
 * failure, connection refused, connect timeout) — never after a request reached the primary, so
 * a request is never sent twice. Same rules as authy_client_builder_set_base_url().
 *
 * @param builder The builder (exclusive access during the call).
 * @param url The URL (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_set_secondary_base_url(authy_client_builder *builder,
                                                         const char *url,
                                                         authy_error **error);

/**
 * Sets the time allowed to establish a connection: the name lookup and the TCP + TLS
 * handshake each get this budget (default 5 s); the overall timeout bounds both.
 *
 * @param builder The builder (exclusive access during the call).
 * @param timeout_ms Milliseconds, greater than 0 (checked by authy_client_builder_build()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_connect_timeout_ms(authy_client_builder *builder,
                                                         uint64_t timeout_ms,
                                                         authy_error **error);

/**
 * Sets the time allowed for a whole call, from DNS to the last byte of the answer: it bounds
 * all the call's attempts together (stale-connection resends, retries and the waits between
 * them); only a failover to the secondary base URL starts a fresh budget of the same length.
 *
 * @param builder The builder (exclusive access during the call).
 * @param timeout_ms Milliseconds, greater than 0 (checked by authy_client_builder_build()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_timeout_ms(authy_client_builder *builder,
                                                 uint64_t timeout_ms,
                                                 authy_error **error);

/**
 * Sets how failed calls are retried (default: one attempt, no retry; checked by
 * authy_client_builder_build()). With `max_attempts` > 1, reads (the calls without a side
 * effect, as authy_endpoint_is_read() tells: user status, approval request status, phone
 * verification status, phone info, application details and stats) are retried after transient
 * transport failures, 5xx answers without an API error code, and 429 answers with a
 * `Retry-After`; calls with a side effect (SMS, call, e-mail, token verification, user creation
 * and changes, OneTouch creation, phone verification, activity, raw requests to other paths) are
 * retried only when their request provably never reached the server (DNS, connect or TLS
 * handshake failure). Waits double from `initial_backoff_ms` up to `max_backoff_ms`, with
 * jitter; all attempts fit the call's timeout. Whatever this setting, a request that failed on
 * a stale keep-alive connection before any byte of the answer is sent again at once when that
 * is safe (a read; or nothing of it was written). authy_error_attempts() and
 * authy_error_request_sent() tell what happened.
 *
 * @param builder The builder (exclusive access during the call).
 * @param max_attempts Attempts in all, 1–10 (1 = no retry).
 * @param initial_backoff_ms Wait before the first retry, in milliseconds.
 * @param max_backoff_ms Longest wait between attempts, at least `initial_backoff_ms`.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_retries(authy_client_builder *builder,
                                              uint32_t max_attempts,
                                              uint64_t initial_backoff_ms,
                                              uint64_t max_backoff_ms,
                                              authy_error **error);

/**
 * Sets how many idle keep-alive connections the client keeps per host for later requests
 * (default 32, at most 1024, checked by authy_client_builder_build()). Set it to at least the
 * number of threads sharing the client, or connections are closed and reopened under load;
 * `0` keeps none (every request opens a new connection).
 *
 * @param builder The builder (exclusive access during the call).
 * @param max_idle The number of idle connections per host.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_max_idle_connections_per_host(authy_client_builder *builder,
                                                                    uint32_t max_idle,
                                                                    authy_error **error);

/**
 * Allows `http://` base URLs (primary and secondary) to any host, not only to loopback hosts
 * (default `false`). **The API key then travels in cleartext** and an on-path attacker can forge
 * "token is valid" answers: use it only on a trusted private network (for example a test
 * sandbox in another container). `https://` URLs are not affected.
 *
 * @param builder The builder (exclusive access during the call).
 * @param allow `true` to allow cleartext HTTP to any host.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_allow_insecure_http(authy_client_builder *builder,
                                                          bool allow,
                                                          authy_error **error);

/**
 * Sets text appended to the User-Agent (`libauthy/<version> (<os>; <arch>) <suffix>`): 1–128
 * printable ASCII characters (checked by authy_client_builder_build()).
 *
 * @param builder The builder (exclusive access during the call).
 * @param suffix The suffix (copied), e.g. `"myapp/2.1"`.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_set_user_agent_suffix(authy_client_builder *builder,
                                                        const char *suffix,
                                                        authy_error **error);

/**
 * Trusts only the certificates of this PEM bundle (one or more `CERTIFICATE` blocks) instead of
 * the bundled Mozilla roots: for a private CA, a TLS-inspecting proxy, or the sandbox's
 * self-signed certificate (`authy-sandbox --tls-self-signed --ca-out FILE`). Server
 * certificates are still fully verified. Checked by authy_client_builder_build(). Wins over
 * authy_client_builder_set_tls_roots().
 *
 * @param builder The builder (exclusive access during the call).
 * @param pem The PEM text (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_set_root_ca_pem(authy_client_builder *builder,
                                                  const char *pem,
                                                  authy_error **error);

/**
 * Sends every request through an HTTP CONNECT proxy: `http://[user:password@]host:port` (or
 * `https://` for TLS to the proxy). Proxy environment variables are not read (unless
 * authy_client_builder_set_proxy_from_env() asks for them; this explicit proxy wins). Checked by
 * authy_client_builder_build(); credentials never appear in error messages.
 *
 * @param builder The builder (exclusive access during the call).
 * @param url The proxy URL (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_set_proxy(authy_client_builder *builder,
                                            const char *url,
                                            authy_error **error);

/**
 * Chooses the trust anchors for the API's certificate: AUTHY_TLS_ROOTS_BUNDLED (default) or
 * AUTHY_TLS_ROOTS_PLATFORM (see ::authy_tls_roots). A root CA PEM set with
 * authy_client_builder_set_root_ca_pem() wins over this choice.
 *
 * @param builder The builder (exclusive access during the call).
 * @param which A value of ::authy_tls_roots.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_ARGUMENT for a value
 *         that is not an ::authy_tls_roots (the builder is then unchanged).
 */
authy_result authy_client_builder_set_tls_roots(authy_client_builder *builder,
                                                uint32_t which,
                                                authy_error **error);

/**
 * Takes the proxy from the environment (default `false`: proxy variables are never read).
 * Read once, by authy_client_builder_build() (later changes do not affect a built client; do
 * not call setenv() from another thread meanwhile), for each base URL:
 *
 * - `https://`: `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY`;
 * - `http://`: `http_proxy`, else `all_proxy`, else `ALL_PROXY` (never `HTTP_PROXY`, which CGI
 *   servers set from a request's `Proxy:` header);
 * - `no_proxy`, else `NO_PROXY`: hosts reached directly, separated by commas or spaces: `*`
 *   (every host), a domain (`example.com`, `.example.com`, `*.example.com`: the domain and
 *   its subdomains), an IP address or CIDR block (`10.0.0.0/8`, matched against a literal IP
 *   in the base URL; no name is looked up), optionally with `:port`;
 * - a loopback base URL (`localhost`, `127.0.0.0/8`, `[::1]`) is always reached directly
 *   (Go's net/http rule): a proxy never sees its request, nor, over `http://`, the API key.
 *
 * Empty proxy values count as unset (an empty `no_proxy` still hides `NO_PROXY`, as with curl);
 * a value without a scheme is taken as `http://`. A proxy set
 * with authy_client_builder_set_proxy() wins: the environment is then not read. Build fails
 * with AUTHY_RESULT_INVALID_ARGUMENT when the variable holds an unusable proxy URL (e.g.
 * `socks5://`; the message names the variable, never its value) or when the two base URLs would
 * need different proxies. Credentials never appear in error messages.
 *
 * @param builder The builder (exclusive access during the call).
 * @param from_env `true` to read the proxy variables at build time.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_set_proxy_from_env(authy_client_builder *builder,
                                                     bool from_env,
                                                     authy_error **error);

/**
 * Validates the options and builds a client. Does not consume the builder. No network I/O.
 *
 * @param builder The builder (only read).
 * @param out Receives the new client, owned by the caller (authy_client_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT when the key is empty or not printable
 *         ASCII, a URL is not `http(s)://host[:port]`, a timeout is 0, the suffix is invalid,
 *         the root CA PEM holds no certificate or the proxy URL is invalid (also one read
 *         from the environment, see authy_client_builder_set_proxy_from_env());
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_build(const authy_client_builder *builder,
                                        const authy_client **out,
                                        authy_error **error);

/**
 * Starts building a Twilio Verify (and Lookup) client authenticated with the Account SID and
 * its Auth Token (HTTP Basic). The network setters of this builder are the same as for an
 * Authy client; authy_client_builder_set_base_url() sets the Verify base URL (default
 * `https://verify.twilio.com`), authy_client_builder_set_lookups_base_url() the Lookup one
 * (default `https://lookups.twilio.com`). Build it with authy_client_builder_build_verify().
 *
 * @param account_sid The Account SID, `AC` + 32 hexadecimal digits (checked at build).
 * @param auth_token The Auth Token (copied; never written to logs or error messages).
 * @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_new_verify(const char *account_sid,
                                             const char *auth_token,
                                             authy_client_builder **out,
                                             authy_error **error);

/**
 * Starts building a Twilio Verify (and Lookup) client authenticated with an API key (`SK…`
 * and its secret) of the account `account_sid`. Otherwise as authy_client_builder_new_verify().
 *
 * @param api_key_sid The API key SID, `SK` + 32 hexadecimal digits (checked at build).
 * @param api_key_secret The API key secret (copied; never written to logs or error messages).
 * @param account_sid The Account SID, `AC` + 32 hexadecimal digits.
 * @param out Receives the new builder, owned by the caller (authy_client_builder_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_client_builder_new_verify_api_key(const char *api_key_sid,
                                                     const char *api_key_secret,
                                                     const char *account_sid,
                                                     authy_client_builder **out,
                                                     authy_error **error);

/**
 * Sets the Lookup base URL of a Verify builder (default `https://lookups.twilio.com`; same
 * rules as authy_client_builder_set_base_url()). For the sandbox, the URL it printed.
 *
 * @param builder A Verify builder (exclusive access during the call).
 * @param url The URL (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8;
 *         AUTHY_RESULT_INVALID_ARGUMENT for an Authy builder (unchanged).
 */
authy_result authy_client_builder_set_lookups_base_url(authy_client_builder *builder,
                                                       const char *url,
                                                       authy_error **error);

/**
 * Validates the options of a Verify builder and builds a Verify client. Does not consume the
 * builder. No network I/O.
 *
 * @param builder A builder from authy_client_builder_new_verify() or
 *        authy_client_builder_new_verify_api_key() (only read).
 * @param out Receives the new client, owned by the caller (authy_verify_client_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a SID that is not `AC…`/`SK…` +
 *         32 hex digits, an empty or non-printable secret, an invalid URL or network option
 *         (as for authy_client_builder_build()), or an Authy builder; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_builder_build_verify(const authy_client_builder *builder,
                                               const authy_verify_client **out,
                                               authy_error **error);

/**
 * Releases a builder (clients built from it are not affected).
 *
 * @param builder A builder from authy_client_builder_new(), or NULL (no-op).
 */
void authy_client_builder_free(authy_client_builder *builder);

/**
 * Makes a client that shares `client`'s connections and settings but gives each call the
 * overall timeout `timeout_ms` instead of the built one: a per-call deadline (bindings map a
 * Go `context` deadline or a Ruby `timeout:` onto it). No I/O, no new connection; cheap enough
 * to make for a single call.
 *
 * Ownership: `*out` is a new client, released with authy_client_free(); it stays valid after
 * `client` is freed (they share the pool, which lives as long as either).
 *
 * Thread safety: like any `const authy_client *`.
 *
 * @param client The client to derive from (not consumed).
 * @param timeout_ms Overall timeout of each call through the new handle, in milliseconds,
 *        greater than 0.
 * @param out Receives the new client.
 * @param error Optional; receives the error on failure.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for `timeout_ms` 0;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_with_timeout_ms(const authy_client *client,
                                          uint64_t timeout_ms,
                                          const authy_client **out,
                                          authy_error **error);

/**
 * Makes a client that shares `client`'s connections, settings and timeout, whose calls are
 * stopped by authy_cancel_cancel() on `cancel`: at once between attempts or before the first,
 * and during an attempt by shutting its connection down (the connection is never reused). A
 * stopped call returns AUTHY_RESULT_CANCELLED; authy_error_request_sent() says whether the
 * request may have reached the server. No I/O; cheap enough to make for a single call (derive it
 * from a authy_client_with_timeout_ms() handle for a deadline and a cancel together).
 *
 * Ownership: `*out` is a new client, released with authy_client_free(). It holds its own
 * reference to the token: `cancel` may be freed before it (authy_cancel_cancel() then has no
 * handle left to be called on).
 *
 * Thread safety: like any `const authy_client *`.
 *
 * @param client The client to derive from (not consumed).
 * @param cancel The token (not consumed); see authy_cancel_new().
 * @param out Receives the new client.
 * @param error Optional; receives the error on failure.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_with_cancel(const authy_client *client,
                                      const authy_cancel *cancel,
                                      const authy_client **out,
                                      authy_error **error);

/**
 * Releases a client handle. Calls running on other threads with it are not disturbed: each
 * holds its own reference to the client's connections and settings, released when it returns.
 * The handle must not be used by calls that start after this one.
 *
 * @param client A client from authy_client_builder_build(), authy_client_with_timeout_ms() or
 *        authy_client_with_cancel(), or NULL (no-op).
 */
void authy_client_free(const authy_client *client);

/**
 * Sends a request to any path of the API, or of the sandbox control API
 * (`/sandbox/...`). **Blocks.**
 *
 * Unlike the endpoint functions, **any** HTTP answer is AUTHY_RESULT_OK: inspect it with
 * authy_response_status() / authy_response_ok() / authy_response_check(). The answer to a
 * token verification path (`/protected/json/verify/...`) is checked like the answer of
 * authy_client_verify_token(): authy_response_ok() also requires `"token":"is valid"`.
 *
 * @param client The client (shared, read-only).
 * @param method `GET`, `POST`, `PUT`, `DELETE` or `PATCH` (any case).
 * @param path The path below the base URL, starting with `/`, made of ASCII letters, digits
 *        and `/-_.~` (e.g. `"/protected/json/app/details"`).
 * @param params Optional parameters (NULL for none): the query string for GET and DELETE,
 *        a form body otherwise. The API key is sent as a header; never put it in `params`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK when the server answered; AUTHY_RESULT_INVALID_ARGUMENT for a bad
 *         method or path (nothing sent); transport codes (2xx) when there was no answer;
 *         AUTHY_RESULT_DECODE for a 200 answer that is not a JSON object or a body over 1 MiB.
 */
authy_result authy_client_request(const authy_client *client,
                                  const char *method,
                                  const char *path,
                                  const authy_params *params,
                                  authy_response **out,
                                  authy_error **error);

/**
 * Makes a new token, not cancelled.
 *
 * @return The token, owned by the caller (authy_cancel_free()); NULL only on an internal error.
 */
authy_cancel *authy_cancel_new(void);

/**
 * Cancels: the calls running with this token return AUTHY_RESULT_CANCELLED within
 * milliseconds (a TCP connect in progress is not interrupted: the new connection is shut
 * down as soon as it is made), later calls fail before any I/O. Idempotent. Does not block on
 * the network: it may be called from any thread, while calls run.
 *
 * @param cancel A token (shared, read-only).
 * @param error Optional; receives the error on failure.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_cancel_cancel(const authy_cancel *cancel, authy_error **error);

/**
 * Whether authy_cancel_cancel() was called on this token.
 *
 * @param cancel A token, or NULL (false).
 */
bool authy_cancel_is_cancelled(const authy_cancel *cancel);

/**
 * Releases a token. Clients made with it by authy_client_with_cancel() keep working (they hold
 * their own reference); no thread may call authy_cancel_cancel() on it afterwards.
 *
 * @param cancel A token from authy_cancel_new(), or NULL (no-op).
 */
void authy_cancel_free(authy_cancel *cancel);

/**
 * Checks the API key, connectivity, TLS and latency to the configured API with one call that
 * has no side effect (`GET /protected/json/app/details`), and describes the outcome in a
 * report. Point it at the sandbox, or at the real API from a deployment's readiness probe.
 * **Blocks** (at most the client's timeout).
 *
 * @param client The client (shared, read-only).
 * @param out Receives the report, healthy or not (authy_health_free()).
 * @param error Optional error details (only for NULL arguments: an unhealthy API is a report).
 * @return AUTHY_RESULT_OK when a report was written (check authy_health_ok());
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_client_health_check(const authy_client *client,
                                       authy_health **out,
                                       authy_error **error);

/**
 * Whether the check succeeded: the API answered, over TLS if the base URL is https, and
 * accepted the key.
 *
 * @param health The report (may be NULL).
 * @return true when healthy; false otherwise or for NULL.
 */
bool authy_health_ok(const authy_health *health);

/**
 * The result code of the check's call: AUTHY_RESULT_OK, or the stage that failed
 * (AUTHY_RESULT_DNS, _CONNECT, _CONNECT_TIMEOUT, _TLS, _TIMEOUT, _NO_RESPONSE, _UNAUTHORIZED
 * for a key the API refused, _SERVER_ERROR, _RATE_LIMITED, _DECODE, ...).
 *
 * @param health The report (may be NULL).
 * @return The code; AUTHY_RESULT_NULL_ARGUMENT for NULL; AUTHY_RESULT_PANIC if the library
 *         failed internally (an `authy_result`, like every function answering with a code, so
 *         that a caught panic never reads as AUTHY_RESULT_OK).
 */
authy_result authy_health_result(const authy_health *health);

/**
 * How long the check's call took, connection and TLS handshake included when one had to be
 * made.
 *
 * @param health The report (may be NULL).
 * @return Microseconds; 0 for NULL.
 */
uint64_t authy_health_latency_us(const authy_health *health);

/**
 * Whether the base URL is https (a healthy report then also proves the certificate trusted).
 *
 * @param health The report (may be NULL).
 * @return true for https; false for http or NULL.
 */
bool authy_health_tls(const authy_health *health);

/**
 * A sentence describing the outcome (never contains the API key).
 *
 * @param health The report (may be NULL).
 * @return A NUL-terminated string owned by `health`, valid until authy_health_free(); NULL for
 *         NULL.
 */
const char *authy_health_message(const authy_health *health);

/**
 * The application's name from the answer of a healthy check.
 *
 * @param health The report (may be NULL).
 * @return A NUL-terminated string owned by `health`, valid until authy_health_free(); NULL when
 *         the check failed or for NULL.
 */
const char *authy_health_app_name(const authy_health *health);

/**
 * Releases a report.
 *
 * @param health A report from authy_client_health_check(), or NULL (no-op).
 */
void authy_health_free(authy_health *health);

/**
 * Registers a user (`POST /protected/json/users/new`); the Authy id of the answer is
 * authy_response_user_id(). Idempotent on (country code, cellphone). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param email The user's e-mail address.
 * @param cellphone The phone number in any format the API reads (`(555) 867-5309`,
 *        `+1 555-867-5309`…), sent as given.
 * @param options NULL, or: `country_code` (calling code, default `"1"`),
 *        `send_install_link_via_sms` (`true`/`false`; default: the API's, true).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details (AUTHY_RESULT_INVALID_PARAMETERS / 60027 with the field
 *        errors in authy_error_body() when the API refuses the user).
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_create_user(const authy_client *client,
                                      const char *email,
                                      const char *cellphone,
                                      const authy_params *options,
                                      authy_response **out,
                                      authy_error **error);

/**
 * The status of a user (`GET /protected/json/users/{id}/status`): confirmed, registered, masked
 * phone number, devices (read them with authy_response_get_string() / _get_bool(), e.g.
 * `"/status/registered"`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_user_status(const authy_client *client,
                                      const char *authy_id,
                                      const authy_params *options,
                                      authy_response **out,
                                      authy_error **error);

/**
 * Removes a user from the application (`POST /protected/json/users/{id}/remove`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_delete_user(const authy_client *client,
                                      const char *authy_id,
                                      const authy_params *options,
                                      authy_response **out,
                                      authy_error **error);

/**
 * Changes a user's e-mail address (`POST /protected/json/users/{id}/update`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param email The new address.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_update_user_email(const authy_client *client,
                                            const char *authy_id,
                                            const char *email,
                                            const authy_params *options,
                                            authy_response **out,
                                            authy_error **error);

/**
 * Sends a token to the user by e-mail (`POST /protected/json/email/{id}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_request_email(const authy_client *client,
                                        const char *authy_id,
                                        const authy_params *options,
                                        authy_response **out,
                                        authy_error **error);

/**
 * Records a user activity (`POST /protected/json/users/{id}/register_activity`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param activity_type `password_reset`, `banned`, `unbanned` or `cookie_login`.
 * @param options NULL, or: `user_ip` (the end user's IP address), `data[<key>]` (extra data,
 *        keys non-empty, without `[` or `]`).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_register_activity(const authy_client *client,
                                            const char *authy_id,
                                            const char *activity_type,
                                            const authy_params *options,
                                            authy_response **out,
                                            authy_error **error);

/**
 * Generates a QR code for third-party authenticator apps
 * (`POST /protected/json/users/{id}/secret`); the image URL is authy_response_qr_code().
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL, or: `qr_size` (pixels), `label`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_generate_qr_code(const authy_client *client,
                                           const char *authy_id,
                                           const authy_params *options,
                                           authy_response **out,
                                           authy_error **error);

/**
 * The no-PII registration status of a user identified by your own id
 * (`GET /protected/json/registrations/status`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param custom_user_id Your identifier of the user.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_registration_status(const authy_client *client,
                                              const char *custom_user_id,
                                              const authy_params *options,
                                              authy_response **out,
                                              authy_error **error);

/**
 * Sends a token by SMS (`GET /protected/json/sms/{id}`). When the user has the Authy app the
 * API may not send it: authy_response_ignored() is then true (set `force` to send anyway).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL, or: `force` (`true` to send even to app users), `action` and
 *        `action_message` (a code valid only for that action; any text), `locale`
 *        (e.g. `en`, `pt-BR`).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_request_sms(const authy_client *client,
                                      const char *authy_id,
                                      const authy_params *options,
                                      authy_response **out,
                                      authy_error **error);

/**
 * Starts a voice call that reads a token to the user (`GET /protected/json/call/{id}`).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param options NULL, or: `force`, `action`, `action_message` (as for
 *        authy_client_request_sms()).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_request_call(const authy_client *client,
                                       const char *authy_id,
                                       const authy_params *options,
                                       authy_response **out,
                                       authy_error **error);

/**
 * Verifies a token the user typed (`GET /protected/json/verify/{token}/{id}`). **Blocks.**
 *
 * The token is valid **only** when this returns AUTHY_RESULT_OK. A wrong token is
 * AUTHY_RESULT_TOKEN_INVALID (Authy code `"60020"`, or `"60019"` for a reused token); a revoked
 * API key is AUTHY_RESULT_UNAUTHORIZED (`"60001"`); an unknown user is an error too.
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param token The token: 6–12 digits (checked before any I/O: AUTHY_RESULT_INVALID_ARGUMENT
 *        with the API's own code and message, `"60020"` "Token is invalid").
 * @param options NULL, or: `force` (default `true`: verify even for users who have not finished
 *        registration; with `false` the API accepts any well-formed token for them), `action`
 *        (the custom action the code was issued for).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out` when the token is valid; otherwise see
 *         "Endpoints" in the file comment at the top of this header.
 */
authy_result authy_client_verify_token(const authy_client *client,
                                       const char *authy_id,
                                       const char *token,
                                       const authy_params *options,
                                       authy_response **out,
                                       authy_error **error);

/**
 * Verifies a token with an explicit fail-open policy (opt-in; authy_client_verify_token() never
 * fails open). **Blocks.**
 *
 * Accepting logins while the API is unreachable weakens two-factor authentication to one factor
 * for that time: use it only where availability matters more, and log every
 * AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE.
 *
 * **`verdict_out` is written on every path**, a deliberate exception to "outputs are written
 * only on success": when it is non-NULL, AUTHY_VERDICT_INVALID is stored in it before anything
 * else, so a caller that ignores the result code (or reuses a variable that held
 * AUTHY_VERDICT_VALID) still denies the login on any failure.
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param token The token (6–12 digits).
 * @param options NULL, or the options of authy_client_verify_token() (`force`, `action`).
 * @param policy Flags of ::authy_fail_open (e.g. AUTHY_FAIL_OPEN_DEFAULT); 0 never fails open.
 * @param verdict_out Receives the verdict; AUTHY_VERDICT_INVALID whenever the result is not
 *        AUTHY_RESULT_OK.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK **only** with AUTHY_VERDICT_VALID or
 *         AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE (accept the login). Any other code means deny:
 *         a refused token is the code of the API's answer (e.g. AUTHY_RESULT_TOKEN_INVALID for a
 *         wrong token, with HTTP status, Authy `error_code`, message and body in `*error`); an
 *         invalid argument, TLS failure, undecodable answer or a failure the policy does not
 *         accept is its own code.
 */
authy_result authy_client_verify_token_fail_open(const authy_client *client,
                                                 const char *authy_id,
                                                 const char *token,
                                                 const authy_params *options,
                                                 uint32_t policy,
                                                 authy_verdict *verdict_out,
                                                 authy_error **error);

/**
 * Sends a push approval request to a user's Authy app
 * (`POST /onetouch/json/users/{id}/approval_requests`); its uuid is
 * authy_response_approval_uuid(). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param authy_id The user's Authy id, sent as given (an unknown one is the API's 404 `60026`).
 * @param message The text shown to the user.
 * @param options NULL, or: `details[<key>]` (shown to the user), `hidden_details[<key>]` (not
 *        shown, echoed in the callback) — keys non-empty, without `[` or `]`;
 *        `logos[][res]` + `logos[][url]` per logo (`res` ∈ default, low, med, high; no
 *        `default` logo is required); `seconds_to_expire` (default 86400, 0 = never).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_create_approval_request(const authy_client *client,
                                                  const char *authy_id,
                                                  const char *message,
                                                  const authy_params *options,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * The status of an approval request (`GET /onetouch/json/approval_requests/{uuid}`); see
 * authy_response_approval_status(). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param uuid The approval request's uuid.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details (AUTHY_RESULT_NOT_FOUND / 60049 for an unknown uuid).
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_approval_request_status(const authy_client *client,
                                                  const char *uuid,
                                                  const authy_params *options,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * Polls the status of an approval request until the user approves or denies it, it expires, or
 * the time budget runs out. **Blocks** for up to `timeout_ms` (at most 24 h) plus one request.
 *
 * @param client The client (shared, read-only).
 * @param uuid The approval request's uuid.
 * @param options NULL, or: `interval_ms` (pause between two status requests, default 2000, at
 *        least 10: 0–9 is AUTHY_RESULT_INVALID_ARGUMENT, nothing sent), `timeout_ms` (time budget, default 60000; values above 86400000, 24 h,
 *        including UINT64_MAX, are clamped to 24 h).
 * @param status_out Receives how the wait ended (AUTHY_WAIT_STATUS_TIMED_OUT if still pending).
 * @param out Receives the last status answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with both outputs written; an error code when a status request failed
 *         or was answered with an error (e.g. AUTHY_RESULT_NOT_FOUND for an unknown uuid).
 */
authy_result authy_client_wait_for_approval(const authy_client *client,
                                            const char *uuid,
                                            const authy_params *options,
                                            authy_wait_status *status_out,
                                            authy_response **out,
                                            authy_error **error);

/**
 * Starts a phone verification: sends a code by SMS or call to a phone number that need not
 * belong to an Authy user (`POST /protected/json/phones/verification/start`); the verification
 * uuid is authy_response_verification_uuid(). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param country_code The calling code (e.g. `"1"`), sent as given.
 * @param phone_number The number in any format the API reads (`(555) 867-5309`,
 *        `+1 555-867-5309`…), sent as given.
 * @param options NULL, or: `via` (`sms`, the default, or `call`), `locale`, `code_length`
 *        (4–10, default 4), `custom_message`, `custom_code`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_start_phone_verification(const authy_client *client,
                                                   const char *country_code,
                                                   const char *phone_number,
                                                   const authy_params *options,
                                                   authy_response **out,
                                                   authy_error **error);

/**
 * Checks the code the user received for a phone verification
 * (`GET /protected/json/phones/verification/check`). **Blocks.**
 *
 * The code is correct **only** when this returns AUTHY_RESULT_OK; a wrong code is
 * AUTHY_RESULT_UNAUTHORIZED (Authy code `"60022"`), no pending verification
 * AUTHY_RESULT_NOT_FOUND (`"60023"`).
 *
 * @param client The client (shared, read-only).
 * @param country_code The calling code.
 * @param phone_number The number.
 * @param code The code the user typed, sent as given.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_check_phone_verification(const authy_client *client,
                                                   const char *country_code,
                                                   const char *phone_number,
                                                   const char *code,
                                                   const authy_params *options,
                                                   authy_response **out,
                                                   authy_error **error);

/**
 * The status of a phone verification (`GET /protected/json/phones/verification/status`):
 * read `"/status"` (`pending`, `verified`, `expired`) with authy_response_get_string().
 * **Blocks.**
 *
 * Identify the verification either by `uuid`, or by `country_code` and `phone_number`.
 *
 * @param client The client (shared, read-only).
 * @param uuid The uuid from the start answer, or NULL.
 * @param country_code The calling code, or NULL (required with `phone_number` when `uuid` is
 *        NULL).
 * @param phone_number The number, or NULL.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT unless exactly
 *         one of the two identifications is given; otherwise see "Endpoints" in the file comment
 *         at the top of this header.
 */
authy_result authy_client_phone_verification_status(const authy_client *client,
                                                    const char *uuid,
                                                    const char *country_code,
                                                    const char *phone_number,
                                                    const authy_params *options,
                                                    authy_response **out,
                                                    authy_error **error);

/**
 * Information about a phone number: type (`voip`, `landline`, `cellphone`, `unknown`),
 * provider, ported (`GET /protected/json/phones/info`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param country_code The calling code.
 * @param phone_number The number.
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_phone_info(const authy_client *client,
                                     const char *country_code,
                                     const char *phone_number,
                                     const authy_params *options,
                                     authy_response **out,
                                     authy_error **error);

/**
 * Details of the application the API key belongs to (`GET /protected/json/app/details`):
 * read e.g. `"/app/name"` with authy_response_get_string(). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_app_details(const authy_client *client,
                                      const authy_params *options,
                                      authy_response **out,
                                      authy_error **error);

/**
 * Monthly statistics of the application (`GET /protected/json/app/stats`): read e.g.
 * `"/stats/0/sms_count"` with authy_response_get_i64(). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param options NULL (no options yet).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_client_app_stats(const authy_client *client,
                                    const authy_params *options,
                                    authy_response **out,
                                    authy_error **error);

/**
 * Creates a Verify Service (`POST /v2/Services`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param friendly_name The service's name, shown in the messages.
 * @param options NULL, or the API's parameters (`CodeLength`, `LookupEnabled`,
 *        `CustomCodeEnabled`, `Totp.Issuer`, ...).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header (the API code is Twilio's, e.g. `60200`).
 */
authy_result authy_verify_client_create_service(const authy_verify_client *client,
                                                const char *friendly_name,
                                                const authy_params *options,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Fetches a Verify Service (`GET /v2/Services/{service_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_NOT_FOUND (API code `20404`)
 *         for an unknown service; otherwise see "Endpoints".
 */
authy_result authy_verify_client_fetch_service(const authy_verify_client *client,
                                               const char *service_sid,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Updates a Verify Service (`POST /v2/Services/{service_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param options NULL, or the API's parameters to change (`FriendlyName`, `CodeLength`, ...).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_update_service(const authy_verify_client *client,
                                                const char *service_sid,
                                                const authy_params *options,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Deletes a Verify Service (`DELETE /v2/Services/{service_sid}`; 204, empty body).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_delete_service(const authy_verify_client *client,
                                                const char *service_sid,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Starts listing the Verify Services (`GET /v2/Services`): nothing is sent before the first
 * authy_pages_next(). No I/O.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param page_size Records per page, 1–1000; 0 for the API's default (50).
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a page size over 1000;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_services(const authy_verify_client *client,
                                               uint32_t page_size,
                                               authy_pages **out,
                                               authy_error **error);

/**
 * Fetches the next page of a list. **Blocks.** Read its records with
 * authy_response_get_string() & co. under `/<key>/<index>/...` (the key is `meta.key`, e.g.
 * `services`).
 *
 * @param pages The pages (exclusive access during the call).
 * @param out Receives the page, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with a page in `*out`; AUTHY_RESULT_NO_VALUE when the list has no
 *         more pages; AUTHY_RESULT_DECODE when the previous page's `next_page_url` is not on
 *         the base URL (nothing is sent there; the list ends); otherwise the codes of an
 *         endpoint (see "Endpoints"), after which the list ends.
 */
authy_result authy_pages_next(authy_pages *pages, authy_response **out, authy_error **error);

/**
 * Releases a list's pages (pages already handed out are not affected).
 *
 * @param pages Pages from authy_verify_client_list_services(), or NULL (no-op).
 */
void authy_pages_free(authy_pages *pages);

/**
 * Sends a code (`POST /v2/Services/{service_sid}/Verifications`). A resend to the same `to`
 * within 10 minutes reuses the code; the 6th send is AUTHY_RESULT_RATE_LIMITED with API code
 * `60203`. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param to An E.164 number (`+15017122661`), or an e-mail address for the `email` channel.
 * @param channel `sms`, `call`, `email`, `whatsapp`, `sna`, `auto`...
 * @param options NULL, or the API's parameters (`CustomFriendlyName`, `Locale`, `CustomCode`,
 *        `Amount`, `Payee`, `AppHash`, `TemplateSid`, `RateLimits` as a JSON string, ...).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for a `to`,
 *         SID or channel of the wrong shape (nothing sent); otherwise see "Endpoints".
 */
authy_result authy_verify_client_create_verification(const authy_verify_client *client,
                                                     const char *service_sid,
                                                     const char *to,
                                                     const char *channel,
                                                     const authy_params *options,
                                                     authy_response **out,
                                                     authy_error **error);

/**
 * Fetches a verification (`GET /v2/Services/{service_sid}/Verifications/{verification_sid}`).
 * An approved, expired or canceled one is AUTHY_RESULT_NOT_FOUND (API code `20404`).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param verification_sid `VE` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_fetch_verification(const authy_verify_client *client,
                                                    const char *service_sid,
                                                    const char *verification_sid,
                                                    authy_response **out,
                                                    authy_error **error);

/**
 * Cancels or approves a verification
 * (`POST /v2/Services/{service_sid}/Verifications/{verification_sid}`, `Status`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param verification_sid `VE` + 32 hexadecimal digits.
 * @param status `"canceled"` or `"approved"`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for another
 *         status (nothing sent); otherwise see "Endpoints".
 */
authy_result authy_verify_client_update_verification(const authy_verify_client *client,
                                                     const char *service_sid,
                                                     const char *verification_sid,
                                                     const char *status,
                                                     authy_response **out,
                                                     authy_error **error);

/**
 * Checks a code (`POST /v2/Services/{service_sid}/VerificationCheck`). AUTHY_RESULT_OK only
 * when the answer's `status` is `approved`: a wrong code (200 `pending`) is
 * AUTHY_RESULT_TOKEN_INVALID with the answer's body in the error; no pending verification
 * (expired, approved, canceled) is AUTHY_RESULT_NOT_FOUND with API code `20404`; too many wrong
 * codes is AUTHY_RESULT_RATE_LIMITED with API code `60202`. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param to The E.164 number or e-mail address the code was sent to, or NULL when
 *        `verification_sid` is given.
 * @param verification_sid `VE` + 32 hexadecimal digits, or NULL when `to` is given.
 * @param code The code the user typed, 4–10 characters.
 * @param options NULL, or `Amount` and `Payee` (PSD2), `SnaClientToken`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the approved answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT
 *         when both or neither of `to` and `verification_sid` are given, or an argument has the
 *         wrong shape (nothing sent); otherwise as above and "Endpoints".
 */
authy_result authy_verify_client_check_verification(const authy_verify_client *client,
                                                    const char *service_sid,
                                                    const char *to,
                                                    const char *verification_sid,
                                                    const char *code,
                                                    const authy_params *options,
                                                    authy_response **out,
                                                    authy_error **error);

/**
 * Looks a phone number up with Lookup v2 (`GET /v2/PhoneNumbers/{number}` on the Lookup base
 * URL). An invalid number is a successful answer with `valid` false. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param number The number in E.164 (`+14159929960`), or national with `CountryCode`.
 * @param options NULL, or: `Fields` (comma-separated data packages, e.g.
 *        `line_type_intelligence,caller_name`), `CountryCode` (ISO 3166-1 alpha-2).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_lookup_phone_number(const authy_verify_client *client,
                                                     const char *number,
                                                     const authy_params *options,
                                                     authy_response **out,
                                                     authy_error **error);

/**
 * Makes a Verify client that shares `client`'s connections and settings but gives each call the
 * overall timeout `timeout_ms` instead of the built one (a per-call deadline), as
 * authy_client_with_timeout_ms() does for Authy. No I/O; cheap enough to make for one call.
 * Lists started from it (authy_verify_client_list_services() & co.) use its timeout per page.
 *
 * Ownership: `*out` is a new client, released with authy_verify_client_free(); it stays valid
 * after `client` is freed.
 *
 * Thread safety: like any `const authy_verify_client *`.
 *
 * @param client The client to derive from (not consumed).
 * @param timeout_ms Overall timeout of each call through the new handle, in milliseconds,
 *        greater than 0.
 * @param out Receives the new client.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for `timeout_ms` 0;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_with_timeout_ms(const authy_verify_client *client,
                                                 uint64_t timeout_ms,
                                                 const authy_verify_client **out,
                                                 authy_error **error);

/**
 * Makes a Verify client that shares `client`'s connections, settings and timeout, whose calls
 * are stopped by authy_cancel_cancel() on `cancel` (AUTHY_RESULT_CANCELLED), as
 * authy_client_with_cancel() does for Authy. No I/O. Lists started from it are stopped too.
 *
 * Ownership: `*out` is a new client, released with authy_verify_client_free(); it holds its
 * own reference to the token.
 *
 * Thread safety: like any `const authy_verify_client *`.
 *
 * @param client The client to derive from (not consumed).
 * @param cancel The token (not consumed); see authy_cancel_new().
 * @param out Receives the new client.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_with_cancel(const authy_verify_client *client,
                                             const authy_cancel *cancel,
                                             const authy_verify_client **out,
                                             authy_error **error);

/**
 * Releases a Verify client. Calls still running on other threads must have returned.
 *
 * @param client A client from authy_client_builder_build_verify(),
 *        authy_verify_client_with_timeout_ms() or authy_verify_client_with_cancel(), or NULL
 *        (no-op).
 */
void authy_verify_client_free(const authy_verify_client *client);

/**
 * Creates an Entity (`POST /v2/Services/{service_sid}/Entities`): a user of yours, named by
 * an opaque `identity` of yours (a UUID; never personal data). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity 1–64 characters (the API accepts letters, digits and `-`).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the file
 *         comment at the top of this header.
 */
authy_result authy_verify_client_create_entity(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Fetches an Entity (`GET /v2/Services/{service_sid}/Entities/{identity}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_NOT_FOUND (API code `20404`)
 *         for an unknown identity; otherwise see "Endpoints".
 */
authy_result authy_verify_client_fetch_entity(const authy_verify_client *client,
                                              const char *service_sid,
                                              const char *identity,
                                              authy_response **out,
                                              authy_error **error);

/**
 * Deletes an Entity with its factors and challenges
 * (`DELETE /v2/Services/{service_sid}/Entities/{identity}`; 204, empty body). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_delete_entity(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Starts listing a Service's Entities (`GET /v2/Services/{service_sid}/Entities`, records
 * under `/entities`). No I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param page_size Records per page, 1–1000; 0 for the API's default (50).
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or a page size over
 *         1000; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_entities(const authy_verify_client *client,
                                               const char *service_sid,
                                               uint32_t page_size,
                                               authy_pages **out,
                                               authy_error **error);

/**
 * Creates a Factor (`POST /v2/Services/{service_sid}/Entities/{identity}/Factors`; the Entity
 * is created if needed). A TOTP factor's answer carries `binding.secret` and `binding.uri`
 * (for the QR code) this once; the factor is `unverified` until
 * authy_verify_client_verify_factor() with a first code. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param friendly_name The factor's name (e.g. the device's), not empty.
 * @param factor_type `"totp"` or `"push"`.
 * @param options NULL, or the API's parameters: TOTP `Config.Alg`, `Config.TimeStep`,
 *        `Config.CodeLength`, `Config.Skew`, and `Binding.Secret` (Base32) to move an existing
 *        secret over (e.g. an Authy user's); push `Binding.Alg`, `Binding.PublicKey`,
 *        `Config.AppId`, `Config.NotificationPlatform`, `Config.NotificationToken`,
 *        `Config.SdkVersion`; `Metadata` (a JSON string).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_create_factor(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               const char *friendly_name,
                                               const char *factor_type,
                                               const authy_params *options,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Verifies a new Factor with its first code
 * (`POST /v2/Services/{service_sid}/Entities/{identity}/Factors/{factor_sid}`,
 * `AuthPayload`). AUTHY_RESULT_OK only when the factor is `verified`: a wrong code (200
 * `unverified`) is AUTHY_RESULT_TOKEN_INVALID with the answer's body in the error; too many
 * wrong codes is AUTHY_RESULT_RATE_LIMITED (API code `60310`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param factor_sid `YF` + 32 hexadecimal digits.
 * @param auth_payload The TOTP code the user typed (or, for push, the device's signature).
 * @param out Receives the verified factor, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise as above and "Endpoints".
 */
authy_result authy_verify_client_verify_factor(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               const char *factor_sid,
                                               const char *auth_payload,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Updates a Factor (`POST …/Factors/{factor_sid}`): `FriendlyName`, the `Config.*` of its
 * type. An `AuthPayload` option is refused (use authy_verify_client_verify_factor()).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param factor_sid `YF` + 32 hexadecimal digits.
 * @param options The API's parameters to change.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_update_factor(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               const char *factor_sid,
                                               const authy_params *options,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Fetches a Factor (`GET …/Entities/{identity}/Factors/{factor_sid}`; never its secret).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param factor_sid `YF` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_fetch_factor(const authy_verify_client *client,
                                              const char *service_sid,
                                              const char *identity,
                                              const char *factor_sid,
                                              authy_response **out,
                                              authy_error **error);

/**
 * Deletes a Factor and its challenges (`DELETE …/Factors/{factor_sid}`; 204). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param factor_sid `YF` + 32 hexadecimal digits.
 * @param out Receives the (empty) answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_delete_factor(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *identity,
                                               const char *factor_sid,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Starts listing an Entity's Factors (`GET …/Entities/{identity}/Factors`, records under
 * `/factors`). No I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_factors(const authy_verify_client *client,
                                              const char *service_sid,
                                              const char *identity,
                                              uint32_t page_size,
                                              authy_pages **out,
                                              authy_error **error);

/**
 * Creates a Challenge for a verified Factor
 * (`POST /v2/Services/{service_sid}/Entities/{identity}/Challenges`). With an `AuthPayload`
 * option (a TOTP code) it is a code check: AUTHY_RESULT_OK only when the challenge is
 * `approved`, a wrong code (2xx `pending`) is AUTHY_RESULT_TOKEN_INVALID with the answer's
 * body. Without one (push) the answer is the `pending` challenge the device will answer;
 * fetch it with authy_verify_client_fetch_challenge() (or wait for the `challenge.approved`
 * webhook, see authy_twilio_signature_verify()). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param factor_sid `YF` + 32 hexadecimal digits (a verified factor of the Entity).
 * @param options NULL, or: `AuthPayload` (TOTP code), `Details.Message` (required for push),
 *        `Details.Fields` (a JSON array of `{"label":…,"value":…}` objects; each is sent as
 *        one item), `HiddenDetails` (a JSON object), `ExpirationDate`
 *        (`YYYY-MM-DDTHH:MM:SSZ`), and any other parameter of the API, sent as given.
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; AUTHY_RESULT_INVALID_ARGUMENT for a
 *         `Details.Fields` or `HiddenDetails` that is not such JSON (nothing sent); otherwise
 *         as above and "Endpoints" (an unverified factor: AUTHY_RESULT_API_ERROR, API code
 *         `60318`).
 */
authy_result authy_verify_client_create_challenge(const authy_verify_client *client,
                                                  const char *service_sid,
                                                  const char *identity,
                                                  const char *factor_sid,
                                                  const authy_params *options,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * Fetches a Challenge (`GET …/Entities/{identity}/Challenges/{challenge_sid}`): its `status`
 * is `pending`, `approved`, `denied` or `expired`. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param challenge_sid `YC` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out` (whatever its status); otherwise see
 *         "Endpoints".
 */
authy_result authy_verify_client_fetch_challenge(const authy_verify_client *client,
                                                 const char *service_sid,
                                                 const char *identity,
                                                 const char *challenge_sid,
                                                 authy_response **out,
                                                 authy_error **error);

/**
 * Answers a pending TOTP Challenge with a code
 * (`POST …/Challenges/{challenge_sid}`, `AuthPayload`). AUTHY_RESULT_OK only when it becomes
 * `approved`; a wrong code (200 `pending`) is AUTHY_RESULT_TOKEN_INVALID; an answered
 * challenge is API code `60322`, an expired one `60323`, too many wrong codes `60308`
 * (AUTHY_RESULT_RATE_LIMITED). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param challenge_sid `YC` + 32 hexadecimal digits.
 * @param auth_payload The code the user typed.
 * @param options NULL, or `Metadata` (a JSON string).
 * @param out Receives the approved challenge, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise as above and "Endpoints".
 */
authy_result authy_verify_client_update_challenge(const authy_verify_client *client,
                                                  const char *service_sid,
                                                  const char *identity,
                                                  const char *challenge_sid,
                                                  const char *auth_payload,
                                                  const authy_params *options,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * Starts listing an Entity's Challenges (`GET …/Entities/{identity}/Challenges`, records
 * under `/challenges`, newest first). No I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param identity The Entity's identity.
 * @param filters NULL, or the API's filters: `FactorSid`, `Status` (`pending`, `approved`,
 *        `denied`, `expired`), `Order` (`asc`, `desc`).
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_challenges(const authy_verify_client *client,
                                                 const char *service_sid,
                                                 const char *identity,
                                                 const authy_params *filters,
                                                 uint32_t page_size,
                                                 authy_pages **out,
                                                 authy_error **error);

/**
 * Creates a Webhook (`POST /v2/Services/{service_sid}/Webhooks`): Verify POSTs the events to
 * `webhook_url`, signed with `X-Twilio-Signature` (check it with
 * authy_twilio_signature_verify()). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param friendly_name The webhook's name.
 * @param event_types Comma-separated: `factor.created`, `factor.verified`, `factor.deleted`,
 *        `challenge.approved`, `challenge.denied`, or `*` (each sent as one `EventTypes`).
 * @param webhook_url Where the events go (http or https).
 * @param options NULL, or `Status` (`enabled`, `disabled`), `Version` (`v2`, `v1`).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_create_webhook(const authy_verify_client *client,
                                                const char *service_sid,
                                                const char *friendly_name,
                                                const char *event_types,
                                                const char *webhook_url,
                                                const authy_params *options,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Fetches a Webhook (`GET /v2/Services/{service_sid}/Webhooks/{webhook_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param webhook_sid `YW` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_fetch_webhook(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *webhook_sid,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Updates a Webhook (`POST …/Webhooks/{webhook_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param webhook_sid `YW` + 32 hexadecimal digits.
 * @param options The API's parameters to change: `FriendlyName`, `EventTypes`
 *        (comma-separated), `WebhookUrl`, `Status`, `Version`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_update_webhook(const authy_verify_client *client,
                                                const char *service_sid,
                                                const char *webhook_sid,
                                                const authy_params *options,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Deletes a Webhook (`DELETE …/Webhooks/{webhook_sid}`; 204, empty body). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param webhook_sid `YW` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_delete_webhook(const authy_verify_client *client,
                                                const char *service_sid,
                                                const char *webhook_sid,
                                                authy_response **out,
                                                authy_error **error);

/**
 * Starts listing a Service's Webhooks (`GET …/Webhooks`, records under `/webhooks`). No
 * I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_webhooks(const authy_verify_client *client,
                                               const char *service_sid,
                                               uint32_t page_size,
                                               authy_pages **out,
                                               authy_error **error);

/**
 * Creates a Service Rate Limit (`POST /v2/Services/{service_sid}/RateLimits`) named
 * `unique_name`: verifications name it in their `RateLimits` option (a JSON string such as
 * `{"end_user_ip":"203.0.113.7"}`); its Buckets set the limits. **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param unique_name 1–64 of `A-Za-z0-9_-.` (a taken name is API code `60208`).
 * @param options NULL, or `Description`.
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_create_rate_limit(const authy_verify_client *client,
                                                   const char *service_sid,
                                                   const char *unique_name,
                                                   const authy_params *options,
                                                   authy_response **out,
                                                   authy_error **error);

/**
 * Fetches a Rate Limit (`GET …/RateLimits/{rate_limit_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_fetch_rate_limit(const authy_verify_client *client,
                                                  const char *service_sid,
                                                  const char *rate_limit_sid,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * Updates a Rate Limit (`POST …/RateLimits/{rate_limit_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param options `Description`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_update_rate_limit(const authy_verify_client *client,
                                                   const char *service_sid,
                                                   const char *rate_limit_sid,
                                                   const authy_params *options,
                                                   authy_response **out,
                                                   authy_error **error);

/**
 * Deletes a Rate Limit and its Buckets (`DELETE …/RateLimits/{rate_limit_sid}`; 204).
 * **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_delete_rate_limit(const authy_verify_client *client,
                                                   const char *service_sid,
                                                   const char *rate_limit_sid,
                                                   authy_response **out,
                                                   authy_error **error);

/**
 * Starts listing a Service's Rate Limits (`GET …/RateLimits`, records under
 * `/rate_limits`). No I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_rate_limits(const authy_verify_client *client,
                                                  const char *service_sid,
                                                  uint32_t page_size,
                                                  authy_pages **out,
                                                  authy_error **error);

/**
 * Adds a Bucket to a Rate Limit (`POST …/RateLimits/{rate_limit_sid}/Buckets`): at most `max`
 * verifications per `interval_seconds` for each value; the next is AUTHY_RESULT_RATE_LIMITED
 * (API code `20429`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param max Verifications allowed per interval.
 * @param interval_seconds The interval (a rate limit has one bucket per interval: `60211`).
 * @param out Receives the answer (201), owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_create_bucket(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *rate_limit_sid,
                                               uint32_t max,
                                               uint32_t interval_seconds,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Fetches a Bucket (`GET …/RateLimits/{rate_limit_sid}/Buckets/{bucket_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param bucket_sid `BL` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_fetch_bucket(const authy_verify_client *client,
                                              const char *service_sid,
                                              const char *rate_limit_sid,
                                              const char *bucket_sid,
                                              authy_response **out,
                                              authy_error **error);

/**
 * Updates a Bucket (`POST …/Buckets/{bucket_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param bucket_sid `BL` + 32 hexadecimal digits.
 * @param options `Max` and/or `Interval` (seconds).
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_update_bucket(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *rate_limit_sid,
                                               const char *bucket_sid,
                                               const authy_params *options,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Deletes a Bucket (`DELETE …/Buckets/{bucket_sid}`; 204). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param bucket_sid `BL` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints" in the
 *         file comment at the top of this header.
 */
authy_result authy_verify_client_delete_bucket(const authy_verify_client *client,
                                               const char *service_sid,
                                               const char *rate_limit_sid,
                                               const char *bucket_sid,
                                               authy_response **out,
                                               authy_error **error);

/**
 * Starts listing a Rate Limit's Buckets (`GET …/Buckets`, records under `/buckets`). No
 * I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param service_sid `VA` + 32 hexadecimal digits.
 * @param rate_limit_sid `RK` + 32 hexadecimal digits.
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad SID or page size;
 *         AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_buckets(const authy_verify_client *client,
                                              const char *service_sid,
                                              const char *rate_limit_sid,
                                              uint32_t page_size,
                                              authy_pages **out,
                                              authy_error **error);

/**
 * Starts listing the account's Verification Attempts (`GET /v2/Attempts`, records under
 * `/attempts`; one per message sent). No I/O: each authy_pages_next() fetches one page.
 *
 * @param client The client (shared, read-only; the pages keep their own reference).
 * @param filters NULL, or the API's filters: `DateCreatedAfter`, `DateCreatedBefore`,
 *        `ChannelData.To`, `Country`, `Channel`, `VerifyServiceSid`, `VerificationSid`,
 *        `Status`.
 * @param page_size Records per page, 1–1000; 0 for the API's default.
 * @param out Receives the pages, owned by the caller (authy_pages_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_verify_client_list_attempts(const authy_verify_client *client,
                                               const authy_params *filters,
                                               uint32_t page_size,
                                               authy_pages **out,
                                               authy_error **error);

/**
 * Fetches a Verification Attempt (`GET /v2/Attempts/{attempt_sid}`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param attempt_sid `VL` + 32 hexadecimal digits.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_fetch_attempt(const authy_verify_client *client,
                                               const char *attempt_sid,
                                               authy_response **out,
                                               authy_error **error);

/**
 * The Attempts' summary (`GET /v2/Attempts/Summary`: `total_attempts`,
 * `total_converted`, `total_unconverted`, `conversion_rate_percentage`). **Blocks.**
 *
 * @param client The client (shared, read-only).
 * @param filters NULL, or the filters of authy_verify_client_list_attempts() and
 *        `DestinationPrefix`.
 * @param out Receives the answer, owned by the caller (authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK with the answer in `*out`; otherwise see "Endpoints".
 */
authy_result authy_verify_client_attempts_summary(const authy_verify_client *client,
                                                  const authy_params *filters,
                                                  authy_response **out,
                                                  authy_error **error);

/**
 * The HTTP status of the answer (e.g. 200).
 *
 * @param response The response (may be NULL).
 * @return The status, or 0 when `response` is NULL.
 */
uint16_t authy_response_status(const authy_response *response);

/**
 * The raw body of the answer, as received (JSON text for every Authy answer). A JSON escape
 * such as `\u0000` stays the six characters it is; only a body that is not JSON can hold a
 * NUL byte, which is replaced with U+FFFD ("U+0000 in text" at the top of this header).
 *
 * @param response The response (may be NULL).
 * @return A NUL-terminated string owned by `response`; NULL when `response` is NULL.
 */
const char *authy_response_body(const authy_response *response);

/**
 * Whether the call succeeded as the official clients define it: Authy status 200, and for a
 * token verification also `"token":"is valid"`; Twilio any 2xx, and for a VerificationCheck also
 * `"status":"approved"` (a `pending` answer is a wrong code). Always true for the answers of the endpoint
 * functions (they report unsuccessful answers as errors); useful after authy_client_request().
 *
 * @param response The response (may be NULL).
 * @return true on success; false otherwise or when `response` is NULL.
 */
bool authy_response_ok(const authy_response *response);

/**
 * The `ignored` flag of an SMS or call answer: true when the API did not send the code because
 * the user has the Authy app (set the option `force` to send anyway).
 *
 * @param response The response (may be NULL).
 * @return The flag; false when absent or `response` is NULL.
 */
bool authy_response_ignored(const authy_response *response);

/**
 * Turns an answer into a result: AUTHY_RESULT_OK when authy_response_ok(), else the code of the
 * error it corresponds to (401 → AUTHY_RESULT_UNAUTHORIZED, 404 → AUTHY_RESULT_NOT_FOUND, ...),
 * with details (status, API code, message, body) in `*error`.
 *
 * @param response The response.
 * @param error Optional error details.
 * @return As described, or AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_response_check(const authy_response *response, authy_error **error);

/**
 * The top-level `message` of the answer, or else `errors.message`.
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_message(const authy_response *response);

/**
 * The API's error code of the answer: Authy `error_code` (e.g. `"60026"`, see
 * authy_catalog_lookup()) or, for a Verify client's answer, Twilio `code` (e.g. `"20404"`).
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_authy_code(const authy_response *response);

/**
 * The Authy id of a user creation answer (`user.id`) or user status answer
 * (`status.authy_id`), as decimal text.
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_user_id(const authy_response *response);

/**
 * The uuid of a created approval request (`approval_request.uuid`).
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_approval_uuid(const authy_response *response);

/**
 * The status of an approval request (`approval_request.status`): `"pending"`, `"approved"`,
 * `"denied"` or `"expired"`.
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent, not one of the four values, or
 *         `response` is NULL.
 */
const char *authy_response_approval_status(const authy_response *response);

/**
 * The uuid of a phone verification start answer (`uuid`).
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_verification_uuid(const authy_response *response);

/**
 * The masked cellphone of an SMS or call answer (`cellphone`, like `+1-XXX-XXX-XX34`).
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_cellphone(const authy_response *response);

/**
 * The QR code image URL of a QR code answer (`qr_code`).
 *
 * @param response The response (may be NULL).
 * @return A string owned by `response`; NULL when absent or `response` is NULL.
 */
const char *authy_response_qr_code(const authy_response *response);

/**
 * `seconds_to_expire` of a phone verification or approval request answer.
 *
 * @param response The response.
 * @param out Receives the value.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent; AUTHY_RESULT_NULL_ARGUMENT.
 */
authy_result authy_response_seconds_to_expire(const authy_response *response,
                                              uint64_t *out,
                                              authy_error **error);

/**
 * Reads a value of the answer by RFC 6901 JSON pointer (e.g. `"/app/name"`,
 * `"/stats/0/month"`; `""` is the whole document), as text: strings as they are (decoded, with
 * each U+0000, JSON `"\u0000"`, replaced with U+FFFD: see "U+0000 in text" at the top of this
 * header), numbers and booleans in JSON notation.
 *
 * @param response The response.
 * @param json_pointer The pointer.
 * @param out Receives a string owned by `response` (valid until authy_response_free()).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when the pointer does not resolve, or resolves
 *         to null, an array or an object; AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_response_get_string(const authy_response *response,
                                       const char *json_pointer,
                                       const char **out,
                                       authy_error **error);

/**
 * Reads an integer of the answer by JSON pointer: a JSON integer, or a string holding a decimal
 * integer (the API sends some ids as strings).
 *
 * @param response The response.
 * @param json_pointer The pointer.
 * @param out Receives the value.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent, not an integer, or out of the
 *         int64_t range; AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_response_get_i64(const authy_response *response,
                                    const char *json_pointer,
                                    int64_t *out,
                                    authy_error **error);

/**
 * Reads a boolean of the answer by JSON pointer: JSON `true`/`false`, or the strings `"true"` /
 * `"false"` (token verification answers `"success":"true"`).
 *
 * @param response The response.
 * @param json_pointer The pointer.
 * @param out Receives the value.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when absent or not a boolean;
 *         AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_response_get_bool(const authy_response *response,
                                     const char *json_pointer,
                                     bool *out,
                                     authy_error **error);

/**
 * How many HTTP headers the answer had (see authy_response_header_name() and
 * authy_response_header_value()).
 *
 * @param response The response (may be NULL).
 * @return The number of headers; 0 when `response` is NULL.
 */
size_t authy_response_header_count(const authy_response *response);

/**
 * The name of the answer's header number `index` (0-based, in the order received), in lower
 * case (e.g. `"content-type"`). A name may repeat (e.g. several `set-cookie`).
 *
 * @param response The response (may be NULL).
 * @param index 0 to authy_response_header_count() - 1.
 * @return A string owned by `response`; NULL when `index` is out of range or `response` is
 *         NULL.
 */
const char *authy_response_header_name(const authy_response *response, size_t index);

/**
 * The value of the answer's header number `index` (0-based), as received (a value that is
 * not UTF-8 is lossily converted).
 *
 * @param response The response (may be NULL).
 * @param index 0 to authy_response_header_count() - 1.
 * @return A string owned by `response`; NULL when `index` is out of range or `response` is
 *         NULL.
 */
const char *authy_response_header_value(const authy_response *response, size_t index);

/**
 * Releases a response and every string borrowed from it.
 *
 * @param response A response from libauthy, or NULL (no-op).
 */
void authy_response_free(authy_response *response);

/**
 * The result code of an error.
 *
 * @param error The error (may be NULL).
 * @return Its code, or AUTHY_RESULT_NULL_ARGUMENT when `error` is NULL.
 */
authy_result authy_error_code(const authy_error *error);

/**
 * The human-readable message of an error (English; never contains the API key).
 *
 * @param error The error (may be NULL).
 * @return A NUL-terminated string owned by `error`, valid until authy_error_free(error);
 *         NULL when `error` is NULL.
 */
const char *authy_error_message(const authy_error *error);

/**
 * The HTTP status of the API answer the error describes.
 *
 * @param error The error (may be NULL).
 * @return The status (e.g. 404), or 0 when the error does not come from an API answer (argument,
 *         transport, decoding errors) or `error` is NULL.
 */
uint16_t authy_error_http_status(const authy_error *error);

/**
 * The API's error code of the answer the error describes: Authy `error_code` (e.g. `"60026"`,
 * see authy_catalog_lookup()) or Twilio `code` (e.g. `"20404"`). The two APIs' 600xx codes mean
 * different things: read it with the API the call went to. Also set for a value refused before
 * any I/O because the API certainly refuses it (AUTHY_RESULT_INVALID_ARGUMENT with the API's own
 * code and message, e.g. `"60020"` "Token is invalid" for a token that is not 6–12 digits).
 *
 * @param error The error (may be NULL).
 * @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
 *         when there is no code (an answer without one, a value that cannot be sent safely) or
 *         `error` is NULL.
 */
const char *authy_error_api_code(const authy_error *error);

/**
 * The same as authy_error_api_code() (its name from when there was one API; kept as an alias).
 *
 * @param error The error (may be NULL).
 * @return As authy_error_api_code().
 */
const char *authy_error_authy_code(const authy_error *error);

/**
 * The `more_info` URL of a Twilio error answer (a page on its code), e.g.
 * `"https://www.twilio.com/docs/errors/20404"`.
 *
 * @param error The error (may be NULL).
 * @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
 *         for Authy answers, errors without an answer, or when `error` is NULL.
 */
const char *authy_error_more_info(const authy_error *error);

/**
 * The delay the server asked for before trying again: the `Retry-After` of a 429 or 503 answer.
 *
 * @param error The error (may be NULL).
 * @return Milliseconds; 0 when the answer had no `Retry-After` (or it was 0), the error does not
 *         come from an answer, or `error` is NULL.
 */
uint64_t authy_error_retry_after_ms(const authy_error *error);

/**
 * How many attempts the failed call made: 0 when it was refused before any I/O (invalid
 * argument), 1 without a retry, more after stale-connection resends or retries (see
 * authy_client_builder_set_retries()).
 *
 * @param error The error (may be NULL).
 * @return The number of attempts; 0 when `error` is NULL.
 */
uint32_t authy_error_attempts(const authy_error *error);

/**
 * Whether the request of the failed call may have reached the server in one of its attempts.
 *
 * `false` means it provably did not (refused before I/O; the name lookup, the connection or the
 * TLS handshake failed; no write of it succeeded): a side effect such as an SMS cannot have
 * happened, and the call can be repeated. `true` (AUTHY_RESULT_TIMEOUT, _NO_RESPONSE,
 * _TRUNCATED, an API answer, ...) means it may have: repeating an SMS request may send a second
 * SMS.
 *
 * @param error The error (may be NULL).
 * @return true when the request may have reached the server; false otherwise or for NULL.
 */
bool authy_error_request_sent(const authy_error *error);

/**
 * The raw body of the unsuccessful API answer the error describes (JSON text, e.g.
 * `{"message":"User was not valid","errors":{"cellphone":"is invalid"},...}`), for details the
 * message does not carry.
 *
 * @param error The error (may be NULL).
 * @return A NUL-terminated string owned by `error`, valid until authy_error_free(error); NULL
 *         when the error does not come from an API answer or `error` is NULL.
 */
const char *authy_error_body(const authy_error *error);

/**
 * Releases an error.
 *
 * @param error An error received from libauthy, or NULL (no-op). Must not be used afterwards,
 *        nor any string borrowed from it.
 */
void authy_error_free(authy_error *error);

/**
 * Creates an empty parameter set.
 *
 * @return A new set owned by the caller (release it with authy_params_free()); NULL only if
 *         libauthy hit an internal error.
 */
authy_params *authy_params_new(void);

/**
 * Sets one parameter.
 *
 * Keys use Rack/Rails nesting, as the Authy API expects:
 * - `"force"` → a plain value;
 * - `"details[Location]"` → the entry `Location` of the map `details` (nesting up to 8 levels;
 *   a digit key such as `"logos[0][res]"` is a map key too, as Rack reads it);
 * - `"logos[][res]"`, `"logos[][url]"` → arrays of maps: a key the last element already has
 *   starts a new element, so set `res` then `url` for each logo in turn.
 *
 * Setting an existing key replaces its value in place (order is kept). Booleans are written
 * `"true"` / `"false"`, numbers in decimal. Endpoint functions document the keys they accept
 * and refuse unknown keys with AUTHY_RESULT_INVALID_ARGUMENT.
 *
 * @param params The set (exclusive access during the call).
 * @param key The key path (1–1024 bytes).
 * @param value The value (copied).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK, AUTHY_RESULT_INVALID_ARGUMENT for a malformed key, a plain-value
 *         array (`"a[]"`) or more than 1000 entries (the set is then unchanged),
 *         AUTHY_RESULT_NULL_ARGUMENT, AUTHY_RESULT_INVALID_UTF8.
 */
authy_result authy_params_set(authy_params *params,
                              const char *key,
                              const char *value,
                              authy_error **error);

/**
 * Releases a parameter set.
 *
 * @param params A set from authy_params_new(), or NULL (no-op).
 */
void authy_params_free(authy_params *params);

/**
 * Checks the signature of a OneTouch callback received by your web application.
 *
 * Authy signs each callback with the application's API key: the signature covers the nonce, the
 * method, the callback URL and every parameter (JSON body for POST, query string for GET).
 * The comparison is constant-time.
 *
 * **Replays:** a valid signature only proves that Authy sent this callback at some time; a
 * captured callback still verifies later. Pass a replay window (`max_age_seconds`, at most
 * 300) and de-duplicate on the approval request's top-level `uuid` parameter: act once per
 * `uuid` and ignore later callbacks for a `uuid` already handled. `max_age_seconds = 0` (no
 * window) is only for checking recorded callbacks.
 *
 * A body or query that repeats a key (a JSON object with the same key twice, or `a=1&a=2`;
 * array keys `a[]` may repeat) is rejected as malformed: your own parser might read the
 * other, unsigned value. The signature does not cover JSON types (`"1"` and `1`, `null` and
 * `""` sign alike): compare values as strings, e.g. `status` equal to `"approved"`.
 *
 * @param api_key Your Authy API key (the one the client uses).
 * @param method `"POST"` or `"GET"` (ASCII case ignored).
 * @param url The callback URL as configured in Authy: scheme, host, optional port and path.
 *        A query string or fragment is ignored. Behind a proxy, use the public URL (scheme
 *        included) the callback was sent to.
 * @param nonce The `X-Authy-Signature-Nonce` header value.
 * @param signature The `X-Authy-Signature` header value, exactly as received (HTTP servers
 *        hand header values over trimmed): surrounding whitespace makes it malformed. Pass `""`
 *        when the header is missing.
 * @param body_or_query POST: the raw request body (JSON); an empty body is malformed, not "no
 *        parameters". GET: the raw query string (with or without the leading `?`), exactly as
 *        received: empty components (`&&`, a leading `&`, which Rails writes for a nested hash
 *        whose values are all empty) are part of what Authy signs. At most 1 MiB.
 * @param max_age_seconds Replay window: when non-zero, a callback whose nonce (a Unix time) is
 *        more than this many seconds away from now is rejected, and so is a nonce that is not a
 *        number. At most 300: a larger value is refused with AUTHY_RESULT_INVALID_ARGUMENT
 *        (nothing is verified). 0 disables the check (not recommended in production; use 300).
 * @param now_unix The current Unix time for the replay window; 0 uses the system clock. A
 *        value above INT64_MAX (e.g. UINT64_MAX) is refused with AUTHY_RESULT_INVALID_ARGUMENT,
 *        with or without a window.
 * @param error Optional error details; the message says why a callback was rejected.
 * @return AUTHY_RESULT_OK when the callback is authentic (and fresh, if a window is set);
 *         AUTHY_RESULT_SIGNATURE_INVALID when it is not (bad or malformed signature, tampered
 *         parameters, stale nonce, malformed or empty body, or a repeated key);
 *         AUTHY_RESULT_INVALID_ARGUMENT for an empty key or URL, a method other than GET/POST,
 *         `max_age_seconds` above 300 or `now_unix` above INT64_MAX; AUTHY_RESULT_NULL_ARGUMENT /
 *         AUTHY_RESULT_INVALID_UTF8 for bad strings. Anything but AUTHY_RESULT_OK means: reject.
 *
 * Thread safety: may be called from any thread. Does no I/O.
 */
authy_result authy_callback_verify(const char *api_key,
                                   const char *method,
                                   const char *url,
                                   const char *nonce,
                                   const char *signature,
                                   const char *body_or_query,
                                   uint64_t max_age_seconds,
                                   uint64_t now_unix,
                                   authy_error **error);

/**
 * Like authy_callback_verify(), and on success hands out the parameters it verified, so that
 * the application reads `status` and `uuid` from what the signature covers (with
 * authy_callback_get_string()) instead of parsing the body itself.
 *
 * The same replay advice applies: pass a replay window (`max_age_seconds`, at most 300; larger
 * is AUTHY_RESULT_INVALID_ARGUMENT) and act
 * once per top-level `uuid` (read it with authy_callback_get_string(cb, "/uuid", ...)).
 *
 * @param api_key, method, url, nonce, signature, body_or_query, max_age_seconds, now_unix As
 *        for authy_callback_verify().
 * @param out Receives the verified parameters, on success only (untouched otherwise).
 *        Required. Free them with authy_callback_free().
 * @param error Optional error details; the message says why a callback was rejected.
 * @return The same codes as authy_callback_verify(); AUTHY_RESULT_NULL_ARGUMENT also when
 *         `out` is NULL. Anything but AUTHY_RESULT_OK means: reject.
 *
 * Thread safety: may be called from any thread. Does no I/O.
 */
authy_result authy_callback_verify_params(const char *api_key,
                                          const char *method,
                                          const char *url,
                                          const char *nonce,
                                          const char *signature,
                                          const char *body_or_query,
                                          uint64_t max_age_seconds,
                                          uint64_t now_unix,
                                          authy_callback **out,
                                          authy_error **error);

/**
 * Reads a verified callback parameter by RFC 6901 JSON pointer: `"/status"`, `"/uuid"`,
 * `"/approval_request/transaction/details/Location"`, `"/approval_request/logos/0/url"`
 * (array elements by index, `~1` for `/` and `~0` for `~` in keys). For a GET callback the
 * query's bracketed keys are nested the same way (`details[Location]` is
 * `"/details/Location"`).
 *
 * Strings, numbers (their JSON text) and booleans (`"true"`/`"false"`) come back as text, and
 * `null` (or a GET key without `=`) as `""`: the signature does not tell these types apart, so
 * compare text, e.g. `status` equal to `"approved"`.
 *
 * @param cb Verified parameters from authy_callback_verify_params().
 * @param json_pointer The pointer.
 * @param out Receives a string owned by `cb` (valid until authy_callback_free()); untouched on
 *        failure.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_NO_VALUE when nothing is there, the value is an object
 *         or an array, or its bytes are not UTF-8 (possible in a GET query);
 *         AUTHY_RESULT_NULL_ARGUMENT; AUTHY_RESULT_INVALID_UTF8 for a bad `json_pointer`.
 *
 * Thread safety: may be called from several threads at once on the same `cb`.
 */
authy_result authy_callback_get_string(const authy_callback *cb,
                                       const char *json_pointer,
                                       const char **out,
                                       authy_error **error);

/**
 * Releases verified callback parameters and the strings read from them.
 *
 * @param cb Parameters from authy_callback_verify_params(), or NULL (no-op).
 *
 * Thread safety: no other thread may use `cb` during or after the call.
 */
void authy_callback_free(authy_callback *cb);

/**
 * Computes the `X-Authy-Signature` Authy would send for a callback (to sign test callbacks, or
 * to debug a mismatch). To check a received callback use authy_callback_verify().
 *
 * @param api_key, method, url, nonce, body_or_query As for authy_callback_verify().
 * @param out Receives the NUL-terminated base64 signature (44 characters). Required.
 * @param out_size Size of `out` in bytes; at least AUTHY_SIGNATURE_BUFFER_SIZE (45).
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK; AUTHY_RESULT_INVALID_ARGUMENT for a bad method/key/URL or a buffer
 *         that is too small; AUTHY_RESULT_SIGNATURE_INVALID when the parameters cannot be parsed.
 *
 * Thread safety: may be called from any thread. Does no I/O.
 */
authy_result authy_callback_sign(const char *api_key,
                                 const char *method,
                                 const char *url,
                                 const char *nonce,
                                 const char *body_or_query,
                                 char *out,
                                 size_t out_size,
                                 authy_error **error);

/**
 * Checks the `X-Twilio-Signature` of a webhook Twilio sent to your application (Verify Push
 * events: `factor.created`, `factor.verified`, `challenge.approved`...): Base64(HMAC-SHA1(Auth
 * Token, URL + the form parameters, names and values in sorted order)). The comparison is
 * constant-time. As twilio-python's RequestValidator, the URL is also tried without its port
 * (when it has one) and with the scheme's default port `:443` / `:80` (when it has none).
 *
 * A JSON-bodied webhook signs the URL alone, and the URL's query carries
 * `bodySHA256=<hex SHA-256 of the body>`: when `url` has `bodySHA256`, the body must hash to
 * it (AUTHY_RESULT_SIGNATURE_INVALID otherwise) and is not read as a form.
 *
 * Read the event's parameters from the same body you passed here.
 *
 * @param auth_token The Auth Token of the account the webhook belongs to (never shown in an
 *        error).
 * @param url The full URL Twilio requested, query string included, as configured in Twilio
 *        (behind a proxy: the public URL, scheme included).
 * @param body The raw request body: `application/x-www-form-urlencoded` parameters, or the
 *        JSON body when `url` has `bodySHA256`; `""` for a GET webhook. At most 1 MiB.
 * @param signature The `X-Twilio-Signature` header value, exactly as received; `""` when the
 *        header is missing.
 * @param error Optional error details; the message says why a webhook was rejected.
 * @return AUTHY_RESULT_OK when the webhook is authentic; AUTHY_RESULT_SIGNATURE_INVALID when
 *         it is not (wrong or malformed signature, tampered parameters or URL, a body that is
 *         not the one `bodySHA256` names, a body over 1 MiB); AUTHY_RESULT_INVALID_ARGUMENT
 *         for an empty Auth Token or URL; AUTHY_RESULT_NULL_ARGUMENT / AUTHY_RESULT_INVALID_UTF8
 *         for bad strings. Anything but AUTHY_RESULT_OK means: reject.
 *
 * Thread safety: may be called from any thread. Does no I/O.
 */
authy_result authy_twilio_signature_verify(const char *auth_token,
                                           const char *url,
                                           const char *body,
                                           const char *signature,
                                           authy_error **error);

/**
 * Looks up an Authy error code (as found in a response's `error_code`, e.g. 60026) in the
 * offline catalog.
 *
 * @param code The numeric code.
 * @param meaning_out Receives a short English meaning (e.g. `"User not found"`): a static
 *        string, valid for the life of the process, never to be freed. Required.
 * @param http_status_out Optional (may be NULL): receives the HTTP status the API answers with
 *        for this code, or 0 when no source records one.
 * @param error Optional error details.
 * @return AUTHY_RESULT_OK when the code is known, AUTHY_RESULT_NO_VALUE when it is not (outputs
 *         untouched), AUTHY_RESULT_NULL_ARGUMENT when `meaning_out` is NULL.
 *
 * Thread safety: may be called from any thread. Does no I/O.
 */
authy_result authy_catalog_lookup(uint32_t code,
                                  const char **meaning_out,
                                  uint16_t *http_status_out,
                                  authy_error **error);

/**
 * Whether a request is a read of the API: a call without a side effect, which the library may
 * send again after any failure (with retries on, see authy_client_builder_set_retries()).
 * Everything else — an SMS, a call, a token or code check, any change, and any path outside
 * the library's endpoint table — is treated as having a side effect and is sent again only
 * when it provably never reached the server. The same rule classifies authy_client_request().
 *
 * @param method The HTTP method, upper case (`"GET"`).
 * @param path The path below the base URL, without a query string
 *        (`"/protected/json/users/42/status"`).
 * @return true for a read; false otherwise, or when an argument is NULL or not UTF-8.
 */
bool authy_endpoint_is_read(const char *method, const char *path);

/**
 * A short English description of a result code, e.g. `"timed out"`.
 *
 * @param result Any number; unknown numbers give `"unknown result code"`.
 * @return A static NUL-terminated string; never NULL, never to be freed.
 *
 * Thread safety: may be called from any thread.
 */
const char *authy_result_str(uint32_t result);

/**
 * The C name of a result code, e.g. `"AUTHY_RESULT_TIMEOUT"` (for logs and bindings).
 *
 * @param result Any number; unknown numbers give `"AUTHY_RESULT_UNKNOWN"`.
 * @return A static NUL-terminated string; never NULL, never to be freed.
 *
 * Thread safety: may be called from any thread.
 */
const char *authy_result_name(uint32_t result);

/**
 * The library version, e.g. `"0.1.0"`.
 *
 * @return A static NUL-terminated string; never NULL, never to be freed.
 *
 * Thread safety: may be called from any thread.
 */
const char *authy_version(void);

/**
 * The library version as one number, `MAJOR * 10000 + MINOR * 100 + PATCH` (0.1.0 → 100).
 *
 * Compare with the header's `AUTHY_VERSION_NUMBER` to detect a header/library mismatch.
 *
 * Thread safety: may be called from any thread.
 */
uint32_t authy_version_number(void);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* AUTHY_H */
