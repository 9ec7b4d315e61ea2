package authy_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

var bg = context.Background()

func TestVersion(t *testing.T) {
	if authy.Version() == "" || authy.Version() != authy.HeaderVersion {
		t.Fatalf("library %q, header %q", authy.Version(), authy.HeaderVersion)
	}
	if authy.VersionNumber() != authy.HeaderVersionNumber {
		t.Fatalf("library %d, header %d", authy.VersionNumber(), authy.HeaderVersionNumber)
	}
}

// IsRead is the library's endpoint table, not a list kept here.
func TestIsReadComesFromTheLibrary(t *testing.T) {
	for _, r := range []struct {
		method, path string
		read         bool
	}{
		{"GET", "/protected/json/users/42/status", true},
		{"GET", "/protected/json/app/details", true},
		{"GET", "/onetouch/json/approval_requests/abc-123", true},
		{"GET", "/protected/json/sms/42", false},
		{"GET", "/protected/json/verify/1234567/42", false},
		{"POST", "/protected/json/users/42/status", false},
		{"GET", "/sandbox/requests", false},
		{"GET", "/protected/json/app/details\x00", false},
	} {
		if got := authy.IsRead(r.method, r.path); got != r.read {
			t.Errorf("IsRead(%s %s) = %v", r.method, r.path, got)
		}
	}
}

