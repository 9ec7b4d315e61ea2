package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"encoding/json"
)

// Verify TOTP and Push: Entities (your users), their Factors (an authenticator app's TOTP
// secret, or a device's push key) and Challenges (one login on a factor).

// Factor types.
const (
	FactorTOTP = "totp"
	FactorPush = "push"
)

// Entity is a user of yours in a Service, named by an opaque Identity of yours (a UUID; never
// personal data).
type Entity struct {
	Response    `json:"-"`
	SID         string `json:"sid"` // YE…
	Identity    string `json:"identity"`
	AccountSID  string `json:"account_sid"`
	ServiceSID  string `json:"service_sid"`
	DateCreated string `json:"date_created"`
	DateUpdated string `json:"date_updated"`
	URL         string `json:"url"`
}

// Factor is an Entity's TOTP or push factor. Status is "unverified" until VerifyFactor
// accepts a first code, then "verified".
type Factor struct {
	Response     `json:"-"`
	SID          string `json:"sid"` // YF…
	AccountSID   string `json:"account_sid"`
	ServiceSID   string `json:"service_sid"`
	EntitySID    string `json:"entity_sid"`
	Identity     string `json:"identity"`
	FriendlyName string `json:"friendly_name"`
	Status       string `json:"status"`      // unverified, verified
	FactorType   string `json:"factor_type"` // totp, push
	// Binding is in CreateFactor's answer only (never in a fetch or a list): a TOTP factor's
	// Base32 Secret and otpauth:// URI (for the QR code), a push factor's key.
	Binding     *FactorBinding  `json:"binding"`
	Config      FactorConfig    `json:"config"`
	Metadata    json.RawMessage `json:"metadata"`
	DateCreated string          `json:"date_created"`
	DateUpdated string          `json:"date_updated"`
	URL         string          `json:"url"`
}

// FactorBinding is the secret part of a new factor, returned once.
type FactorBinding struct {
	Secret    string `json:"secret"`     // TOTP: the Base32 secret
	URI       string `json:"uri"`        // TOTP: otpauth://totp/{issuer}:{name}?secret=…
	Alg       string `json:"alg"`        // push: ES256
	PublicKey string `json:"public_key"` // push: the device's key (Base64 DER)
}

// FactorConfig is a factor's configuration: the TOTP parameters, or the push device's.
type FactorConfig struct {
	Alg                  string `json:"alg"`       // TOTP: sha1, sha256, sha512
	TimeStep             int    `json:"time_step"` // TOTP: seconds
	CodeLength           int    `json:"code_length"`
	Skew                 int    `json:"skew"`
	SdkVersion           string `json:"sdk_version"` // push
	AppID                string `json:"app_id"`
	NotificationPlatform string `json:"notification_platform"`
	NotificationToken    string `json:"notification_token"`
	CredentialSID        string `json:"credential_sid"`
}

// Challenge is one login on a factor: Status "pending", "approved", "denied" or "expired".
type Challenge struct {
	Response        `json:"-"`
	SID             string           `json:"sid"` // YC…
	AccountSID      string           `json:"account_sid"`
	ServiceSID      string           `json:"service_sid"`
	EntitySID       string           `json:"entity_sid"`
	Identity        string           `json:"identity"`
	FactorSID       string           `json:"factor_sid"`
	FactorType      string           `json:"factor_type"`
	Status          string           `json:"status"`
	RespondedReason string           `json:"responded_reason"`
	Details         ChallengeDetails `json:"details"`
	HiddenDetails   json.RawMessage  `json:"hidden_details"`
	Metadata        json.RawMessage  `json:"metadata"`
	DateCreated     string           `json:"date_created"`
	DateUpdated     string           `json:"date_updated"`
	DateResponded   string           `json:"date_responded"` // "" while pending
	ExpirationDate  string           `json:"expiration_date"`
	URL             string           `json:"url"`
}

// ChallengeDetails is what the device shows for a push challenge.
type ChallengeDetails struct {
	Message string           `json:"message"`
	Fields  []ChallengeField `json:"fields"`
	Date    string           `json:"date"`
}

