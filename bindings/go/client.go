package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// DefaultTimeout is the overall per-call timeout of a client built without WithTimeout.
const DefaultTimeout = 15 * time.Second

// Client is a client of the Authy API. It is safe for concurrent use by any number of
// goroutines (all calls share one keep-alive connection pool) and must be released with Close.
//
// Every method blocks its goroutine (and one OS thread, inside cgo) until the answer arrives,
// a timeout expires or its context is done. A context that is already done is refused before
// any I/O; a context deadline sooner than the client's timeout becomes the call's timeout; a
// context cancelled (or past its deadline) while the call runs stops it within milliseconds
// (its connection is shut down, never reused): the error matches ErrCancelled and
// context.Canceled / context.DeadlineExceeded, and its RequestSent says whether the request may
// have reached the server (an SMS may then have been sent).
type Client struct {
	mu      sync.RWMutex // calls hold the read side; Close takes the write side
	ptr     *C.authy_client
	timeout time.Duration
}

type config struct {
	baseURL, secondaryURL, lookupsURL, userAgent, rootCAPEM, proxy *string
	timeout, connectTimeout                                        *time.Duration
	maxIdle                                                        *int
	allowInsecure                                                  *bool
	retries                                                        *retryConfig
	tlsRoots                                                       *TLSRoots
	proxyFromEnv                                                   *bool
}

// TLSRoots chooses the trust anchors of the API's certificate (authy_tls_roots).
type TLSRoots uint32

const (
	// TLSRootsBundled: the Mozilla roots bundled in the library (the default).
	TLSRootsBundled TLSRoots = C.AUTHY_TLS_ROOTS_BUNDLED
	// TLSRootsPlatform: the platform's trust store and verifier (on Linux the system CA bundle,
	// SSL_CERT_FILE / SSL_CERT_DIR when set).
	TLSRootsPlatform TLSRoots = C.AUTHY_TLS_ROOTS_PLATFORM
)

type retryConfig struct {
	maxAttempts      int
	initial, maxWait time.Duration
}

// Option sets an option of NewClient (one per setter of the C builder).
type Option func(*config)

func strp(s string) *string { return &s }

// WithBaseURL sets the API base URL, http(s)://host[:port] (default https://api.authy.com).
// http:// is accepted only for loopback hosts unless WithAllowInsecureHTTP(true).
func WithBaseURL(url string) Option { return func(c *config) { c.baseURL = strp(url) } }

// WithSecondaryBaseURL sets a failover URL, tried only when the primary cannot be connected to.
func WithSecondaryBaseURL(url string) Option {
	return func(c *config) { c.secondaryURL = strp(url) }
}

// WithLookupsBaseURL sets the Lookup v2 base URL of a VerifyClient (default
// https://lookups.twilio.com); refused by NewClient. Same rules as WithBaseURL.
func WithLookupsBaseURL(url string) Option { return func(c *config) { c.lookupsURL = strp(url) } }

// WithTimeout sets the overall timeout of a call, from DNS to the last byte, all its attempts
// together (resends, retries and waits; a failover to the secondary URL gets a fresh one)
// (default 15 s).
// It is rounded up to a whole millisecond; it must be positive.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = &d } }

// WithConnectTimeout sets the time allowed to resolve and connect (default 5 s).
func WithConnectTimeout(d time.Duration) Option {
	return func(c *config) { c.connectTimeout = &d }
}

// WithMaxIdleConnsPerHost sets how many idle keep-alive connections are kept per host
// (default 32, at most 1024; 0 keeps none). Set it to at least the number of goroutines that
// call at once.
func WithMaxIdleConnsPerHost(n int) Option { return func(c *config) { c.maxIdle = &n } }

// WithAllowInsecureHTTP allows http:// base URLs to any host: the API key then travels in
// cleartext. Only for a trusted private network.
func WithAllowInsecureHTTP(allow bool) Option {
	return func(c *config) { c.allowInsecure = &allow }
}

// WithUserAgentSuffix appends text (1–128 printable ASCII characters) to the User-Agent.
func WithUserAgentSuffix(suffix string) Option {
	return func(c *config) { c.userAgent = strp(suffix) }
}

// WithRootCAPEM trusts only the certificates of this PEM bundle instead of the bundled roots.
func WithRootCAPEM(pem string) Option { return func(c *config) { c.rootCAPEM = strp(pem) } }

// WithProxy sends every request through an HTTP CONNECT proxy, http://[user:pass@]host:port.
// Proxy environment variables are never read.
func WithProxy(url string) Option { return func(c *config) { c.proxy = strp(url) } }

