package authy

// #include <stdlib.h>
// #include <authy.h>
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
)

// The plumbing shared by the VerifyClient methods: one call with its C strings, a typed
// answer, the answer of a wrong code, and the lists (authy_pages).

// response gives the embedded Response of a typed result (every one embeds it).
func (r *Response) response() *Response { return r }

// result is a pointer to a typed result (a struct embedding Response).
type result[T any] interface {
	*T
	response() *Response
}

type verifyArgsFn func(cs []*C.char, cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result

// verifyDo copies args (name, value, name, value...) to C, runs one Verify endpoint with
// them in that order and decodes the answer into into (when not nil).
func (c *VerifyClient) verifyDo(ctx context.Context, args []string, opts Params, into interface{}, fn verifyArgsFn) (*snapshot, error) {
	var s cstrings
	defer s.free()
	cs, err := s.all(args...)
	if err != nil {
		return nil, err
	}
	return c.endpoint(ctx, &s, opts, into, func(cl *C.authy_verify_client, o *C.authy_params, res **C.authy_response, e **C.authy_error) C.authy_result {
		return fn(cs, cl, o, res, e)
	})
}

// verifyCall is verifyDo with a typed answer T. A wrong code (ErrTokenInvalid: the API
// answered 2xx but not approved/verified) returns the decoded answer with the error.
func verifyCall[T any, PT result[T]](c *VerifyClient, ctx context.Context, args []string, opts Params, fn verifyArgsFn) (*T, error) {
	out := new(T)
	r, err := c.verifyDo(ctx, args, opts, out, fn)
	if err != nil {
		return tokenAnswer(out, PT(out).response(), err)
	}
	*PT(out).response() = r.Response
	return out, nil
}

// tokenAnswer returns (out, err) with out decoded from the error's body when err is a wrong
// code that came with the API's answer (a 200 "pending" / "unverified"); (nil, err) otherwise.
func tokenAnswer[T any](out *T, resp *Response, err error) (*T, error) {
	if e, ok := err.(*Error); ok && e.Code == CodeTokenInvalid && e.Body != "" {
		if json.Unmarshal([]byte(e.Body), out) == nil {
			*resp = Response{StatusCode: e.HTTPStatus, body: e.Body}
			return out, err
		}
	}
	return nil, err
}

// pagesHandle owns an authy_pages (a list in progress).
type pagesHandle struct{ p *C.authy_pages }

func (h *pagesHandle) free() {
	if h != nil && h.p != nil {
		C.authy_pages_free(h.p)
		h.p = nil
		runtime.SetFinalizer(h, nil)
	}
}

// next fetches the next page: (nil, nil) at the end.
func (h *pagesHandle) next() (*snapshot, error) {
	var out *C.authy_response
	var e *C.authy_error
	rc := C.authy_pages_next(h.p, &out, &e)
	runtime.KeepAlive(h) // the finalizer must not free the pages during the call
	if rc == C.AUTHY_RESULT_NO_VALUE {
		if e != nil {
			C.authy_error_free(e)
		}
		return nil, nil
	}
	if rc != C.AUTHY_RESULT_OK {
		return nil, twilioError(takeError(rc, e))
	}
	return takeResponse(out), nil
}

type pagesStartFn func(cs []*C.char, cl *C.authy_verify_client, filters *C.authy_params, size C.uint32_t, out **C.authy_pages, e **C.authy_error) C.authy_result

// startPages checks the page size and the arguments and starts a list (no I/O).
func (c *VerifyClient) startPages(pageSize int, args []string, filters Params, start pagesStartFn) (*pagesHandle, error) {
	if pageSize < 0 || pageSize > 1000 {
		return nil, argError("page size out of range: %d", pageSize)
	}
	if c == nil {
		return nil, ErrClosed
	}
	var s cstrings
	defer s.free()
	cs, err := s.all(args...)
	if err != nil {
		return nil, err
	}
	f, err := filters.list().build(&s)
	if err != nil {
		return nil, err
	}
	defer C.authy_params_free(f)
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, ErrClosed
	}
	h := &pagesHandle{}
	var e *C.authy_error
	if rc := start(cs, c.ptr, f, C.uint32_t(pageSize), &h.p, &e); rc != C.AUTHY_RESULT_OK {
		return nil, twilioError(takeError(rc, e))
	}
	runtime.SetFinalizer(h, (*pagesHandle).free) // a safety net only: Close the iterator
	return h, nil
}

// pager walks a list page by page: each page is one request, sent by the Next that needs
// it; next_page_url is followed only on the client's base URL. key names the page's records.
// Not safe for concurrent use.
type pager[T any, PT result[T]] struct {
	h    *pagesHandle
	key  string
	page []T
	cur  *T
	err  error
}

func newPager[T any, PT result[T]](key string, h *pagesHandle, err error) pager[T, PT] {
	return pager[T, PT]{h: h, key: key, err: err}
}

// Next advances to the next record, fetching a page when needed; false at the end or on an
// error (see Err).
func (it *pager[T, PT]) Next(ctx context.Context) bool {
	for len(it.page) == 0 {
		if it.err != nil || it.h == nil || it.h.p == nil {
			return false
		}
		if err := ctxUsable(ctx); err != nil {
			it.err = err
			return false
		}
		r, err := it.h.next()
		if r == nil || err != nil {
			it.err = err
			it.Close()
			return false
		}
		var p map[string]json.RawMessage
		var items []T
		err = r.decodeInto(&p)
		if raw := p[it.key]; err == nil && len(raw) > 0 {
			// A page without its key has no records; one that does not fit is a decoding error
			// carrying the whole page.
			if err = (&snapshot{Response: Response{StatusCode: r.StatusCode, body: string(raw)}}).decodeInto(&items); err != nil {
				err.(*Error).Body = r.body
			}
		}
		if err != nil {
			it.err = err
			it.Close()
			return false
		}
		for i := range items {
			*PT(&items[i]).response() = r.Response
		}
		it.page = items
	}
	it.cur = &it.page[0]
	it.page = it.page[1:]
	return true
}

// Err is the error that stopped the iteration (nil at a normal end).
func (it *pager[T, PT]) Err() error { return it.err }

// Close releases the pages (idempotent; Next then returns false).
func (it *pager[T, PT]) Close() error {
	if it != nil {
		it.h.free()
	}
	return nil
}