func TestNewClientAcceptsEveryOption(t *testing.T) {
	c, err := authy.NewClient(testKey,
		authy.WithBaseURL(baseURL),
		authy.WithSecondaryBaseURL("http://127.0.0.1:9"),
		authy.WithTimeout(10*time.Second),
		authy.WithConnectTimeout(2*time.Second),
		authy.WithMaxIdleConnsPerHost(8),
		authy.WithAllowInsecureHTTP(false),
		authy.WithUserAgentSuffix("go-test/1.0"),
		nil, // ignored
	)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.AppDetails(bg); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), testKey) {
		t.Fatal("String shows the key")
	}
	// A proxy option builds (nothing listens there: calls then fail with a transport error).
	p, err := authy.NewClient(testKey, authy.WithBaseURL(baseURL), authy.WithProxy("http://127.0.0.1:9"),
		authy.WithTimeout(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.AppDetails(bg); !errors.Is(err, authy.ErrTransport) {
		t.Fatalf("through a dead proxy: %v", err)
	}
}

func TestNewClientRefusesBadOptions(t *testing.T) {
	cases := map[string][]authy.Option{
		"ftp URL":           {authy.WithBaseURL("ftp://127.0.0.1")},
		"URL with path":     {authy.WithBaseURL(baseURL + "/x")},
		"empty URL":         {authy.WithBaseURL("")},
		"cleartext remote":  {authy.WithBaseURL("http://example.com")},
		"bad secondary":     {authy.WithSecondaryBaseURL("nope")},
		"zero timeout":      {authy.WithTimeout(0)},
		"negative timeout":  {authy.WithTimeout(-time.Second)},
		"zero connect":      {authy.WithConnectTimeout(0)},
		"negative idle":     {authy.WithMaxIdleConnsPerHost(-1)},
		"huge idle":         {authy.WithMaxIdleConnsPerHost(1 << 40)},
		"too many idle":     {authy.WithMaxIdleConnsPerHost(1025)},
		"empty UA":          {authy.WithUserAgentSuffix("")},
		"UA newline":        {authy.WithUserAgentSuffix("a\r\nX-Evil: 1")},
		"UA too long":       {authy.WithUserAgentSuffix(strings.Repeat("a", 129))},
		"garbage CA":        {authy.WithRootCAPEM("not a pem")},
		"garbage proxy":     {authy.WithProxy("::nope::")},
		"NUL in URL":        {authy.WithBaseURL(baseURL + "\x00evil")},
		"NUL in UA":         {authy.WithUserAgentSuffix("a\x00b")},
		"URL with userinfo": {authy.WithBaseURL("http://user:pw@127.0.0.1:1")},
	}
	for name, opts := range cases {
		name, opts := name, opts
		t.Run(name, func(t *testing.T) {
			c, err := authy.NewClient(testKey, opts...)
			if err == nil {
				c.Close()
				t.Fatal("accepted")
			}
			if !errors.Is(err, authy.ErrInvalidArgument) {
				t.Fatalf("want ErrInvalidArgument, got %v", err)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatal("the API key is in the error")
			}
		})
	}
	for name, key := range map[string]string{"empty": "", "NUL": "abc\x00def", "newline": "abc\ndef"} {
		if c, err := authy.NewClient(key); err == nil {
			c.Close()
			t.Fatalf("key %s accepted", name)
		} else if !errors.Is(err, authy.ErrInvalidArgument) {
			t.Fatalf("key %s: %v", name, err)
		}
	}
}

// HTTPS against a sandbox with a self-signed certificate: trusted only through WithRootCAPEM.
func TestHTTPSWithRootCAPEM(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	u, stop, err := startSandbox("--tls-self-signed", "--ca-out", caFile)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(u, "https://") {
		t.Fatalf("not an https URL: %s", u)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := authy.NewClient(testKey, authy.WithBaseURL(u), authy.WithRootCAPEM(string(pem)), authy.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.AppDetails(bg); err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	d, err := authy.NewClient(testKey, authy.WithBaseURL(u), authy.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.AppDetails(bg); !errors.Is(err, authy.ErrTLS) {
		t.Fatalf("without the CA: want ErrTLS, got %v", err)
	}
}

func TestRegisterUserAndStatus(t *testing.T) {
	c := newClient(t)
	phone := uniquePhone()
	u, err := c.RegisterUser(bg, "reg@example.com", 1, phone, &authy.RegisterUserOptions{SendInstallLinkViaSMS: authy.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.RegisterUser(bg, "reg@example.com", 1, phone, nil)
	if err != nil || again.ID != u.ID {
		t.Fatalf("not idempotent: %v %v/%v", err, again, u.ID)
	}
	if u.StatusCode != 200 || !u.OK() || decodeJSON(u.Body())["user"] == nil || len(u.RawJSON()) == 0 {
		t.Fatalf("raw answer: %d %s", u.StatusCode, u.Body())
	}
	st, err := c.UserStatus(bg, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.AuthyID != u.ID || st.Email != "reg@example.com" || st.CountryCode != 1 ||
		!strings.HasSuffix(st.PhoneNumber, phone[len(phone)-4:]) || st.Confirmed || st.Registered {
		t.Fatalf("status: %+v", st)
	}
	// The API refuses an invalid user: field errors in the body.
	_, err = c.RegisterUser(bg, "not-an-email", 1, "12", nil)
	e := asError(t, err)
	if !errors.Is(err, authy.ErrInvalidParameters) && !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("invalid user: %v", err)
	}
	if errors.Is(err, authy.ErrInvalidParameters) && (e.HTTPStatus != 400 || e.AuthyCode != "60027" || !strings.Contains(e.Body, "is invalid")) {
		t.Fatalf("invalid user details: %+v", e)
	}
}

func TestRequestSMSAndVerifyToken(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	r, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Force: true, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Cellphone, "+1-XXX-XXX-XX") || r.Ignored || r.Message == "" {
		t.Fatalf("sms: %+v", r)
	}
	code := lastCode(t, c, id)
	v, err := c.VerifyToken(bg, id, code, nil)
	if err != nil || !v.Valid() {
		t.Fatalf("valid code refused: %v", err)
	}
	if v.Message != "Token is valid." {
		t.Fatalf("message %q", v.Message)
	}
	st, err := c.UserStatus(bg, id)
	if err != nil || !st.Confirmed {
		t.Fatalf("not confirmed after a valid token: %v %+v", err, st)
	}
	// An action-bound code verifies only with its action.
	if _, err := c.RequestSMS(bg, id, &authy.TokenRequestOptions{Force: true, Action: "login", ActionMessage: "Log in"}); err != nil {
		t.Fatal(err)
	}
	code = lastCode(t, c, id)
	if _, err := c.VerifyToken(bg, id, code, &authy.VerifyOptions{Action: "login", Force: authy.Bool(true)}); err != nil {
		t.Fatalf("with its action: %v", err)
	}
	if _, err := c.VerifyToken(bg, id, code, nil); !errors.Is(err, authy.ErrTokenInvalid) {
		t.Fatalf("without its action: %v", err)
	}
}

func TestRequestSMSIgnoredForAppUser(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	control(t, c, "POST", "/sandbox/users/"+id+"/devices", url.Values{"device": {"ios"}})
	r, err := c.RequestSMS(bg, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ignored {
		t.Fatalf("not ignored: %s", r.Body())
	}
	// The app's current token verifies.
	m := control(t, c, "GET", "/sandbox/users/"+id+"/app_token", nil)
	if _, err := c.VerifyToken(bg, id, m["token"].(string), nil); err != nil {
		t.Fatalf("app token: %v", err)
	}
	call, err := c.RequestPhoneCall(bg, id, nil)
	if err != nil || !call.Ignored {
		t.Fatalf("call for an app user: %v %+v", err, call)
	}
}

func TestVerifyWrongToken(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	smsCode(t, c, id)
	v, err := c.VerifyToken(bg, id, "0000001", nil)
	if v.Valid() {
		t.Fatal("wrong token valid")
	}
	e := asError(t, err)
	if !errors.Is(err, authy.ErrTokenInvalid) || !errors.Is(err, authy.ErrAPI) || errors.Is(err, authy.ErrUnauthorized) {
		t.Fatalf("wrong token: %v", err)
	}
	if e.Code != authy.CodeTokenInvalid || e.Name != "AUTHY_RESULT_TOKEN_INVALID" || e.HTTPStatus != 401 ||
		e.AuthyCode != "60020" || !strings.Contains(e.Body, `"token":"is invalid"`) || e.Message == "" {
		t.Fatalf("details: %+v", e)
	}
	if e.Meaning() == "" {
		t.Fatalf("no catalog meaning for %s", e.AuthyCode)
	}
	if !strings.Contains(e.Error(), "AUTHY_RESULT_TOKEN_INVALID") || !strings.Contains(e.Error(), "60020") ||
		strings.Contains(e.Error(), testKey) {
		t.Fatalf("Error(): %s", e.Error())
	}
	// Unknown user.
	if _, err := c.VerifyToken(bg, "99999999", "1234567", nil); err == nil {
		t.Fatal("unknown user verified")
	}
}

func TestRequestPhoneCall(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	r, err := c.RequestPhoneCall(bg, id, &authy.TokenRequestOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cellphone == "" || r.Message == "" {
		t.Fatalf("call: %+v", r)
	}
	m := control(t, c, "GET", "/sandbox/users/"+id+"/last_code", nil)
	if m["via"] != "call" {
		t.Fatalf("delivered via %v", m["via"])
	}
	if _, err := c.VerifyToken(bg, id, m["code"].(string), nil); err != nil {
		t.Fatal(err)
	}
}

func TestRequestEmailAndUpdateUserEmail(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	if _, err := c.UpdateUserEmail(bg, id, "changed@example.com"); err != nil {
		t.Fatal(err)
	}
	r, err := c.RequestEmail(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Email != "changed@example.com" || r.EmailID == "" {
		t.Fatalf("email: %+v", r)
	}
	m := control(t, c, "GET", "/sandbox/users/"+id+"/last_code", nil)
	if m["via"] != "email" {
		t.Fatalf("via %v", m["via"])
	}
	if _, err := c.UpdateUserEmail(bg, id, "not an email"); err == nil {
		t.Fatal("invalid e-mail accepted")
	}
}

func TestRegisterActivity(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	r, err := c.RegisterActivity(bg, id, authy.ActivityCookieLogin, &authy.ActivityOptions{
		UserIP: "192.0.2.1", Data: map[string]string{"reason": "remember me", "agent": "go"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Message != "Activity was created." {
		t.Fatalf("%q", r.Message)
	}
	for _, a := range []authy.ActivityType{authy.ActivityPasswordReset, authy.ActivityBanned, authy.ActivityUnbanned} {
		if _, err := c.RegisterActivity(bg, id, a, nil); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	if _, err := c.RegisterActivity(bg, id, "dancing", nil); err == nil {
		t.Fatal("unknown activity accepted")
	}
}

func TestRequestQRCode(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	q, err := c.RequestQRCode(bg, id, &authy.QRCodeOptions{Size: 200, Label: "Example"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.URL, "https://") || q.Label != "Example" || q.Issuer == "" {
		t.Fatalf("qr: %+v", q)
	}
	if _, err := c.RequestQRCode(bg, id, &authy.QRCodeOptions{Size: 5}); !errors.Is(err, authy.ErrInvalidParameters) { // the API refuses it (60004)
		t.Fatalf("size 5: %v", err)
	}
}

func TestRegistrationStatus(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	r, err := c.RegistrationStatus(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status == "" || r.AuthyID != id {
		t.Fatalf("registration: %+v", r)
	}
	if _, err := c.RegistrationStatus(bg, "no-such-user"); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestDeleteUser(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	if _, err := c.DeleteUser(bg, id); err != nil {
		t.Fatal(err)
	}
	_, err := c.UserStatus(bg, id)
	if e := asError(t, err); !errors.Is(err, authy.ErrNotFound) || e.HTTPStatus != 404 || e.AuthyCode == "" {
		t.Fatalf("status of a deleted user: %v", err)
	}
	if _, err := c.DeleteUser(bg, id); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestAppDetailsAndStats(t *testing.T) {
	c := newClient(t)
	d, err := c.AppDetails(bg)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name == "" || d.AppID == "" || !d.SMSEnabled || !d.OneTouchEnabled || d.Plan == "" {
		t.Fatalf("details: %+v", d)
	}
	id, _ := newUser(t, c)
	smsCode(t, c, id)
	s, err := c.AppStats(bg)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Stats) == 0 || s.Stats[0].SMSCount < 1 || s.Stats[0].Month == "" || s.Stats[0].Year < 2000 ||
		s.TotalUsers < 1 || s.Stats[0].APICallsCount < 1 {
		t.Fatalf("stats: %+v", s)
	}
}

func TestPhoneVerification(t *testing.T) {
	c := newClient(t)
	phone := uniquePhone()
	pv, err := c.StartPhoneVerification(bg, 1, phone, authy.ViaSMS, &authy.PhoneVerificationOptions{CodeLength: 6, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if pv.UUID == "" || pv.SecondsToExpire <= 0 || pv.SecondsToExpire > 10*time.Minute || pv.Message == "" {
		t.Fatalf("start: %+v", pv)
	}
	st, err := c.PhoneVerificationStatus(bg, pv.UUID)
	if err != nil || st.Status != "pending" || st.SecondsToExpire <= 0 {
		t.Fatalf("status by uuid: %v %+v", err, st)
	}
	st, err = c.PhoneVerificationStatusByNumber(bg, 1, phone)
	if err != nil || st.Status != "pending" {
		t.Fatalf("status by number: %v %+v", err, st)
	}
	_, err = c.CheckPhoneVerification(bg, 1, phone, "000000")
	if e := asError(t, err); !errors.Is(err, authy.ErrUnauthorized) || e.AuthyCode != "60022" {
		t.Fatalf("wrong code: %v", err)
	}
	m := control(t, c, "GET", "/sandbox/phones/last_code", url.Values{"country_code": {"1"}, "phone_number": {phone}})
	code := m["code"].(string)
	if len(code) != 6 {
		t.Fatalf("code length: %q", code)
	}
	if _, err := c.CheckPhoneVerification(bg, 1, phone, code); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if st, err := c.PhoneVerificationStatus(bg, pv.UUID); err != nil || st.Status != "verified" {
		t.Fatalf("after check: %v %+v", err, st)
	}
	if _, err := c.CheckPhoneVerification(bg, 1, phone, code); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("checking twice: %v", err)
	}
	// By call, in Spanish.
	call, err := c.StartPhoneVerification(bg, 1, uniquePhone(), authy.ViaCall, &authy.PhoneVerificationOptions{Locale: "es"})
	if err != nil || call.UUID == "" {
		t.Fatalf("call: %v", err)
	}
	if _, err := c.StartPhoneVerification(bg, 1, uniquePhone(), authy.ViaSMS, &authy.PhoneVerificationOptions{CustomCode: "1234"}); err == nil {
		t.Fatal("custom code accepted")
	}
}

func TestPhoneInfo(t *testing.T) {
	c := newClient(t)
	info, err := c.PhoneInfo(bg, 1, "775-461-5609")
	if err != nil {
		t.Fatal(err)
	}
	switch info.Type {
	case "cellphone", "landline", "voip", "unknown":
	default:
		t.Fatalf("type %q", info.Type)
	}
	if !strings.HasPrefix(info.Message, "Phone number information") {
		t.Fatalf("info: %+v", info)
	}
}

func TestOneTouchApprove(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	ar, err := c.SendApprovalRequest(bg, id, "Log in?", &authy.ApprovalRequestOptions{
		Details:       authy.Details{"Location": "Paris", "Browser": "Firefox"},
		HiddenDetails: map[string]string{"session": "s-1"},
		Logos:         []authy.Logo{{Res: "default", URL: "https://example.com/d.png"}, {Res: "low", URL: "https://example.com/l.png"}},
		ExpiresIn:     150500 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if ar.UUID == "" || ar.Status != authy.ApprovalPending {
		t.Fatalf("send: %+v", ar)
	}
	st, err := c.ApprovalRequestStatus(bg, ar.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != authy.OneTouchStatusPending || st.UUID != ar.UUID || st.SecondsToExpire != 151*time.Second ||
		st.CreatedAt.IsZero() || !st.ProcessedAt.IsZero() || st.AuthyID != id {
		t.Fatalf("status: %+v", st)
	}
	control(t, c, "POST", "/sandbox/approval_requests/"+ar.UUID+"/approve", nil)
	done, err := c.WaitForApprovalRequest(bg, ar.UUID, &authy.WaitOptions{Interval: 20 * time.Millisecond, Timeout: 10 * time.Second})
	if err != nil || done.Status != authy.ApprovalApproved || done.ProcessedAt.IsZero() {
		t.Fatalf("wait: %v %+v", err, done)
	}
	found, err := c.FindApprovalRequest(bg, ar.UUID)
	if err != nil || found.Status != authy.ApprovalApproved {
		t.Fatalf("find: %v %+v", err, found)
	}
	_, err = c.ApprovalRequestStatus(bg, "00000000-0000-0000-0000-000000000000")
	if e := asError(t, err); !errors.Is(err, authy.ErrNotFound) || e.AuthyCode != "60049" {
		t.Fatalf("unknown uuid: %v", err)
	}
}

func TestOneTouchDenyAndNeverExpires(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	ar, err := c.SendApprovalRequest(bg, id, "Transfer 100 EUR?", &authy.ApprovalRequestOptions{NeverExpires: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.ApprovalRequestStatus(bg, ar.UUID)
	if err != nil || st.SecondsToExpire != 0 {
		t.Fatalf("never expires: %v %+v", err, st)
	}
	control(t, c, "POST", "/sandbox/approval_requests/"+ar.UUID+"/deny", nil)
	done, err := c.WaitForApprovalRequest(bg, ar.UUID, nil)
	if err != nil || done.Status != authy.ApprovalDenied {
		t.Fatalf("wait: %v %+v", err, done)
	}
	// A decision on a request that is no longer pending is a conflict.
	r, err := c.Request(bg, "POST", "/sandbox/approval_requests/"+ar.UUID+"/approve", nil)
	if err != nil || r.OK() || r.StatusCode != 409 || r.AuthyCode() != "60079" {
		t.Fatalf("approve after deny: %v %+v", err, r)
	}
	if _, err := c.SendApprovalRequest(bg, id, "x", &authy.ApprovalRequestOptions{NeverExpires: true, ExpiresIn: time.Second}); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("both expiries: %v", err)
	}
}

func TestOneTouchExpires(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	ar, err := c.SendApprovalRequest(bg, id, "Soon gone", &authy.ApprovalRequestOptions{ExpiresIn: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	control(t, c, "POST", "/sandbox/clock/advance", url.Values{"seconds": {"120"}})
	defer control(t, c, "POST", "/sandbox/clock/advance", url.Values{"seconds": {"-120"}})
	done, err := c.WaitForApprovalRequest(bg, ar.UUID, &authy.WaitOptions{Interval: 10 * time.Millisecond})
	if err != nil || done.Status != authy.ApprovalExpired {
		t.Fatalf("wait: %v %+v", err, done)
	}
}

func TestWaitForApprovalBudgetRunsOut(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	ar, err := c.SendApprovalRequest(bg, id, "Nobody answers", nil)
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.WaitForApprovalRequest(bg, ar.UUID, &authy.WaitOptions{Interval: 20 * time.Millisecond, Timeout: 200 * time.Millisecond})
	if err != nil || done == nil || done.Status != authy.ApprovalPending {
		t.Fatalf("budget: %v %+v", err, done)
	}
	// The context's deadline is the budget when Timeout is 0.
	ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
	defer cancel()
	done, err = c.WaitForApprovalRequest(ctx, ar.UUID, &authy.WaitOptions{Interval: 20 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || done == nil || done.Status != authy.ApprovalPending {
		t.Fatalf("ctx deadline: %v %+v", err, done)
	}
	if _, err := c.WaitForApprovalRequest(bg, ar.UUID, &authy.WaitOptions{Interval: time.Millisecond}); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("1 ms interval: %v", err)
	}
	if _, err := c.WaitForApprovalRequest(bg, "no-such-uuid", &authy.WaitOptions{Interval: 10 * time.Millisecond}); !errors.Is(err, authy.ErrNotFound) {
		t.Fatalf("unknown uuid: %v", err)
	}
}

func TestWaitForApprovalCancel(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	ar, err := c.SendApprovalRequest(bg, id, "Cancel me", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	done, err := c.WaitForApprovalRequest(ctx, ar.UUID, &authy.WaitOptions{Interval: 20 * time.Millisecond, Timeout: time.Hour})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	if done == nil || done.Status != authy.ApprovalPending {
		t.Fatalf("last state: %+v", done)
	}
}

func TestContextAlreadyDoneSendsNothing(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	before := requestTotal(t, c)
	cancelled, cancel := context.WithCancel(bg)
	cancel()
	expired, cancel2 := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel2()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "expired": expired} {
		want := context.Canceled
		if name == "expired" {
			want = context.DeadlineExceeded
		}
		if _, err := c.RequestSMS(ctx, id, &authy.TokenRequestOptions{Force: true}); !errors.Is(err, want) {
			t.Fatalf("%s RequestSMS: %v", name, err)
		}
		if _, err := c.VerifyToken(ctx, id, "1234567", nil); !errors.Is(err, want) {
			t.Fatalf("%s VerifyToken: %v", name, err)
		}
		if v, err := c.VerifyTokenFailOpen(ctx, id, "1234567", authy.FailOpenDefault, nil); !errors.Is(err, want) || v.Allowed() {
			t.Fatalf("%s fail-open: %v %v", name, v, err)
		}
		if _, err := c.WaitForApprovalRequest(ctx, "u", nil); !errors.Is(err, want) {
			t.Fatalf("%s wait: %v", name, err)
		}
	}
	if after := requestTotal(t, c); after != before {
		t.Fatalf("%d requests were sent with a done context", after-before)
	}
}

func TestContextDeadlineBoundsTheCall(t *testing.T) {
	c := newClient(t, authy.WithTimeout(20*time.Second))
	arm(t, c, "latency", "/protected/json/app/details", url.Values{"latency_ms": {"3000"}})
	ctx, cancel := context.WithTimeout(bg, 300*time.Millisecond)
	defer cancel()
	_, err := c.AppDetails(ctx)
	if !errors.Is(err, authy.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a timeout matching DeadlineExceeded, got %v", err)
	}
	// A later deadline leaves the client's timeout in charge; the client still works.
	ctx2, cancel2 := context.WithTimeout(bg, time.Hour)
	defer cancel2()
	if _, err := c.AppDetails(ctx2); err != nil {
		t.Fatal(err)
	}
}

func TestClientTimeout(t *testing.T) {
	c := newClient(t, authy.WithTimeout(300*time.Millisecond))
	arm(t, c, "latency", "/protected/json/app/details", url.Values{"latency_ms": {"3000"}})
	_, err := c.AppDetails(bg)
	if !errors.Is(err, authy.ErrTimeout) || !errors.Is(err, authy.ErrTransport) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client timeout: %v", err)
	}
	if e := asError(t, err); e.HTTPStatus != 0 || e.Body != "" {
		t.Fatalf("a timeout has no answer: %+v", e)
	}
}

func TestUnauthorizedKey(t *testing.T) {
	c, err := authy.NewClient("wrong-key-0000", authy.WithBaseURL(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.AppDetails(bg)
	if e := asError(t, err); !errors.Is(err, authy.ErrUnauthorized) || e.HTTPStatus != 401 || e.AuthyCode != "60001" {
		t.Fatalf("wrong key: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-key-0000") {
		t.Fatal("key in the error")
	}
}

func TestFaultsAreTypedErrors(t *testing.T) {
	c := newClient(t)
	cases := []struct {
		kind string
		want error
	}{
		{"rate_limit", authy.ErrRateLimited},
		{"status_5xx", authy.ErrServerError},
		{"invalid_json", authy.ErrDecode},
		// "close" on a read may be resent on a fresh connection (a stale keep-alive looks the
		// same): reliability_test.go covers it on a call with a side effect.
		{"truncated", authy.ErrTruncated},
		{"oversized", authy.ErrDecode},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.kind, func(t *testing.T) {
			arm(t, c, tc.kind, "/protected/json/app/stats", nil)
			_, err := c.AppStats(bg)
			if !errors.Is(err, tc.want) {
				t.Fatalf("%s: %v", tc.kind, err)
			}
			if _, err := c.AppStats(bg); err != nil {
				t.Fatalf("after the fault: %v", err)
			}
		})
	}
}

func TestConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	c, err := authy.NewClient(testKey, authy.WithBaseURL("http://"+addr), authy.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.AppDetails(bg)
	if !errors.Is(err, authy.ErrConnect) || !errors.Is(err, authy.ErrTransport) {
		t.Fatalf("refused connection: %v", err)
	}
	// A secondary URL takes over when the primary cannot be connected to.
	f, err := authy.NewClient(testKey, authy.WithBaseURL("http://"+addr), authy.WithSecondaryBaseURL(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.AppDetails(bg); err != nil {
		t.Fatalf("failover: %v", err)
	}
}

func TestVerifyTokenFailOpen(t *testing.T) {
	c := newClient(t)
	id, _ := newUser(t, c)
	code := smsCode(t, c, id)
	if v, err := c.VerifyTokenFailOpen(bg, id, code, authy.FailOpenDefault, nil); err != nil || v != authy.VerdictValid {
		t.Fatalf("valid: %v %v", v, err)
	}
	if v, err := c.VerifyTokenFailOpen(bg, id, "0000001", authy.FailOpenDefault, nil); !errors.Is(err, authy.ErrTokenInvalid) || v != authy.VerdictInvalid {
		t.Fatalf("wrong: %v %v", v, err)
	}
	arm(t, c, "close", "/protected/json/verify/", nil)
	if v, err := c.VerifyTokenFailOpen(bg, id, "0000001", authy.FailOpenDefault, nil); err != nil || v != authy.VerdictAcceptedAPIUnreachable || !v.Allowed() {
		t.Fatalf("unreachable, default policy: %v %v", v, err)
	}
	arm(t, c, "close", "/protected/json/verify/", nil)
	if v, err := c.VerifyTokenFailOpen(bg, id, "0000001", authy.FailOpenNever, nil); !errors.Is(err, authy.ErrTransport) || v.Allowed() {
		t.Fatalf("unreachable, never: %v %v", v, err)
	}
	arm(t, c, "status_5xx", "/protected/json/verify/", nil)
	if v, err := c.VerifyTokenFailOpen(bg, id, "0000001", authy.FailOpenServerError, nil); err != nil || v != authy.VerdictAcceptedAPIUnreachable {
		t.Fatalf("5xx: %v %v", v, err)
	}
	arm(t, c, "rate_limit", "/protected/json/verify/", nil)
	if v, err := c.VerifyTokenFailOpen(bg, id, "0000001", authy.FailOpenDefault, nil); !errors.Is(err, authy.ErrRateLimited) || v.Allowed() {
		t.Fatalf("429, default policy: %v %v", v, err)
	}
	if v, err := c.VerifyTokenFailOpen(bg, id, "12", authy.FailOpenDefault, nil); !errors.Is(err, authy.ErrInvalidArgument) || v.Allowed() {
		t.Fatalf("bad token: %v %v", v, err)
	}
	if authy.VerdictInvalid.String() != "invalid" || authy.Verdict(0).Allowed() {
		t.Fatal("zero verdict must deny")
	}
}

func TestRequestRaw(t *testing.T) {
	c := newClient(t)
	r, err := c.Request(bg, "GET", "/protected/json/no/such/route", nil)
	if err != nil || r.OK() || r.StatusCode != 404 || r.Message == "" {
		t.Fatalf("404: %v %+v", err, r)
	}
	r, err = c.Request(bg, "GET", "/protected/json/app/details", url.Values{})
	if err != nil || !r.OK() {
		t.Fatalf("details: %v", err)
	}
	var m struct{ App struct{ Name string } }
	if err := r.Decode(&m); err != nil || m.App.Name == "" {
		t.Fatalf("decode: %v %+v", err, m)
	}
	for _, bad := range [][2]string{{"BREW", "/x"}, {"GET", "relative"}, {"GET", "/with space"}, {"", "/"}, {"GET", ""}} {
		if _, err := c.Request(bg, bad[0], bad[1], nil); !errors.Is(err, authy.ErrInvalidArgument) {
			t.Fatalf("%q %q: %v", bad[0], bad[1], err)
		}
	}
}

func TestErrorCatalogAndCodes(t *testing.T) {
	m, st, ok := authy.LookupErrorCode(60020)
	if !ok || m == "" || st == 0 {
		t.Fatalf("60020: %q %d %v", m, st, ok)
	}
	if _, _, ok := authy.LookupErrorCode(12345); ok {
		t.Fatal("12345 known")
	}
	if _, _, ok := authy.LookupErrorCode(-1); ok {
		t.Fatal("-1 known")
	}
	if authy.CodeTimeout.String() != "AUTHY_RESULT_TIMEOUT" || authy.CodeTimeout.Description() == "" {
		t.Fatal(authy.CodeTimeout.String())
	}
	if authy.Code(9999).String() != "AUTHY_RESULT_UNKNOWN" {
		t.Fatal(authy.Code(9999).String())
	}
	e := &authy.Error{Code: authy.CodeNotFound}
	if !errors.Is(e, authy.ErrNotFound) || !errors.Is(e, authy.ErrAPI) || errors.Is(e, authy.ErrTimeout) {
		t.Fatal("sentinel groups")
	}
	if !errors.Is(&authy.Error{Code: authy.CodeNullArgument}, authy.ErrInvalidArgument) ||
		!errors.Is(&authy.Error{Code: authy.CodePanic}, authy.ErrInternal) {
		t.Fatal("range groups")
	}
}
