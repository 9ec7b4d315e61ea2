package authy_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// The tests run against the sandbox binary (AUTHY_SANDBOX_BIN, default
// ../../target/release/authy-sandbox), started once on a free port by TestMain.
const testKey = "go-binding-test-key-0123456789"

// The Twilio credentials the test sandbox accepts on /v2 (Verify and Lookup).
const (
	testAccountSID = "AC0123456789abcdef0123456789abcdef"
	testAuthToken  = "go-binding-auth-token-0123456789"
	testAPIKeySID  = "SKfedcba9876543210fedcba9876543210"
	testAPIKeySec  = "go-binding-api-key-secret-012345"
)

var baseURL string

func sandboxBin() string {
	if bin := os.Getenv("AUTHY_SANDBOX_BIN"); bin != "" {
		return bin
	}
	return "../../target/release/authy-sandbox"
}

// startSandbox starts a sandbox process and returns its base URL and a stop function.
func startSandbox(args ...string) (string, func(), error) {
	bin := sandboxBin()
	cmd := exec.Command(bin, append([]string{"--port", "0", "--quiet", "--api-key", testKey,
		"--account-sid", testAccountSID, "--auth-token", testAuthToken,
		"--api-key-sid", testAPIKeySID, "--api-key-secret", testAPIKeySec}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("cannot start the sandbox %s: %v (build it with make build)", bin, err)
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	line := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		l, _ := r.ReadString('\n')
		line <- strings.TrimSpace(l)
		_, _ = r.WriteTo(discard{}) // keep draining
	}()
	select {
	case u := <-line:
		if strings.HasPrefix(u, "http") {
			return u, stop, nil
		}
	case <-time.After(10 * time.Second):
	}
	stop()
	return "", nil, fmt.Errorf("the sandbox %s did not print its base URL", bin)
}

func TestMain(m *testing.M) {
	if os.Getenv(netoptsChildEnv) != "" {
		os.Exit(platformRootsChild()) // a child process of TestPlatformRoots (netopts_test.go)
	}
	u, stop, err := startSandbox()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go tests:", err)
		os.Exit(2)
	}
	baseURL = u
	code := m.Run()
	stop()
	os.Exit(code)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// newClient makes a client of the test sandbox, closed at the end of the test.
func newClient(t testing.TB, opts ...authy.Option) *authy.Client {
	t.Helper()
	c, err := authy.NewClient(testKey, append([]authy.Option{authy.WithBaseURL(baseURL),
		authy.WithTimeout(20 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// control calls the sandbox control API and decodes its JSON answer.
func control(t testing.TB, c *authy.Client, method, path string, values url.Values) map[string]interface{} {
	t.Helper()
	r, err := c.Request(context.Background(), method, path, values)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if !r.OK() {
		t.Fatalf("%s %s: HTTP %d %s", method, path, r.StatusCode, r.Body())
	}
	var m map[string]interface{}
	if err := r.Decode(&m); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return m
}

var phoneSeq int64

// uniquePhone gives a distinct valid-looking North American number per call.
func uniquePhone() string {
	n := atomic.AddInt64(&phoneSeq, 1)
	return fmt.Sprintf("775-%03d-%04d", 200+(n/10000)%800, n%10000)
}

// newUser registers a fresh user and returns its Authy id and e-mail.
func newUser(t testing.TB, c *authy.Client) (string, string) {
	t.Helper()
	phone := uniquePhone()
	email := "u" + strings.ReplaceAll(phone, "-", "") + "@example.com"
	u, err := c.RegisterUser(context.Background(), email, 1, phone, nil)
	if err != nil {
		t.Fatalf("RegisterUser: %v", err)
	}
	if u.ID == "" {
		t.Fatalf("RegisterUser: no id in %s", u.Body())
	}
	return u.ID, email
}

// lastCode reads the code the sandbox "delivered" to a user.
func lastCode(t testing.TB, c *authy.Client, id string) string {
	t.Helper()
	m := control(t, c, "GET", "/sandbox/users/"+id+"/last_code", nil)
	code, _ := m["code"].(string)
	if code == "" {
		t.Fatalf("no code delivered to %s", id)
	}
	return code
}

// smsCode sends an SMS to the user and returns the code.
func smsCode(t testing.TB, c *authy.Client, id string) string {
	t.Helper()
	if _, err := c.RequestSMS(context.Background(), id, &authy.TokenRequestOptions{Force: true}); err != nil {
		t.Fatalf("RequestSMS: %v", err)
	}
	return lastCode(t, c, id)
}

// arm arms a sandbox fault for the next request whose path starts with prefix.
func arm(t testing.TB, c *authy.Client, kind, prefix string, extra url.Values) {
	t.Helper()
	v := url.Values{"kind": {kind}, "count": {"1"}, "path_prefix": {prefix}}
	for k, vs := range extra {
		v[k] = vs
	}
	control(t, c, "POST", "/sandbox/faults", v)
	t.Cleanup(func() {
		_, _ = c.Request(context.Background(), "DELETE", "/sandbox/faults", nil)
	})
}

// requestTotal is the number of API requests the sandbox has counted.
func requestTotal(t testing.TB, c *authy.Client) int {
	t.Helper()
	m := control(t, c, "GET", "/sandbox/requests", nil)
	n, _ := m["total"].(float64)
	return int(n)
}

// asError extracts the *authy.Error of err or fails.
func asError(t testing.TB, err error) *authy.Error {
	t.Helper()
	var e *authy.Error
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	if !errors.As(err, &e) {
		t.Fatalf("expected an *authy.Error, got %T: %v", err, err)
	}
	return e
}

func decodeJSON(s string) map[string]interface{} {
	var m map[string]interface{}
	_ = json.Unmarshal([]byte(s), &m)
	return m
}
