package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"encoding/json"
)

// A Service's Webhooks, Rate Limits with their Buckets, and the account's Verification
// Attempts.

// Webhook sends a Service's Verify events (factor.created, challenge.approved...) to
// WebhookURL, signed with X-Twilio-Signature (check it with VerifyTwilioWebhook).
type Webhook struct {
	Response      `json:"-"`
	SID           string   `json:"sid"` // YW…
	ServiceSID    string   `json:"service_sid"`
	AccountSID    string   `json:"account_sid"`
	FriendlyName  string   `json:"friendly_name"`
	EventTypes    []string `json:"event_types"`
	Status        string   `json:"status"`  // enabled, disabled
	Version       string   `json:"version"` // v2, v1
	WebhookURL    string   `json:"webhook_url"`
	WebhookMethod string   `json:"webhook_method"`
	DateCreated   string   `json:"date_created"`
	DateUpdated   string   `json:"date_updated"`
	URL           string   `json:"url"`
}

// RateLimit is a Service Rate Limit: verifications name it in their RateLimits option (a
// JSON string such as {"end_user_ip":"203.0.113.7"}); its Buckets set the limits.
type RateLimit struct {
	Response    `json:"-"`
	SID         string `json:"sid"` // RK…
	ServiceSID  string `json:"service_sid"`
	AccountSID  string `json:"account_sid"`
	UniqueName  string `json:"unique_name"`
	Description string `json:"description"`
	DateCreated string `json:"date_created"`
	DateUpdated string `json:"date_updated"`
	URL         string `json:"url"`
}

// Bucket allows Max verifications per Interval seconds for each value of its Rate Limit; the
// next is ErrRateLimited (20429).
type Bucket struct {
	Response     `json:"-"`
	SID          string `json:"sid"` // BL…
	RateLimitSID string `json:"rate_limit_sid"`
	ServiceSID   string `json:"service_sid"`
	AccountSID   string `json:"account_sid"`
	Max          int    `json:"max"`
	Interval     int    `json:"interval"`
	DateCreated  string `json:"date_created"`
	DateUpdated  string `json:"date_updated"`
	URL          string `json:"url"`
}

// Attempt is a Verification Attempt: one message sent.
type Attempt struct {
	Response         `json:"-"`
	SID              string          `json:"sid"` // VL…
	AccountSID       string          `json:"account_sid"`
	ServiceSID       string          `json:"service_sid"`
	VerificationSID  string          `json:"verification_sid"`
	Channel          string          `json:"channel"`
	ConversionStatus string          `json:"conversion_status"` // converted, unconverted
	Price            json.RawMessage `json:"price"`
	ChannelData      json.RawMessage `json:"channel_data"`
	DateCreated      string          `json:"date_created"`
	DateUpdated      string          `json:"date_updated"`
	URL              string          `json:"url"`
}

// AttemptsSummary counts the Attempts a filter selects.
type AttemptsSummary struct {
	Response                 `json:"-"`
	TotalAttempts            int    `json:"total_attempts"`
	TotalConverted           int    `json:"total_converted"`
	TotalUnconverted         int    `json:"total_unconverted"`
	ConversionRatePercentage string `json:"conversion_rate_percentage"` // as the API writes it, e.g. "81.818181818"
	URL                      string `json:"url"`
}

// CreateWebhook creates a Webhook. eventTypes is comma-separated (factor.created,
// factor.verified, factor.deleted, challenge.approved, challenge.denied, or *); opts:
// Status (enabled, disabled), Version (v2, v1).
func (c *VerifyClient) CreateWebhook(ctx context.Context, serviceSID, friendlyName, eventTypes, webhookURL string, opts Params) (*Webhook, error) {
	return verifyCall[Webhook](c, ctx, []string{"service SID", serviceSID, "friendly name", friendlyName,
		"event types", eventTypes, "webhook URL", webhookURL}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_webhook(cl, cs[0], cs[1], cs[2], cs[3], o, res, e)
		})
}

