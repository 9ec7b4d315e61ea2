package authy_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// The platform trust store is read once per process: the check runs in a child process of
// the test binary (TestMain dispatches on this variable) whose SSL_CERT_FILE is the CA of an
// HTTPS sandbox.
const netoptsChildEnv = "AUTHY_GO_PLATFORM_ROOTS_URL"

func platformRootsChild() int {
	u := os.Getenv(netoptsChildEnv)
	fail := func(format string, args ...interface{}) int {
		fmt.Fprintf(os.Stderr, "platform roots child: "+format+"\n", args...)
		return 1
	}
	p, err := authy.NewClient(testKey, authy.WithBaseURL(u), authy.WithPlatformRoots())
	if err != nil {
		return fail("NewClient: %v", err)
	}
	defer p.Close()
	if _, err := p.AppDetails(bg); err != nil {
		return fail("platform roots, CA in the store: %v", err)
	}
	h, err := p.HealthCheck(bg)
	if err != nil || !h.OK || !h.TLS {
		return fail("health over TLS: %+v %v", h, err)
	}
	b, err := authy.NewClient(testKey, authy.WithBaseURL(u), authy.WithTLSRoots(authy.TLSRootsBundled))
	if err != nil {
		return fail("NewClient: %v", err)
	}
	defer b.Close()
	if _, err := b.AppDetails(bg); !errors.Is(err, authy.ErrTLS) {
		return fail("bundled roots: want ErrTLS, got %v", err)
	}
	if h, _ := b.HealthCheck(bg); h.OK || h.Code != authy.CodeTLS || !h.TLS {
		return fail("health, bundled roots: %+v", h)
	}
	fmt.Println("platform roots child: ok")
	return 0
}

func TestPlatformRoots(t *testing.T) {
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	u, stop, err := startSandbox("--tls-self-signed", "--ca-out", caFile)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), netoptsChildEnv+"="+u, "SSL_CERT_FILE="+caFile, "SSL_CERT_DIR="+empty)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "platform roots child: ok") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := authy.NewClient(testKey, authy.WithTLSRoots(authy.TLSRoots(7))); !errors.Is(err, authy.ErrInvalidArgument) {
		t.Fatalf("unknown roots value: %v", err)
	}
}

// Proxy variables are read by NewClient only with WithProxyFromEnv, and never used for a
// loopback base URL (Go's net/http rule): the proxied calls address the sandbox (on 127.0.0.1)
// as 0.0.0.0, which is not loopback by name.
func TestProxyFromEnv(t *testing.T) {
	for _, v := range []string{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"} {
		t.Setenv(v, "") // empty counts as unset
	}
	down := closedPort(t)
	t.Setenv("http_proxy", down)
	remote := strings.Replace(baseURL, "127.0.0.1", "0.0.0.0", 1)
	build := func(opts ...authy.Option) (*authy.Client, error) {
		return authy.NewClient(testKey, append([]authy.Option{authy.WithBaseURL(remote),
			authy.WithAllowInsecureHTTP(true), authy.WithTimeout(5 * time.Second)}, opts...)...)
	}
	mustBuild := func(opts ...authy.Option) *authy.Client {
		t.Helper()
		c, err := build(opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	if _, err := mustBuild().AppDetails(bg); err != nil {
		t.Fatalf("environment read without the option: %v", err)
	}
	_, err := mustBuild(authy.WithProxyFromEnv()).AppDetails(bg)
	if e := asError(t, err); !errors.Is(err, authy.ErrConnect) || e.RequestSent {
		t.Fatalf("through the (down) proxy of http_proxy: %v", err)
	}
	// An explicit proxy wins over the environment; no_proxy bypasses it.
	_, err = mustBuild(authy.WithProxyFromEnv(), authy.WithProxy("http://127.0.0.1:1")).AppDetails(bg)
	if !errors.Is(err, authy.ErrConnect) {
		t.Fatalf("explicit proxy: %v", err)
	}
	t.Setenv("no_proxy", "0.0.0.0")
	if _, err := mustBuild(authy.WithProxyFromEnv()).AppDetails(bg); err != nil {
		t.Fatalf("no_proxy: %v", err)
	}
	t.Setenv("no_proxy", "")
	// A loopback base URL goes direct whatever the variables say.
	t.Setenv("all_proxy", down)
	for _, base := range []string{baseURL, strings.Replace(baseURL, "127.0.0.1", "localhost", 1)} {
		if _, err := mustBuild(authy.WithProxyFromEnv(), authy.WithBaseURL(base)).AppDetails(bg); err != nil {
			t.Fatalf("loopback %s went through the proxy: %v", base, err)
		}
	}
	t.Setenv("all_proxy", "")
	// HTTP_PROXY (set by CGI servers from a request header) is never used.
	t.Setenv("http_proxy", "")
	t.Setenv("HTTP_PROXY", down)
	if _, err := mustBuild(authy.WithProxyFromEnv()).AppDetails(bg); err != nil {
		t.Fatalf("HTTP_PROXY was used: %v", err)
	}
	// An unusable proxy fails the build, naming the variable, never its value.
	t.Setenv("http_proxy", "socks5://user:pr0xy-secret@127.0.0.1:1080")
	if _, err := build(authy.WithProxyFromEnv()); !errors.Is(err, authy.ErrInvalidArgument) ||
		strings.Contains(err.Error(), "pr0xy-secret") || !strings.Contains(err.Error(), "http_proxy") {
		t.Fatalf("socks5 proxy: %v", err)
	}
}
