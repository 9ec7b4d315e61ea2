package authy

import (
	"encoding/json"
	"strconv"
	"time"
)

// flexString accepts a JSON string, number or boolean as text (the API sends some ids as
// numbers, some as strings); null is "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	*f = flexString(b)
	return nil
}

// flexBool accepts true/false as JSON booleans or strings ("success":"true"); null is false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", `"true"`:
		*f = true
	default:
		*f = false
	}
	return nil
}

// flexInt accepts a JSON number or a string holding one; anything else is 0.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		*f = 0
		return nil
	}
	*f = flexInt(n)
	return nil
}

// User is the answer of RegisterUser.
type User struct {
	Response
	ID string // the user's Authy id (decimal text)
}

// TokenVerification is the answer of VerifyToken for a valid token.
type TokenVerification struct {
	Response
	valid bool
}

// Valid reports whether the token was valid. VerifyToken returns a non-nil *TokenVerification
// only for a valid token, and Valid is nil-safe, so code written for dcu/go-authy
// (`if verification.Valid()`) keeps working; prefer checking the error.
func (v *TokenVerification) Valid() bool { return v != nil && v.valid }

// TokenRequest is the answer of RequestSMS and RequestPhoneCall.
type TokenRequest struct {
	Response
	Cellphone string // masked phone number, e.g. "+1-XXX-XXX-XX67"
	// Ignored is true when the API did not send the code because the user has the Authy app
	// (set TokenRequestOptions.Force to send anyway).
	Ignored bool
}

// SMSRequest is the answer of RequestSMS (name kept from dcu/go-authy).
type SMSRequest = TokenRequest

// PhoneCallRequest is the answer of RequestPhoneCall (name kept from dcu/go-authy).
type PhoneCallRequest = TokenRequest

// EmailRequest is the answer of RequestEmail.
type EmailRequest struct {
	Response
	Email   string
	EmailID string
}

// UserStatus is the answer of UserStatus.
type UserStatus struct {
	Response
	AuthyID         string
	Confirmed       bool
	Registered      bool
	CountryCode     int
	PhoneNumber     string // masked, e.g. "XXX-XXX-4567"
	Email           string
	Devices         []string
	HasHardToken    bool
	AccountDisabled bool
}

// QRCode is the answer of RequestQRCode.
type QRCode struct {
	Response
	URL    string // the QR code image URL
	Label  string
	Issuer string
}

// RegistrationStatus is the answer of RegistrationStatus.
type RegistrationStatus struct {
	Response
	Status  string // e.g. "pending", "completed"
	AuthyID string
}

// AppDetails is the answer of AppDetails.
type AppDetails struct {
	Response
	AppID             string
	Name              string
	Plan              string
	SMSEnabled        bool
	PhoneCallsEnabled bool
	OneTouchEnabled   bool
	WhiteLabel        bool
}

// MonthStats is one month of AppStats.
type MonthStats struct {
	Month         string
	Year          int
	APICallsCount int64
	AuthsCount    int64
	CallsCount    int64
	SMSCount      int64
	UsersCount    int64
}

// AppStats is the answer of AppStats.
type AppStats struct {
	Response
	AppID      string
	TotalUsers int64
	Stats      []MonthStats
}

// PhoneVerification is the answer of StartPhoneVerification.
type PhoneVerification struct {
	Response
	UUID            string
	Carrier         string
	IsCellphone     bool
	SecondsToExpire time.Duration
}

// PhoneVerificationStart is the dcu/go-authy name of PhoneVerification.
type PhoneVerificationStart = PhoneVerification

// PhoneVerificationCheck is the answer of CheckPhoneVerification for a correct code.
type PhoneVerificationCheck struct {
	Response
}

// PhoneVerificationStatus is the answer of PhoneVerificationStatus.
type PhoneVerificationStatus struct {
	Response
	Status          string // "pending", "verified" or "expired"
	SecondsToExpire time.Duration
}

// PhoneIntelligence is the answer of PhoneInfo.
type PhoneIntelligence struct {
	Response
	Type     string // "cellphone", "landline", "voip" or "unknown"
	Provider string // "" when the API does not know it
	Ported   bool
}

// ApprovalStatus is the state of a OneTouch approval request.
type ApprovalStatus string

// The four states of an approval request.
const (
	ApprovalPending  ApprovalStatus = "pending"
	ApprovalApproved ApprovalStatus = "approved"
	ApprovalDenied   ApprovalStatus = "denied"
	ApprovalExpired  ApprovalStatus = "expired"
)

// OneTouchStatus and its constants are the dcu/go-authy names of ApprovalStatus.
type OneTouchStatus = ApprovalStatus

// dcu/go-authy names of the approval states.
const (
	OneTouchStatusPending  = ApprovalPending
	OneTouchStatusApproved = ApprovalApproved
	OneTouchStatusDenied   = ApprovalDenied
	OneTouchStatusExpired  = ApprovalExpired
)

// ApprovalRequest is a OneTouch approval request: the answer of SendApprovalRequest (UUID and
// Status pending) and of ApprovalRequestStatus / WaitForApprovalRequest (every field).
type ApprovalRequest struct {
	Response
	UUID            string
	Status          ApprovalStatus
	AuthyID         string
	SecondsToExpire time.Duration // 0 when it never expires
	CreatedAt       time.Time     // zero when unknown
	ProcessedAt     time.Time     // zero while pending
	Notified        bool
}

// Verdict is the outcome of VerifyTokenFailOpen.
type Verdict uint32

// The verdicts; the zero value denies.
const (
	VerdictInvalid                Verdict = 0 // refuse the login
	VerdictValid                  Verdict = 1 // the API said the token is valid
	VerdictAcceptedAPIUnreachable Verdict = 2 // accepted by the policy: NOT a valid token; log it
)

// Allowed reports whether the login may proceed (valid, or accepted by the fail-open policy).
func (v Verdict) Allowed() bool {
	return v == VerdictValid || v == VerdictAcceptedAPIUnreachable
}

func (v Verdict) String() string {
	switch v {
	case VerdictValid:
		return "valid"
	case VerdictAcceptedAPIUnreachable:
		return "accepted (API unreachable)"
	default:
		return "invalid"
	}
}

// FailOpenPolicy selects the failures VerifyTokenFailOpen turns into an accepted login.
type FailOpenPolicy uint32

// Policy flags; combine with |.
const (
	FailOpenNever          FailOpenPolicy = 0
	FailOpenTransportError FailOpenPolicy = 1 // connect, DNS, timeout, I/O (never TLS)
	FailOpenServerError    FailOpenPolicy = 2 // a 5xx that is not an Authy error
	FailOpenRateLimit      FailOpenPolicy = 4 // 429 / 60003: risky, an attacker can provoke it
	FailOpenDefault        FailOpenPolicy = FailOpenTransportError | FailOpenServerError
)

// ActivityType is the type of RegisterActivity.
type ActivityType string

// The activity types of the API.
const (
	ActivityPasswordReset ActivityType = "password_reset"
	ActivityBanned        ActivityType = "banned"
	ActivityUnbanned      ActivityType = "unbanned"
	ActivityCookieLogin   ActivityType = "cookie_login"
)

// Via is how StartPhoneVerification sends its code.
type Via string

// The channels of StartPhoneVerification ("" is the API's default, SMS).
const (
	ViaSMS  Via = "sms"
	ViaCall Via = "call"
)

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