// WithRetries turns on retries (default: one attempt, no retry). maxAttempts (1–10) counts
// all attempts; waits double from initial up to max, with jitter, and every attempt fits the
// call's timeout. Reads (the calls without a side effect: IsRead tells which, from the
// library's endpoint table) are retried after transient transport failures, 5xx pages
// without an API error code and 429s with a Retry-After; calls with a side effect (SMS, call,
// e-mail, VerifyToken, user changes, OneTouch, phone verification, activity, Request to a
// path that is not a read) only when their request provably never reached the server (DNS,
// connect or TLS failure). The
// durations are rounded up to whole milliseconds; max must be at least initial. Whatever this
// option, a request that failed on a stale keep-alive connection is resent at once when safe.
// Error.Attempts and Error.RequestSent tell what happened.
func WithRetries(maxAttempts int, initial, max time.Duration) Option {
	return func(c *config) { c.retries = &retryConfig{maxAttempts, initial, max} }
}

// WithTLSRoots chooses the trust anchors (default TLSRootsBundled). WithRootCAPEM wins over it.
func WithTLSRoots(r TLSRoots) Option { return func(c *config) { c.tlsRoots = &r } }

// WithPlatformRoots trusts the platform's certificate store instead of the bundled roots
// (WithTLSRoots(TLSRootsPlatform)).
func WithPlatformRoots() Option { return WithTLSRoots(TLSRootsPlatform) }

// WithProxyFromEnv takes the proxy from the environment at NewClient (https_proxy /
// HTTPS_PROXY / all_proxy for https, http_proxy / all_proxy for http, never HTTP_PROXY;
// no_proxy / NO_PROXY). Off by default; WithProxy wins. An unusable variable makes NewClient
// fail with ErrInvalidArgument (naming the variable, never its value).
func WithProxyFromEnv() Option {
	return func(c *config) { t := true; c.proxyFromEnv = &t }
}

// millis converts a duration to whole milliseconds, rounding up; <= 0 gives 0 (refused by the
// library), so does not need a special case here.
func millis(d time.Duration) C.uint64_t {
	if d <= 0 {
		return 0
	}
	return C.uint64_t((d + time.Millisecond - 1) / time.Millisecond)
}

