package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Code is a libauthy result code (the C enum authy_result). The numbers are stable and grouped
// by cause: 1xx invalid argument, 2xx transport, 3xx API answer, 4xx decoding, 5xx internal,
// 6xx callback signature. New codes may appear in later versions.
type Code uint32

// The result codes of include/authy.h.
const (
	CodeOK                 Code = C.AUTHY_RESULT_OK
	CodeInvalidArgument    Code = C.AUTHY_RESULT_INVALID_ARGUMENT
	CodeNullArgument       Code = C.AUTHY_RESULT_NULL_ARGUMENT
	CodeInvalidUTF8        Code = C.AUTHY_RESULT_INVALID_UTF8
	CodeErrorSlotInUse     Code = C.AUTHY_RESULT_ERROR_SLOT_IN_USE
	CodeConnect            Code = C.AUTHY_RESULT_CONNECT
	CodeDNS                Code = C.AUTHY_RESULT_DNS
	CodeTLS                Code = C.AUTHY_RESULT_TLS
	CodeTimeout            Code = C.AUTHY_RESULT_TIMEOUT
	CodeIO                 Code = C.AUTHY_RESULT_IO
	CodeConnectTimeout     Code = C.AUTHY_RESULT_CONNECT_TIMEOUT
	CodeNoResponse         Code = C.AUTHY_RESULT_NO_RESPONSE
	CodeTruncated          Code = C.AUTHY_RESULT_TRUNCATED
	CodeCancelled          Code = C.AUTHY_RESULT_CANCELLED
	CodeUnauthorized       Code = C.AUTHY_RESULT_UNAUTHORIZED
	CodeRateLimited        Code = C.AUTHY_RESULT_RATE_LIMITED
	CodeNotFound           Code = C.AUTHY_RESULT_NOT_FOUND
	CodeInvalidParameters  Code = C.AUTHY_RESULT_INVALID_PARAMETERS
	CodeConflict           Code = C.AUTHY_RESULT_CONFLICT
	CodeServerError        Code = C.AUTHY_RESULT_SERVER_ERROR
	CodeAPIError           Code = C.AUTHY_RESULT_API_ERROR
	CodeTokenInvalid       Code = C.AUTHY_RESULT_TOKEN_INVALID
	CodeDecode             Code = C.AUTHY_RESULT_DECODE
	CodeNoValue            Code = C.AUTHY_RESULT_NO_VALUE
	CodeInternal           Code = C.AUTHY_RESULT_INTERNAL
	CodePanic              Code = C.AUTHY_RESULT_PANIC
	CodeSignatureInvalid   Code = C.AUTHY_RESULT_SIGNATURE_INVALID
	codeInvalidArgumentMax Code = 199
)

// String is the C name of the code, e.g. "AUTHY_RESULT_TIMEOUT".
func (c Code) String() string { return C.GoString(C.authy_result_name(C.uint32_t(c))) }

// Description is a short English description of the code, e.g. "timed out".
func (c Code) Description() string { return C.GoString(C.authy_result_str(C.uint32_t(c))) }

// Error describes a failed call: the libauthy result code and, for an answer of the API, its
// HTTP status, Authy error_code, message and raw body; and what the call did on the wire
// (attempts, whether the request may have reached the server, the server's Retry-After).
// Match it with errors.Is against the Err... sentinels (errors.Is(err, authy.ErrTokenInvalid))
// or extract it with errors.As. It never contains the API key.
type Error struct {
	Code       Code   // the libauthy result code
	Name       string // its C name, e.g. "AUTHY_RESULT_TOKEN_INVALID"
	HTTPStatus int    // HTTP status of the API answer, 0 when there was none
	AuthyCode  string // the API's error code (Authy error_code, Twilio code), e.g. "60020"; "" when absent
	APICode    string // the same code, named for both APIs (Twilio Verify: "20404", "60202"...)
	MoreInfo   string // Twilio's more_info URL; "" for Authy and when absent
	Message    string // human-readable message
	Body       string // raw body of the unsuccessful answer; "" when there was none

	// Attempts is how many attempts the call made: 0 when it was refused before any I/O, 1
	// without a retry, more after a stale-connection resend or WithRetries.
	Attempts int
	// RequestSent is true when the request may have reached the server in one of the attempts
	// (a timeout after sending, NoResponse, Truncated, any API answer): repeating a call with a
	// side effect may then repeat it (a second SMS). false means it provably did not.
	RequestSent bool
	// RetryAfter is the Retry-After of a 429 or 503 answer; 0 when there was none.
	RetryAfter time.Duration

	// twilio marks an error of a VerifyClient call (the code is Twilio's).
	twilio bool

	// ctxErr is the context error when the call was cut short by its context (cancelled, or
	// its deadline passed).
	ctxErr error
}

