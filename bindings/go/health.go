package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"time"
)

// HealthReport is the outcome of Client.HealthCheck: whether the API answered (over TLS for an
// https base URL) and accepted the key, how long it took, and if not, at which stage it failed.
type HealthReport struct {
	OK      bool          // reachable, TLS verified (https), key accepted
	Code    Code          // CodeOK, or the failing stage: CodeDNS, CodeConnect, CodeTLS, CodeUnauthorized, ...
	Name    string        // the C name of Code, e.g. "AUTHY_RESULT_UNAUTHORIZED"
	Latency time.Duration // duration of the check's call, connection and handshake included
	TLS     bool          // the base URL is https
	Message string        // one sentence describing the outcome (never the API key)
	AppName string        // the application's name when healthy, "" otherwise
}

// Err is nil for a healthy report, else an *Error carrying Code and Message (matching the
// sentinels with errors.Is, e.g. ErrUnauthorized or ErrTransport).
func (h HealthReport) Err() error {
	if h.OK {
		return nil
	}
	return &Error{Code: h.Code, Name: h.Name, Message: h.Message}
}

// HealthCheck checks the API key, connectivity, TLS and latency with one call that has no side
// effect (GET app/details), for a readiness probe. An unhealthy API is a report, not an error:
// the error is only ErrClosed, a context already done, or a nil context. The context deadline
// bounds the check like any call. Blocks (at most the client's timeout).
func (c *Client) HealthCheck(ctx context.Context) (HealthReport, error) {
	var h *C.authy_health
	err := c.do(ctx, func(cl *C.authy_client, e **C.authy_error) C.authy_result {
		return C.authy_client_health_check(cl, &h, e)
	})
	if err != nil {
		return HealthReport{}, err
	}
	defer C.authy_health_free(h)
	r := HealthReport{
		OK:      bool(C.authy_health_ok(h)),
		Code:    Code(C.authy_health_result(h)),
		Latency: time.Duration(uint64(C.authy_health_latency_us(h))) * time.Microsecond,
		TLS:     bool(C.authy_health_tls(h)),
	}
	r.Name = r.Code.String()
	if p := C.authy_health_message(h); p != nil {
		r.Message = C.GoString(p)
	}
	if p := C.authy_health_app_name(h); p != nil {
		r.AppName = C.GoString(p)
	}
	return r, nil
}
