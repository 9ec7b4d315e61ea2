// Command verifylogin runs a Twilio Verify login through the Go binding of libauthy, against a
// local authy-sandbox:
//
//  1. create a Verify Service (once per application)
//  2. start a verification: a code goes to the user's phone by SMS
//  3. the user reads it (here: the sandbox's control API plays the phone)
//  4. a mistyped code is refused (ErrTokenInvalid), the right one approves the login
//
// Usage (from bindings/go):
//
//	../../scripts/with-sandbox.sh go run ./examples/verifylogin
//
// or set AUTHY_BASE_URL (the URL the sandbox printed), and TWILIO_ACCOUNT_SID /
// TWILIO_AUTH_TOKEN when the sandbox was started with other credentials.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "verifylogin:", err)
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
	// The sandbox's default credentials.
	accountSID := env("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000")
	authToken := env("TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd")

	// One client for the program; Verify and Lookup are both on the sandbox's port.
	vc, err := authy.NewVerifyClient(accountSID, authToken, authy.WithBaseURL(baseURL),
		authy.WithLookupsBaseURL(baseURL), authy.WithTimeout(10*time.Second))
	if err != nil {
		return err
	}
	defer vc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	svc, err := vc.CreateService(ctx, "Example login", authy.Params{"CodeLength": "6"})
	if err != nil {
		return fmt.Errorf("CreateService: %w", err)
	}
	defer vc.DeleteService(context.Background(), svc.SID) //nolint:errcheck
	fmt.Printf("1. service %s (%s)\n", svc.SID, svc.FriendlyName)

	const phone = "+14155550123"
	v, err := vc.StartVerification(ctx, svc.SID, phone, "sms", nil)
	if err != nil {
		return fmt.Errorf("StartVerification: %w", err)
	}
	fmt.Printf("2. code sent to %s by %s: verification %s is %s\n", v.To, v.Channel, v.SID, v.Status)

	code, err := readCode(ctx, baseURL, svc.SID, phone)
	if err != nil {
		return err
	}
	fmt.Printf("3. the user reads %s on the phone\n", code)

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	chk, err := vc.CheckVerification(ctx, svc.SID, authy.Check{To: phone, Code: wrong})
	if !errors.Is(err, authy.ErrTokenInvalid) {
		return fmt.Errorf("a wrong code was not refused: %v", err)
	}
	fmt.Printf("4. wrong code %s refused: status %s, valid %v\n", wrong, chk.Status, chk.Valid)

	chk, err = vc.CheckVerification(ctx, svc.SID, authy.Check{To: phone, Code: code})
	if err != nil {
		return fmt.Errorf("CheckVerification: %w", err)
	}
	fmt.Printf("5. right code: status %s, valid %v -> logged in\n", chk.Status, chk.Valid)
	return nil
}

// readCode plays the user's phone: the sandbox's control API (opened by the account's Basic
// credentials or the Authy key; here the key) says which code it delivered. With the real API the user reads the SMS.
func readCode(ctx context.Context, baseURL, serviceSID, to string) (string, error) {
	ac, err := authy.NewClient(env("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef"), authy.WithBaseURL(baseURL))
	if err != nil {
		return "", err
	}
	defer ac.Close()
	r, err := ac.Request(ctx, "GET", "/sandbox/verify/code", url.Values{"To": {to}, "ServiceSid": {serviceSID}})
	if err != nil {
		return "", err
	}
	var m struct {
		Code string `json:"code"`
	}
	if err := r.Decode(&m); err != nil || m.Code == "" {
		return "", fmt.Errorf("no code delivered: HTTP %d %s", r.StatusCode, r.Body())
	}
	return m.Code, nil
}