// Error formats the error as "authy: MESSAGE (NAME, HTTP n, Authy code)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("authy: ")
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Code.Description())
	}
	b.WriteString(" (")
	b.WriteString(e.Name)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.HTTPStatus)
	}
	if e.APICode != "" {
		if e.twilio {
			b.WriteString(", Twilio ")
		} else {
			b.WriteString(", Authy ")
		}
		b.WriteString(e.APICode)
	}
	b.WriteString(")")
	return b.String()
}

// Is reports whether the error belongs to the group of a sentinel (errors.Is(err,
// authy.ErrNotFound)). An error caused by the context also matches its error
// (context.Canceled or context.DeadlineExceeded, through Unwrap).
func (e *Error) Is(target error) bool {
	if s, ok := target.(*sentinel); ok {
		return s.match(e.Code) && (s.apiCode == "" || s.apiCode == e.APICode)
	}
	return false
}

// Unwrap returns the context error when the call was cut short by its context.
func (e *Error) Unwrap() error { return e.ctxErr }

// Meaning looks the Authy error code up in the offline catalog ("" when absent or unknown,
// and for Twilio codes).
func (e *Error) Meaning() string {
	if e.twilio {
		return "" // the catalog is Authy's
	}
	n, err := strconv.ParseUint(e.AuthyCode, 10, 32)
	if err != nil {
		return ""
	}
	m, _, ok := LookupErrorCode(int(n))
	if !ok {
		return ""
	}
	return m
}

type sentinel struct {
	msg     string
	match   func(Code) bool
	apiCode string // when set, the API code must be this one too
}

func (s *sentinel) Error() string { return s.msg }

func one(c Code) func(Code) bool                      { return func(x Code) bool { return x == c } }
func rng(lo, hi Code) func(Code) bool                 { return func(x Code) bool { return x >= lo && x <= hi } }
func newSentinel(msg string, m func(Code) bool) error { return &sentinel{msg, m, ""} }

// apiSentinel matches one result code with one API code.
func apiSentinel(msg string, c Code, apiCode string) error { return &sentinel{msg, one(c), apiCode} }

// Sentinels for errors.Is. Groups: ErrInvalidArgument (1xx), ErrTransport (2xx), ErrAPI (3xx),
// ErrDecode (4xx), ErrInternal (5xx); the others match one code.
var (
	// ErrInvalidArgument: an argument was refused before any I/O (1xx), including NUL bytes in
	// a Go string and values out of range of the C types.
	ErrInvalidArgument = newSentinel("authy: invalid argument", rng(100, codeInvalidArgumentMax))
	// ErrTransport: no (complete) answer from the API (2xx: connect, DNS, TLS, timeouts, I/O,
	// no response, truncated answer).
	ErrTransport = newSentinel("authy: transport error", rng(200, 299))
	// ErrConnect: the TCP connection could not be established.
	ErrConnect = newSentinel("authy: connect failed", one(CodeConnect))
	// ErrDNS: the host name could not be resolved.
	ErrDNS = newSentinel("authy: name resolution failed", one(CodeDNS))
	// ErrTLS: the TLS handshake failed.
	ErrTLS = newSentinel("authy: TLS handshake failed", one(CodeTLS))
	// ErrTimeout: a timeout expired after the request was sent (the client's, or the
	// context's deadline): it may have reached the server.
	ErrTimeout = newSentinel("authy: timed out", one(CodeTimeout))
	// ErrIO: another I/O error while talking to the server.
	ErrIO = newSentinel("authy: I/O error", one(CodeIO))
	// ErrConnectTimeout: a timeout expired before the request could be sent (while
	// connecting, or before any write of it succeeded): nothing reached the server.
	ErrConnectTimeout = newSentinel("authy: timed out before sending", one(CodeConnectTimeout))
	// ErrNoResponse: the connection was closed or reset before any byte of the answer; the
	// request was sent and may have taken effect.
	ErrNoResponse = newSentinel("authy: no response", one(CodeNoResponse))
	// ErrTruncated: the answer was cut off after its headers; the server received the request.
	ErrTruncated = newSentinel("authy: truncated answer", one(CodeTruncated))
	// ErrCancelled: the call was stopped because its context was cancelled or its deadline
	// passed while it ran (the error also matches context.Canceled / DeadlineExceeded).
	// RequestSent tells whether the request may have reached the server.
	ErrCancelled = newSentinel("authy: cancelled", one(CodeCancelled))
	// ErrAPI: the API answered with an error (3xx codes).
	ErrAPI = newSentinel("authy: API error", rng(300, 399))
	// ErrUnauthorized: 401 / 60001 (invalid key, unknown user, wrong phone verification code).
	ErrUnauthorized = newSentinel("authy: unauthorized", one(CodeUnauthorized))
	// ErrRateLimited: 429 / 60003.
	ErrRateLimited = newSentinel("authy: rate limited", one(CodeRateLimited))
	// ErrNotFound: 404 (unknown user, approval request, verification or route).
	ErrNotFound = newSentinel("authy: not found", one(CodeNotFound))
	// ErrInvalidParameters: 400.
	ErrInvalidParameters = newSentinel("authy: invalid parameters", one(CodeInvalidParameters))
	// ErrConflict: 409.
	ErrConflict = newSentinel("authy: conflict", one(CodeConflict))
	// ErrServerError: a 5xx answer.
	ErrServerError = newSentinel("authy: server error", one(CodeServerError))
	// ErrTokenInvalid: the API refused the token (60020, or 60019 for a reused token); for
	// Twilio Verify, a wrong code (the check answered 200 "pending").
	ErrTokenInvalid = newSentinel("authy: token invalid", one(CodeTokenInvalid))
	// ErrMaxCheckAttempts: Twilio Verify 60202, too many wrong codes for this verification
	// (also matches ErrRateLimited); start a new one.
	ErrMaxCheckAttempts = apiSentinel("authy: max check attempts reached", CodeRateLimited, "60202")
	// ErrMaxSendAttempts: Twilio Verify 60203, too many sends to this number (also matches
	// ErrRateLimited); cancel the verification to start a new one.
	ErrMaxSendAttempts = apiSentinel("authy: max send attempts reached", CodeRateLimited, "60203")
	// ErrNoPendingVerification: Twilio 20404 on a check, fetch or update: the verification
	// expired, was approved or canceled (also matches ErrNotFound).
	ErrNoPendingVerification = apiSentinel("authy: no pending verification", CodeNotFound, "20404")
	// ErrDecode: an answer could not be decoded (4xx codes, including NO_VALUE).
	ErrDecode = newSentinel("authy: undecodable answer", rng(400, 499))
	// ErrInternal: a bug in libauthy (5xx codes, including a caught panic).
	ErrInternal = newSentinel("authy: internal error", rng(500, 599))
	// ErrSignatureInvalid: a OneTouch callback signature is missing, malformed, wrong or stale.
	ErrSignatureInvalid = newSentinel("authy: invalid callback signature", one(CodeSignatureInvalid))
)

