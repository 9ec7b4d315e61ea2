// Package authy is the Go binding of libauthy, a client of the Authy two-factor authentication
// REST API (users, SMS / voice / e-mail tokens, token verification, OneTouch push approvals and
// their signed callbacks, phone verification and intelligence, application details and
// statistics), over its C ABI with cgo.
//
//	client, err := authy.NewClient(apiKey)          // options: authy.WithTimeout(5*time.Second), ...
//	if err != nil { ... }
//	defer client.Close()
//	_, err = client.VerifyToken(ctx, authyID, token, nil)
//	switch {
//	case err == nil:                                  // valid: the only case that lets the user in
//	case errors.Is(err, authy.ErrTokenInvalid):       // wrong token
//	default:                                          // API or network trouble: deny, log err
//	}
//
// # Conventions
//
// Errors. A failed call returns an *Error carrying the libauthy result code and name, the HTTP
// status, the Authy error_code, the message and the raw body of the answer. Match it with
// errors.Is against the sentinels (ErrTokenInvalid, ErrUnauthorized, ErrNotFound,
// ErrRateLimited, ErrTimeout, ErrConnect, ErrTransport, ErrInvalidArgument,
// ErrSignatureInvalid, ...) or read it with errors.As. Endpoints fail closed: an unsuccessful
// answer of the API is an error, never a result, so err == nil after VerifyToken means valid.
// Error.Attempts, Error.RequestSent (may the request have reached the server?) and
// Error.RetryAfter tell what happened on the wire; WithRetries opts into retries that never
// repeat a side effect. Errors never contain the API key.
//
// Contexts. Every network method takes a context first. A context already done is refused
// before any I/O (the error matches context.Canceled / context.DeadlineExceeded). A deadline
// sooner than the client's timeout becomes the call's timeout (through
// authy_client_with_timeout_ms, which shares the connection pool); the timeout error then also
// matches context.DeadlineExceeded. A cancellation during a call stops it within
// milliseconds: the call's cancel token (authy_cancel) shuts its connection down, which is
// never reused; the error matches ErrCancelled and context.Canceled, and Error.RequestSent
// says whether the request may have had its effect (an SMS sent). A TCP connect in progress
// is bounded by the connect timeout. WaitForApprovalRequest polls from Go and stops at once
// when the context is cancelled.
//
// Ownership. A Client owns a C handle: call Close when done (a finalizer is only a safety net).
// Close waits for the calls in flight and later calls return ErrClosed. Results are plain Go
// values copied out of the C answer, which is freed before the method returns; each embeds a
// Response whose Body / RawJSON / Decode give the raw JSON. CallbackParams own a C handle too
// (Close, or the finalizer).
//
// Threads. A Client is safe for concurrent use by any number of goroutines; all calls share one
// keep-alive pool (WithMaxIdleConnsPerHost should be at least the number of goroutines calling
// at once). Each call blocks its goroutine and one OS thread inside cgo for the duration of the
// HTTP exchange; bound your concurrency if you start thousands of calls at once.
//
// Strings. Go strings may contain NUL bytes, C strings may not: such an argument is refused
// with ErrInvalidArgument instead of being silently cut.
//
// Linking. By default the package links against this repository's build tree
// (../../target/release, after make build), with an rpath. For an installed libauthy build with
// -tags authy_pkgconfig (cgo asks pkg-config for "authy"), or set CGO_CFLAGS and CGO_LDFLAGS.
package authy
