package authy_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// twilioSign computes X-Twilio-Signature independently (crypto/hmac): base64(HMAC-SHA1(token,
// url + each sorted key + its value)).
func twilioSign(token, u string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(u)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteString(k + v)
		}
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestTwilioSignature(t *testing.T) {
	const token = "12345"
	u := "https://mycompany.com/myapp?foo=1&bar=2"
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	sig := twilioSign(token, u, form)
	if err := authy.VerifyTwilioSignature(token, u, form.Encode(), sig); err != nil {
		t.Fatalf("valid: %v", err)
	}
	for name, args := range map[string][4]string{
		"wrong token":    {"54321", u, form.Encode(), sig},
		"tampered param": {token, u, strings.Replace(form.Encode(), "1234", "1235", 1), sig},
		"other URL":      {token, "https://mycompany.com/other?foo=1&bar=2", form.Encode(), sig},
		"missing header": {token, u, form.Encode(), ""},
		"garbage":        {token, u, form.Encode(), "not base64!"},
	} {
		err := authy.VerifyTwilioSignature(args[0], args[1], args[2], args[3])
		if !errors.Is(err, authy.ErrSignatureInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := authy.VerifyTwilioSignature("", u, "", sig); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Errorf("empty token: %v", err)
	}
	if err := authy.VerifyTwilioSignature(token, u, "a=\x00", sig); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Errorf("NUL: %v", err)
	}
	// The bodySHA256 variant: a JSON body, its hash in the URL, signed without parameters.
	body := `{"event":"factor.verified"}`
	h := sha256.Sum256([]byte(body))
	ju := "https://mycompany.com/hook?bodySHA256=" + hex.EncodeToString(h[:])
	jsig := twilioSign(token, ju, nil)
	if err := authy.VerifyTwilioSignature(token, ju, body, jsig); err != nil {
		t.Fatalf("bodySHA256: %v", err)
	}
	if err := authy.VerifyTwilioSignature(token, ju, body+" ", jsig); !errors.Is(err, authy.ErrSignatureInvalid) {
		t.Fatalf("bodySHA256 with another body: %v", err)
	}
}

func TestTwilioWebhookMiddleware(t *testing.T) {
	const token = "webhook-token-0123456789"
	var seen string
	h := authy.TwilioWebhookMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body) // still readable
		seen = string(b)
		w.WriteHeader(http.StatusNoContent)
	}), token, "https://example.com/hook")
	srv := httptest.NewServer(h)
	defer srv.Close()
	form := url.Values{"Status": {"approved"}, "VerificationSid": {"VE" + strings.Repeat("a", 32)}}
	post := func(sig string, f url.Values) int {
		req, _ := http.NewRequest("POST", srv.URL+"/hook?x=1", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set("X-Twilio-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	good := twilioSign(token, "https://example.com/hook?x=1", form)
	if code := post(good, form); code != http.StatusNoContent || seen != form.Encode() {
		t.Fatalf("authentic: %d, body %q", code, seen)
	}
	tampered := url.Values{"Status": {"denied"}, "VerificationSid": form["VerificationSid"]}
	for name, code := range map[string]int{"unsigned": post("", form), "tampered": post(good, tampered)} {
		if code != http.StatusForbidden {
			t.Errorf("%s: %d", name, code)
		}
	}
}