// ChallengeField is one label/value line of a push challenge's details.
type ChallengeField struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// CreateEntity creates an Entity (creating an existing identity answers it again).
func (c *VerifyClient) CreateEntity(ctx context.Context, serviceSID, identity string) (*Entity, error) {
	return verifyCall[Entity](c, ctx, []string{"service SID", serviceSID, "identity", identity}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_entity(cl, cs[0], cs[1], res, e)
		})
}

// FetchEntity fetches an Entity; an unknown identity is ErrNotFound (20404).
func (c *VerifyClient) FetchEntity(ctx context.Context, serviceSID, identity string) (*Entity, error) {
	return verifyCall[Entity](c, ctx, []string{"service SID", serviceSID, "identity", identity}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_entity(cl, cs[0], cs[1], res, e)
		})
}

// DeleteEntity deletes an Entity with its factors and challenges.
func (c *VerifyClient) DeleteEntity(ctx context.Context, serviceSID, identity string) error {
	_, err := c.verifyDo(ctx, []string{"service SID", serviceSID, "identity", identity}, nil, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_delete_entity(cl, cs[0], cs[1], res, e)
		})
	return err
}

// Entities lists a Service's Entities, pageSize records per request (0: the API's default).
// Nothing is sent before the first Next; Close the iterator when stopping early.
func (c *VerifyClient) Entities(serviceSID string, pageSize int) *EntityIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_entities(cl, cs[0], size, out, e)
		})
	return &EntityIterator{newPager[Entity]("entities", h, err)}
}

// EntityIterator walks a list of Entities (Next, Err, Close as ServiceIterator's).
type EntityIterator struct{ pager[Entity, *Entity] }

// Entity is the current Entity.
func (it *EntityIterator) Entity() *Entity { return it.cur }

// CreateFactor creates a Factor of type FactorTOTP or FactorPush for the identity (the Entity
// is created if needed). A TOTP factor's answer carries Binding (Secret, URI) this once; the
// factor stays "unverified" until VerifyFactor. opts: TOTP Config.Alg, Config.TimeStep,
// Config.CodeLength, Config.Skew, Binding.Secret (Base32: move an existing secret over, e.g.
// an Authy user's); push Binding.Alg, Binding.PublicKey, Config.AppId,
// Config.NotificationPlatform, Config.NotificationToken, Config.SdkVersion; Metadata (JSON).
func (c *VerifyClient) CreateFactor(ctx context.Context, serviceSID, identity, friendlyName, factorType string, opts Params) (*Factor, error) {
	return verifyCall[Factor](c, ctx, []string{"service SID", serviceSID, "identity", identity,
		"friendly name", friendlyName, "factor type", factorType}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_factor(cl, cs[0], cs[1], cs[2], cs[3], o, res, e)
		})
}

// VerifyFactor verifies a new Factor with its first code (TOTP: the code the app shows; push:
// the device's signature). The factor is verified only when err is nil. A wrong code returns
// the answer (Status "unverified") together with an error matching ErrTokenInvalid; too many
// wrong codes are ErrRateLimited (60310).
func (c *VerifyClient) VerifyFactor(ctx context.Context, serviceSID, identity, factorSID, code string) (*Factor, error) {
	return verifyCall[Factor](c, ctx, []string{"service SID", serviceSID, "identity", identity,
		"factor SID", factorSID, "code", code}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_verify_factor(cl, cs[0], cs[1], cs[2], cs[3], res, e)
		})
}

// UpdateFactor changes a Factor's FriendlyName or the Config.* of its type. An AuthPayload is
// refused (ErrInvalidArgument): verify with VerifyFactor.
func (c *VerifyClient) UpdateFactor(ctx context.Context, serviceSID, identity, factorSID string, opts Params) (*Factor, error) {
	return verifyCall[Factor](c, ctx, []string{"service SID", serviceSID, "identity", identity, "factor SID", factorSID}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_update_factor(cl, cs[0], cs[1], cs[2], o, res, e)
		})
}

