package authy_test

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	authy "github.com/libauthy/libauthy/bindings/go"
	"github.com/libauthy/libauthy/bindings/go/internal/forktest"
)

// 32 goroutines share one client; each checks that every answer is its own user's.
func TestConcurrent32Goroutines(t *testing.T) {
	c := newClient(t, authy.WithMaxIdleConnsPerHost(32))
	const workers, rounds = 32, 25
	type user struct{ id, email, code string }
	users := make([]user, workers)
	for i := range users {
		id, email := newUser(t, c)
		users[i] = user{id, email, smsCode(t, c, id)}
	}
	var crossed, failed int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(u user) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				switch i % 3 {
				case 0:
					if _, err := c.VerifyToken(bg, u.id, u.code, nil); err != nil {
						atomic.AddInt64(&crossed, 1)
						firstErr.Store(err.Error())
					}
				case 1:
					if _, err := c.VerifyToken(bg, u.id, "0000001", nil); !errors.Is(err, authy.ErrTokenInvalid) {
						atomic.AddInt64(&crossed, 1)
					}
				case 2:
					st, err := c.UserStatus(bg, u.id)
					if err != nil {
						atomic.AddInt64(&failed, 1)
						firstErr.Store(err.Error())
					} else if st.AuthyID != u.id || st.Email != u.email {
						atomic.AddInt64(&crossed, 1)
					}
				}
			}
		}(users[w])
	}
	wg.Wait()
	if crossed != 0 || failed != 0 {
		t.Fatalf("%d crossed answers, %d failures of %d calls (first: %v)", crossed, failed, workers*rounds, firstErr.Load())
	}
}

// Close while calls run: every call either completes or fails with ErrClosed; nothing crashes.
func TestCloseWhileCallsRun(t *testing.T) {
	for round := 0; round < 5; round++ {
		c, err := authy.NewClient(testKey, authy.WithBaseURL(baseURL))
		if err != nil {
			t.Fatal(err)
		}
		var ok, closed, other int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := 0; i < 50; i++ {
					_, err := c.AppDetails(bg)
					switch {
					case err == nil:
						atomic.AddInt64(&ok, 1)
					case errors.Is(err, authy.ErrClosed):
						atomic.AddInt64(&closed, 1)
					default:
						atomic.AddInt64(&other, 1)
					}
				}
			}()
		}
		close(start)
		time.Sleep(time.Duration(round) * 5 * time.Millisecond)
		var cw sync.WaitGroup
		for i := 0; i < 3; i++ { // concurrent Close calls are fine too
			cw.Add(1)
			go func() { defer cw.Done(); c.Close() }()
		}
		cw.Wait()
		wg.Wait()
		if other != 0 || ok+closed != 16*50 {
			t.Fatalf("round %d: ok %d, closed %d, other %d", round, ok, closed, other)
		}
		if _, err := c.AppDetails(bg); !errors.Is(err, authy.ErrClosed) {
			t.Fatalf("after Close: %v", err)
		}
	}
	var nilClient *authy.Client
	if nilClient.Close() != nil {
		t.Fatal("nil Close")
	}
	if _, err := nilClient.AppDetails(bg); !errors.Is(err, authy.ErrClosed) {
		t.Fatalf("nil client: %v", err)
	}
}

// Clients that are never closed are released by the finalizer (the safety net) without harm.
func TestFinalizerSafetyNet(t *testing.T) {
	for i := 0; i < 200; i++ {
		c, err := authy.NewClient(testKey, authy.WithBaseURL(baseURL))
		if err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 {
			if _, err := c.AppDetails(bg); err != nil {
				t.Fatal(err)
			}
		}
	}
	runtime.GC()
	runtime.GC()
	c := newClient(t)
	if _, err := c.AppDetails(bg); err != nil {
		t.Fatal(err)
	}
}

// A client created before fork() is used in the child (from C: a Go runtime cannot run in a
// forked child) with a WRONG token while the parent verifies a valid one over the same pool.
// No answer may cross between the processes.
func TestForkChildAndParentDoNotShareConnections(t *testing.T) {
	c := newClient(t, authy.WithMaxIdleConnsPerHost(16))
	id, _ := newUser(t, c)
	code := smsCode(t, c, id)
	for round := 0; round < 3; round++ {
		// Fill the pool with idle keep-alive connections the child inherits.
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 4; i++ {
					if _, err := c.VerifyToken(bg, id, code, nil); err != nil {
						t.Errorf("warm-up: %v", err)
					}
				}
			}()
		}
		wg.Wait()
		// The parent verifies the valid code from 4 goroutines while the child verifies a wrong
		// one. Round 0 forks before they start (no call in flight); later rounds fork while they
		// are inside calls (the header promises the client stays usable in the child).
		var parentBad, parentDone int64
		var firstErr atomic.Value
		parent := func() {
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 75; i++ {
						if _, err := c.VerifyToken(bg, id, code, nil); err != nil {
							atomic.AddInt64(&parentBad, 1)
							firstErr.Store(err.Error())
						}
						atomic.AddInt64(&parentDone, 1)
					}
				}()
			}
		}
		if round > 0 {
			parent()
			for atomic.LoadInt64(&parentDone) < 20 {
				runtime.Gosched()
			}
		}
		child, err := forktest.Fork(authy.RawClientForTest(c), id, "0000001", 300)
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			parent()
		}
		wg.Wait()
		childBad, summary, werr := child.Wait(45 * time.Second)
		runtime.KeepAlive(c)
		if werr != nil {
			t.Fatalf("round %d: %v (%s)", round, werr, summary)
		}
		if childBad != 0 || parentBad != 0 {
			t.Fatalf("round %d: child: %d of 300 answers were not TOKEN_INVALID (%s); parent: %d of 300 valid verifications failed (first: %v)",
				round, childBad, summary, parentBad, firstErr.Load())

		}
	}
}
