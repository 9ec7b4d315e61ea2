package authy_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	authy "github.com/libauthy/libauthy/bindings/go"
)

var identitySeq int64

// newIdentity gives a distinct Entity identity per call (dash-separated letters and digits).
func newIdentity() string {
	return fmt.Sprintf("go-user-%06d", atomic.AddInt64(&identitySeq, 1))
}

// totp is RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits) of a Base32 secret at Unix time now.
func totp(t testing.TB, secret string, now int64) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		t.Fatalf("secret %q is not Base32: %v", secret, err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(now/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	h := m.Sum(nil)
	o := h[len(h)-1] & 0x0f
	n := binary.BigEndian.Uint32(h[o:o+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1000000)
}

// sandboxNow is the sandbox clock (Unix seconds), which judges the codes; the factor's code
// route also says which code it holds now.
func sandboxNow(t testing.TB, serviceSID, identity, factorSID string) (now int64, sandboxCode string) {
	t.Helper()
	m := control(t, newClient(t), "GET", "/sandbox/verify/Services/"+serviceSID+"/Entities/"+identity+"/Factors/"+factorSID+"/Code", nil)
	f, _ := m["now"].(float64)
	code, _ := m["code"].(string)
	if f == 0 || code == "" {
		t.Fatalf("code route: %v", m)
	}
	return int64(f), code
}

// totpCodes is the right code now (computed here from the secret, and checked against the
// sandbox's own) and a wrong one (not the code of any step within the skew window).
func totpCodes(t testing.TB, serviceSID, identity, factorSID, secret string) (right, wrong string) {
	t.Helper()
	now, held := sandboxNow(t, serviceSID, identity, factorSID)
	right = totp(t, secret, now)
	if right != held {
		t.Fatalf("RFC 6238 from the secret gives %s at %d, the sandbox holds %s", right, now, held)
	}
	near := map[string]bool{}
	for d := int64(-3); d <= 3; d++ {
		near[totp(t, secret, now+30*d)] = true
	}
	for i := 0; ; i++ {
		wrong = fmt.Sprintf("%06d", (i*104729+7)%1000000)
		if !near[wrong] {
			return right, wrong
		}
	}
}

// newTOTPFactor enrols a TOTP factor and returns it with its secret (not yet verified).
func newTOTPFactor(t testing.TB, c *authy.VerifyClient, serviceSID, identity string) *authy.Factor {
	t.Helper()
	f, err := c.CreateFactor(context.Background(), serviceSID, identity, "go phone", authy.FactorTOTP, authy.Params{"Config.CodeLength": "6"})
	if err != nil {
		t.Fatalf("CreateFactor: %v", err)
	}
	if f.Binding == nil || f.Binding.Secret == "" {
		t.Fatalf("no binding secret: %s", f.Body())
	}
	return f
}

// verifiedTOTPFactor enrols and verifies a TOTP factor; the secret is in Binding.
func verifiedTOTPFactor(t testing.TB, c *authy.VerifyClient, serviceSID, identity string) *authy.Factor {
	t.Helper()
	f := newTOTPFactor(t, c, serviceSID, identity)
	right, _ := totpCodes(t, serviceSID, identity, f.SID, f.Binding.Secret)
	if _, err := c.VerifyFactor(context.Background(), serviceSID, identity, f.SID, right); err != nil {
		t.Fatalf("VerifyFactor: %v", err)
	}
	return f
}

func TestVerifyEntities(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	id := newIdentity()
	e, err := c.CreateEntity(ctx, s.SID, id)
	if err != nil || !strings.HasPrefix(e.SID, "YE") || e.Identity != id || e.ServiceSID != s.SID ||
		e.AccountSID != testAccountSID || e.StatusCode != 201 || !strings.Contains(e.Body(), e.SID) {
		t.Fatalf("CreateEntity: %+v, %v", e, err)
	}
	again, err := c.CreateEntity(ctx, s.SID, id)
	if err != nil || again.SID != e.SID {
		t.Fatalf("CreateEntity again: %+v, %v", again, err)
	}
	got, err := c.FetchEntity(ctx, s.SID, id)
	if err != nil || got.SID != e.SID || got.StatusCode != 200 {
		t.Fatalf("FetchEntity: %+v, %v", got, err)
	}
	want := map[string]bool{id: true}
	for i := 0; i < 4; i++ {
		o, err := c.CreateEntity(ctx, s.SID, newIdentity())
		if err != nil {
			t.Fatalf("CreateEntity: %v", err)
		}
		want[o.Identity] = true
	}
	it := c.Entities(s.SID, 2)
	defer it.Close()
	seen := map[string]bool{}
	for it.Next(ctx) {
		en := it.Entity()
		if seen[en.Identity] || en.ServiceSID != s.SID {
			t.Fatalf("listed: %+v", en)
		}
		seen[en.Identity] = true
	}
	if err := it.Err(); err != nil || len(seen) != len(want) {
		t.Fatalf("Entities: %d of %d, %v", len(seen), len(want), err)
	}
	for w := range want {
		if !seen[w] {
			t.Fatalf("%s not listed", w)
		}
	}
	if err := c.DeleteEntity(ctx, s.SID, id); err != nil {
		t.Fatalf("DeleteEntity: %v", err)
	}
	_, err = c.FetchEntity(ctx, s.SID, id)
	if ae := asError(t, err); !errors.Is(err, authy.ErrNotFound) || ae.APICode != "20404" || ae.HTTPStatus != 404 {
		t.Fatalf("fetch after delete: %#v", ae)
	}
}

func TestVerifyTOTPFactor(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, authy.Params{"Totp.Issuer": "GoTest"})
	id := newIdentity()
	f := newTOTPFactor(t, c, s.SID, id)
	if !strings.HasPrefix(f.SID, "YF") || f.Status != "unverified" || f.FactorType != "totp" || f.Identity != id ||
		f.Config.Alg != "sha1" || f.Config.TimeStep != 30 || f.Config.CodeLength != 6 || f.StatusCode != 201 ||
		!strings.HasPrefix(f.Binding.URI, "otpauth://totp/GoTest:") || !strings.Contains(f.Binding.URI, "secret="+f.Binding.Secret) {
		t.Fatalf("CreateFactor: %+v %+v", f, f.Binding)
	}
	right, wrong := totpCodes(t, s.SID, id, f.SID, f.Binding.Secret)

	// A wrong code: an error, never nil, with the answer.
	got, err := c.VerifyFactor(ctx, s.SID, id, f.SID, wrong)
	if ae := asError(t, err); !errors.Is(err, authy.ErrTokenInvalid) || ae.HTTPStatus != 200 {
		t.Fatalf("wrong code: %#v", ae)
	}
	if got == nil || got.Status != "unverified" || got.SID != f.SID {
		t.Fatalf("wrong code answer: %+v", got)
	}
	// Refused before any I/O: a code under AuthPayload through UpdateFactor.
	_, err = c.UpdateFactor(ctx, s.SID, id, f.SID, authy.Params{"AuthPayload": right})
	if ae := asError(t, err); !errors.Is(err, authy.ErrInvalidArgument) || ae.Attempts != 0 {
		t.Fatalf("UpdateFactor with AuthPayload: %#v", ae)
	}
	// The right code, computed here from the secret.
	got, err = c.VerifyFactor(ctx, s.SID, id, f.SID, right)
	if err != nil || got.Status != "verified" || got.StatusCode != 200 {
		t.Fatalf("right code: %+v, %v", got, err)
	}

	got, err = c.FetchFactor(ctx, s.SID, id, f.SID)
	if err != nil || got.Status != "verified" || got.Binding != nil || strings.Contains(got.Body(), f.Binding.Secret) {
		t.Fatalf("FetchFactor: %+v, %v", got, err)
	}
	got, err = c.UpdateFactor(ctx, s.SID, id, f.SID, authy.Params{"FriendlyName": "renamed"})
	if err != nil || got.FriendlyName != "renamed" {
		t.Fatalf("UpdateFactor: %+v, %v", got, err)
	}
	second := newTOTPFactor(t, c, s.SID, id)
	it := c.Factors(s.SID, id, 1)
	defer it.Close()
	seen := map[string]string{}
	for it.Next(ctx) {
		seen[it.Factor().SID] = it.Factor().Status
	}
	if it.Err() != nil || len(seen) != 2 || seen[f.SID] != "verified" || seen[second.SID] != "unverified" {
		t.Fatalf("Factors: %v, %v", seen, it.Err())
	}
	if err := c.DeleteFactor(ctx, s.SID, id, second.SID); err != nil {
		t.Fatalf("DeleteFactor: %v", err)
	}
	if _, err := c.FetchFactor(ctx, s.SID, id, second.SID); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("fetch after delete: %v", err)
	}
}

