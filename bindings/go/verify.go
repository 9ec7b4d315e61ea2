package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// VerifyClient is a client of Twilio Verify v2 and Lookup v2, on the same transport as Client
// (timeouts, TLS roots, proxies, the pool, opt-in retries that never repeat a side effect).
// It is safe for concurrent use and must be released with Close. Every method takes a context
// first, with the same rules as Client's methods: a context already done is refused before any
// I/O, a deadline sooner than the client's timeout becomes the call's timeout, a cancellation
// during a call stops it within milliseconds (ErrCancelled, matching context.Canceled).
//
// Errors are *Error values whose APICode is Twilio's code (MoreInfo its documentation URL):
// errors.Is(err, ErrNotFound) for 20404 (ErrNoPendingVerification on a check), ErrTokenInvalid
// for a wrong code, ErrMaxCheckAttempts (60202), ErrMaxSendAttempts (60203), ErrUnauthorized
// for bad credentials (20003).
type VerifyClient struct {
	mu      sync.RWMutex // calls hold the read side; Close takes the write side
	ptr     *C.authy_verify_client
	timeout time.Duration
}

// NewVerifyClient builds a Verify client authenticated with the Account SID and its Auth
// Token (HTTP Basic). The options are Client's network options; WithBaseURL sets the Verify
// base URL (default https://verify.twilio.com), WithLookupsBaseURL the Lookup one;
// WithSecondaryBaseURL is refused. No network I/O happens; the token is never written to an
// error, a log or a URL.
func NewVerifyClient(accountSID, authToken string, opts ...Option) (*VerifyClient, error) {
	return newVerifyClient(opts, func(s *cstrings, b **C.authy_client_builder, e **C.authy_error) (C.authy_result, error) {
		cs, err := s.all("Account SID", accountSID, "Auth Token", authToken)
		if err != nil {
			return 0, err
		}
		return C.authy_client_builder_new_verify(cs[0], cs[1], b, e), nil
	})
}

// NewVerifyClientAPIKey builds a Verify client authenticated with an API key (SK… and its
// secret) of the account accountSID. Otherwise as NewVerifyClient.
func NewVerifyClientAPIKey(apiKeySID, apiKeySecret, accountSID string, opts ...Option) (*VerifyClient, error) {
	return newVerifyClient(opts, func(s *cstrings, b **C.authy_client_builder, e **C.authy_error) (C.authy_result, error) {
		cs, err := s.all("API key SID", apiKeySID, "API key secret", apiKeySecret, "Account SID", accountSID)
		if err != nil {
			return 0, err
		}
		return C.authy_client_builder_new_verify_api_key(cs[0], cs[1], cs[2], b, e), nil
	})
}

func newVerifyClient(opts []Option, start func(*cstrings, **C.authy_client_builder, **C.authy_error) (C.authy_result, error)) (*VerifyClient, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var s cstrings
	defer s.free()
	var b *C.authy_client_builder
	var cerr *C.authy_error
	rc, err := start(&s, &b, &cerr)
	if err != nil {
		return nil, err
	}
	if rc != C.AUTHY_RESULT_OK {
		return nil, twilioError(takeError(rc, cerr))
	}
	defer C.authy_client_builder_free(b)
	if err := applyOptions(b, &cfg, &s); err != nil {
		return nil, err
	}
	var ptr *C.authy_verify_client
	if rc := C.authy_client_builder_build_verify(b, &ptr, &cerr); rc != C.AUTHY_RESULT_OK {
		return nil, twilioError(takeError(rc, cerr))
	}
	c := &VerifyClient{ptr: ptr, timeout: DefaultTimeout}
	if cfg.timeout != nil {
		c.timeout = time.Duration(millis(*cfg.timeout)) * time.Millisecond
	}
	runtime.SetFinalizer(c, (*VerifyClient).Close) // a safety net only: call Close
	return c, nil
}

// Close releases the client. It waits for the calls in flight to return; later calls fail
// with ErrClosed. Idempotent; always returns nil.
func (c *VerifyClient) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		C.authy_verify_client_free(c.ptr)
		c.ptr = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// String never shows the credentials.
func (c *VerifyClient) String() string { return "authy.VerifyClient{}" }

