package authy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// Webhooks: CRUD and list, and a real delivery received on 127.0.0.1 whose X-Twilio-Signature
// verifies with the account's Auth Token.
func TestVerifyWebhooks(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)

	events := make(chan string, 16)
	srv := httptest.NewServer(authy.TwilioWebhookMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		events <- r.PostForm.Get("type")
	}), testAuthToken, ""))
	defer srv.Close()

	w, err := c.CreateWebhook(ctx, s.SID, "go hook", "factor.created,factor.verified", srv.URL+"/hook", nil)
	if err != nil || !strings.HasPrefix(w.SID, "YW") || w.Status != "enabled" || w.WebhookMethod != "POST" ||
		len(w.EventTypes) != 2 || w.EventTypes[0] != "factor.created" || w.WebhookURL != srv.URL+"/hook" || w.StatusCode != 201 {
		t.Fatalf("CreateWebhook: %+v, %v", w, err)
	}
	// A push factor (TOTP events are sent only after a sandbox-wide setting), created and
	// verified by the sandbox's device.
	r, err := newClient(t).Request(ctx, "POST", "/sandbox/verify/Services/"+s.SID+"/Entities/"+newIdentity()+"/PushFactors", nil)
	if err != nil || r.StatusCode != 201 {
		t.Fatalf("push factor: %v %v", r, err)
	}
	select {
	case ev := <-events:
		if ev != "factor.created" {
			t.Fatalf("event %q", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no signed factor.created delivery within 10 s")
	}

	got, err := c.FetchWebhook(ctx, s.SID, w.SID)
	if err != nil || got.SID != w.SID || got.FriendlyName != "go hook" {
		t.Fatalf("FetchWebhook: %+v, %v", got, err)
	}
	got, err = c.UpdateWebhook(ctx, s.SID, w.SID, authy.Params{"Status": "disabled", "EventTypes": "*"})
	if err != nil || got.Status != "disabled" || len(got.EventTypes) != 1 || got.EventTypes[0] != "*" {
		t.Fatalf("UpdateWebhook: %+v, %v", got, err)
	}
	second, err := c.CreateWebhook(ctx, s.SID, "second", "*", "https://example.com/x", authy.Params{"Version": "v1"})
	if err != nil || second.Version != "v1" {
		t.Fatalf("CreateWebhook v1: %+v, %v", second, err)
	}
	it := c.Webhooks(s.SID, 1)
	defer it.Close()
	n := 0
	for it.Next(ctx) {
		n++
	}
	if it.Err() != nil || n != 2 {
		t.Fatalf("Webhooks: %d, %v", n, it.Err())
	}
	if err := c.DeleteWebhook(ctx, s.SID, w.SID); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	if _, err := c.FetchWebhook(ctx, s.SID, w.SID); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("fetch after delete: %v", err)
	}
	// The API's refusal of an unknown event type.
	_, err = c.CreateWebhook(ctx, s.SID, "bad", "factor.exploded", srv.URL, nil)
	if ae := asError(t, err); !errors.Is(err, authy.ErrInvalidParameters) || ae.APICode == "" {
		t.Fatalf("unknown event type: %#v", ae)
	}
}

