package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Logo is one logo of an approval request; Res is "default", "low", "med" or "high" (no
// "default" logo is required; the API judges the values).
type Logo struct {
	Res string
	URL string
}

// ApprovalRequestOptions are the optional arguments of SendApprovalRequest.
type ApprovalRequestOptions struct {
	Details       map[string]string // shown to the user (keys non-empty, without '[' or ']')
	HiddenDetails map[string]string // not shown; echoed in the callback
	Logos         []Logo
	// ExpiresIn is the request's lifetime, rounded up to whole seconds (0: the API's default,
	// 24 h). NeverExpires asks for a request that does not expire.
	ExpiresIn    time.Duration
	NeverExpires bool
}

// Details is the dcu/go-authy name of the details map of an approval request.
type Details = map[string]string

// SendApprovalRequest sends a push approval request to the user's Authy app (POST
// /onetouch/json/users/{id}/approval_requests); the answer has the UUID, Status pending.
func (c *Client) SendApprovalRequest(ctx context.Context, authyID, message string, opts *ApprovalRequestOptions) (*ApprovalRequest, error) {
	var s cstrings
	defer s.free()
	a, err := s.all("authy id", authyID, "message", message)
	if err != nil {
		return nil, err
	}
	id, msg := a[0], a[1]
	var p params
	if opts != nil {
		for _, k := range sortedKeys(opts.Details) {
			p.add("details["+k+"]", opts.Details[k])
		}
		for _, k := range sortedKeys(opts.HiddenDetails) {
			p.add("hidden_details["+k+"]", opts.HiddenDetails[k])
		}
		for _, l := range opts.Logos {
			p.add("logos[][res]", l.Res)
			p.add("logos[][url]", l.URL)
		}
		switch {
		case opts.NeverExpires && opts.ExpiresIn != 0:
			return nil, argError("ExpiresIn and NeverExpires are exclusive")
		case opts.NeverExpires:
			p.add("seconds_to_expire", "0")
		case opts.ExpiresIn != 0:
			p.add("seconds_to_expire", strconv.FormatInt(durationSeconds(opts.ExpiresIn), 10))
		}
	}
	r, err := c.endpoint(ctx, &s, p, nil, func(cl *C.authy_client, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_create_approval_request(cl, id, msg, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	return &ApprovalRequest{Response: r.Response, UUID: r.approvalUUID, Status: ApprovalPending,
		AuthyID: authyID}, nil
}

// ApprovalRequestStatus reads an approval request (GET /onetouch/json/approval_requests/{uuid});
// an unknown uuid is ErrNotFound (Authy 60049).
func (c *Client) ApprovalRequestStatus(ctx context.Context, uuid string) (*ApprovalRequest, error) {
	var body struct {
		Req struct {
			UUID        flexString `json:"uuid"`
			AuthyID     flexString `json:"_authy_id"`
			CreatedAt   flexString `json:"created_at"`
			ProcessedAt flexString `json:"processed_at"`
			Notified    flexBool   `json:"notified"`
		} `json:"approval_request"`
	}
	r, err := c.oneID(ctx, "uuid", uuid, nil, &body, func(cl *C.authy_client, a *C.char, o *C.authy_params, out **C.authy_response, e **C.authy_error) C.authy_result {
		return C.authy_client_approval_request_status(cl, a, o, out, e)
	})
	if err != nil {
		return nil, err
	}
	if r.approvalStatus == "" {
		return nil, &Error{Code: CodeDecode, Name: CodeDecode.String(), HTTPStatus: r.StatusCode,
			Message: "approval request answer without a known status", Body: r.body}
	}
	ar := &ApprovalRequest{Response: r.Response, UUID: string(body.Req.UUID),
		Status: ApprovalStatus(r.approvalStatus), AuthyID: string(body.Req.AuthyID),
		CreatedAt: parseTime(string(body.Req.CreatedAt)), ProcessedAt: parseTime(string(body.Req.ProcessedAt)),
		Notified: bool(body.Req.Notified)}
	if ar.UUID == "" {
		ar.UUID = uuid
	}
	if r.secondsToExpire != nil {
		ar.SecondsToExpire = *r.secondsToExpire
	}
	return ar, nil
}

// FindApprovalRequest is the dcu/go-authy name of ApprovalRequestStatus.
func (c *Client) FindApprovalRequest(ctx context.Context, uuid string) (*ApprovalRequest, error) {
	return c.ApprovalRequestStatus(ctx, uuid)
}

// WaitOptions are the optional arguments of WaitForApprovalRequest.
type WaitOptions struct {
	// Interval between two status requests (default 2 s; at least 10 ms).
	Interval time.Duration
	// Timeout is the time budget (default: 60 s, or the context's deadline if it has one and
	// Timeout is 0).
	Timeout time.Duration
}

// DefaultWaitTimeout is the budget of WaitForApprovalRequest without Timeout or deadline.
const DefaultWaitTimeout = 60 * time.Second

// WaitForApprovalRequest polls an approval request until the user approves or denies it, it
// expires, or the time budget runs out, and returns its last state: Status is
// ApprovalPending when the budget ran out (err nil). It polls from Go (one status request per
// Interval), so a cancelled context stops the wait at once between two requests and a
// deadline also bounds the request in flight; it then returns the last state read (or nil)
// with an error that matches the context's error (errors.Is(err, context.Canceled)).
func (c *Client) WaitForApprovalRequest(ctx context.Context, uuid string, opts *WaitOptions) (*ApprovalRequest, error) {
	interval, budget := 2*time.Second, time.Duration(0)
	if opts != nil {
		if opts.Interval != 0 {
			interval = opts.Interval
		}
		budget = opts.Timeout
	}
	if interval < 10*time.Millisecond {
		return nil, argError("wait interval must be at least 10ms, got %v", interval)
	}
	if budget < 0 {
		return nil, argError("wait timeout must not be negative, got %v", budget)
	}
	if ctx == nil {
		return nil, argError("nil context")
	}
	if budget == 0 {
		if _, ok := ctx.Deadline(); !ok {
			budget = DefaultWaitTimeout
		}
	}
	parent := ctx
	var budgetEnd time.Time
	if budget > 0 {
		var cancel context.CancelFunc
		budgetEnd = time.Now().Add(budget)
		ctx, cancel = context.WithDeadline(parent, budgetEnd)
		defer cancel()
	}
	// budgetOver: our own budget (not the caller's context) has run out. Compared with the
	// clock, since a timeout of the call in flight can come before the context's timer fires.
	budgetOver := func() bool {
		if budget <= 0 || parent.Err() != nil {
			return false
		}
		if pd, ok := parent.Deadline(); ok && !pd.After(budgetEnd) {
			return false
		}
		return ctx.Err() != nil || !time.Now().Before(budgetEnd)
	}
	var last *ApprovalRequest
	for {
		ar, err := c.ApprovalRequestStatus(ctx, uuid)
		if err != nil {
			if last != nil && budgetOver() {
				return last, nil // the budget ran out during a status request
			}
			return last, err
		}
		last = ar
		if ar.Status != ApprovalPending {
			return ar, nil
		}
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			if budgetOver() {
				return last, nil // the budget ran out while pending
			}
			cerr := parent.Err()
			if cerr == nil {
				cerr = ctx.Err()
			}
			return last, fmt.Errorf("authy: wait for approval stopped: %w", cerr)
		}
	}
}