// NewClient builds a client for apiKey. No network I/O happens. The key is never written to an
// error, a log or a URL.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var s cstrings
	defer s.free()
	key, err := s.str("API key", apiKey)
	if err != nil {
		return nil, err
	}
	var b *C.authy_client_builder
	var cerr *C.authy_error
	if rc := C.authy_client_builder_new(key, &b, &cerr); rc != C.AUTHY_RESULT_OK {
		return nil, takeError(rc, cerr)
	}
	defer C.authy_client_builder_free(b)

	if err := applyOptions(b, &cfg, &s); err != nil {
		return nil, err
	}
	var ptr *C.authy_client
	if rc := C.authy_client_builder_build(b, &ptr, &cerr); rc != C.AUTHY_RESULT_OK {
		return nil, takeError(rc, cerr)
	}
	c := &Client{ptr: ptr, timeout: DefaultTimeout}
	if cfg.timeout != nil {
		c.timeout = time.Duration(millis(*cfg.timeout)) * time.Millisecond
	}
	// A safety net only: call Close.
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// applyOptions sets the options of cfg on a builder (Authy or Verify: the network setters are
// one set in the C ABI).
func applyOptions(b *C.authy_client_builder, cfg *config, s *cstrings) error {
	setStr := func(what string, v *string, set func(*C.char, **C.authy_error) C.authy_result) error {
		if v == nil {
			return nil
		}
		p, err := s.str(what, *v)
		if err != nil {
			return err
		}
		var e *C.authy_error
		if rc := set(p, &e); rc != C.AUTHY_RESULT_OK {
			return takeError(rc, e)
		}
		return nil
	}
	check := func(rc C.authy_result, e *C.authy_error) error {
		if rc != C.AUTHY_RESULT_OK {
			return takeError(rc, e)
		}
		return nil
	}
	steps := []func() error{
		func() error {
			return setStr("base URL", cfg.baseURL, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_base_url(b, p, e)
			})
		},
		func() error {
			return setStr("secondary base URL", cfg.secondaryURL, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_secondary_base_url(b, p, e)
			})
		},
		func() error {
			return setStr("Lookup base URL", cfg.lookupsURL, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_lookups_base_url(b, p, e)
			})
		},
		func() error {
			return setStr("User-Agent suffix", cfg.userAgent, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_user_agent_suffix(b, p, e)
			})
		},
		func() error {
			return setStr("root CA PEM", cfg.rootCAPEM, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_root_ca_pem(b, p, e)
			})
		},
		func() error {
			return setStr("proxy URL", cfg.proxy, func(p *C.char, e **C.authy_error) C.authy_result {
				return C.authy_client_builder_set_proxy(b, p, e)
			})
		},
		func() error {
			if cfg.timeout == nil {
				return nil
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_timeout_ms(b, millis(*cfg.timeout), &e), e)
		},
		func() error {
			if cfg.connectTimeout == nil {
				return nil
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_connect_timeout_ms(b, millis(*cfg.connectTimeout), &e), e)
		},
		func() error {
			if cfg.maxIdle == nil {
				return nil
			}
			if *cfg.maxIdle < 0 || int64(*cfg.maxIdle) > math.MaxUint32 {
				return argError("max idle connections per host out of range: %d", *cfg.maxIdle)
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_max_idle_connections_per_host(b, C.uint32_t(*cfg.maxIdle), &e), e)
		},
		func() error {
			r := cfg.retries
			if r == nil {
				return nil
			}
			if r.maxAttempts < 1 || int64(r.maxAttempts) > math.MaxUint32 {
				return argError("retries: max attempts out of range: %d", r.maxAttempts)
			}
			if r.initial < 0 || r.maxWait < 0 {
				return argError("retries: negative backoff")
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_retries(b, C.uint32_t(r.maxAttempts),
				millis(r.initial), millis(r.maxWait), &e), e)
		},
		func() error {
			if cfg.tlsRoots == nil {
				return nil
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_tls_roots(b, C.uint32_t(*cfg.tlsRoots), &e), e)
		},
		func() error {
			if cfg.proxyFromEnv == nil {
				return nil
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_proxy_from_env(b, C.bool(*cfg.proxyFromEnv), &e), e)
		},
		func() error {
			if cfg.allowInsecure == nil {
				return nil
			}
			var e *C.authy_error
			return check(C.authy_client_builder_set_allow_insecure_http(b, C.bool(*cfg.allowInsecure), &e), e)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the client. It waits for the calls in flight to return; later calls fail
// with ErrClosed. Close is idempotent and always returns nil.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		C.authy_client_free(c.ptr)
		c.ptr = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// String never shows the API key.
func (c *Client) String() string { return "authy.Client{}" }

// ctxError is the error of a call refused because its context was already done.
func ctxError(err error) error { return fmt.Errorf("authy: call not started: %w", err) }

// do runs one C call under the read lock, with a handle bounded by the context's deadline.
// fn receives the handle and the error slot; it must not keep the handle.
func (c *Client) do(ctx context.Context, fn func(cl *C.authy_client, e **C.authy_error) C.authy_result) error {
	if c == nil {
		return ErrClosed
	}
	if err := ctxUsable(ctx); err != nil {
		return err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return ErrClosed
	}
	err := runCall(ctx, unsafe.Pointer(c.ptr), c.timeout, authyHandles, func(h unsafe.Pointer, e **C.authy_error) C.authy_result {
		return fn((*C.authy_client)(h), e)
	})
	runtime.KeepAlive(c)
	return err
}

// ctxUsable refuses a nil context or one already done, before any I/O.
func ctxUsable(ctx context.Context) error {
	if ctx == nil {
		return argError("nil context")
	}
	if err := ctx.Err(); err != nil {
		return ctxError(err)
	}
	return nil
}

// handleOps are the C functions deriving per-call handles of one client type: a handle with
// another overall timeout, one stopped by a cancel token, and its release.
type handleOps struct {
	withTimeout func(h unsafe.Pointer, ms C.uint64_t, out *unsafe.Pointer, e **C.authy_error) C.authy_result
	withCancel  func(h unsafe.Pointer, t *C.authy_cancel, out *unsafe.Pointer, e **C.authy_error) C.authy_result
	free        func(h unsafe.Pointer)
}

var authyHandles = handleOps{
	withTimeout: func(h unsafe.Pointer, ms C.uint64_t, out *unsafe.Pointer, e **C.authy_error) C.authy_result {
		var d *C.authy_client
		rc := C.authy_client_with_timeout_ms((*C.authy_client)(h), ms, &d, e)
		*out = unsafe.Pointer(d)
		return rc
	},
	withCancel: func(h unsafe.Pointer, t *C.authy_cancel, out *unsafe.Pointer, e **C.authy_error) C.authy_result {
		var d *C.authy_client
		rc := C.authy_client_with_cancel((*C.authy_client)(h), t, &d, e)
		*out = unsafe.Pointer(d)
		return rc
	},
	free: func(h unsafe.Pointer) { C.authy_client_free((*C.authy_client)(h)) },
}

// runCall runs fn on handle h (of the client type ops derives), bounded by the context: a
// deadline sooner than timeout becomes the call's timeout, a context done during the call
// cancels it. The caller holds the client's read lock.
func runCall(ctx context.Context, h unsafe.Pointer, timeout time.Duration, ops handleOps,
	fn func(h unsafe.Pointer, e **C.authy_error) C.authy_result) error {
	handle := h
	bounded := false
	dl, hasDeadline := ctx.Deadline()
	if hasDeadline {
		left := time.Until(dl)
		if left <= 0 {
			return ctxError(context.DeadlineExceeded)
		}
		if left < timeout {
			// A handle sharing the pool, whose overall timeout is what is left of the deadline.
			var derived unsafe.Pointer
			var e *C.authy_error
			if rc := ops.withTimeout(handle, millis(left), &derived, &e); rc != C.AUTHY_RESULT_OK {
				return takeError(rc, e)
			}
			defer ops.free(derived)
			handle = derived
			bounded = true
		}
	}
	if done := ctx.Done(); done != nil {
		// A token the context cancels: a goroutine waits for the context or the call's end.
		token := C.authy_cancel_new()
		if token == nil {
			return &Error{Code: CodeInternal, Name: CodeInternal.String(), Message: "authy_cancel_new failed"}
		}
		defer C.authy_cancel_free(token)
		var derived unsafe.Pointer
		var e *C.authy_error
		if rc := ops.withCancel(handle, token, &derived, &e); rc != C.AUTHY_RESULT_OK {
			return takeError(rc, e)
		}
		defer ops.free(derived)
		handle = derived
		finished, watched := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(watched)
			select {
			case <-done:
				C.authy_cancel_cancel(token, nil)
			case <-finished:
			}
		}()
		// Runs before the token is freed: the watcher never touches a freed token.
		defer func() { close(finished); <-watched }()
	}
	var e *C.authy_error
	rc := fn(handle, &e)
	if rc != C.AUTHY_RESULT_OK {
		err := takeError(rc, e)
		if err.Code == CodeCancelled {
			// Only the context cancels the token. A deadline that passed is a timeout, as
			// when the call's own timeout (the deadline, rounded up) fires first.
			err.ctxErr = ctx.Err()
			if errors.Is(err.ctxErr, context.DeadlineExceeded) {
				err.Code = CodeConnectTimeout
				if err.RequestSent {
					err.Code = CodeTimeout
				}
				err.Name = err.Code.String()
			}
		}
		if bounded && (err.Code == CodeTimeout || err.Code == CodeConnectTimeout) {
			// The call's timeout was what was left of the deadline (rounded up to 1 ms), so
			// the deadline has passed even if the context's timer has not fired yet.
			if cerr := ctx.Err(); cerr != nil {
				err.ctxErr = cerr
			} else if !time.Now().Before(dl) {
				err.ctxErr = context.DeadlineExceeded
			}
		}
		return err
	}
	return nil
}