var verifyHandles = handleOps{
	withTimeout: func(h unsafe.Pointer, ms C.uint64_t, out *unsafe.Pointer, e **C.authy_error) C.authy_result {
		var d *C.authy_verify_client
		rc := C.authy_verify_client_with_timeout_ms((*C.authy_verify_client)(h), ms, &d, e)
		*out = unsafe.Pointer(d)
		return rc
	},
	withCancel: func(h unsafe.Pointer, t *C.authy_cancel, out *unsafe.Pointer, e **C.authy_error) C.authy_result {
		var d *C.authy_verify_client
		rc := C.authy_verify_client_with_cancel((*C.authy_verify_client)(h), t, &d, e)
		*out = unsafe.Pointer(d)
		return rc
	},
	free: func(h unsafe.Pointer) { C.authy_verify_client_free((*C.authy_verify_client)(h)) },
}

// twilioError marks an error as a Verify one (Twilio code); nil stays nil.
func twilioError(err error) error {
	if e, ok := err.(*Error); ok && e != nil {
		e.twilio = true
		return e
	}
	return err
}

// do runs one C call under the read lock, bounded by the context like Client.do.
func (c *VerifyClient) do(ctx context.Context, fn func(cl *C.authy_verify_client, e **C.authy_error) C.authy_result) error {
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
	err := runCall(ctx, unsafe.Pointer(c.ptr), c.timeout, verifyHandles, func(h unsafe.Pointer, e **C.authy_error) C.authy_result {
		return fn((*C.authy_verify_client)(h), e)
	})
	runtime.KeepAlive(c)
	return twilioError(err)
}

// Params are a Verify call's optional parameters, by the API's own PascalCase names
// ("CodeLength", "Locale", "Totp.TimeStep", "RateLimits" as a JSON string...), sent as given.
type Params map[string]string

func (p Params) list() params {
	var out params
	for _, k := range sortedKeys(p) {
		out.add(k, p[k])
	}
	return out
}

