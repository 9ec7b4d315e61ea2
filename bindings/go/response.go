package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"encoding/json"
	"time"
)

// Response is an answer of the API: HTTP status, raw JSON body and the common fields. Every
// typed result embeds one, so the raw JSON stays reachable (Body, RawJSON, Decode).
type Response struct {
	StatusCode int    // HTTP status (200 for the answers of the endpoint methods)
	Message    string // top-level "message" (or errors.message)
	body       string
	ok         bool
	authyCode  string
}

// Body is the raw body as received (JSON text).
func (r *Response) Body() string {
	if r == nil {
		return ""
	}
	return r.body
}

// RawJSON is the raw body as a json.RawMessage.
func (r *Response) RawJSON() json.RawMessage {
	if r == nil {
		return nil
	}
	return json.RawMessage(r.body)
}

// Decode unmarshals the raw body into v (encoding/json rules).
func (r *Response) Decode(v interface{}) error {
	if r == nil {
		return argError("nil response")
	}
	return json.Unmarshal([]byte(r.body), v)
}

// OK reports whether the call succeeded as the official clients define it (status 200, and a
// valid token for a verification). Always true for the endpoint methods' answers (they return
// failures as errors); useful after Client.Request.
func (r *Response) OK() bool { return r != nil && r.ok }

// AuthyCode is the Authy error_code of the answer ("" when absent).
func (r *Response) AuthyCode() string {
	if r == nil {
		return ""
	}
	return r.authyCode
}

// snapshot holds what the C accessors said about a response, copied before it is freed.
type snapshot struct {
	Response
	userID, approvalUUID, approvalStatus, verificationUUID, cellphone, qrCode string
	ignored                                                                   bool
	secondsToExpire                                                           *time.Duration
}

func optString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// takeResponse copies a C response into Go values and frees it.
func takeResponse(r *C.authy_response) *snapshot {
	defer C.authy_response_free(r)
	s := &snapshot{}
	s.StatusCode = int(C.authy_response_status(r))
	s.body = optString(C.authy_response_body(r))
	s.ok = bool(C.authy_response_ok(r))
	s.Message = optString(C.authy_response_message(r))
	s.authyCode = optString(C.authy_response_authy_code(r))
	s.userID = optString(C.authy_response_user_id(r))
	s.approvalUUID = optString(C.authy_response_approval_uuid(r))
	s.approvalStatus = optString(C.authy_response_approval_status(r))
	s.verificationUUID = optString(C.authy_response_verification_uuid(r))
	s.cellphone = optString(C.authy_response_cellphone(r))
	s.qrCode = optString(C.authy_response_qr_code(r))
	s.ignored = bool(C.authy_response_ignored(r))
	var secs C.uint64_t
	if C.authy_response_seconds_to_expire(r, &secs, nil) == C.AUTHY_RESULT_OK {
		d := time.Duration(secs) * time.Second
		if uint64(secs) > uint64(1<<63-1)/uint64(time.Second) {
			d = time.Duration(1<<63 - 1)
		}
		s.secondsToExpire = &d
	}
	return s
}

// decodeInto fills v from the snapshot's body; a body that does not fit the struct is a
// decoding error (the raw JSON stays reachable through the embedded Response).
func (s *snapshot) decodeInto(v interface{}) error {
	if err := json.Unmarshal([]byte(s.body), v); err != nil {
		return &Error{Code: CodeDecode, Name: CodeDecode.String(), HTTPStatus: s.StatusCode,
			Message: "answer does not match the expected shape: " + err.Error(), Body: s.body}
	}
	return nil
}