// cstrings is a set of C copies of Go strings, released together.
type cstrings []*C.char

// str copies s to C memory; a NUL byte (which C would silently cut the string at) is refused.
func (s *cstrings) str(what, v string) (*C.char, error) {
	if strings.IndexByte(v, 0) >= 0 {
		return nil, argError("%s contains a NUL byte", what)
	}
	p := C.CString(v)
	*s = append(*s, p)
	return p, nil
}

// all copies several strings, given as name, value, name, value...
func (s *cstrings) all(namesAndValues ...string) ([]*C.char, error) {
	out := make([]*C.char, 0, len(namesAndValues)/2)
	for i := 0; i+1 < len(namesAndValues); i += 2 {
		p, err := s.str(namesAndValues[i], namesAndValues[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *cstrings) free() {
	for _, p := range *s {
		C.free(unsafe.Pointer(p))
	}
	*s = nil
}

// kv is one request parameter (Rack-style key such as "details[Location]").
type kv struct{ k, v string }

type params []kv

func (p *params) add(k, v string) { *p = append(*p, kv{k, v}) }

// build makes an authy_params (nil when empty); free it with C.authy_params_free.
func (p params) build(s *cstrings) (*C.authy_params, error) {
	if len(p) == 0 {
		return nil, nil
	}
	cp := C.authy_params_new()
	if cp == nil {
		return nil, &Error{Code: CodeInternal, Name: CodeInternal.String(), Message: "authy_params_new failed"}
	}
	for _, e := range p {
		k, err := s.str("parameter name", e.k)
		if err == nil {
			var v *C.char
			v, err = s.str("parameter "+e.k, e.v)
			if err == nil {
				var ce *C.authy_error
				if rc := C.authy_params_set(cp, k, v, &ce); rc != C.AUTHY_RESULT_OK {
					err = takeError(rc, ce)
				}
			}
		}
		if err != nil {
			C.authy_params_free(cp)
			return nil, err
		}
	}
	return cp, nil
}
