package authy_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// closedPort is a 127.0.0.1 address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestNewResultCodes(t *testing.T) {
	cases := []struct {
		code     authy.Code
		name     string
		sentinel error
	}{
		{authy.CodeErrorSlotInUse, "AUTHY_RESULT_ERROR_SLOT_IN_USE", authy.ErrInvalidArgument},
		{authy.CodeConnectTimeout, "AUTHY_RESULT_CONNECT_TIMEOUT", authy.ErrConnectTimeout},
		{authy.CodeNoResponse, "AUTHY_RESULT_NO_RESPONSE", authy.ErrNoResponse},
		{authy.CodeTruncated, "AUTHY_RESULT_TRUNCATED", authy.ErrTruncated},
	}
	nums := map[authy.Code]authy.Code{authy.CodeErrorSlotInUse: 103, authy.CodeConnectTimeout: 205,
		authy.CodeNoResponse: 206, authy.CodeTruncated: 207}
	for _, tc := range cases {
		if nums[tc.code] != tc.code {
			t.Errorf("%s = %d", tc.name, uint32(tc.code))
		}
		if tc.code.String() != tc.name {
			t.Errorf("%d: name %q, want %q", uint32(tc.code), tc.code.String(), tc.name)
		}
		if d := tc.code.Description(); d == "" || strings.Contains(d, "unknown") {
			t.Errorf("%s: description %q", tc.name, d)
		}
		e := &authy.Error{Code: tc.code, Name: tc.code.String()}
		if !errors.Is(e, tc.sentinel) {
			t.Errorf("%s does not match its sentinel", tc.name)
		}
		if tc.code >= 200 && (!errors.Is(e, authy.ErrTransport) || errors.Is(e, authy.ErrTimeout)) {
			t.Errorf("%s: transport group wrong", tc.name)
		}
	}
	if errors.Is(&authy.Error{Code: authy.CodeTimeout}, authy.ErrConnectTimeout) {
		t.Error("TIMEOUT matches ErrConnectTimeout")
	}
}

// Faults on a call with a side effect (request_sms): each its own code, the request reached the
// sandbox once (request_sent, one attempt, never resent), nothing delivered.
func TestFaultsOnRequestSMS(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	cases := []struct {
		kind       string
		extra      url.Values
		want       error
		retryAfter time.Duration
	}{
		{"close", nil, authy.ErrNoResponse, 0},
		{"truncated", nil, authy.ErrTruncated, 0},
		{"rate_limit", url.Values{"retry_after": {"2"}}, authy.ErrRateLimited, 2 * time.Second},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.kind, func(t *testing.T) {
			arm(t, c, tc.kind, "/protected/json/sms/", tc.extra)
			before := requestTotal(t, c)
			_, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Force: true})
			e := asError(t, err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("%s: %v (%s)", tc.kind, err, e.Name)
			}
			if tc.want != authy.ErrRateLimited && !errors.Is(err, authy.ErrTransport) {
				t.Fatalf("%s: not in the transport group", tc.kind)
			}
			if !e.RequestSent || e.Attempts != 1 || e.RetryAfter != tc.retryAfter {
				t.Fatalf("%s: request_sent %v attempts %d retry_after %v", tc.kind, e.RequestSent, e.Attempts, e.RetryAfter)
			}
			if n := requestTotal(t, c) - before; n != 1 { // control requests are not counted
				t.Fatalf("%s: the sandbox counted %d requests, want 1", tc.kind, n)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatal("key in the error")
			}
			// The next request works.
			if _, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Force: true}); err != nil {
				t.Fatalf("after the fault: %v", err)
			}
		})
	}
}

func TestErrorBeforeIOHasNoAttempts(t *testing.T) {
	c := newClient(t)
	_, err := c.UserStatus(bg, "../1")
	e := asError(t, err)
	if !errors.Is(err, authy.ErrInvalidArgument) || e.Attempts != 0 || e.RequestSent || e.RetryAfter != 0 {
		t.Fatalf("%v attempts %d sent %v", err, e.Attempts, e.RequestSent)
	}
	// An API answer: sent, one attempt.
	_, err = c.UserStatus(bg, "987654321")
	e = asError(t, err)
	if !errors.Is(err, authy.ErrNotFound) || e.Attempts != 1 || !e.RequestSent {
		t.Fatalf("%v attempts %d sent %v", err, e.Attempts, e.RequestSent)
	}
}

