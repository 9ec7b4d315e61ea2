package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// IsRead reports whether a request (method in upper case, path below the base URL without a
// query string) is a read of the API: a call without a side effect, which the library may
// send again after any failure when retries are on. Everything else, including any path
// outside the library's endpoint table, is treated as having a side effect. The rule is the
// C library's (authy_endpoint_is_read), so Client.Request is classified the same way.
func IsRead(method, path string) bool {
	var s cstrings
	defer s.free()
	cs, err := s.all("method", method, "path", path)
	if err != nil {
		return false // a NUL byte: no endpoint of the table
	}
	return bool(C.authy_endpoint_is_read(cs[0], cs[1]))
}

type callFn func(cl *C.authy_client, opts *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result

// endpoint runs one endpoint call: builds the options, calls, copies the answer and, when
// into is not nil, decodes its body into it.
func (c *Client) endpoint(ctx context.Context, s *cstrings, p params, into interface{}, fn callFn) (*snapshot, error) {
	opts, err := p.build(s)
	if err != nil {
		return nil, err
	}
	defer C.authy_params_free(opts)
	var out *C.authy_response
	if err := c.do(ctx, func(cl *C.authy_client, e **C.authy_error) C.authy_result {
		return fn(cl, opts, &out, e)
	}); err != nil {
		return nil, err
	}
	r := takeResponse(out)
	if into != nil {
		if err := r.decodeInto(into); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Bool returns a pointer to b, for the *bool fields of the options.
func Bool(b bool) *bool { return &b }

func boolText(b bool) string { return strconv.FormatBool(b) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RegisterUserOptions are the optional arguments of RegisterUser.
type RegisterUserOptions struct {
	// SendInstallLinkViaSMS: whether the API texts the user a link to the Authy app (nil: the
	// API's default, true).
	SendInstallLinkViaSMS *bool
}

// RegisterUser registers a user (POST /protected/json/users/new). countryCode is the calling
// code (1 for the US); the call is idempotent on (countryCode, cellphone). The field errors of
// a refused user are in the *Error's Body (ErrInvalidParameters, Authy 60027).
func (c *Client) RegisterUser(ctx context.Context, email string, countryCode int, cellphone string, opts *RegisterUserOptions) (*User, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("email", email, "cellphone", cellphone)
	if err != nil {
		return nil, err
	}
	em, ph := a[0], a[1]
	var p params
	p.add("country_code", strconv.Itoa(countryCode))
	if opts != nil && opts.SendInstallLinkViaSMS != nil {
		p.add("send_install_link_via_sms", boolText(*opts.SendInstallLinkViaSMS))
	}
	r, err := c.endpoint(ctx, &s, p, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_create_user(cl, em, ph, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &User{Response: r.Response, ID: r.userID}, nil
}

// TokenRequestOptions are the optional arguments of RequestSMS and RequestPhoneCall.
type TokenRequestOptions struct {
	Force         bool   // send even when the user has the Authy app
	Action        string // a code valid only for this action
	ActionMessage string // the text of the action (any text the API takes)
	Locale        string // RequestSMS only, e.g. "en", "pt-BR"
}

func (o *TokenRequestOptions) params() params {
	var p params
	if o == nil {
		return p
	}
	if o.Force {
		p.add("force", "true")
	}
	if o.Action != "" {
		p.add("action", o.Action)
	}
	if o.ActionMessage != "" {
		p.add("action_message", o.ActionMessage)
	}
	if o.Locale != "" {
		p.add("locale", o.Locale)
	}
	return p
}

func (c *Client) tokenRequest(ctx context.Context, authyID string, opts *TokenRequestOptions, call bool) (*TokenRequest, error) {
	var s cstrings
	defer s.free()
	id, err := s.str("authy id", authyID)
	if err != nil {
		return nil, err
	}
	r, err := c.endpoint(ctx, &s, opts.params(), nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		if call {
			return C.authy_client_request_call(cl, id, o, out, e)
		}
		return C.authy_client_request_sms(cl, id, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &TokenRequest{Response: r.Response, Cellphone: r.cellphone, Ignored: r.ignored}, nil
}

// RequestSMS sends a token by SMS (GET /protected/json/sms/{id}). When the user has the Authy
// app the API may not send it: Ignored is then true (set Force to send anyway).
func (c *Client) RequestSMS(ctx context.Context, authyID string, opts *TokenRequestOptions) (*SMSRequest, error) {
	return c.tokenRequest(ctx, authyID, opts, false)
}

// RequestPhoneCall starts a voice call that reads a token to the user (GET
// /protected/json/call/{id}).
func (c *Client) RequestPhoneCall(ctx context.Context, authyID string, opts *TokenRequestOptions) (*PhoneCallRequest, error) {
	return c.tokenRequest(ctx, authyID, opts, true)
}

// VerifyOptions are the optional arguments of VerifyToken and VerifyTokenFailOpen.
type VerifyOptions struct {
	// Force (nil: the library's default, true) verifies even for users who have not finished
	// registration; with false the API accepts any well-formed token for them.
	Force  *bool
	Action string // the custom action the code was issued for
}

func (o *VerifyOptions) params() params {
	var p params
	if o == nil {
		return p
	}
	if o.Force != nil {
		p.add("force", boolText(*o.Force))
	}
	if o.Action != "" {
		p.add("action", o.Action)
	}
	return p
}

// VerifyToken verifies a token the user typed (GET /protected/json/verify/{token}/{id}). The
// token is valid only when err is nil; a wrong token is ErrTokenInvalid (Authy 60020, or 60019
// for a reused one), a revoked key ErrUnauthorized. The token must be 6–12 digits (checked
// before any I/O: ErrInvalidArgument, with the API's own code 60020 "Token is invalid").
func (c *Client) VerifyToken(ctx context.Context, authyID, token string, opts *VerifyOptions) (*TokenVerification, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("authy id", authyID, "token", token)
	if err != nil {
		return nil, err
	}
	id, tok := a[0], a[1]
	r, err := c.endpoint(ctx, &s, opts.params(), nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_verify_token(cl, id, tok, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &TokenVerification{Response: r.Response, valid: true}, nil
}

// VerifyTokenFailOpen verifies a token with an explicit fail-open policy: when the API cannot
// be reached (or fails in a way the policy accepts) the verdict is
// VerdictAcceptedAPIUnreachable and err is nil. Log every such verdict: it is not a valid
// token. A non-nil error always comes with VerdictInvalid (deny). VerifyToken never fails
// open. A context deadline shorter than the client's timeout makes a slow API a timeout, which
// FailOpenTransportError accepts.
func (c *Client) VerifyTokenFailOpen(ctx context.Context, authyID, token string, policy FailOpenPolicy, opts *VerifyOptions) (Verdict, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("authy id", authyID, "token", token)
	if err != nil {
		return VerdictInvalid, err
	}
	id, tok := a[0], a[1]
	o, err := opts.params().build(&s)
	if err != nil {
		return VerdictInvalid, err
	}
	defer C.authy_params_free(o)
	verdict := C.authy_verdict(C.AUTHY_VERDICT_INVALID)
	err = c.do(ctx, func(cl *C.authy_client, e **C.authy_error) C.authy_result {
		return C.authy_client_verify_token_fail_open(cl, id, tok, o, C.uint32_t(policy), &verdict, e)
	})
	if err != nil {
		return VerdictInvalid, err
	}
	v := Verdict(verdict)
	if !v.Allowed() { // cannot happen with AUTHY_RESULT_OK; deny whatever it is
		return VerdictInvalid, &Error{Code: CodeInternal, Name: CodeInternal.String(), Message: "unexpected verdict"}
	}
	return v, nil
}

// oneID runs an endpoint taking one string and the options.
func (c *Client) oneID(ctx context.Context, what, v string, p params, into interface{}, fn func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result) (*snapshot, error) {
	var s cstrings
	defer s.free()
	a, err := s.str(what, v)
	if err != nil {
		return nil, err
	}
	return c.endpoint(ctx, &s, p, into, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return fn(cl, a, o, out, e)
	})
}

// UserStatus reads a user's status (GET /protected/json/users/{id}/status).
func (c *Client) UserStatus(ctx context.Context, authyID string) (*UserStatus, error) {
	var body struct {
		Status struct {
			AuthyID         flexString `json:"authy_id"`
			Confirmed       flexBool   `json:"confirmed"`
			Registered      flexBool   `json:"registered"`
			CountryCode     flexInt    `json:"country_code"`
			PhoneNumber     flexString `json:"phone_number"`
			Email           flexString `json:"email"`
			Devices         []string   `json:"devices"`
			HasHardToken    flexBool   `json:"has_hard_token"`
			AccountDisabled flexBool   `json:"account_disabled"`
		} `json:"status"`
	}
	r, err := c.oneID(ctx, "authy id", authyID, nil, &body, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_user_status(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	st := body.Status
	id := r.userID
	if id == "" {
		id = string(st.AuthyID)
	}
	return &UserStatus{Response: r.Response, AuthyID: id, Confirmed: bool(st.Confirmed),
		Registered: bool(st.Registered), CountryCode: int(st.CountryCode),
		PhoneNumber: string(st.PhoneNumber), Email: string(st.Email), Devices: st.Devices,
		HasHardToken: bool(st.HasHardToken), AccountDisabled: bool(st.AccountDisabled)}, nil
}

// DeleteUser removes a user from the application (POST /protected/json/users/{id}/remove).
func (c *Client) DeleteUser(ctx context.Context, authyID string) (*Response, error) {
	r, err := c.oneID(ctx, "authy id", authyID, nil, nil, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_delete_user(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &r.Response, nil
}

// UpdateUserEmail changes a user's e-mail address (POST /protected/json/users/{id}/update).
func (c *Client) UpdateUserEmail(ctx context.Context, authyID, email string) (*Response, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("authy id", authyID, "email", email)
	if err != nil {
		return nil, err
	}
	id, em := a[0], a[1]
	r, err := c.endpoint(ctx, &s, nil, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_update_user_email(cl, id, em, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &r.Response, nil
}

// RequestEmail sends a token to the user by e-mail (POST /protected/json/email/{id}).
func (c *Client) RequestEmail(ctx context.Context, authyID string) (*EmailRequest, error) {
	var body struct {
		Email   flexString `json:"email"`
		EmailID flexString `json:"email_id"`
	}
	r, err := c.oneID(ctx, "authy id", authyID, nil, &body, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_request_email(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &EmailRequest{Response: r.Response, Email: string(body.Email), EmailID: string(body.EmailID)}, nil
}

// ActivityOptions are the optional arguments of RegisterActivity.
type ActivityOptions struct {
	UserIP string            // the end user's IP address
	Data   map[string]string // extra data (keys non-empty, without '[' or ']')
}

// RegisterActivity records a user activity (POST /protected/json/users/{id}/register_activity).
func (c *Client) RegisterActivity(ctx context.Context, authyID string, activity ActivityType, opts *ActivityOptions) (*Response, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("authy id", authyID, "activity type", string(activity))
	if err != nil {
		return nil, err
	}
	id, typ := a[0], a[1]
	var p params
	if opts != nil {
		if opts.UserIP != "" {
			p.add("user_ip", opts.UserIP)
		}
		for _, k := range sortedKeys(opts.Data) {
			p.add("data["+k+"]", opts.Data[k])
		}
	}
	r, err := c.endpoint(ctx, &s, p, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_register_activity(cl, id, typ, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &r.Response, nil
}

// QRCodeOptions are the optional arguments of RequestQRCode.
type QRCodeOptions struct {
	Size  int    // pixels, 10–1000 (0: the API's default)
	Label string // the label shown by the authenticator app
}

// RequestQRCode generates a QR code for third-party authenticator apps (POST
// /protected/json/users/{id}/secret).
func (c *Client) RequestQRCode(ctx context.Context, authyID string, opts *QRCodeOptions) (*QRCode, error) {
	var p params
	if opts != nil {
		if opts.Size != 0 {
			p.add("qr_size", strconv.Itoa(opts.Size))
		}
		if opts.Label != "" {
			p.add("label", opts.Label)
		}
	}
	var body struct {
		Label  flexString `json:"label"`
		Issuer flexString `json:"issuer"`
	}
	r, err := c.oneID(ctx, "authy id", authyID, p, &body, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_generate_qr_code(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &QRCode{Response: r.Response, URL: r.qrCode, Label: string(body.Label), Issuer: string(body.Issuer)}, nil
}

// RegistrationStatus reads the no-PII registration status of a user identified by your own
// id (GET /protected/json/registrations/status).
func (c *Client) RegistrationStatus(ctx context.Context, customUserID string) (*RegistrationStatus, error) {
	var body struct {
		Registration struct {
			Status  flexString `json:"status"`
			AuthyID flexString `json:"authy_id"`
		} `json:"registration"`
	}
	r, err := c.oneID(ctx, "custom user id", customUserID, nil, &body, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_registration_status(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &RegistrationStatus{Response: r.Response, Status: string(body.Registration.Status),
		AuthyID: string(body.Registration.AuthyID)}, nil
}

// AppDetails reads the details of the application the key belongs to (GET
// /protected/json/app/details).
func (c *Client) AppDetails(ctx context.Context) (*AppDetails, error) {
	var s cstrings
	defer s.free()
	var body struct {
		App struct {
			AppID             flexString `json:"app_id"`
			Name              flexString `json:"name"`
			Plan              flexString `json:"plan"`
			SMSEnabled        flexBool   `json:"sms_enabled"`
			PhoneCallsEnabled flexBool   `json:"phone_calls_enabled"`
			OneTouchEnabled   flexBool   `json:"onetouch_enabled"`
			WhiteLabel        flexBool   `json:"white_label"`
		} `json:"app"`
	}
	r, err := c.endpoint(ctx, &s, nil, &body, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_app_details(cl, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	a := body.App
	return &AppDetails{Response: r.Response, AppID: string(a.AppID), Name: string(a.Name),
		Plan: string(a.Plan), SMSEnabled: bool(a.SMSEnabled), PhoneCallsEnabled: bool(a.PhoneCallsEnabled),
		OneTouchEnabled: bool(a.OneTouchEnabled), WhiteLabel: bool(a.WhiteLabel)}, nil
}

// AppStats reads the monthly statistics of the application (GET /protected/json/app/stats).
func (c *Client) AppStats(ctx context.Context) (*AppStats, error) {
	var s cstrings
	defer s.free()
	var body struct {
		AppID      flexString `json:"app_id"`
		TotalUsers flexInt    `json:"total_users"`
		Stats      []struct {
			Month         flexString `json:"month"`
			Year          flexInt    `json:"year"`
			APICallsCount flexInt    `json:"api_calls_count"`
			AuthsCount    flexInt    `json:"auths_count"`
			CallsCount    flexInt    `json:"calls_count"`
			SMSCount      flexInt    `json:"sms_count"`
			UsersCount    flexInt    `json:"users_count"`
		} `json:"stats"`
	}
	r, err := c.endpoint(ctx, &s, nil, &body, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_app_stats(cl, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	out := &AppStats{Response: r.Response, AppID: string(body.AppID), TotalUsers: int64(body.TotalUsers)}
	for _, m := range body.Stats {
		out.Stats = append(out.Stats, MonthStats{Month: string(m.Month), Year: int(m.Year),
			APICallsCount: int64(m.APICallsCount), AuthsCount: int64(m.AuthsCount),
			CallsCount: int64(m.CallsCount), SMSCount: int64(m.SMSCount), UsersCount: int64(m.UsersCount)})
	}
	return out, nil
}

// PhoneVerificationOptions are the optional arguments of StartPhoneVerification.
type PhoneVerificationOptions struct {
	Locale        string // e.g. "es"
	CodeLength    int    // 4–10 (0: the API's default, 4)
	CustomMessage string
	CustomCode    string
}

// StartPhoneVerification sends a code by SMS or call to a phone number that need not belong
// to an Authy user (POST /protected/json/phones/verification/start). via "" is the API's
// default (SMS).
func (c *Client) StartPhoneVerification(ctx context.Context, countryCode int, phoneNumber string, via Via, opts *PhoneVerificationOptions) (*PhoneVerification, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("country code", strconv.Itoa(countryCode), "phone number", phoneNumber)
	if err != nil {
		return nil, err
	}
	cc, ph := a[0], a[1]
	var p params
	if via != "" {
		p.add("via", string(via))
	}
	if opts != nil {
		if opts.Locale != "" {
			p.add("locale", opts.Locale)
		}
		if opts.CodeLength != 0 {
			p.add("code_length", strconv.Itoa(opts.CodeLength))
		}
		if opts.CustomMessage != "" {
			p.add("custom_message", opts.CustomMessage)
		}
		if opts.CustomCode != "" {
			p.add("custom_code", opts.CustomCode)
		}
	}
	var body struct {
		Carrier     flexString `json:"carrier"`
		IsCellphone flexBool   `json:"is_cellphone"`
	}
	r, err := c.endpoint(ctx, &s, p, &body, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_start_phone_verification(cl, cc, ph, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	pv := &PhoneVerification{Response: r.Response, UUID: r.verificationUUID,
		Carrier: string(body.Carrier), IsCellphone: bool(body.IsCellphone)}
	if r.secondsToExpire != nil {
		pv.SecondsToExpire = *r.secondsToExpire
	}
	return pv, nil
}

// CheckPhoneVerification checks the code the user received (GET
// /protected/json/phones/verification/check). The code is correct only when err is nil; a
// wrong code is ErrUnauthorized (Authy 60022), no pending verification ErrNotFound (60023).
func (c *Client) CheckPhoneVerification(ctx context.Context, countryCode int, phoneNumber, code string) (*PhoneVerificationCheck, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("country code", strconv.Itoa(countryCode), "phone number", phoneNumber, "code", code)
	if err != nil {
		return nil, err
	}
	cc, ph, cd := a[0], a[1], a[2]
	r, err := c.endpoint(ctx, &s, nil, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_check_phone_verification(cl, cc, ph, cd, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &PhoneVerificationCheck{Response: r.Response}, nil
}

func (c *Client) phoneVerificationStatus(ctx context.Context, s *cstrings, uuid, cc, ph *C.char) (*PhoneVerificationStatus, error) {
	var body struct {
		Status flexString `json:"status"`
	}
	r, err := c.endpoint(ctx, s, nil, &body, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_phone_verification_status(cl, uuid, cc, ph, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	st := &PhoneVerificationStatus{Response: r.Response, Status: string(body.Status)}
	if r.secondsToExpire != nil {
		st.SecondsToExpire = *r.secondsToExpire
	}
	return st, nil
}

// PhoneVerificationStatus reads the status of a phone verification by the uuid of its start
// answer (GET /protected/json/phones/verification/status).
func (c *Client) PhoneVerificationStatus(ctx context.Context, uuid string) (*PhoneVerificationStatus, error) {
	var s cstrings
	defer s.free()
	u, err := s.str("uuid", uuid)
	if err != nil {
		return nil, err
	}
	return c.phoneVerificationStatus(ctx, &s, u, nil, nil)
}

// PhoneVerificationStatusByNumber reads the status of the phone verification of a number.
func (c *Client) PhoneVerificationStatusByNumber(ctx context.Context, countryCode int, phoneNumber string) (*PhoneVerificationStatus, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("country code", strconv.Itoa(countryCode), "phone number", phoneNumber)
	if err != nil {
		return nil, err
	}
	cc, ph := a[0], a[1]
	return c.phoneVerificationStatus(ctx, &s, nil, cc, ph)
}

// PhoneInfo reads what the API knows about a phone number: type, provider, ported (GET
// /protected/json/phones/info).
func (c *Client) PhoneInfo(ctx context.Context, countryCode int, phoneNumber string) (*PhoneIntelligence, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("country code", strconv.Itoa(countryCode), "phone number", phoneNumber)
	if err != nil {
		return nil, err
	}
	cc, ph := a[0], a[1]
	var body struct {
		Type     flexString `json:"type"`
		Provider flexString `json:"provider"`
		Ported   flexBool   `json:"ported"`
	}
	r, err := c.endpoint(ctx, &s, nil, &body, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_phone_info(cl, cc, ph, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &PhoneIntelligence{Response: r.Response, Type: string(body.Type),
		Provider: string(body.Provider), Ported: bool(body.Ported)}, nil
}

// Request sends a request to any path of the API or of the sandbox control API
// (/sandbox/...): the escape hatch. Any HTTP answer is a nil error: check Response.OK and
// StatusCode. values become the query string for GET and DELETE, a form body otherwise; keys
// are sent in sorted order, the values of a key in their order. Never put the API key in
// values.
func (c *Client) Request(ctx context.Context, method, path string, values url.Values) (*Response, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("method", method, "path", path)
	if err != nil {
		return nil, err
	}
	m, pa := a[0], a[1]
	var p params
	for _, k := range sortedValueKeys(values) {
		for _, v := range values[k] {
			p.add(k, v)
		}
	}
	r, err := c.endpoint(ctx, &s, p, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_request(cl, m, pa, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &r.Response, nil
}

func sortedValueKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// durationSeconds converts to whole seconds, rounding a positive fraction up.
func durationSeconds(d time.Duration) int64 {
	if d <= 0 {
		return int64(d / time.Second)
	}
	return int64((d + time.Second - 1) / time.Second)
}
