package authy_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// Benchmarks (not part of the test count): the same sandbox endpoint through the binding and
// through a plain net/http client doing what a hand-written Go client would (request, API key
// header, read and decode the JSON body).
//
//	go test -run '^$' -bench . -benchtime 3s

func BenchmarkBindingAppDetails(b *testing.B) {
	c := newClient(b, authy.WithMaxIdleConnsPerHost(64))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.AppDetails(bg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBindingAppDetailsParallel(b *testing.B) {
	c := newClient(b, authy.WithMaxIdleConnsPerHost(64))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.AppDetails(bg); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func netHTTPClient() *http.Client {
	return &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: 64, Proxy: nil, ForceAttemptHTTP2: false}}
}

func netHTTPAppDetails(hc *http.Client) error {
	req, err := http.NewRequestWithContext(bg, "GET", baseURL+"/protected/json/app/details", nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Authy-API-Key", testKey)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	var d struct {
		App struct {
			Name string `json:"name"`
		} `json:"app"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return err
	}
	if resp.StatusCode != 200 || d.App.Name == "" {
		return io.ErrUnexpectedEOF
	}
	return nil
}

func BenchmarkNetHTTPAppDetails(b *testing.B) {
	hc := netHTTPClient()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := netHTTPAppDetails(hc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNetHTTPAppDetailsParallel(b *testing.B) {
	hc := netHTTPClient()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := netHTTPAppDetails(hc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The cost of the cgo crossing and the Go-side conversions alone (no I/O): a call refused by
// local validation.
func BenchmarkBindingLocalValidationOnly(b *testing.B) {
	c := newClient(b)
	for i := 0; i < b.N; i++ {
		if _, err := c.VerifyToken(bg, "1", "x", nil); err == nil {
			b.Fatal("accepted")
		}
	}
}
