package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// MaxCallbackBody is the largest callback body (or query) libauthy verifies: 1 MiB.
const MaxCallbackBody = 1 << 20

// DefaultCallbackMaxAge is the replay window of the callback helpers when none is given.
const DefaultCallbackMaxAge = 300 * time.Second

// CallbackOptions tune callback verification.
type CallbackOptions struct {
	// MaxAge is the replay window: a callback whose nonce (a Unix time) is further than this
	// from now is rejected (default DefaultCallbackMaxAge, 300 s; libauthy documents 300 s as the maximum).
	MaxAge time.Duration
	// NoReplayWindow disables the nonce age check (only for checking recorded callbacks).
	NoReplayWindow bool
	// Now replaces the clock of the replay window (zero: the system clock).
	Now time.Time
}

func (o *CallbackOptions) window() (maxAge, now C.uint64_t, err error) {
	age := DefaultCallbackMaxAge
	var at time.Time
	if o != nil {
		if o.MaxAge < 0 {
			return 0, 0, argError("negative callback MaxAge")
		}
		if o.MaxAge != 0 {
			age = o.MaxAge
		}
		if o.NoReplayWindow {
			age = 0
		}
		at = o.Now
	}
	maxAge = C.uint64_t(durationSeconds(age))
	if !at.IsZero() {
		if at.Unix() <= 0 {
			return 0, 0, argError("callback clock before 1970")
		}
		now = C.uint64_t(at.Unix())
	}
	return maxAge, now, nil
}

// CallbackParams are the parameters of a verified OneTouch callback, exactly as libauthy
// parsed them to check the signature: read them here, never by parsing the body again.
// Values are text (the signature does not tell "1" from 1). Safe for concurrent use. Close
// releases them (a finalizer does it otherwise); after Close, Get finds nothing.
type CallbackParams struct {
	mu  sync.RWMutex
	ptr *C.authy_callback
}

func newCallbackParams(p *C.authy_callback) *CallbackParams {
	cp := &CallbackParams{ptr: p}
	runtime.SetFinalizer(cp, (*CallbackParams).Close)
	return cp
}

// Get reads a parameter by RFC 6901 JSON pointer: "/status", "/uuid",
// "/approval_request/transaction/details/Location" (for a GET callback the query's bracketed
// keys nest the same way). ok is false when nothing (or an object or array) is there.
func (p *CallbackParams) Get(pointer string) (value string, ok bool) {
	if p == nil || strings.IndexByte(pointer, 0) >= 0 {
		return "", false
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return "", false
	}
	cs := C.CString(pointer)
	defer C.free(unsafe.Pointer(cs))
	var out *C.char
	rc := C.authy_callback_get_string(p.ptr, cs, &out, nil)
	if rc != C.AUTHY_RESULT_OK {
		runtime.KeepAlive(p)
		return "", false
	}
	v := C.GoString(out)
	runtime.KeepAlive(p)
	return v, true
}

// Status is the decision the callback reports ("approved" or "denied").
func (p *CallbackParams) Status() ApprovalStatus {
	v, _ := p.Get("/status")
	return ApprovalStatus(v)
}

// UUID is the approval request's uuid: act once per uuid (replays verify too).
func (p *CallbackParams) UUID() string { v, _ := p.Get("/uuid"); return v }

// AuthyID is the user's Authy id.
func (p *CallbackParams) AuthyID() string { v, _ := p.Get("/authy_id"); return v }

// Close releases the parameters; idempotent.
func (p *CallbackParams) Close() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr != nil {
		C.authy_callback_free(p.ptr)
		p.ptr = nil
		runtime.SetFinalizer(p, nil)
	}
	return nil
}

// VerifyCallback checks the signature of a OneTouch callback (offline, constant-time) and
// returns the verified parameters. url is the callback URL as configured in Authy (a query
// string is ignored); bodyOrQuery is the raw JSON body for POST, the raw query string for GET.
// A bad, missing or stale signature is ErrSignatureInvalid.
func VerifyCallback(apiKey, method, url, nonce, signature, bodyOrQuery string, opts *CallbackOptions) (*CallbackParams, error) {
	maxAge, now, err := opts.window()
	if err != nil {
		return nil, err
	}
	var s cstrings
	defer s.free()
	args := []struct{ what, v string }{{"API key", apiKey}, {"method", method}, {"URL", url},
		{"nonce", nonce}, {"signature", signature}, {"body", bodyOrQuery}}
	cs := make([]*C.char, len(args))
	for i, a := range args {
		if cs[i], err = s.str(a.what, a.v); err != nil {
			if a.what != "API key" && a.what != "method" && a.what != "URL" {
				return nil, &Error{Code: CodeSignatureInvalid, Name: CodeSignatureInvalid.String(),
					Message: "callback " + a.what + " contains a NUL byte"}
			}
			return nil, err
		}
	}
	var out *C.authy_callback
	var e *C.authy_error
	rc := C.authy_callback_verify_params(cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], maxAge, now, &out, &e)
	if rc != C.AUTHY_RESULT_OK {
		return nil, takeError(rc, e)
	}
	return newCallbackParams(out), nil
}

