package authy_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// newVerifyClient makes a Verify client of the test sandbox, closed at the end of the test.
func newVerifyClient(t testing.TB, opts ...authy.Option) *authy.VerifyClient {
	t.Helper()
	c, err := authy.NewVerifyClient(testAccountSID, testAuthToken, append([]authy.Option{
		authy.WithBaseURL(baseURL), authy.WithLookupsBaseURL(baseURL),
		authy.WithTimeout(20 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatalf("NewVerifyClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var serviceSeq int64

// newService creates a Service for one test (deleted at its end).
func newService(t testing.TB, c *authy.VerifyClient, opts authy.Params) *authy.Service {
	t.Helper()
	name := fmt.Sprintf("go test %d", atomic.AddInt64(&serviceSeq, 1))
	s, err := c.CreateService(context.Background(), name, opts)
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	t.Cleanup(func() { _ = c.DeleteService(context.Background(), s.SID) })
	return s
}

// uniqueE164 gives a distinct valid North American number per call.
func uniqueE164() string {
	n := atomic.AddInt64(&phoneSeq, 1)
	return fmt.Sprintf("+1775%03d%04d", 200+(n/10000)%800, n%10000)
}

// verifyCode reads the code the sandbox delivered to `to` (the control API, as the user's
// phone).
func verifyCode(t testing.TB, serviceSID, to string) string {
	t.Helper()
	m := control(t, newClient(t), "GET", "/sandbox/verify/code", url.Values{"To": {to}, "ServiceSid": {serviceSID}})
	code, _ := m["code"].(string)
	if code == "" {
		t.Fatalf("no Verify code delivered to %s: %v", to, m)
	}
	return code
}

// wrongCode is a code of the same length that is not code.
func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestVerifyServiceCRUD(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s, err := c.CreateService(ctx, "My App", authy.Params{"CodeLength": "4", "LookupEnabled": "true"})
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	if !strings.HasPrefix(s.SID, "VA") || s.FriendlyName != "My App" || s.CodeLength != 4 || !s.LookupEnabled ||
		s.AccountSID != testAccountSID || s.StatusCode != 201 || !strings.Contains(s.Body(), s.SID) {
		t.Fatalf("created: %+v", s)
	}
	got, err := c.FetchService(ctx, s.SID)
	if err != nil || got.SID != s.SID || got.CodeLength != 4 || got.StatusCode != 200 {
		t.Fatalf("FetchService: %+v, %v", got, err)
	}
	up, err := c.UpdateService(ctx, s.SID, authy.Params{"FriendlyName": "Renamed", "CodeLength": "8"})
	if err != nil || up.FriendlyName != "Renamed" || up.CodeLength != 8 {
		t.Fatalf("UpdateService: %+v, %v", up, err)
	}
	if err := c.DeleteService(ctx, s.SID); err != nil {
		t.Fatalf("DeleteService: %v", err)
	}
	_, err = c.FetchService(ctx, s.SID)
	e := asError(t, err)
	if !errors.Is(err, authy.ErrNotFound) || e.HTTPStatus != 404 || e.APICode != "20404" ||
		!strings.Contains(e.MoreInfo, "20404") || !strings.Contains(e.Error(), "Twilio 20404") {
		t.Fatalf("fetch after delete: %#v", e)
	}
	// The API's own refusal, with its code and message.
	_, err = c.UpdateService(ctx, newService(t, c, nil).SID, authy.Params{"CodeLength": "42"})
	if e := asError(t, err); !errors.Is(err, authy.ErrInvalidParameters) || e.APICode != "60200" || e.Message == "" {
		t.Fatalf("CodeLength 42: %#v", e)
	}
}

func TestVerifyServiceList(t *testing.T) {
	c := newVerifyClient(t)
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		want[newService(t, c, nil).SID] = true
	}
	it := c.Services(2)
	defer it.Close()
	seen := map[string]bool{}
	for it.Next(context.Background()) {
		s := it.Service()
		if seen[s.SID] {
			t.Fatalf("%s listed twice", s.SID)
		}
		seen[s.SID] = true
	}
	if err := it.Err(); err != nil {
		t.Fatalf("list: %v", err)
	}
	for sid := range want {
		if !seen[sid] {
			t.Fatalf("%s not listed (saw %d services)", sid, len(seen))
		}
	}
	if it.Next(context.Background()) {
		t.Fatal("Next after the end")
	}
	// Stopping early and a page size out of range.
	early := c.Services(1)
	if !early.Next(context.Background()) || early.Close() != nil || early.Next(context.Background()) {
		t.Fatal("early stop")
	}
	bad := c.Services(5000)
	if bad.Next(context.Background()) || !errors.Is(bad.Err(), authy.ErrInvalidArgument) {
		t.Fatalf("page size 5000: %v", bad.Err())
	}
}

func TestVerifyStartCheck(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	to := uniqueE164()
	v, err := c.StartVerification(ctx, s.SID, to, "sms", authy.Params{"Locale": "en"})
	if err != nil {
		t.Fatalf("StartVerification: %v", err)
	}
	if !strings.HasPrefix(v.SID, "VE") || v.Status != "pending" || v.To != to || v.Channel != "sms" || len(v.SendCodeAttempts) != 1 {
		t.Fatalf("started: %+v", v)
	}
	code := verifyCode(t, s.SID, to)
	if len(code) != s.CodeLength {
		t.Fatalf("code %q, length %d", code, s.CodeLength)
	}
	// A wrong code: a distinct error, never nil, with the answer.
	chk, err := c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: wrongCode(code)})
	if err == nil || !errors.Is(err, authy.ErrTokenInvalid) || errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("wrong code: %v", err)
	}
	if chk == nil || chk.Valid || chk.Status != "pending" || chk.SID != v.SID {
		t.Fatalf("wrong code answer: %+v", chk)
	}
	got, err := c.FetchVerification(ctx, s.SID, v.SID)
	if err != nil || got.Status != "pending" {
		t.Fatalf("FetchVerification: %+v, %v", got, err)
	}
	// The right code, by verification SID.
	chk, err = c.CheckVerification(ctx, s.SID, authy.Check{VerificationSID: v.SID, Code: code})
	if err != nil || !chk.Valid || chk.Status != "approved" || chk.StatusCode != 200 {
		t.Fatalf("right code: %+v, %v", chk, err)
	}
	// Nothing pending any more: 20404.
	_, err = c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: code})
	if e := asError(t, err); !errors.Is(err, authy.ErrNoPendingVerification) || !errors.Is(err, authy.ErrNotFound) ||
		errors.Is(err, authy.ErrTokenInvalid) || e.APICode != "20404" {
		t.Fatalf("check after approval: %#v", e)
	}
}