// FetchFactor fetches a Factor (never its Binding).
func (c *VerifyClient) FetchFactor(ctx context.Context, serviceSID, identity, factorSID string) (*Factor, error) {
	return verifyCall[Factor](c, ctx, []string{"service SID", serviceSID, "identity", identity, "factor SID", factorSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_factor(cl, cs[0], cs[1], cs[2], res, e)
		})
}

// DeleteFactor deletes a Factor and its challenges.
func (c *VerifyClient) DeleteFactor(ctx context.Context, serviceSID, identity, factorSID string) error {
	_, err := c.verifyDo(ctx, []string{"service SID", serviceSID, "identity", identity, "factor SID", factorSID}, nil, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_delete_factor(cl, cs[0], cs[1], cs[2], res, e)
		})
	return err
}

// Factors lists an Entity's Factors (pageSize as Entities).
func (c *VerifyClient) Factors(serviceSID, identity string, pageSize int) *FactorIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID, "identity", identity}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_factors(cl, cs[0], cs[1], size, out, e)
		})
	return &FactorIterator{newPager[Factor]("factors", h, err)}
}

// FactorIterator walks a list of Factors (Next, Err, Close as ServiceIterator's).
type FactorIterator struct{ pager[Factor, *Factor] }

// Factor is the current Factor.
func (it *FactorIterator) Factor() *Factor { return it.cur }

// CreateChallenge creates a Challenge on a verified factor of the identity. opts:
// AuthPayload (a TOTP code: then it is a code check, approved only when err is nil; a wrong
// code returns the "pending" challenge with an error matching ErrTokenInvalid),
// Details.Message (required for push), Details.Fields (a JSON array of {"label","value"}
// objects), HiddenDetails (a JSON object), ExpirationDate (YYYY-MM-DDTHH:MM:SSZ). A push
// challenge is answered by the device: poll FetchChallenge or wait for the
// challenge.approved webhook. An unverified factor is API code 60318.
func (c *VerifyClient) CreateChallenge(ctx context.Context, serviceSID, identity, factorSID string, opts Params) (*Challenge, error) {
	return verifyCall[Challenge](c, ctx, []string{"service SID", serviceSID, "identity", identity, "factor SID", factorSID}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_challenge(cl, cs[0], cs[1], cs[2], o, res, e)
		})
}

// FetchChallenge fetches a Challenge, whatever its Status.
func (c *VerifyClient) FetchChallenge(ctx context.Context, serviceSID, identity, challengeSID string) (*Challenge, error) {
	return verifyCall[Challenge](c, ctx, []string{"service SID", serviceSID, "identity", identity, "challenge SID", challengeSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_challenge(cl, cs[0], cs[1], cs[2], res, e)
		})
}

// UpdateChallenge answers a pending TOTP Challenge with the code the user typed; approved
// only when err is nil. A wrong code returns the "pending" challenge with an error matching
// ErrTokenInvalid; an answered challenge is API code 60322, an expired one 60323, too many
// wrong codes ErrRateLimited (60308). opts: Metadata (JSON).
func (c *VerifyClient) UpdateChallenge(ctx context.Context, serviceSID, identity, challengeSID, code string, opts Params) (*Challenge, error) {
	return verifyCall[Challenge](c, ctx, []string{"service SID", serviceSID, "identity", identity,
		"challenge SID", challengeSID, "code", code}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_update_challenge(cl, cs[0], cs[1], cs[2], cs[3], o, res, e)
		})
}

// Challenges lists an Entity's Challenges, newest first. filters: FactorSid, Status, Order
// (asc, desc).
func (c *VerifyClient) Challenges(serviceSID, identity string, filters Params, pageSize int) *ChallengeIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID, "identity", identity}, filters,
		func(cs []*C.char, cl *C.authy_verify_client, f *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_challenges(cl, cs[0], cs[1], f, size, out, e)
		})
	return &ChallengeIterator{newPager[Challenge]("challenges", h, err)}
}

// ChallengeIterator walks a list of Challenges (Next, Err, Close as ServiceIterator's).
type ChallengeIterator struct{ pager[Challenge, *Challenge] }

// Challenge is the current Challenge.
func (it *ChallengeIterator) Challenge() *Challenge { return it.cur }