// SignCallback computes the X-Authy-Signature Authy would send for a callback (to sign test
// callbacks, or to debug a mismatch).
func SignCallback(apiKey, method, url, nonce, bodyOrQuery string) (string, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("API key", apiKey, "method", method, "URL", url, "nonce", nonce, "body", bodyOrQuery)
	if err != nil {
		return "", err
	}
	k, m, u, n, b := a[0], a[1], a[2], a[3], a[4]
	var buf [C.AUTHY_SIGNATURE_BUFFER_SIZE]C.char
	var e *C.authy_error
	rc := C.authy_callback_sign(k, m, u, n, b, &buf[0], C.size_t(len(buf)), &e)
	if rc != C.AUTHY_RESULT_OK {
		return "", takeError(rc, e)
	}
	return C.GoString(&buf[0]), nil
}

// ErrCallbackTooLarge is returned by VerifyCallbackRequest for a body over MaxCallbackBody
// (nothing was verified: reject the callback).
var ErrCallbackTooLarge = errors.New("authy: callback body over 1 MiB")

// VerifyCallbackRequest verifies a OneTouch callback straight from the request a Go web
// service received: its method, the X-Authy-Signature and X-Authy-Signature-Nonce headers, and
// the body (POST) or raw query (GET). r.Body is read and replaced by an identical reader, so
// it stays readable afterwards. publicURL is the callback URL as configured in Authy (needed
// behind a proxy or a TLS terminator); "" rebuilds it from the request (scheme from r.TLS,
// r.Host, r.URL.Path). The returned parameters are what the signature covered; Close them
// when done (a finalizer does it otherwise).
func VerifyCallbackRequest(r *http.Request, apiKey, publicURL string, opts *CallbackOptions) (*CallbackParams, error) {
	if r == nil {
		return nil, argError("nil request")
	}
	url := publicURL
	if url == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		path := "/"
		if r.URL != nil && r.URL.Path != "" {
			path = r.URL.EscapedPath()
		}
		url = scheme + "://" + r.Host + path
	}
	var payload string
	switch strings.ToUpper(r.Method) {
	case http.MethodGet:
		if r.URL != nil {
			payload = r.URL.RawQuery
		}
	case http.MethodPost:
		if r.Body != nil && r.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(r.Body, MaxCallbackBody+1))
			_ = r.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(b))
			if err != nil {
				return nil, &Error{Code: CodeSignatureInvalid, Name: CodeSignatureInvalid.String(),
					Message: "callback body could not be read: " + err.Error()}
			}
			if len(b) > MaxCallbackBody {
				return nil, ErrCallbackTooLarge
			}
			payload = string(b)
		}
	default:
		return nil, argError("callback method must be GET or POST, got %q", r.Method)
	}
	return VerifyCallback(apiKey, r.Method, url, r.Header.Get("X-Authy-Signature-Nonce"),
		r.Header.Get("X-Authy-Signature"), payload, opts)
}

type callbackKey struct{}

// CallbackParamsFromContext returns the verified parameters CallbackMiddleware put in the
// request's context.
func CallbackParamsFromContext(ctx context.Context) (*CallbackParams, bool) {
	if ctx == nil {
		return nil, false
	}
	p, ok := ctx.Value(callbackKey{}).(*CallbackParams)
	return p, ok
}

// CallbackMiddleware verifies every request with VerifyCallbackRequest before calling next:
// 401 Unauthorized when the signature headers are missing, 403 Forbidden for a bad or stale
// signature, 405 for a method other than GET/POST, 413 for a body over 1 MiB; otherwise next
// runs with the verified parameters in the request's context (CallbackParamsFromContext),
// released when next returns (copy what you keep). Replays still verify: act once per UUID.
func CallbackMiddleware(next http.Handler, apiKey, publicURL string, opts *CallbackOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Authy-Signature") == "" || r.Header.Get("X-Authy-Signature-Nonce") == "" {
			http.Error(w, "missing OneTouch callback signature", http.StatusUnauthorized)
			return
		}
		p, err := VerifyCallbackRequest(r, apiKey, publicURL, opts)
		if err != nil {
			switch {
			case errors.Is(err, ErrCallbackTooLarge):
				http.Error(w, "callback body too large", http.StatusRequestEntityTooLarge)
			case !isGetOrPost(r.Method):
				w.Header().Set("Allow", "GET, POST")
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			case errors.Is(err, ErrSignatureInvalid):
				http.Error(w, "invalid OneTouch callback signature", http.StatusForbidden)
			default:
				// A misconfiguration (e.g. an empty API key): refuse, without details.
				http.Error(w, "callback could not be verified", http.StatusForbidden)
			}
			return
		}
		defer p.Close()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callbackKey{}, p)))
	})
}

func isGetOrPost(m string) bool {
	m = strings.ToUpper(m)
	return m == http.MethodGet || m == http.MethodPost
}