type verifyFn func(cl *C.authy_verify_client, opts *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result

// endpoint runs one Verify call and decodes the answer's JSON into into (when not nil).
func (c *VerifyClient) endpoint(ctx context.Context, s *cstrings, p Params, into interface{}, fn verifyFn) (*snapshot, error) {
	opts, err := p.list().build(s)
	if err != nil {
		return nil, err
	}
	defer C.authy_params_free(opts)
	var out *C.authy_response
	if err := c.do(ctx, func(cl *C.authy_verify_client, e **C.authy_error) C.authy_result {
		return fn(cl, opts, &out, e)
	}); err != nil {
		return nil, err
	}
	r := takeResponse(out)
	if into != nil {
		if err := r.decodeInto(into); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Service is a Verify Service (the fields most services read; the rest is in Body).
type Service struct {
	Response                 `json:"-"`
	SID                      string `json:"sid"`
	AccountSID               string `json:"account_sid"`
	FriendlyName             string `json:"friendly_name"`
	CodeLength               int    `json:"code_length"`
	LookupEnabled            bool   `json:"lookup_enabled"`
	Psd2Enabled              bool   `json:"psd2_enabled"`
	SkipSmsToLandlines       bool   `json:"skip_sms_to_landlines"`
	DtmfInputRequired        bool   `json:"dtmf_input_required"`
	DoNotShareWarningEnabled bool   `json:"do_not_share_warning_enabled"`
	CustomCodeEnabled        bool   `json:"custom_code_enabled"`
	DateCreated              string `json:"date_created"`
	DateUpdated              string `json:"date_updated"`
	URL                      string `json:"url"`
}

// Verification is a verification (a code sent to To).
type Verification struct {
	Response    `json:"-"`
	SID         string          `json:"sid"`
	ServiceSID  string          `json:"service_sid"`
	AccountSID  string          `json:"account_sid"`
	To          string          `json:"to"`
	Channel     string          `json:"channel"`
	Status      string          `json:"status"` // pending, approved, canceled, max_attempts_reached, expired
	Valid       bool            `json:"valid"`
	Lookup      json.RawMessage `json:"lookup"`
	DateCreated string          `json:"date_created"`
	DateUpdated string          `json:"date_updated"`
	URL         string          `json:"url"`
	// SendCodeAttempts has one entry per send (a resend reuses the verification).
	SendCodeAttempts []json.RawMessage `json:"send_code_attempts"`
}

// VerificationCheck is the answer of CheckVerification. Valid is true and Status "approved"
// only for a right code; a wrong one comes with ErrTokenInvalid and Status "pending".
type VerificationCheck struct {
	Response    `json:"-"`
	SID         string `json:"sid"`
	ServiceSID  string `json:"service_sid"`
	To          string `json:"to"`
	Channel     string `json:"channel"`
	Status      string `json:"status"`
	Valid       bool   `json:"valid"`
	DateCreated string `json:"date_created"`
	DateUpdated string `json:"date_updated"`
}

// LookupResult is a Lookup v2 answer. An invalid number is a result with Valid false and
// ValidationErrors (TOO_SHORT, NOT_A_NUMBER...), not an error. The data packages asked with
// Fields are raw JSON (null when not asked).
type LookupResult struct {
	Response             `json:"-"`
	PhoneNumber          string          `json:"phone_number"`
	NationalFormat       string          `json:"national_format"`
	CountryCode          string          `json:"country_code"`
	CallingCountryCode   string          `json:"calling_country_code"`
	Valid                bool            `json:"valid"`
	ValidationErrors     []string        `json:"validation_errors"`
	LineTypeIntelligence json.RawMessage `json:"line_type_intelligence"`
	CallerName           json.RawMessage `json:"caller_name"`
	SmsPumpingRisk       json.RawMessage `json:"sms_pumping_risk"`
	URL                  string          `json:"url"`
}

// CreateService creates a Service (POST /v2/Services); opts: CodeLength, LookupEnabled,
// CustomCodeEnabled, Totp.Issuer...
func (c *VerifyClient) CreateService(ctx context.Context, friendlyName string, opts Params) (*Service, error) {
	var s cstrings
	defer s.free()
	name, err := s.str("friendly name", friendlyName)
	if err != nil {
		return nil, err
	}
	out := &Service{}
	r, err := c.endpoint(ctx, &s, opts, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_create_service(cl, name, o, res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// FetchService fetches a Service; an unknown one is ErrNotFound (20404).
func (c *VerifyClient) FetchService(ctx context.Context, serviceSID string) (*Service, error) {
	return c.serviceCall(ctx, serviceSID, nil, func(cl *C.authy_verify_client, sid *C.char, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_fetch_service(cl, sid, res, e)
	})
}

// UpdateService changes a Service's parameters (FriendlyName, CodeLength...).
func (c *VerifyClient) UpdateService(ctx context.Context, serviceSID string, opts Params) (*Service, error) {
	return c.serviceCall(ctx, serviceSID, opts, func(cl *C.authy_verify_client, sid *C.char, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_update_service(cl, sid, o, res, e)
	})
}

// DeleteService deletes a Service and everything under it.
func (c *VerifyClient) DeleteService(ctx context.Context, serviceSID string) error {
	var s cstrings
	defer s.free()
	sid, err := s.str("service SID", serviceSID)
	if err != nil {
		return err
	}
	_, err = c.endpoint(ctx, &s, nil, nil, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_delete_service(cl, sid, res, e)
	})
	return err
}

func (c *VerifyClient) serviceCall(ctx context.Context, serviceSID string, opts Params,
	fn func(*C.authy_verify_client, *C.char, *C.authy_params, **C.authy_response, **C.authy_error) C.authy_result) (*Service, error) {
	var s cstrings
	defer s.free()
	sid, err := s.str("service SID", serviceSID)
	if err != nil {
		return nil, err
	}
	out := &Service{}
	r, err := c.endpoint(ctx, &s, opts, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return fn(cl, sid, o, res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// withResponse fills a typed result's embedded Response from the snapshot, or returns err.
func withResponse[T any](out *T, resp *Response, r *snapshot, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	*resp = r.Response
	return out, nil
}

// StartVerification sends a code to `to` (E.164, or an e-mail address for channel "email")
// by channel (sms, call, email, whatsapp, sna, auto). A resend within 10 minutes reuses the
// verification and its code; the 6th send is ErrMaxSendAttempts (60203). opts: Locale,
// CustomFriendlyName, CustomCode, Amount, Payee, RateLimits...
func (c *VerifyClient) StartVerification(ctx context.Context, serviceSID, to, channel string, opts Params) (*Verification, error) {
	var s cstrings
	defer s.free()
	cs, err := s.all("service SID", serviceSID, "To", to, "channel", channel)
	if err != nil {
		return nil, err
	}
	out := &Verification{}
	r, err := c.endpoint(ctx, &s, opts, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_create_verification(cl, cs[0], cs[1], cs[2], o, res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// FetchVerification fetches a pending verification; an approved, expired or canceled one is
// ErrNoPendingVerification (20404).
func (c *VerifyClient) FetchVerification(ctx context.Context, serviceSID, verificationSID string) (*Verification, error) {
	var s cstrings
	defer s.free()
	cs, err := s.all("service SID", serviceSID, "verification SID", verificationSID)
	if err != nil {
		return nil, err
	}
	out := &Verification{}
	r, err := c.endpoint(ctx, &s, nil, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_fetch_verification(cl, cs[0], cs[1], res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// UpdateVerification sets a verification's status: "canceled" or "approved".
func (c *VerifyClient) UpdateVerification(ctx context.Context, serviceSID, verificationSID, status string) (*Verification, error) {
	var s cstrings
	defer s.free()
	cs, err := s.all("service SID", serviceSID, "verification SID", verificationSID, "status", status)
	if err != nil {
		return nil, err
	}
	out := &Verification{}
	r, err := c.endpoint(ctx, &s, nil, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_update_verification(cl, cs[0], cs[1], cs[2], res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// CancelVerification is UpdateVerification(ctx, serviceSID, verificationSID, "canceled").
func (c *VerifyClient) CancelVerification(ctx context.Context, serviceSID, verificationSID string) (*Verification, error) {
	return c.UpdateVerification(ctx, serviceSID, verificationSID, "canceled")
}

// Check names the verification a code is checked against: To or VerificationSID (exactly one).
type Check struct {
	To              string // the E.164 number or e-mail address the code was sent to
	VerificationSID string // or the verification's SID (VE…)
	Code            string // the code the user typed (4–10 characters)
	Params          Params // Amount, Payee (PSD2), SnaClientToken
}

// CheckVerification checks a code. The code is right only when err is nil (then Valid is true
// and Status "approved"). A wrong code returns the answer (Status "pending", Valid false)
// together with an error matching ErrTokenInvalid; no pending verification is
// ErrNoPendingVerification (20404); too many wrong codes ErrMaxCheckAttempts (60202).
func (c *VerifyClient) CheckVerification(ctx context.Context, serviceSID string, chk Check) (*VerificationCheck, error) {
	var s cstrings
	defer s.free()
	cs, err := s.all("service SID", serviceSID, "code", chk.Code)
	if err != nil {
		return nil, err
	}
	var to, vsid *C.char
	if chk.To != "" {
		if to, err = s.str("To", chk.To); err != nil {
			return nil, err
		}
	}
	if chk.VerificationSID != "" {
		if vsid, err = s.str("verification SID", chk.VerificationSID); err != nil {
			return nil, err
		}
	}
	out := &VerificationCheck{}
	r, err := c.endpoint(ctx, &s, chk.Params, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_check_verification(cl, cs[0], to, vsid, cs[1], o, res, e)
	})
	if err != nil {
		// A wrong code: the answer (200 pending) is in the error; hand it out decoded too.
		return tokenAnswer(out, &out.Response, err)
	}
	return withResponse(out, &out.Response, r, err)
}

// LookupPhoneNumber looks a number up with Lookup v2. opts: Fields
// ("line_type_intelligence,caller_name"...), CountryCode (for a national number).
func (c *VerifyClient) LookupPhoneNumber(ctx context.Context, number string, opts Params) (*LookupResult, error) {
	var s cstrings
	defer s.free()
	n, err := s.str("phone number", number)
	if err != nil {
		return nil, err
	}
	out := &LookupResult{}
	r, err := c.endpoint(ctx, &s, opts, out, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_lookup_phone_number(cl, n, o, res, e)
	})
	return withResponse(out, &out.Response, r, err)
}

// Services lists the Services, pageSize records per request (0: the API's default, 50).
// Nothing is sent before the first Next. Close the iterator when stopping early.
//
//	it := vc.Services(0)
//	defer it.Close()
//	for it.Next(ctx) {
//		fmt.Println(it.Service().SID)
//	}
//	if err := it.Err(); err != nil { ... }
func (c *VerifyClient) Services(pageSize int) *ServiceIterator {
	h, err := c.startPages(pageSize, nil, nil, func(_ []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
		return C.authy_verify_client_list_services(cl, size, out, e)
	})
	return &ServiceIterator{newPager[Service]("services", h, err)}
}

// ServiceIterator walks the Services page by page (authy_pages): each page is one request,
// sent by the Next that needs it. next_page_url is followed only on the client's base URL.
// Not safe for concurrent use. Next, Err and Close are as for every Verify list.
type ServiceIterator struct{ pager[Service, *Service] }

// Service is the current Service (its Response is the whole page's answer).
func (it *ServiceIterator) Service() *Service { return it.cur }