func TestVerifyCancel(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	to := uniqueE164()
	v, err := c.StartVerification(ctx, s.SID, to, "call", nil)
	if err != nil {
		t.Fatalf("StartVerification: %v", err)
	}
	code := verifyCode(t, s.SID, to)
	cv, err := c.CancelVerification(ctx, s.SID, v.SID)
	if err != nil || cv.Status != "canceled" {
		t.Fatalf("CancelVerification: %+v, %v", cv, err)
	}
	_, err = c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: code})
	if !errors.Is(err, authy.ErrNoPendingVerification) {
		t.Fatalf("check after cancel: %v", err)
	}
	_, err = c.FetchVerification(ctx, s.SID, v.SID)
	if !errors.Is(err, authy.ErrNoPendingVerification) {
		t.Fatalf("fetch after cancel: %v", err)
	}
	_, err = c.UpdateVerification(ctx, s.SID, v.SID, "paused")
	if e := asError(t, err); !errors.Is(err, authy.ErrInvalidArgument) || e.Attempts != 0 {
		t.Fatalf("status paused: %#v", e)
	}
}

func TestVerifyLimits(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)

	// 60202: five wrong codes, then even the right one is refused.
	to := uniqueE164()
	if _, err := c.StartVerification(ctx, s.SID, to, "sms", nil); err != nil {
		t.Fatalf("StartVerification: %v", err)
	}
	code := verifyCode(t, s.SID, to)
	for i := 0; i < 5; i++ {
		if _, err := c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: wrongCode(code)}); !errors.Is(err, authy.ErrTokenInvalid) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	_, err := c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: code})
	if e := asError(t, err); !errors.Is(err, authy.ErrMaxCheckAttempts) || errors.Is(err, authy.ErrMaxSendAttempts) ||
		!errors.Is(err, authy.ErrRateLimited) || e.APICode != "60202" || e.HTTPStatus != 429 {
		t.Fatalf("6th check: %#v", e)
	}

	// 60203: five sends reuse the verification, the 6th is refused.
	to = uniqueE164()
	var first string
	for i := 0; i < 5; i++ {
		v, err := c.StartVerification(ctx, s.SID, to, "sms", nil)
		if err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
		if first == "" {
			first = v.SID
		} else if v.SID != first || len(v.SendCodeAttempts) != i+1 {
			t.Fatalf("send %d: %s with %d attempts, want %s", i+1, v.SID, len(v.SendCodeAttempts), first)
		}
	}
	_, err = c.StartVerification(ctx, s.SID, to, "sms", nil)
	if e := asError(t, err); !errors.Is(err, authy.ErrMaxSendAttempts) || errors.Is(err, authy.ErrMaxCheckAttempts) || e.APICode != "60203" {
		t.Fatalf("6th send: %#v", e)
	}
}

