// Command loginflow is one login flow (send a code, check it) that runs on the Authy API and on
// Twilio Verify, chosen per user, against a local authy-sandbox: the Go version of
// examples/login_flow.c. This is how a service moves off Authy one user at a time: each user
// record says which backend it is on, and flipping that flag (after storing the user's E.164
// number) is the whole migration of an SMS user.
//
//  1. carol is still on Authy (the record holds her Authy id)
//  2. bob is on Verify (the record holds his E.164 number; no registration call)
//  3. carol is migrated: her record gets her E.164 number (checked with Lookup v2) and the
//     Verify flag, and the same login code serves her through Verify
//  4. dave, who uses an authenticator app, is migrated without re-enrolment: his TOTP secret
//     (as Authy's export gives it) becomes a Verify TOTP factor, verified once, and his app's
//     codes are then checked by Verify
//
// On both APIs only a nil error means "accepted": a wrong code matches authy.ErrTokenInvalid
// whether Authy answered 401 60020 or Verify answered 200 "pending".
//
// Usage (from bindings/go):
//
//	../../scripts/with-sandbox.sh go run ./examples/loginflow
//
// or set AUTHY_BASE_URL (the URL the sandbox printed), and AUTHY_API_KEY, TWILIO_ACCOUNT_SID,
// TWILIO_AUTH_TOKEN when the sandbox was started with other credentials. Reading the delivered
// code uses the sandbox's control API (/sandbox/...); with the real APIs the user reads the SMS.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// backend is the API a user's second factor is on.
type backend int

const (
	backendAuthy backend = iota
	backendVerify
)

func (b backend) String() string {
	if b == backendAuthy {
		return "Authy"
	}
	return "Verify"
}

// userRecord is what the service stores per user.
type userRecord struct {
	name       string
	backend    backend
	authyID    string // Authy: the id RegisterUser returned (Authy keeps the phone number)
	phone      string // Verify: the E.164 number, which the service now stores itself
	identity   string // Verify TOTP: the service's own user id (the Entity's identity)
	totpFactor string // Verify TOTP: the factor (YF…) holding the user's app secret
}

// twoFactor is the service's 2FA entry point: one dispatch on the user's backend.
type twoFactor struct {
	authy      *authy.Client
	verify     *authy.VerifyClient
	serviceSID string // the Verify Service (VA…) that replaces the Authy application
}

// sendCode sends a login code by SMS to the user.
func (tf *twoFactor) sendCode(ctx context.Context, u *userRecord) error {
	if u.backend == backendAuthy {
		_, err := tf.authy.RequestSMS(ctx, u.authyID, &authy.TokenRequestOptions{Force: true}) // SMS even with the app
		return err
	}
	_, err := tf.verify.StartVerification(ctx, tf.serviceSID, u.phone, "sms", nil)
	return err
}

// checkCode checks the code the user typed: nil only when it is right.
func (tf *twoFactor) checkCode(ctx context.Context, u *userRecord, code string) error {
	if u.backend == backendAuthy {
		_, err := tf.authy.VerifyToken(ctx, u.authyID, code, nil)
		return err
	}
	_, err := tf.verify.CheckVerification(ctx, tf.serviceSID, authy.Check{To: u.phone, Code: code})
	return err
}