// FetchWebhook fetches a Webhook.
func (c *VerifyClient) FetchWebhook(ctx context.Context, serviceSID, webhookSID string) (*Webhook, error) {
	return verifyCall[Webhook](c, ctx, []string{"service SID", serviceSID, "webhook SID", webhookSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_webhook(cl, cs[0], cs[1], res, e)
		})
}

// UpdateWebhook changes a Webhook: FriendlyName, EventTypes (comma-separated), WebhookUrl,
// Status, Version.
func (c *VerifyClient) UpdateWebhook(ctx context.Context, serviceSID, webhookSID string, opts Params) (*Webhook, error) {
	return verifyCall[Webhook](c, ctx, []string{"service SID", serviceSID, "webhook SID", webhookSID}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_update_webhook(cl, cs[0], cs[1], o, res, e)
		})
}

// DeleteWebhook deletes a Webhook.
func (c *VerifyClient) DeleteWebhook(ctx context.Context, serviceSID, webhookSID string) error {
	_, err := c.verifyDo(ctx, []string{"service SID", serviceSID, "webhook SID", webhookSID}, nil, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_delete_webhook(cl, cs[0], cs[1], res, e)
		})
	return err
}

// Webhooks lists a Service's Webhooks (pageSize as Entities).
func (c *VerifyClient) Webhooks(serviceSID string, pageSize int) *WebhookIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_webhooks(cl, cs[0], size, out, e)
		})
	return &WebhookIterator{newPager[Webhook]("webhooks", h, err)}
}

// WebhookIterator walks a list of Webhooks (Next, Err, Close as ServiceIterator's).
type WebhookIterator struct{ pager[Webhook, *Webhook] }

// Webhook is the current Webhook.
func (it *WebhookIterator) Webhook() *Webhook { return it.cur }

// CreateRateLimit creates a Rate Limit named uniqueName (1–64 of A-Za-z0-9_-.; a taken name
// is API code 60208). opts: Description.
func (c *VerifyClient) CreateRateLimit(ctx context.Context, serviceSID, uniqueName string, opts Params) (*RateLimit, error) {
	return verifyCall[RateLimit](c, ctx, []string{"service SID", serviceSID, "unique name", uniqueName}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_rate_limit(cl, cs[0], cs[1], o, res, e)
		})
}

// FetchRateLimit fetches a Rate Limit.
func (c *VerifyClient) FetchRateLimit(ctx context.Context, serviceSID, rateLimitSID string) (*RateLimit, error) {
	return verifyCall[RateLimit](c, ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_rate_limit(cl, cs[0], cs[1], res, e)
		})
}

// UpdateRateLimit changes a Rate Limit's Description.
func (c *VerifyClient) UpdateRateLimit(ctx context.Context, serviceSID, rateLimitSID string, opts Params) (*RateLimit, error) {
	return verifyCall[RateLimit](c, ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_update_rate_limit(cl, cs[0], cs[1], o, res, e)
		})
}

// DeleteRateLimit deletes a Rate Limit and its Buckets.
func (c *VerifyClient) DeleteRateLimit(ctx context.Context, serviceSID, rateLimitSID string) error {
	_, err := c.verifyDo(ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID}, nil, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_delete_rate_limit(cl, cs[0], cs[1], res, e)
		})
	return err
}

// RateLimits lists a Service's Rate Limits (pageSize as Entities).
func (c *VerifyClient) RateLimits(serviceSID string, pageSize int) *RateLimitIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_rate_limits(cl, cs[0], size, out, e)
		})
	return &RateLimitIterator{newPager[RateLimit]("rate_limits", h, err)}
}

// RateLimitIterator walks a list of Rate Limits (Next, Err, Close as ServiceIterator's).
type RateLimitIterator struct{ pager[RateLimit, *RateLimit] }

// RateLimit is the current Rate Limit.
func (it *RateLimitIterator) RateLimit() *RateLimit { return it.cur }

