package authy_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// Bad input gives an error, never a panic or a crash. The library refuses locally only what
// cannot be sent safely (control characters, over-long values, path syntax) or what the API
// certainly refuses (then with the API's own code): ErrInvalidArgument, nothing sent. The rest
// is the API's to judge (issue 13: never refuse what the API accepts).
func TestBadInputIsRefused(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	huge := strings.Repeat("9", 1<<20)
	nul := "12\x0034"
	//nolint:staticcheck // a nil context on purpose
	var nilCtx context.Context

	local := map[string]func() error{
		"empty authy id sms":      func() error { _, err := c.RequestSMS(bg, "", nil); return err },
		"NUL authy id":            func() error { _, err := c.UserStatus(bg, nul); return err },
		"huge authy id":           func() error { _, err := c.UserStatus(bg, huge); return err },
		"empty token":             func() error { _, err := c.VerifyToken(bg, id, "", nil); return err },
		"short token":             func() error { _, err := c.VerifyToken(bg, id, "12345", nil); return err },
		"long token":              func() error { _, err := c.VerifyToken(bg, id, strings.Repeat("1", 13), nil); return err },
		"letters token":           func() error { _, err := c.VerifyToken(bg, id, "12345a", nil); return err },
		"NUL token":               func() error { _, err := c.VerifyToken(bg, id, "123456\x00789", nil); return err },
		"huge token":              func() error { _, err := c.VerifyToken(bg, id, huge, nil); return err },
		"fail-open empty token":   func() error { _, err := c.VerifyTokenFailOpen(bg, id, "", authy.FailOpenDefault, nil); return err },
		"fail-open absurd policy": func() error { _, err := c.VerifyTokenFailOpen(bg, "", "123456", math.MaxUint32, nil); return err },
		"NUL email":               func() error { _, err := c.RegisterUser(bg, "a@b.c\x00", 1, "775-555-0100", nil); return err },
		"empty uuid":              func() error { _, err := c.ApprovalRequestStatus(bg, ""); return err },
		"huge message":            func() error { _, err := c.SendApprovalRequest(bg, id, strings.Repeat("m", 4097), nil); return err },
		"negative expiry": func() error {
			_, err := c.SendApprovalRequest(bg, id, "m", &authy.ApprovalRequestOptions{ExpiresIn: -time.Hour})
			return err
		},
		"empty detail key": func() error {
			_, err := c.SendApprovalRequest(bg, id, "m", &authy.ApprovalRequestOptions{Details: map[string]string{"": "v"}})
			return err
		},
		"NUL detail": func() error {
			_, err := c.SendApprovalRequest(bg, id, "m", &authy.ApprovalRequestOptions{Details: map[string]string{"k": "v\x00"}})
			return err
		},
		"code length 1000": func() error {
			_, err := c.StartPhoneVerification(bg, 1, "775-461-5609", authy.ViaSMS, &authy.PhoneVerificationOptions{CodeLength: 1000})
			return err
		},
		"code length -4": func() error {
			_, err := c.StartPhoneVerification(bg, 1, "775-461-5609", authy.ViaSMS, &authy.PhoneVerificationOptions{CodeLength: -4})
			return err
		},
		"via pigeon": func() error { _, err := c.StartPhoneVerification(bg, 1, "775-461-5609", "pigeon", nil); return err },
		"qr size -5": func() error { _, err := c.RequestQRCode(bg, id, &authy.QRCodeOptions{Size: -5}); return err },
		"sms action message long": func() error {
			_, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Action: "a", ActionMessage: strings.Repeat("x", 4097)})
			return err
		},
		"call locale": func() error {
			_, err := c.RequestPhoneCall(bg, id, &authy.TokenRequestOptions{Locale: "en"})
			return err
		},
		"activity data huge": func() error {
			_, err := c.RegisterActivity(bg, id, authy.ActivityBanned, &authy.ActivityOptions{Data: map[string]string{"k": huge}})
			return err
		},
		"wait bad interval": func() error {
			_, err := c.WaitForApprovalRequest(bg, "u", &authy.WaitOptions{Interval: -1})
			return err
		},
		"wait negative timeout":   func() error { _, err := c.WaitForApprovalRequest(bg, "u", &authy.WaitOptions{Timeout: -1}); return err },
		"nil ctx":                 func() error { _, err := c.AppDetails(nilCtx); return err },
		"nil ctx wait":            func() error { _, err := c.WaitForApprovalRequest(nilCtx, "u", nil); return err },
		"request NUL path":        func() error { _, err := c.Request(bg, "GET", "/a\x00b", nil); return err },
		"request NUL param":       func() error { _, err := c.Request(bg, "GET", "/a", map[string][]string{"k\x00": {"v"}}); return err },
		"request bad param key":   func() error { _, err := c.Request(bg, "GET", "/a", map[string][]string{"a]b[": {"v"}}); return err },
		"sign empty key":          func() error { _, err := authy.SignCallback("", "POST", "https://x/y", "1", "{}"); return err },
		"sign NUL":                func() error { _, err := authy.SignCallback("k", "POST", "https://x/y", "1\x00", "{}"); return err },
		"verify callback nil req": func() error { _, err := authy.VerifyCallbackRequest(nil, testKey, "", nil); return err },
		"verify callback bad clock": func() error {
			_, err := authy.VerifyCallback(testKey, "POST", "https://x/y", "1", "s", "{}", &authy.CallbackOptions{Now: time.Unix(-5, 0)})
			return err
		},
	}
	before := requestTotal(t, c)
	for name, f := range local {
		name, f := name, f
		t.Run(name, func(t *testing.T) {
			err := f()
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, authy.ErrInvalidArgument) {
				t.Fatalf("want ErrInvalidArgument, got %v", err)
			}
			t.Logf("refused: %v", err)
		})
	}
	if after := requestTotal(t, c); after != before {
		t.Fatalf("%d requests were sent for locally refused input", after-before)
	}

	// Input the API judges, and refuses: its own error (ErrAPI), never a crash. Before issue 13
	// the library refused much of this locally although the API reads it.
	remote := map[string]func() error{
		"letters authy id":  func() error { _, err := c.RequestSMS(bg, "abc", nil); return err },
		"negative authy id": func() error { _, err := c.DeleteUser(bg, "-1"); return err },
		"empty email":       func() error { _, err := c.RegisterUser(bg, "", 1, "775-555-0100", nil); return err },
		"empty cellphone":   func() error { _, err := c.RegisterUser(bg, "a@example.com", 1, "", nil); return err },
		"negative country":  func() error { _, err := c.RegisterUser(bg, "a@example.com", -1, "775-555-0100", nil); return err },
		"huge country": func() error {
			_, err := c.RegisterUser(bg, "a@example.com", math.MaxInt64, "775-555-0100", nil)
			return err
		},
		"empty message": func() error { _, err := c.SendApprovalRequest(bg, id, "", nil); return err },
		"bad logo res": func() error {
			_, err := c.SendApprovalRequest(bg, id, "m", &authy.ApprovalRequestOptions{Logos: []authy.Logo{{Res: "giant", URL: "https://x/y.png"}}})
			return err
		},
		"empty phone":          func() error { _, err := c.StartPhoneVerification(bg, 1, "", authy.ViaSMS, nil); return err },
		"letters phone info":   func() error { _, err := c.PhoneInfo(bg, 1, "call me"); return err },
		"country 0 info":       func() error { _, err := c.PhoneInfo(bg, 0, "775-461-5609"); return err },
		"country 12345 check":  func() error { _, err := c.CheckPhoneVerification(bg, 12345, "775-461-5609", "1234"); return err },
		"empty code check":     func() error { _, err := c.CheckPhoneVerification(bg, 1, "775-461-5609", ""); return err },
		"empty status uuid":    func() error { _, err := c.PhoneVerificationStatus(bg, ""); return err },
		"qr size huge":         func() error { _, err := c.RequestQRCode(bg, id, &authy.QRCodeOptions{Size: math.MaxInt32}); return err },
		"activity empty":       func() error { _, err := c.RegisterActivity(bg, id, "", nil); return err },
		"empty custom user id": func() error { _, err := c.RegistrationStatus(bg, ""); return err },
		"empty update email":   func() error { _, err := c.UpdateUserEmail(bg, id, ""); return err },
		"unknown user status":  func() error { _, err := c.UserStatus(bg, "4294967296"); return err },
		"unknown user sms":     func() error { _, err := c.RequestSMS(bg, "987654321", nil); return err },
		"unknown approval":     func() error { _, err := c.ApprovalRequestStatus(bg, "not-a-uuid"); return err },
		"unknown status uuid":  func() error { _, err := c.PhoneVerificationStatus(bg, "nope"); return err },
		"check never started":  func() error { _, err := c.CheckPhoneVerification(bg, 1, "775-999-0000", "1234"); return err },
	}
	for name, f := range remote {
		if err := f(); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, authy.ErrAPI) {
			t.Errorf("%s: want an API error, got %v", name, err)
		}
	}
	// A bad callback request to the middleware is a 4xx, not a panic.
	r, _ := http.NewRequest("POST", "http://x/cb", nil)
	r.Header.Set("X-Authy-Signature", "x")
	r.Header.Set("X-Authy-Signature-Nonce", "1")
	if _, err := authy.VerifyCallbackRequest(r, testKey, "", nil); !errors.Is(err, authy.ErrSignatureInvalid) {
		t.Errorf("empty POST callback: %v", err)
	}
}