// ErrClosed is returned by the methods of a Client after Close.
var ErrClosed = errors.New("authy: client is closed")

// takeError converts (and frees) a C error; err may be NULL (then only the code is known).
func takeError(rc C.authy_result, err *C.authy_error) *Error {
	e := &Error{Code: Code(rc)}
	if err != nil {
		e.Message = C.GoString(C.authy_error_message(err))
		e.HTTPStatus = int(C.authy_error_http_status(err))
		if p := C.authy_error_api_code(err); p != nil {
			e.APICode = C.GoString(p)
			e.AuthyCode = e.APICode
		}
		if p := C.authy_error_more_info(err); p != nil {
			e.MoreInfo = C.GoString(p)
		}
		if p := C.authy_error_body(err); p != nil {
			e.Body = C.GoString(p)
		}
		e.Attempts = int(C.authy_error_attempts(err))
		e.RequestSent = bool(C.authy_error_request_sent(err))
		e.RetryAfter = msDuration(uint64(C.authy_error_retry_after_ms(err)))
		C.authy_error_free(err)
	}
	e.Name = e.Code.String()
	return e
}

// argError is an invalid-argument error detected in Go (before calling C).
func argError(format string, args ...interface{}) *Error {
	return &Error{Code: CodeInvalidArgument, Name: CodeInvalidArgument.String(),
		Message: fmt.Sprintf(format, args...)}
}

// LookupErrorCode looks an Authy error code (e.g. 60026) up in libauthy's offline catalog:
// its meaning ("User not found") and the HTTP status the API answers it with (0 when unknown).
// ok is false for a code the catalog does not know.
func LookupErrorCode(code int) (meaning string, httpStatus int, ok bool) {
	if code < 0 || code > 0xFFFFFFFF {
		return "", 0, false
	}
	var m *C.char
	var st C.uint16_t
	if C.authy_catalog_lookup(C.uint32_t(code), &m, &st, nil) != C.AUTHY_RESULT_OK {
		return "", 0, false
	}
	return C.GoString(m), int(st), true
}

// msDuration converts milliseconds to a Duration, saturating instead of overflowing.
func msDuration(ms uint64) time.Duration {
	const max = uint64(1<<63-1) / uint64(time.Millisecond)
	if ms > max {
		return time.Duration(1<<63 - 1)
	}
	return time.Duration(ms) * time.Millisecond
}