// Rate limits and buckets: CRUD, lists, and a bucket that refuses the verification over its max.
func TestVerifyRateLimits(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	rl, err := c.CreateRateLimit(ctx, s.SID, "end_user_ip", authy.Params{"Description": "per IP"})
	if err != nil || !strings.HasPrefix(rl.SID, "RK") || rl.UniqueName != "end_user_ip" || rl.Description != "per IP" {
		t.Fatalf("CreateRateLimit: %+v, %v", rl, err)
	}
	_, err = c.CreateRateLimit(ctx, s.SID, "end_user_ip", nil)
	if ae := asError(t, err); ae.APICode != "60208" {
		t.Fatalf("taken name: %#v", ae)
	}
	got, err := c.UpdateRateLimit(ctx, s.SID, rl.SID, authy.Params{"Description": "per client IP"})
	if err != nil || got.Description != "per client IP" {
		t.Fatalf("UpdateRateLimit: %+v, %v", got, err)
	}
	if got, err = c.FetchRateLimit(ctx, s.SID, rl.SID); err != nil || got.SID != rl.SID {
		t.Fatalf("FetchRateLimit: %+v, %v", got, err)
	}
	b, err := c.CreateBucket(ctx, s.SID, rl.SID, 2, 60)
	if err != nil || !strings.HasPrefix(b.SID, "BL") || b.Max != 2 || b.Interval != 60 || b.RateLimitSID != rl.SID {
		t.Fatalf("CreateBucket: %+v, %v", b, err)
	}
	// Two verifications per IP, the third is refused (20429).
	limited := authy.Params{"RateLimits": `{"end_user_ip":"203.0.113.7"}`}
	for i := 0; i < 2; i++ {
		if _, err := c.StartVerification(ctx, s.SID, uniqueE164(), "sms", limited); err != nil {
			t.Fatalf("verification %d: %v", i+1, err)
		}
	}
	_, err = c.StartVerification(ctx, s.SID, uniqueE164(), "sms", limited)
	if ae := asError(t, err); !errors.Is(err, authy.ErrRateLimited) || ae.APICode != "20429" {
		t.Fatalf("over the bucket: %#v", ae)
	}
	if b2, err := c.UpdateBucket(ctx, s.SID, rl.SID, b.SID, authy.Params{"Max": "5"}); err != nil || b2.Max != 5 {
		t.Fatalf("UpdateBucket: %+v, %v", b2, err)
	}
	if b2, err := c.FetchBucket(ctx, s.SID, rl.SID, b.SID); err != nil || b2.Max != 5 {
		t.Fatalf("FetchBucket: %+v, %v", b2, err)
	}
	if _, err := c.CreateBucket(ctx, s.SID, rl.SID, 10, 3600); err != nil {
		t.Fatalf("second bucket: %v", err)
	}
	bi := c.Buckets(s.SID, rl.SID, 1)
	defer bi.Close()
	n := 0
	for bi.Next(ctx) {
		if bi.Bucket().RateLimitSID != rl.SID {
			t.Fatalf("bucket %+v", bi.Bucket())
		}
		n++
	}
	if bi.Err() != nil || n != 2 {
		t.Fatalf("Buckets: %d, %v", n, bi.Err())
	}
	if err := c.DeleteBucket(ctx, s.SID, rl.SID, b.SID); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	if _, err := c.FetchBucket(ctx, s.SID, rl.SID, b.SID); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("bucket after delete: %v", err)
	}
	ri := c.RateLimits(s.SID, 0)
	defer ri.Close()
	if !ri.Next(ctx) || ri.RateLimit().SID != rl.SID || ri.Next(ctx) || ri.Err() != nil {
		t.Fatalf("RateLimits: %v", ri.Err())
	}
	if err := c.DeleteRateLimit(ctx, s.SID, rl.SID); err != nil {
		t.Fatalf("DeleteRateLimit: %v", err)
	}
	if _, err := c.FetchRateLimit(ctx, s.SID, rl.SID); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("rate limit after delete: %v", err)
	}
}

// Attempts: one per message sent, filtered by service; a conversion counts in the summary.
func TestVerifyAttempts(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	to := uniqueE164()
	v, err := c.StartVerification(ctx, s.SID, to, "sms", nil)
	if err != nil {
		t.Fatalf("StartVerification: %v", err)
	}
	if _, err := c.StartVerification(ctx, s.SID, uniqueE164(), "call", nil); err != nil {
		t.Fatalf("StartVerification: %v", err)
	}
	if _, err := c.CheckVerification(ctx, s.SID, authy.Check{To: to, Code: verifyCode(t, s.SID, to)}); err != nil {
		t.Fatalf("CheckVerification: %v", err)
	}
	it := c.Attempts(authy.Params{"VerifyServiceSid": s.SID}, 1)
	defer it.Close()
	var mine *authy.Attempt
	n := 0
	for it.Next(ctx) {
		a := it.Attempt()
		if a.ServiceSID != s.SID || !strings.HasPrefix(a.SID, "VL") {
			t.Fatalf("attempt of another service: %+v", a)
		}
		if a.VerificationSID == v.SID {
			mine = a
		}
		n++
	}
	if it.Err() != nil || n != 2 || mine == nil || mine.ConversionStatus != "converted" || mine.Channel != "sms" ||
		!strings.Contains(string(mine.ChannelData), to) {
		t.Fatalf("Attempts: %d, %+v, %v", n, mine, it.Err())
	}
	got, err := c.FetchAttempt(ctx, mine.SID)
	if err != nil || got.SID != mine.SID || got.VerificationSID != v.SID {
		t.Fatalf("FetchAttempt: %+v, %v", got, err)
	}
	sum, err := c.AttemptsSummary(ctx, authy.Params{"VerifyServiceSid": s.SID})
	if err != nil || sum.TotalAttempts != 2 || sum.TotalConverted != 1 || sum.TotalUnconverted != 1 || sum.ConversionRatePercentage != "50" {
		t.Fatalf("AttemptsSummary: %+v, %v", sum, err)
	}
	// Refused before any I/O.
	if _, err := c.FetchAttempt(ctx, "VE"+strings.Repeat("0", 32)); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("attempt SID of another kind: %v", err)
	}
	if _, err := c.CreateBucket(ctx, s.SID, "RKzz", 1, 60); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("bad rate limit SID: %v", err)
	}
	if it := c.Attempts(nil, 1001); it.Next(ctx) || !errors.Is(it.Err(), authy.ErrInvalidArgument) {
		t.Fatalf("page size 1001: %v", it.Err())
	}
}