func TestVerifyTOTPChallenge(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	id := newIdentity()

	// An unverified factor cannot be challenged: the API's code.
	u := newTOTPFactor(t, c, s.SID, id)
	_, err := c.CreateChallenge(ctx, s.SID, id, u.SID, authy.Params{"AuthPayload": "123456"})
	if ae := asError(t, err); ae.APICode != "60318" || errors.Is(err, authy.ErrTokenInvalid) {
		t.Fatalf("unverified factor: %#v", ae)
	}

	f := verifiedTOTPFactor(t, c, s.SID, id)
	// Created with a code: a code check.
	right, wrong := totpCodes(t, s.SID, id, f.SID, f.Binding.Secret)
	ch, err := c.CreateChallenge(ctx, s.SID, id, f.SID, authy.Params{"AuthPayload": wrong})
	if !errors.Is(err, authy.ErrTokenInvalid) || ch == nil || ch.Status != "pending" || !strings.HasPrefix(ch.SID, "YC") {
		t.Fatalf("challenge with a wrong code: %+v, %v", ch, err)
	}
	ch, err = c.CreateChallenge(ctx, s.SID, id, f.SID, authy.Params{"AuthPayload": right})
	if err != nil || ch.Status != "approved" || ch.FactorSID != f.SID || ch.DateResponded == "" {
		t.Fatalf("challenge with the right code: %+v, %v", ch, err)
	}
	approved := ch.SID

	// Created without, answered afterwards.
	ch, err = c.CreateChallenge(ctx, s.SID, id, f.SID, nil)
	if err != nil || ch.Status != "pending" || ch.FactorType != "totp" {
		t.Fatalf("pending challenge: %+v, %v", ch, err)
	}
	right, wrong = totpCodes(t, s.SID, id, f.SID, f.Binding.Secret)
	got, err := c.UpdateChallenge(ctx, s.SID, id, ch.SID, wrong, nil)
	if !errors.Is(err, authy.ErrTokenInvalid) || got == nil || got.Status != "pending" {
		t.Fatalf("answer with a wrong code: %+v, %v", got, err)
	}
	got, err = c.UpdateChallenge(ctx, s.SID, id, ch.SID, right, authy.Params{"Metadata": `{"os":"go"}`})
	if err != nil || got.Status != "approved" {
		t.Fatalf("answer with the right code: %+v, %v", got, err)
	}
	_, err = c.UpdateChallenge(ctx, s.SID, id, ch.SID, right, nil)
	if ae := asError(t, err); ae.APICode != "60322" || ae.HTTPStatus != 403 || errors.Is(err, authy.ErrTokenInvalid) {
		t.Fatalf("answered twice: %#v", ae)
	}
	got, err = c.FetchChallenge(ctx, s.SID, id, ch.SID)
	if err != nil || got.Status != "approved" || got.SID != ch.SID {
		t.Fatalf("FetchChallenge: %+v, %v", got, err)
	}

	// Lists with filters.
	count := func(filters authy.Params) map[string]string {
		it := c.Challenges(s.SID, id, filters, 1)
		defer it.Close()
		m := map[string]string{}
		for it.Next(ctx) {
			m[it.Challenge().SID] = it.Challenge().Status
		}
		if it.Err() != nil {
			t.Fatalf("Challenges %v: %v", filters, it.Err())
		}
		return m
	}
	if all := count(nil); len(all) != 3 || all[approved] != "approved" {
		t.Fatalf("all challenges: %v", all)
	}
	if ok := count(authy.Params{"Status": "approved"}); len(ok) != 2 || ok[approved] == "" || ok[ch.SID] == "" {
		t.Fatalf("approved challenges: %v", ok)
	}
	if p := count(authy.Params{"Status": "pending"}); len(p) != 1 {
		t.Fatalf("pending challenges: %v", p)
	}
}

