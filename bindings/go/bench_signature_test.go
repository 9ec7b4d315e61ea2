package authy_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	authy "github.com/libauthy/libauthy/bindings/go"
)

// Benchmarks of the offline signature checks as a Go program calls them (issue 14: what the
// binding adds to the C ABI; bench/run.sh compares them with bench/c_callback.c):
//
//	go test -run '^$' -bench 'CallbackVerify|TwilioSignature' -benchtime 300ms -count 3
//
// The OneTouch callbacks are the largest valid POST and GET vectors of
// tests/data/onetouch_signature_vectors.json (the ones examples/bench_signature.rs and
// bench/c_callback.c time). VerifyCallback returns the verified parameters, so it goes
// through authy_callback_verify_params (the tree is built) and Close. The Verify webhook is
// the one `bench/c_callback.c twilio-dump DIR` writes; set AUTHY_BENCH_TWILIO_DIR=DIR
// (bench/run.sh does), without it that benchmark is skipped.

type signatureVector struct {
	APIKey    string `json:"api_key"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	Nonce     string `json:"nonce"`
	BodyJSON  string `json:"body_json"`
	Query     string `json:"query_string"`
	Signature string `json:"expected_signature"`
	Valid     bool   `json:"valid"`
}

func (v signatureVector) params() string {
	if v.Method == "POST" {
		return v.BodyJSON
	}
	return v.Query
}

// largestVector is the valid vector of `method` with the longest parameters.
func largestVector(b *testing.B, method string) signatureVector {
	text, err := os.ReadFile(filepath.Join("..", "..", "tests", "data", "onetouch_signature_vectors.json"))
	if err != nil {
		b.Fatal(err)
	}
	var all []signatureVector
	if err := json.Unmarshal(text, &all); err != nil {
		b.Fatal(err)
	}
	var best signatureVector
	for _, v := range all {
		if v.Valid && v.Method == method && len(v.params()) > len(best.params()) {
			best = v
		}
	}
	if best.Method == "" {
		b.Fatalf("no valid %s vector", method)
	}
	return best
}

func BenchmarkCallbackVerify(b *testing.B) {
	opts := &authy.CallbackOptions{NoReplayWindow: true}
	for _, method := range []string{"POST", "GET"} {
		v := largestVector(b, method)
		b.Run(method, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				p, err := authy.VerifyCallback(v.APIKey, v.Method, v.URL, v.Nonce, v.Signature, v.params(), opts)
				if err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
		})
	}
}

func BenchmarkTwilioSignature(b *testing.B) {
	dir := os.Getenv("AUTHY_BENCH_TWILIO_DIR")
	if dir == "" {
		b.Skip("AUTHY_BENCH_TWILIO_DIR is not set (bench/c_callback.c twilio-dump DIR writes the webhook)")
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, "twilio."+name))
		if err != nil {
			b.Fatal(err)
		}
		return string(data)
	}
	token, url, body, sig := read("token"), read("url"), read("body"), read("sig")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := authy.VerifyTwilioSignature(token, url, body, sig); err != nil {
			b.Fatal(err)
		}
	}
}