// CreateBucket adds a Bucket to a Rate Limit: at most max verifications per interval for each
// value (one bucket per interval: 60211).
func (c *VerifyClient) CreateBucket(ctx context.Context, serviceSID, rateLimitSID string, max, intervalSeconds uint32) (*Bucket, error) {
	return verifyCall[Bucket](c, ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_create_bucket(cl, cs[0], cs[1], C.uint32_t(max), C.uint32_t(intervalSeconds), res, e)
		})
}

// FetchBucket fetches a Bucket.
func (c *VerifyClient) FetchBucket(ctx context.Context, serviceSID, rateLimitSID, bucketSID string) (*Bucket, error) {
	return verifyCall[Bucket](c, ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID, "bucket SID", bucketSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_bucket(cl, cs[0], cs[1], cs[2], res, e)
		})
}

// UpdateBucket changes a Bucket's Max and/or Interval (seconds).
func (c *VerifyClient) UpdateBucket(ctx context.Context, serviceSID, rateLimitSID, bucketSID string, opts Params) (*Bucket, error) {
	return verifyCall[Bucket](c, ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID, "bucket SID", bucketSID}, opts,
		func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_update_bucket(cl, cs[0], cs[1], cs[2], o, res, e)
		})
}

// DeleteBucket deletes a Bucket.
func (c *VerifyClient) DeleteBucket(ctx context.Context, serviceSID, rateLimitSID, bucketSID string) error {
	_, err := c.verifyDo(ctx, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID, "bucket SID", bucketSID}, nil, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_delete_bucket(cl, cs[0], cs[1], cs[2], res, e)
		})
	return err
}

// Buckets lists a Rate Limit's Buckets (pageSize as Entities).
func (c *VerifyClient) Buckets(serviceSID, rateLimitSID string, pageSize int) *BucketIterator {
	h, err := c.startPages(pageSize, []string{"service SID", serviceSID, "rate limit SID", rateLimitSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_buckets(cl, cs[0], cs[1], size, out, e)
		})
	return &BucketIterator{newPager[Bucket]("buckets", h, err)}
}

// BucketIterator walks a list of Buckets (Next, Err, Close as ServiceIterator's).
type BucketIterator struct{ pager[Bucket, *Bucket] }

// Bucket is the current Bucket.
func (it *BucketIterator) Bucket() *Bucket { return it.cur }

// Attempts lists the account's Verification Attempts (one per message sent). filters:
// DateCreatedAfter, DateCreatedBefore, ChannelData.To, Country, Channel, VerifyServiceSid,
// VerificationSid, Status.
func (c *VerifyClient) Attempts(filters Params, pageSize int) *AttemptIterator {
	h, err := c.startPages(pageSize, nil, filters,
		func(_ []*C.char, cl *C.authy_verify_client, f *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_list_attempts(cl, f, size, out, e)
		})
	return &AttemptIterator{newPager[Attempt]("attempts", h, err)}
}

// AttemptIterator walks a list of Attempts (Next, Err, Close as ServiceIterator's).
type AttemptIterator struct{ pager[Attempt, *Attempt] }

// Attempt is the current Attempt.
func (it *AttemptIterator) Attempt() *Attempt { return it.cur }

// FetchAttempt fetches a Verification Attempt.
func (c *VerifyClient) FetchAttempt(ctx context.Context, attemptSID string) (*Attempt, error) {
	return verifyCall[Attempt](c, ctx, []string{"attempt SID", attemptSID}, nil,
		func(cs []*C.char, cl *C.authy_verify_client, _ *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_fetch_attempt(cl, cs[0], res, e)
		})
}

// AttemptsSummary counts the Attempts the filters select (those of Attempts, and
// DestinationPrefix).
func (c *VerifyClient) AttemptsSummary(ctx context.Context, filters Params) (*AttemptsSummary, error) {
	return verifyCall[AttemptsSummary](c, ctx, nil, filters,
		func(_ []*C.char, cl *C.authy_verify_client, f *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
			return C.authy_verify_client_attempts_summary(cl, f, res, e)
		})
}
