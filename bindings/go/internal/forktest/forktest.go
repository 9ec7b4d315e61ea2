// Package forktest is a test helper of package authy: it forks the process from C and uses a
// client created by the Go package in the child through the C API only (a Go runtime cannot
// run in a forked child). It is internal and used only by the tests.
package forktest

/*
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <authy.h>

// Forks. The child blocks every signal (the Go runtime's handlers must not run there), runs
// `calls` verifications of `wrong_token` for `authy_id` with `client`, writes a summary to the
// pipe and _exits with the number of answers that were not AUTHY_RESULT_TOKEN_INVALID (at
// most 250): an AUTHY_RESULT_OK is the parent's answer crossing over. The parent gets the
// child's pid (or -1) and the read end of the pipe in *summary_fd.
static pid_t goauthy_fork_verify(const void *client, const char *authy_id, const char *wrong_token,
                                 int calls, int *summary_fd) {
	int fds[2];
	if (pipe(fds) != 0) return -1;
	pid_t pid = fork();
	if (pid != 0) {
		close(fds[1]);
		if (pid < 0) { close(fds[0]); return -1; }
		*summary_fd = fds[0];
		return pid;
	}
	close(fds[0]);
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	int ok = 0, other = 0;
	uint32_t last_other = 0;
	for (int i = 0; i < calls; i++) {
		authy_response *resp = NULL;
		authy_result rc = authy_client_verify_token((const authy_client *)client, authy_id,
		                                            wrong_token, NULL, &resp, NULL);
		if (rc == AUTHY_RESULT_OK) ok++;
		else if (rc != AUTHY_RESULT_TOKEN_INVALID) { other++; last_other = rc; }
		authy_response_free(resp);
	}
	char buf[128];
	int n = snprintf(buf, sizeof buf, "calls=%d ok=%d other=%d last_other=%u", calls, ok, other,
	                 last_other);
	if (n > 0) { ssize_t w = write(fds[1], buf, (size_t)n); (void)w; }
	close(fds[1]);
	int bad = ok + other;
	_exit(bad > 250 ? 250 : bad);
}

// Waits for the child at most timeout_ms; kills it when it has not ended. Returns its exit
// status, -1 when it was killed for the timeout, -2 when a signal ended it.
static int goauthy_wait(pid_t pid, int timeout_ms) {
	int st = 0;
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) break;
		if (r < 0 && errno != EINTR) return -2;
		if (waited >= timeout_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (WIFEXITED(st)) return WEXITSTATUS(st);
	return -2;
}

static int goauthy_read_summary(int fd, char *buf, int size) {
	int n = 0;
	while (n < size - 1) {
		ssize_t r = read(fd, buf + n, (size_t)(size - 1 - n));
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		n += (int)r;
	}
	buf[n] = 0;
	close(fd);
	return n;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"time"
	"unsafe"
)

// Child is a forked child running verifications.
type Child struct {
	pid C.pid_t
	fd  C.int
}

// Fork forks; the child verifies wrongToken for authyID `calls` times with client (a
// const authy_client * from package authy) and exits. The caller must keep the client alive
// until Wait returns.
func Fork(client unsafe.Pointer, authyID, wrongToken string, calls int) (*Child, error) {
	id := C.CString(authyID)
	defer C.free(unsafe.Pointer(id))
	tok := C.CString(wrongToken)
	defer C.free(unsafe.Pointer(tok))
	var fd C.int
	pid := C.goauthy_fork_verify(client, id, tok, C.int(calls), &fd)
	if pid < 0 {
		return nil, errors.New("fork failed")
	}
	return &Child{pid: pid, fd: fd}, nil
}

// Wait waits for the child (killing it after timeout) and returns the number of its answers
// that were not "token invalid" (crossed answers or failures) and its summary line.
func (c *Child) Wait(timeout time.Duration) (bad int, summary string, err error) {
	rc := C.goauthy_wait(c.pid, C.int(timeout/time.Millisecond))
	var buf [256]C.char
	C.goauthy_read_summary(c.fd, &buf[0], C.int(len(buf)))
	summary = C.GoString(&buf[0])
	switch {
	case rc == -1:
		return 0, summary, fmt.Errorf("the child did not finish within %v (killed)", timeout)
	case rc < 0:
		return 0, summary, errors.New("the child was killed by a signal")
	}
	return int(rc), summary, nil
}