func TestVerifyLookup(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	r, err := c.LookupPhoneNumber(ctx, "+14159929960", authy.Params{"Fields": "line_type_intelligence"})
	if err != nil || !r.Valid || r.PhoneNumber != "+14159929960" || r.CountryCode != "US" ||
		len(r.LineTypeIntelligence) == 0 || string(r.LineTypeIntelligence) == "null" || string(r.CallerName) != "null" {
		t.Fatalf("valid number: %+v, %v", r, err)
	}
	r, err = c.LookupPhoneNumber(ctx, "+1415", nil)
	if err != nil || r.Valid || len(r.ValidationErrors) == 0 {
		t.Fatalf("invalid number: %+v, %v", r, err)
	}
	r, err = c.LookupPhoneNumber(ctx, "4159929960", authy.Params{"CountryCode": "US"})
	if err != nil || !r.Valid || r.PhoneNumber != "+14159929960" {
		t.Fatalf("national number: %+v, %v", r, err)
	}
}

func TestVerifyCredentials(t *testing.T) {
	ctx := context.Background()
	bad, err := authy.NewVerifyClient(testAccountSID, "not-the-token-0123456789", authy.WithBaseURL(baseURL))
	if err != nil {
		t.Fatalf("NewVerifyClient: %v", err)
	}
	defer bad.Close()
	_, err = bad.CreateService(ctx, "x", nil)
	e := asError(t, err)
	if !errors.Is(err, authy.ErrUnauthorized) || e.HTTPStatus != 401 || e.APICode != "20003" ||
		strings.Contains(e.Error()+e.Body+e.Message, "not-the-token") || strings.Contains(fmt.Sprintf("%v %+v", bad, e), "not-the-token") {
		t.Fatalf("bad token: %#v", e)
	}
	// The API-key variant.
	kc, err := authy.NewVerifyClientAPIKey(testAPIKeySID, testAPIKeySec, testAccountSID, authy.WithBaseURL(baseURL))
	if err != nil {
		t.Fatalf("NewVerifyClientAPIKey: %v", err)
	}
	defer kc.Close()
	s, err := kc.CreateService(ctx, "api key", nil)
	if err != nil || s.AccountSID != testAccountSID {
		t.Fatalf("API key: %+v, %v", s, err)
	}
	_ = kc.DeleteService(ctx, s.SID)
	// Shapes checked at build; Authy-only options refused.
	for name, mk := range map[string]func() (*authy.VerifyClient, error){
		"account SID": func() (*authy.VerifyClient, error) { return authy.NewVerifyClient("AC123", testAuthToken) },
		"API key SID": func() (*authy.VerifyClient, error) {
			return authy.NewVerifyClientAPIKey("XX"+strings.Repeat("0", 32), "s", testAccountSID)
		},
		"secondary URL": func() (*authy.VerifyClient, error) {
			return authy.NewVerifyClient(testAccountSID, testAuthToken, authy.WithSecondaryBaseURL(baseURL))
		},
		"NUL token": func() (*authy.VerifyClient, error) { return authy.NewVerifyClient(testAccountSID, "a\x00b") },
	} {
		if c, err := mk(); c != nil || !errors.Is(err, authy.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An Authy client refuses the Lookup URL.
	if _, err := authy.NewClient(testKey, authy.WithLookupsBaseURL(baseURL)); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Errorf("Authy client with a Lookup URL: %v", err)
	}
}

func TestVerifyContext(t *testing.T) {
	c := newVerifyClient(t)
	s := newService(t, c, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.StartVerification(ctx, s.SID, uniqueE164(), "sms", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
	it := c.Services(0)
	defer it.Close()
	if it.Next(ctx) || !errors.Is(it.Err(), context.Canceled) {
		t.Fatalf("Next with a cancelled context: %v", it.Err())
	}
	if _, err := c.FetchService(nil, s.SID); !errors.Is(err, authy.ErrInvalidArgument) { //nolint:staticcheck
		t.Fatalf("nil context: %v", err)
	}
}

func TestVerifyBadInput(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	ve := "VE" + strings.Repeat("0", 32)
	calls := map[string]func() error{
		"NUL in SID":     func() error { _, err := c.FetchService(ctx, "VA\x00"); return err },
		"short SID":      func() error { _, err := c.FetchService(ctx, "VA123"); return err },
		"wrong prefix":   func() error { _, err := c.FetchService(ctx, "VE"+strings.Repeat("a", 32)); return err },
		"SID with slash": func() error { return c.DeleteService(ctx, "VA"+strings.Repeat("a", 30)+"/x") },
		"To not E.164":   func() error { _, err := c.StartVerification(ctx, s.SID, "4155550100", "sms", nil); return err },
		"channel":        func() error { _, err := c.StartVerification(ctx, s.SID, uniqueE164(), "SMS!", nil); return err },
		"NUL in To":      func() error { _, err := c.StartVerification(ctx, s.SID, "+1\x00", "sms", nil); return err },
		"NUL in option":  func() error { _, err := c.CreateService(ctx, "x", authy.Params{"Locale": "e\x00n"}); return err },
		"check both": func() error {
			_, err := c.CheckVerification(ctx, s.SID, authy.Check{To: uniqueE164(), VerificationSID: ve, Code: "1234"})
			return err
		},
		"check neither": func() error { _, err := c.CheckVerification(ctx, s.SID, authy.Check{Code: "1234"}); return err },
		"code too short": func() error {
			_, err := c.CheckVerification(ctx, s.SID, authy.Check{VerificationSID: ve, Code: "12"})
			return err
		},
		"bad VE SID":      func() error { _, err := c.FetchVerification(ctx, s.SID, "VEzz"); return err },
		"invalid UTF-8":   func() error { _, err := c.CreateService(ctx, "\xff\xfe", nil); return err },
		"lookup with NUL": func() error { _, err := c.LookupPhoneNumber(ctx, "+1\x00", nil); return err },
	}
	for name, call := range calls {
		err := call()
		e := asError(t, err)
		if !errors.Is(err, authy.ErrInvalidArgument) || e.Attempts != 0 {
			t.Errorf("%s: %#v", name, e)
		} else {
			t.Logf("%s: refused: %v", name, err)
		}
	}
	// After Close: ErrClosed, no crash.
	c2 := newVerifyClient(t)
	c2.Close()
	if _, err := c2.FetchService(ctx, s.SID); !errors.Is(err, authy.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if it := c2.Services(0); it.Next(ctx) || !errors.Is(it.Err(), authy.ErrClosed) {
		t.Fatalf("list after Close: %v", it.Err())
	}
	var nilc *authy.VerifyClient
	if _, err := nilc.FetchService(ctx, s.SID); !errors.Is(err, authy.ErrClosed) {
		t.Fatalf("nil client: %v", err)
	}
}

// The client's own timeout bounds a Verify call (the transport is the Authy client's).
func TestVerifyClientTimeout(t *testing.T) {
	c := newVerifyClient(t, authy.WithTimeout(300*time.Millisecond))
	s := newService(t, newVerifyClient(t), nil)
	arm(t, newClient(t), "latency", "/v2/Services/"+s.SID, url.Values{"latency_ms": {"3000"}})
	start := time.Now()
	_, err := c.FetchService(context.Background(), s.SID)
	took := time.Since(start)
	if e := asError(t, err); !errors.Is(err, authy.ErrTimeout) || !e.RequestSent || took > 1500*time.Millisecond {
		t.Fatalf("after %v: %#v", took, e)
	}
}

// A context cancelled during a Verify call stops it within milliseconds; a deadline bounds it.
func TestVerifyContextMidCall(t *testing.T) {
	c := newVerifyClient(t)
	s := newService(t, c, nil)
	ac := newClient(t)
	for i := 0; i < 5; i++ {
		arm(t, ac, "latency", "/v2/Services/"+s.SID, url.Values{"latency_ms": {"3000"}})
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(200 * time.Millisecond); cancel() }()
		start := time.Now()
		_, err := c.FetchService(ctx, s.SID)
		took := time.Since(start) - 200*time.Millisecond
		if !errors.Is(err, authy.ErrCancelled) || !errors.Is(err, context.Canceled) || took > 50*time.Millisecond {
			t.Fatalf("round %d: %v after %v past the cancel", i, err, took)
		}
	}
	arm(t, ac, "latency", "/v2/Services/"+s.SID, url.Values{"latency_ms": {"3000"}})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.FetchService(ctx, s.SID)
	if !errors.Is(err, authy.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(start))
	}
}
