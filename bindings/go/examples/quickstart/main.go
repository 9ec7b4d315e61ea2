// Command quickstart runs the whole two-factor flow through the Go binding of libauthy, against
// a local authy-sandbox:
//
//  1. register a user            5. send a OneTouch (push) approval request
//  2. send a code by SMS         6. the user approves it (simulated by the sandbox)
//  3. read it from the handset   7. wait for the decision
//  4. verify the code            8. verify the signed callback Authy sent to your server
//
// Usage (from bindings/go):
//
//	../../scripts/with-sandbox.sh go run ./examples/quickstart
//
// or set AUTHY_BASE_URL (the URL the sandbox printed) and AUTHY_API_KEY yourself. Steps 3 and 6
// use the sandbox's control API (/sandbox/...) to play the user's phone; with the real API the
// user reads the SMS and taps "Approve" in the Authy app. Step 8 receives the callback on a
// real HTTP server in this process, guarded by authy.CallbackMiddleware.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	baseURL := os.Getenv("AUTHY_BASE_URL")
	apiKey := os.Getenv("AUTHY_API_KEY")
	if apiKey == "" {
		apiKey = "sandbox-api-key-0123456789abcdef"
	}
	if baseURL == "" {
		return errors.New("set AUTHY_BASE_URL to the sandbox's URL (or run me through scripts/with-sandbox.sh)")
	}
	fmt.Printf("libauthy %s, API at %s\n\n", authy.Version(), baseURL)

	// One client for the whole program, shared by every goroutine.
	// Reads are retried after transient failures; calls with a side effect (an SMS) only when
	// their request provably never reached the server.
	client, err := authy.NewClient(apiKey, authy.WithBaseURL(baseURL), authy.WithTimeout(10*time.Second),
		authy.WithRetries(3, 100*time.Millisecond, time.Second))
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// 0. A readiness probe: an unhealthy API is a report, not an error.
	health, err := client.HealthCheck(ctx)
	if err != nil {
		return err
	}
	if !health.OK {
		return fmt.Errorf("unhealthy: %w", health.Err())
	}
	fmt.Printf("0. healthy: application %s answered in %v\n", health.AppName, health.Latency)

	// 1. Register the user.
	user, err := client.RegisterUser(ctx, "alice@example.com", 1, "555-867-5309", nil)
	if err != nil {
		return fmt.Errorf("RegisterUser: %w", err)
	}
	fmt.Printf("1. registered alice@example.com, +1 555-867-5309 -> Authy id %s\n", user.ID)

	// 2. Send a code by SMS (Force: even if the user has the Authy app).
	sms, err := client.RequestSMS(ctx, user.ID, &authy.TokenRequestOptions{Force: true})
	if err != nil {
		return fmt.Errorf("RequestSMS: %w", err)
	}
	fmt.Printf("2. SMS sent to %s\n", sms.Cellphone)

	// 3. The user reads the code on the phone (here: the sandbox's handset).
	var last struct{ Code string }
	if err := sandbox(ctx, client, "GET", "/sandbox/users/"+user.ID+"/last_code", nil, &last); err != nil {
		return err
	}
	fmt.Printf("3. the user types the code %s\n", last.Code)

	// 4. Verify it: only a nil error means valid.
	_, err = client.VerifyToken(ctx, user.ID, "0000001", nil)
	var aerr *authy.Error
	if !errors.Is(err, authy.ErrTokenInvalid) || !errors.As(err, &aerr) {
		return fmt.Errorf("a wrong code was not refused: %v", err)
	}
	fmt.Printf("4. a wrong code is refused: %s (Authy %s: %s)\n", aerr.Name, aerr.AuthyCode, aerr.Meaning())
	ok, err := client.VerifyToken(ctx, user.ID, last.Code, nil)
	if err != nil {
		return fmt.Errorf("VerifyToken: %w", err)
	}
	fmt.Printf("   the right code is accepted: %s\n", ok.Message)

	// Your web application receives OneTouch callbacks; here it is a server in this process.
	callbacks := make(chan string, 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	callbackURL := "http://" + ln.Addr().String() + "/authy/callback"
	mux := http.NewServeMux()
	mux.Handle("/authy/callback", authy.CallbackMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := authy.CallbackParamsFromContext(r.Context()) // verified parameters only
		callbacks <- fmt.Sprintf("%s for request %s", p.Status(), p.UUID())
		w.WriteHeader(http.StatusOK)
	}), apiKey, callbackURL, nil))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	// With the real API the callback URL is set in the Twilio console.
	if err := sandbox(ctx, client, "POST", "/sandbox/config", url.Values{"callback_url": {callbackURL}, "callback_method": {"POST"}}, nil); err != nil {
		return err
	}

	// 5. Ask for approval on the user's phone, with details shown in the app.
	req, err := client.SendApprovalRequest(ctx, user.ID, "Log in to Example?", &authy.ApprovalRequestOptions{
		Details:       map[string]string{"Location": "Paris, France", "Browser": "Firefox"},
		HiddenDetails: map[string]string{"session": "s-1234"},
		ExpiresIn:     5 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("SendApprovalRequest: %w", err)
	}
	fmt.Printf("5. OneTouch request %s sent\n", req.UUID)

	// 6. The user taps "Approve" (here: the sandbox, which also sends the signed callback).
	if err := sandbox(ctx, client, "POST", "/sandbox/approval_requests/"+req.UUID+"/approve", nil, nil); err != nil {
		return err
	}
	fmt.Println("6. the user approves it on the phone")

	// 7. Wait for the decision (poll every 500 ms, at most 30 s; ctx can cancel it).
	done, err := client.WaitForApprovalRequest(ctx, req.UUID, &authy.WaitOptions{Interval: 500 * time.Millisecond, Timeout: 30 * time.Second})
	if err != nil {
		return fmt.Errorf("WaitForApprovalRequest: %w", err)
	}
	fmt.Printf("7. decision: %s\n", done.Status)
	if done.Status != authy.ApprovalApproved {
		return errors.New("the request was not approved")
	}

	// 8. The callback arrived at our server and its signature was verified.
	select {
	case cb := <-callbacks:
		fmt.Printf("8. signed callback verified: %s\n", cb)
	case <-time.After(10 * time.Second):
		return errors.New("no callback arrived")
	}
	fmt.Println("\ndone.")
	return nil
}

// sandbox calls the sandbox control API and decodes its answer into out (when not nil).
func sandbox(ctx context.Context, c *authy.Client, method, path string, values url.Values, out interface{}) error {
	r, err := c.Request(ctx, method, path, values)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if !r.OK() {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, r.StatusCode, r.Body())
	}
	if out != nil {
		return r.Decode(out)
	}
	return nil
}