func TestVerifyPushChallenge(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	id := newIdentity()
	ac := newClient(t)
	// A push factor whose device is the sandbox (it holds the key and answers as the device).
	r, err := ac.Request(ctx, "POST", "/sandbox/verify/Services/"+s.SID+"/Entities/"+id+"/PushFactors", url.Values{"FriendlyName": {"go device"}})
	var pf authy.Factor
	if err != nil || r.StatusCode != 201 || r.Decode(&pf) != nil || !strings.HasPrefix(pf.SID, "YF") {
		t.Fatalf("push factor: %v %v", r, err)
	}
	fsid := pf.SID
	f, err := c.FetchFactor(ctx, s.SID, id, fsid)
	if err != nil || f.FactorType != "push" || f.Status != "verified" {
		t.Fatalf("push factor: %+v, %v", f, err)
	}
	opts := authy.Params{"Details.Message": "Log in to Go test",
		"Details.Fields": `[{"label":"IP","value":"203.0.113.7"},{"label":"City","value":"Lyon"}]`,
		"HiddenDetails":  `{"ref":"42"}`}
	decide := func(what string) *authy.Challenge {
		ch, err := c.CreateChallenge(ctx, s.SID, id, fsid, opts)
		if err != nil || ch.Status != "pending" || ch.FactorType != "push" || ch.Details.Message != "Log in to Go test" ||
			len(ch.Details.Fields) != 2 || ch.Details.Fields[1] != (authy.ChallengeField{Label: "City", Value: "Lyon"}) ||
			!strings.Contains(string(ch.HiddenDetails), `"ref"`) {
			t.Fatalf("push challenge: %+v, %v", ch, err)
		}
		control(t, ac, "POST", "/sandbox/verify/Services/"+s.SID+"/Entities/"+id+"/Challenges/"+ch.SID+"/"+what, nil)
		got, err := c.FetchChallenge(ctx, s.SID, id, ch.SID)
		if err != nil {
			t.Fatalf("FetchChallenge: %v", err)
		}
		return got
	}
	if got := decide("Approve"); got.Status != "approved" || got.DateResponded == "" {
		t.Fatalf("approved on the device: %+v", got)
	}
	if got := decide("Deny"); got.Status != "denied" {
		t.Fatalf("denied on the device: %+v", got)
	}
	// Details.Fields that is not such JSON is refused before any I/O.
	_, err = c.CreateChallenge(ctx, s.SID, id, fsid, authy.Params{"Details.Message": "x", "Details.Fields": "not json"})
	if ae := asError(t, err); !errors.Is(err, authy.ErrInvalidArgument) || ae.Attempts != 0 {
		t.Fatalf("bad Details.Fields: %#v", ae)
	}
	// A push challenge without a message: the API's refusal.
	_, err = c.CreateChallenge(ctx, s.SID, id, fsid, nil)
	if ae := asError(t, err); !errors.Is(err, authy.ErrInvalidParameters) || ae.APICode != "60368" {
		t.Fatalf("push without a message: %#v", ae)
	}
}