func TestRetriesAgainstClosedPort(t *testing.T) {
	c, err := authy.NewClient(testKey, authy.WithBaseURL(closedPort(t)),
		authy.WithRetries(3, time.Millisecond, 5*time.Millisecond), authy.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// A read and a call with a side effect: neither reached the server, both are retried.
	_, err = c.AppDetails(bg)
	e := asError(t, err)
	if !errors.Is(err, authy.ErrConnect) || e.Attempts != 3 || e.RequestSent {
		t.Fatalf("read: %v attempts %d sent %v", err, e.Attempts, e.RequestSent)
	}
	_, err = c.RequestSMS(bg, "1", nil)
	e = asError(t, err)
	if !errors.Is(err, authy.ErrConnect) || e.Attempts != 3 || e.RequestSent {
		t.Fatalf("side effect: %v attempts %d sent %v", err, e.Attempts, e.RequestSent)
	}
	// Without the option: one attempt.
	d, err := authy.NewClient(testKey, authy.WithBaseURL(closedPort(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err = d.AppDetails(bg)
	if e := asError(t, err); e.Attempts != 1 || e.RequestSent {
		t.Fatalf("no retries: attempts %d sent %v", e.Attempts, e.RequestSent)
	}
}

func TestRetriesOnlyWhereSafe(t *testing.T) {
	c := newClient(t, authy.WithRetries(3, time.Millisecond, 10*time.Millisecond))
	id, _ := newUser(t, c)
	// A read recovers from one 5xx page.
	arm(t, c, "status_5xx", "/protected/json/app/stats", nil)
	if _, err := c.AppStats(bg); err != nil {
		t.Fatalf("read after one 503: %v", err)
	}
	// A call with a side effect whose request reached the server is not repeated.
	arm(t, c, "status_5xx", "/protected/json/sms/", nil)
	_, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Force: true})
	e := asError(t, err)
	if !errors.Is(err, authy.ErrServerError) || e.Attempts != 1 || !e.RequestSent {
		t.Fatalf("side effect: %v attempts %d sent %v", err, e.Attempts, e.RequestSent)
	}
}

func TestRetriesOptionIsChecked(t *testing.T) {
	bad := map[string]authy.Option{
		"zero attempts":     authy.WithRetries(0, 0, 0),
		"negative attempts": authy.WithRetries(-1, 0, 0),
		"11 attempts":       authy.WithRetries(11, time.Millisecond, time.Millisecond),
		"huge attempts":     authy.WithRetries(1<<40, time.Millisecond, time.Millisecond),
		"max < initial":     authy.WithRetries(3, time.Second, time.Millisecond),
		"negative backoff":  authy.WithRetries(3, -time.Second, time.Second),
	}
	for name, o := range bad {
		c, err := authy.NewClient(testKey, authy.WithBaseURL(baseURL), o)
		if err == nil {
			c.Close()
			t.Errorf("%s: accepted", name)
			continue
		}
		if !errors.Is(err, authy.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, err := authy.NewClient(testKey, authy.WithBaseURL(baseURL), authy.WithRetries(1, 0, 0))
	if err != nil {
		t.Fatalf("one attempt, no backoff: %v", err)
	}
	c.Close()
}

func TestHealthCheck(t *testing.T) {
	c := newClient(t)
	h, err := c.HealthCheck(bg)
	if err != nil {
		t.Fatal(err)
	}
	if !h.OK || h.Code != authy.CodeOK || h.Name != "AUTHY_RESULT_OK" || h.TLS || h.AppName == "" ||
		h.Message == "" || h.Latency <= 0 || h.Err() != nil {
		t.Fatalf("healthy: %+v", h)
	}

	wrongKey := "wrong-key-health-0000"
	w, err := authy.NewClient(wrongKey, authy.WithBaseURL(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h, err = w.HealthCheck(bg)
	if err != nil {
		t.Fatal(err)
	}
	if h.OK || h.Code != authy.CodeUnauthorized || h.AppName != "" || h.Message == "" ||
		!errors.Is(h.Err(), authy.ErrUnauthorized) {
		t.Fatalf("wrong key: %+v", h)
	}
	if strings.Contains(h.Message, wrongKey) || strings.Contains(h.Err().Error(), wrongKey) {
		t.Fatal("key in the report")
	}

	d, err := authy.NewClient(testKey, authy.WithBaseURL(closedPort(t)))
	if err != nil {
		t.Fatal(err)
	}
	h, err = d.HealthCheck(bg)
	if err != nil {
		t.Fatal(err)
	}
	if h.OK || h.Code != authy.CodeConnect || !errors.Is(h.Err(), authy.ErrTransport) {
		t.Fatalf("closed port: %+v", h)
	}

	// Errors are only for a closed client and a done context.
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := c.HealthCheck(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
	d.Close()
	if _, err := d.HealthCheck(bg); !errors.Is(err, authy.ErrClosed) {
		t.Fatalf("closed client: %v", err)
	}
}
