package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// MaxTwilioWebhookBody is the largest webhook body the library checks (1 MiB).
const MaxTwilioWebhookBody = 1 << 20

// VerifyTwilioSignature checks an X-Twilio-Signature (HMAC-SHA1 of the URL and the sorted form
// parameters, or the bodySHA256 variant for a JSON body) with the account's Auth Token,
// offline and in constant time (authy_twilio_signature_verify). url is the full URL Twilio
// requested, query string included; body the raw body ("" for a GET). nil means authentic;
// anything else (ErrSignatureInvalid, ErrInvalidArgument) means: reject.
func VerifyTwilioSignature(authToken, url, body, signature string) error {
	var s cstrings
	defer s.free()
	cs, err := s.all("Auth Token", authToken, "URL", url, "body", body, "signature", signature)
	if err != nil {
		return err
	}
	var e *C.authy_error
	if rc := C.authy_twilio_signature_verify(cs[0], cs[1], cs[2], cs[3], &e); rc != C.AUTHY_RESULT_OK {
		return twilioError(takeError(rc, e))
	}
	return nil
}

// VerifyTwilioRequest checks the X-Twilio-Signature of a webhook request; its body stays
// readable afterwards. publicURL is the webhook's URL as configured in Twilio, without the
// query string (behind a proxy: the public one, scheme included); "" rebuilds it from the
// request (scheme from r.TLS, r.Host, path). The request's query string is appended.
func VerifyTwilioRequest(r *http.Request, authToken, publicURL string) error {
	if r == nil {
		return argError("nil request")
	}
	url := publicURL
	if url == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		url = scheme + "://" + r.Host + r.URL.EscapedPath()
	}
	if r.URL != nil && r.URL.RawQuery != "" && !strings.Contains(url, "?") {
		url += "?" + r.URL.RawQuery
	}
	var body string
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, MaxTwilioWebhookBody+1))
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
		if err != nil || len(b) > MaxTwilioWebhookBody {
			return &Error{Code: CodeSignatureInvalid, Name: CodeSignatureInvalid.String(),
				Message: "webhook body unreadable or over 1 MiB", twilio: true}
		}
		body = string(b)
	}
	return VerifyTwilioSignature(authToken, url, body, r.Header.Get("X-Twilio-Signature"))
}

// TwilioWebhookMiddleware passes to next only the requests whose X-Twilio-Signature verifies
// (VerifyTwilioRequest); others get 403 Forbidden, without a reason.
func TwilioWebhookMiddleware(next http.Handler, authToken, publicURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := VerifyTwilioRequest(r, authToken, publicURL); err != nil {
			http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
