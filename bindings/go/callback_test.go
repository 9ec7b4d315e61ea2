package authy_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

const cbBody = `{"authy_id":42,"callback_action":"approval_request_status","status":"approved",` +
	`"uuid":"u-1","approval_request":{"transaction":{"details":{"Location":"Paris"},"message":"Log in?"}}}`

func nonceNow() string { return strconv.FormatInt(time.Now().Unix(), 10) }

// signedRequest builds a callback request signed like Authy signs it.
func signedRequest(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	nonce := nonceNow()
	u, _ := url.Parse(target)
	payload := body
	signedURL := target
	if method == http.MethodGet {
		payload = u.RawQuery
		signedURL = strings.SplitN(target, "?", 2)[0]
	}
	sig, err := authy.SignCallback(testKey, method, signedURL, nonce, payload)
	if err != nil {
		t.Fatal(err)
	}
	var r *http.Request
	if method == http.MethodGet {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("X-Authy-Signature", sig)
	r.Header.Set("X-Authy-Signature-Nonce", nonce)
	return r
}

func TestVerifyCallback(t *testing.T) {
	const u = "https://app.example.com/authy/callback"
	nonce := nonceNow()
	sig, err := authy.SignCallback(testKey, "POST", u, nonce, cbBody)
	if err != nil || len(sig) != 44 {
		t.Fatalf("sign: %q %v", sig, err)
	}
	p, err := authy.VerifyCallback(testKey, "POST", u, nonce, sig, cbBody, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status() != authy.ApprovalApproved || p.UUID() != "u-1" || p.AuthyID() != "42" {
		t.Fatalf("params: %q %q %q", p.Status(), p.UUID(), p.AuthyID())
	}
	if v, ok := p.Get("/approval_request/transaction/details/Location"); !ok || v != "Paris" {
		t.Fatalf("nested: %q %v", v, ok)
	}
	if _, ok := p.Get("/approval_request"); ok {
		t.Fatal("an object read as a string")
	}
	if _, ok := p.Get("/nope"); ok {
		t.Fatal("missing key found")
	}
	p.Close()
	p.Close()
	if _, ok := p.Get("/status"); ok {
		t.Fatal("Get after Close")
	}
	var nilParams *authy.CallbackParams
	if _, ok := nilParams.Get("/status"); ok || nilParams.Close() != nil {
		t.Fatal("nil params")
	}

	reject := map[string][6]string{
		"tampered body":  {testKey, "POST", u, nonce, sig, strings.Replace(cbBody, "approved", "denied", 1)},
		"other URL":      {testKey, "POST", "https://evil.example.com/authy/callback", nonce, sig, cbBody},
		"other key":      {"another-key", "POST", u, nonce, sig, cbBody},
		"other nonce":    {testKey, "POST", u, nonce + "1", sig, cbBody},
		"no signature":   {testKey, "POST", u, nonce, "", cbBody},
		"garbage sig":    {testKey, "POST", u, nonce, "!!!", cbBody},
		"NUL in body":    {testKey, "POST", u, nonce, sig, cbBody + "\x00"},
		"duplicate key":  {testKey, "POST", u, nonce, sig, `{"status":"denied","status":"approved"}`},
		"not JSON":       {testKey, "POST", u, nonce, sig, "status=approved"},
		"stale nonce":    {testKey, "POST", u, "1000000000", sig, cbBody},
		"non-numeric ts": {testKey, "POST", u, "abc", sig, cbBody},
	}
	for name, a := range reject {
		if _, err := authy.VerifyCallback(a[0], a[1], a[2], a[3], a[4], a[5], nil); !errors.Is(err, authy.ErrSignatureInvalid) {
			t.Errorf("%s: want ErrSignatureInvalid, got %v", name, err)
		}
	}
	for name, a := range map[string][6]string{
		"empty key": {"", "POST", u, nonce, sig, cbBody},
		"PUT":       {testKey, "PUT", u, nonce, sig, cbBody},
		"empty URL": {testKey, "POST", "", nonce, sig, cbBody},
	} {
		if _, err := authy.VerifyCallback(a[0], a[1], a[2], a[3], a[4], a[5], nil); !errors.Is(err, authy.ErrInvalidArgument) {
			t.Errorf("%s: want ErrInvalidArgument, got %v", name, err)
		}
	}
	// An old recorded callback verifies only without the replay window, or with a clock.
	old := "1512923419"
	oldSig, _ := authy.SignCallback(testKey, "POST", u, old, cbBody)
	if _, err := authy.VerifyCallback(testKey, "POST", u, old, oldSig, cbBody, nil); !errors.Is(err, authy.ErrSignatureInvalid) {
		t.Fatalf("stale: %v", err)
	}
	if p, err := authy.VerifyCallback(testKey, "POST", u, old, oldSig, cbBody, &authy.CallbackOptions{NoReplayWindow: true}); err != nil {
		t.Fatalf("no window: %v", err)
	} else {
		p.Close()
	}
	at := time.Unix(1512923419+60, 0)
	if p, err := authy.VerifyCallback(testKey, "POST", u, old, oldSig, cbBody, &authy.CallbackOptions{Now: at, MaxAge: 2 * time.Minute}); err != nil {
		t.Fatalf("clock: %v", err)
	} else {
		p.Close()
	}
	if _, err := authy.VerifyCallback(testKey, "POST", u, old, oldSig, cbBody, &authy.CallbackOptions{Now: at, MaxAge: 30 * time.Second}); !errors.Is(err, authy.ErrSignatureInvalid) {
		t.Fatalf("outside a 30 s window: %v", err)
	}
	if _, err := authy.VerifyCallback(testKey, "POST", u, old, oldSig, cbBody, &authy.CallbackOptions{MaxAge: -time.Second}); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("negative window: %v", err)
	}
}

func TestVerifyCallbackRequestLeavesBodyReadable(t *testing.T) {
	r := signedRequest(t, http.MethodPost, "http://app.example.com/authy/callback", cbBody)
	p, err := authy.VerifyCallbackRequest(r, testKey, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil || string(b) != cbBody {
		t.Fatalf("body after verification: %q %v", b, err)
	}
	// Behind a TLS terminator: the public URL differs from the one the server sees.
	r = signedRequest(t, http.MethodPost, "https://public.example.com/cb", cbBody)
	r.Host = "10.0.0.7:8080"
	r.TLS = nil
	if _, err := authy.VerifyCallbackRequest(r, testKey, "", nil); !errors.Is(err, authy.ErrSignatureInvalid) {
		t.Fatalf("rebuilt URL should not match: %v", err)
	}
	r.Body = io.NopCloser(strings.NewReader(cbBody))
	if p, err := authy.VerifyCallbackRequest(r, testKey, "https://public.example.com/cb", nil); err != nil {
		t.Fatalf("with the public URL: %v", err)
	} else {
		p.Close()
	}
	// GET callbacks carry the parameters in the query.
	q := "authy_id=42&status=denied&uuid=u-2&approval_request%5Btransaction%5D%5Bmessage%5D=Hi"
	g := signedRequest(t, http.MethodGet, "http://app.example.com/cb?"+q, "")
	gp, err := authy.VerifyCallbackRequest(g, testKey, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer gp.Close()
	if gp.Status() != authy.ApprovalDenied || gp.UUID() != "u-2" {
		t.Fatalf("GET params: %q %q", gp.Status(), gp.UUID())
	}
	if v, _ := gp.Get("/approval_request/transaction/message"); v != "Hi" {
		t.Fatalf("nested GET param: %q", v)
	}
	if _, err := authy.VerifyCallbackRequest(nil, testKey, "", nil); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("nil request: %v", err)
	}
}

func TestCallbackMiddleware(t *testing.T) {
	var got struct {
		sync.Mutex
		status, uuid string
		body         string
	}
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := authy.CallbackParamsFromContext(r.Context())
		if !ok {
			http.Error(w, "no params", 500)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got.Lock()
		got.status, got.uuid, got.body = string(p.Status()), p.UUID(), string(b)
		got.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	h := authy.CallbackMiddleware(inner, testKey, "", nil)
	serve := func(r *http.Request) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	const target = "http://app.example.com/authy/callback"
	if code := serve(signedRequest(t, http.MethodPost, target, cbBody)); code != http.StatusNoContent {
		t.Fatalf("valid: %d", code)
	}
	if got.status != "approved" || got.uuid != "u-1" || got.body != cbBody {
		t.Fatalf("handler saw %q %q %q", got.status, got.uuid, got.body)
	}
	unsigned := httptest.NewRequest(http.MethodPost, target, strings.NewReader(cbBody))
	if code := serve(unsigned); code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", code)
	}
	tampered := signedRequest(t, http.MethodPost, target, cbBody)
	tampered.Body = io.NopCloser(strings.NewReader(strings.Replace(cbBody, "approved", "denied", 1)))
	if code := serve(tampered); code != http.StatusForbidden {
		t.Fatalf("tampered: %d", code)
	}
	put := signedRequest(t, http.MethodPost, target, cbBody)
	put.Method = http.MethodPut
	if code := serve(put); code != http.StatusMethodNotAllowed {
		t.Fatalf("PUT: %d", code)
	}
	big := signedRequest(t, http.MethodPost, target, cbBody)
	big.Body = io.NopCloser(bytes.NewReader(bytes.Repeat([]byte("x"), authy.MaxCallbackBody+10)))
	if code := serve(big); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("big: %d", code)
	}
	if _, ok := authy.CallbackParamsFromContext(unsigned.Context()); ok {
		t.Fatal("params without the middleware")
	}
}

// The sandbox signs and sends real callbacks to a handler guarded by the middleware.
func TestCallbackFromSandbox(t *testing.T) {
	c := newClient(t)
	for _, method := range []string{"POST", "GET"} {
		method := method
		t.Run(method, func(t *testing.T) {
			type seen struct{ status, uuid, authyID string }
			ch := make(chan seen, 4)
			rejected := make(chan int, 4)
			var publicURL string
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, _ := authy.CallbackParamsFromContext(r.Context())
				ch <- seen{string(p.Status()), p.UUID(), p.AuthyID()}
				w.WriteHeader(http.StatusOK)
			})
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := httptest.NewRecorder()
				authy.CallbackMiddleware(inner, testKey, publicURL, nil).ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					rejected <- rec.Code
				}
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
			}))
			publicURL = "http://" + srv.Listener.Addr().String() + "/authy/callback"
			srv.Start() // after publicURL is set: the handler reads it
			defer srv.Close()
			control(t, c, "POST", "/sandbox/config", url.Values{"callback_url": {publicURL}, "callback_method": {method}})
			defer control(t, c, "POST", "/sandbox/config", url.Values{"callback_url": {""}})
			id, _ := newUser(t, c)
			ar, err := c.SendApprovalRequest(bg, id, "Log in from Go?", &authy.ApprovalRequestOptions{
				Details: map[string]string{"Location": "Lisbon"}, HiddenDetails: map[string]string{"ip": "192.0.2.9"}})
			if err != nil {
				t.Fatal(err)
			}
			m := control(t, c, "POST", "/sandbox/approval_requests/"+ar.UUID+"/approve", nil)
			cb, _ := m["callback"].(map[string]interface{})
			if cb == nil || cb["http_status"] != float64(200) {
				select {
				case code := <-rejected:
					t.Fatalf("the middleware rejected the sandbox's callback: %d (%v)", code, m)
				default:
					t.Fatalf("callback delivery: %v", m)
				}
			}
			s := <-ch
			if s.status != "approved" || s.uuid != ar.UUID || s.authyID != id {
				t.Fatalf("verified params: %+v (want uuid %s, id %s)", s, ar.UUID, id)
			}
		})
	}
}