// checkAppCode checks a code of the user's authenticator app (TOTP): Authy checks it like any
// token, Verify with a Challenge on the user's TOTP factor. nil only when it is right.
func (tf *twoFactor) checkAppCode(ctx context.Context, u *userRecord, code string) error {
	if u.backend == backendAuthy {
		_, err := tf.authy.VerifyToken(ctx, u.authyID, code, nil)
		return err
	}
	_, err := tf.verify.CreateChallenge(ctx, tf.serviceSID, u.identity, u.totpFactor, authy.Params{"AuthPayload": code})
	return err
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loginflow:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() error {
	baseURL := os.Getenv("AUTHY_BASE_URL")
	if baseURL == "" {
		return errors.New("set AUTHY_BASE_URL to the sandbox's URL (or run me through scripts/with-sandbox.sh)")
	}
	fmt.Printf("libauthy %s, Authy and Verify at %s\n\n", authy.Version(), baseURL)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// Two clients, built once and shared by every goroutine. (The sandbox serves all on one
	// URL; the real APIs are the clients' defaults.) The defaults are the sandbox's credentials.
	ac, err := authy.NewClient(env("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef"),
		authy.WithBaseURL(baseURL), authy.WithTimeout(10*time.Second))
	if err != nil {
		return err
	}
	defer ac.Close()
	vc, err := authy.NewVerifyClient(env("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
		env("TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd"),
		authy.WithBaseURL(baseURL), authy.WithLookupsBaseURL(baseURL), authy.WithTimeout(10*time.Second))
	if err != nil {
		return err
	}
	defer vc.Close()
	tf := &twoFactor{authy: ac, verify: vc}
	sb := &sandbox{ac: ac, tf: tf}

	// The Verify Service takes the place of the Authy application (usually created once, in
	// the console; its SID is configuration).
	if tf.serviceSID = os.Getenv("VERIFY_SERVICE_SID"); tf.serviceSID == "" {
		svc, err := vc.CreateService(ctx, "Example login", nil)
		if err != nil {
			return fmt.Errorf("CreateService: %w", err)
		}
		defer vc.DeleteService(context.Background(), svc.SID) //nolint:errcheck
		tf.serviceSID = svc.SID
		fmt.Printf("Verify Service %s created\n\n", svc.SID)
	}

	// carol registered with Authy long ago: the service kept only her Authy id.
	u, err := ac.RegisterUser(ctx, "carol@example.com", 1, "415-555-0142", nil)
	if err != nil {
		return fmt.Errorf("RegisterUser: %w", err)
	}
	carol := &userRecord{name: "carol", backend: backendAuthy, authyID: u.ID}
	// bob signed up after Verify was introduced: the service stores his E.164 number.
	bob := &userRecord{name: "bob", backend: backendVerify, phone: "+14155550199"}

	fmt.Println("1. carol logs in through Authy")
	if err := login(ctx, tf, sb, carol); err != nil {
		return err
	}
	fmt.Println("2. bob logs in through Verify")
	if err := login(ctx, tf, sb, bob); err != nil {
		return err
	}

	// Migrating carol: store her number in E.164 (the service had it at sign-up) and flip the
	// flag, once Lookup v2 (the successor of PhoneInfo) says the number is valid.
	carol.phone = "+14155550142"
	lr, err := vc.LookupPhoneNumber(ctx, carol.phone, authy.Params{"Fields": "line_type_intelligence"})
	if err != nil {
		return fmt.Errorf("LookupPhoneNumber: %w", err)
	}
	var line struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(lr.LineTypeIntelligence, &line) // raw JSON, null when not asked
	fmt.Printf("3. carol's number %s: valid %v, line type %s\n", carol.phone, lr.Valid, or(line.Type, "unknown"))
	if !lr.Valid {
		return errors.New("carol's stored number is not valid")
	}
	carol.backend = backendVerify
	fmt.Println("   carol is moved to Verify and logs in again")
	if err := login(ctx, tf, sb, carol); err != nil {
		return err
	}

	// dave logs in with codes from an authenticator app. Moving him keeps his app working: the
	// TOTP secret Authy exports for him (enabled by Twilio Support; the sandbox does not emulate
	// the export, so here it is a constant) becomes the Binding.Secret of a Verify TOTP factor
	// with Authy's parameters.
	dave := &userRecord{name: "dave", backend: backendVerify, identity: "user-0004-dave"}
	f, err := vc.CreateFactor(ctx, tf.serviceSID, dave.identity, "dave's authenticator", authy.FactorTOTP, authy.Params{
		"Binding.Secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "Config.Alg": "sha1",
		"Config.TimeStep": "30", "Config.CodeLength": "6", "Config.Skew": "1"})
	if err != nil {
		return fmt.Errorf("CreateFactor: %w", err)
	}
	dave.totpFactor = f.SID
	fmt.Printf("4. dave's exported app secret -> Verify TOTP factor %s (entity %s), %s\n", f.SID, dave.identity, f.Status)

	// The factor is verified once with a code of the app.
	code, err := sb.appCode(ctx, dave)
	if err != nil {
		return err
	}
	wrong := wrongCode(code)
	_, err = vc.VerifyFactor(ctx, tf.serviceSID, dave.identity, dave.totpFactor, wrong)
	fmt.Printf("   verifying it with a wrong code %s: %v\n", wrong, err)
	if !errors.Is(err, authy.ErrTokenInvalid) {
		return fmt.Errorf("a wrong code verified the factor: %v", err)
	}
	if f, err = vc.VerifyFactor(ctx, tf.serviceSID, dave.identity, dave.totpFactor, code); err != nil {
		return fmt.Errorf("VerifyFactor: %w", err)
	}
	fmt.Printf("   verified with the app's code %s: %s\n", code, f.Status)

	// Logging in: the same app, now checked by Verify.
	if code, err = sb.appCode(ctx, dave); err != nil {
		return err
	}
	wrong = wrongCode(code)
	err = tf.checkAppCode(ctx, dave, wrong)
	fmt.Printf("   login, wrong app code %s: %v\n", wrong, err)
	if !errors.Is(err, authy.ErrTokenInvalid) {
		return fmt.Errorf("a wrong app code was not refused: %v", err)
	}
	if err := tf.checkAppCode(ctx, dave, code); err != nil {
		return fmt.Errorf("checkAppCode: %w", err)
	}
	fmt.Printf("   login, app code %s accepted -> dave is logged in, no re-enrolment\n", code)

	fmt.Println("\nloginflow: done")
	return nil
}

// login is one login: send, read, a wrong code refused, the right code accepted.
func login(ctx context.Context, tf *twoFactor, sb *sandbox, u *userRecord) error {
	id := u.authyID
	if u.backend == backendVerify {
		id = u.phone
	}
	if err := tf.sendCode(ctx, u); err != nil {
		return fmt.Errorf("sendCode(%s): %w", u.name, err)
	}
	code, err := sb.deliveredCode(ctx, u)
	if err != nil {
		return err
	}
	fmt.Printf("   %s (%s %s): code %s sent by SMS\n", u.name, u.backend, id, code)
	wrong := wrongCode(code)
	err = tf.checkCode(ctx, u, wrong)
	var e *authy.Error
	if !errors.Is(err, authy.ErrTokenInvalid) || !errors.As(err, &e) {
		return fmt.Errorf("a wrong code was not refused: %v", err)
	}
	fmt.Printf("   wrong code %s: %s (HTTP %d, API code %s)\n", wrong, e.Name, e.HTTPStatus, or(e.APICode, "none"))
	if err := tf.checkCode(ctx, u, code); err != nil {
		return fmt.Errorf("checkCode(%s): %w", u.name, err)
	}
	fmt.Printf("   right code %s accepted -> %s is logged in\n", code, u.name)
	return nil
}

// sandbox plays the users' phones through the sandbox's control API (sent with the Authy
// client: the control API accepts the Authy key for Verify records too).
type sandbox struct {
	ac *authy.Client
	tf *twoFactor
}

func (sb *sandbox) code(ctx context.Context, path string, q url.Values) (string, error) {
	r, err := sb.ac.Request(ctx, "GET", path, q)
	if err != nil {
		return "", err
	}
	var m struct {
		Code string `json:"code"`
	}
	if err := r.Decode(&m); err != nil || m.Code == "" {
		return "", fmt.Errorf("%s: no code: HTTP %d %s", path, r.StatusCode, r.Body())
	}
	return m.Code, nil
}

// deliveredCode is the code the user's handset received.
func (sb *sandbox) deliveredCode(ctx context.Context, u *userRecord) (string, error) {
	if u.backend == backendAuthy {
		return sb.code(ctx, "/sandbox/users/"+u.authyID+"/last_code", nil)
	}
	return sb.code(ctx, "/sandbox/verify/code", url.Values{"To": {u.phone}, "ServiceSid": {sb.tf.serviceSID}})
}

// appCode is the code the user's authenticator app shows now (the sandbox computes it from
// the factor's secret, standing in for the app).
func (sb *sandbox) appCode(ctx context.Context, u *userRecord) (string, error) {
	return sb.code(ctx, "/sandbox/verify/Services/"+sb.tf.serviceSID+"/Entities/"+u.identity+"/Factors/"+u.totpFactor+"/Code", nil)
}

// wrongCode is the code with its last digit changed.
func wrongCode(code string) string {
	b := []byte(code)
	b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
	return string(b)
}

// or is s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