func TestVerifyEntitiesBadInput(t *testing.T) {
	c := newVerifyClient(t)
	ctx := context.Background()
	s := newService(t, c, nil)
	yf := "YF" + strings.Repeat("0", 32)
	calls := map[string]func() error{
		"NUL in identity": func() error { _, err := c.CreateEntity(ctx, s.SID, "a\x00b"); return err },
		"bad service SID": func() error { _, err := c.FetchEntity(ctx, "VA12", "go-user-x1"); return err },
		"bad factor SID":  func() error { _, err := c.FetchFactor(ctx, s.SID, "go-user-x1", "YFzz"); return err },
		"factor SID for challenge": func() error {
			_, err := c.FetchChallenge(ctx, s.SID, "go-user-x1", yf)
			return err
		},
		"NUL in code": func() error { _, err := c.VerifyFactor(ctx, s.SID, "go-user-x1", yf, "12\x0034"); return err },
		"empty name": func() error {
			_, err := c.CreateFactor(ctx, s.SID, "go-user-x1", "", authy.FactorTOTP, nil)
			return err
		},
		"list page size": func() error { return c.Entities(s.SID, 5000).Err() },
		"list bad SID":   func() error { return c.Factors("VA", "go-user-x1", 0).Err() },
		"list NUL filter": func() error {
			return c.Challenges(s.SID, "go-user-x1", authy.Params{"Status": "a\x00"}, 0).Err()
		},
	}
	for name, call := range calls {
		err := call()
		if ae := asError(t, err); !errors.Is(err, authy.ErrInvalidArgument) || ae.Attempts != 0 {
			t.Errorf("%s: %#v", name, ae)
		} else {
			t.Logf("%s: refused: %v", name, err)
		}
	}
	// A cancelled context, a closed client.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.CreateEntity(cctx, s.SID, newIdentity()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if it := c.Entities(s.SID, 0); it.Next(cctx) || !errors.Is(it.Err(), context.Canceled) {
		t.Fatalf("list cancelled: %v", it.Err())
	}
	c2 := newVerifyClient(t)
	c2.Close()
	if _, err := c2.CreateEntity(ctx, s.SID, newIdentity()); !errors.Is(err, authy.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if it := c2.Challenges(s.SID, "go-user-x1", nil, 0); it.Next(ctx) || !errors.Is(it.Err(), authy.ErrClosed) {
		t.Fatalf("list after Close: %v", it.Err())
	}
}
