/*
 * fork() safety of a client (issue: answers crossed between processes that shared pooled
 * keep-alive connections, so a WRONG token passed in the child).
 *
 * The parent builds one client, warms its connection pool, then forks. In every round the
 * parent verifies a VALID token of user A and reads A's status, while the child verifies a
 * WRONG token of user B and reads B's status, both as fast as they can on the same (inherited)
 * client. An answer that belongs to the other process is a crossed answer: a wrong token
 * reported valid, a valid one refused, a status naming the other user. Every call must also
 * succeed or fail with its expected code (no transport errors). A grandchild (fork of a child)
 * and a child forked while other threads of the parent are in calls are checked too.
 *
 * Usage: test_fork [BASE_URL] [CALLS_PER_PROCESS_PER_ROUND] [ROUNDS] [BUSY]
 * BUSY (default 1) = 0 skips the rounds that fork while other threads are in calls: a child of
 * such a fork inherits those threads' in-flight allocations, referenced only from stacks that no
 * longer run there, which valgrind rightly reports as lost in the child (not a library leak).
 * (base URL also from AUTHY_BASE_URL, key from AUTHY_API_KEY; AUTHY_CA_FILE names a PEM file of
 * root certificates to trust, for the sandbox's self-signed HTTPS mode). Prints
 * "test_fork: N passed, M failed" and the totals "fork rounds R, calls C, crossed X".
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one process saw in a round. */
struct tally {
    long calls;
    long crossed;    /* an answer meant for the other process */
    long unexpected; /* any other failure (transport error, wrong code) */
};

static const authy_client *client;
static char user_a[32];
static char user_b[32];

static char *create_user(const char *email, const char *phone) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    char *id = NULL;
    if (authy_client_create_user(client, email, phone, NULL, &resp, &err) ==
        AUTHY_RESULT_OK) {
        const char *text = authy_response_user_id(resp);
        id = text ? strdup(text) : NULL;
    } else {
        fprintf(stderr, "create_user: %s\n", authy_error_message(err));
    }
    authy_response_free(resp);
    authy_error_free(err);
    return id;
}

/* One verification: `valid` says which answer this process must get. */
static void verify_once(const char *id, const char *token, int valid, struct tally *t) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_verify_token(client, id, token, NULL, &resp, &err);
    t->calls++;
    if (valid ? r == AUTHY_RESULT_TOKEN_INVALID : r == AUTHY_RESULT_OK) {
        t->crossed++;
    } else if (r != (valid ? AUTHY_RESULT_OK : AUTHY_RESULT_TOKEN_INVALID)) {
        t->unexpected++;
        fprintf(stderr, "[pid %d] verify: %s: %s\n", (int)getpid(), authy_result_name(r),
                err ? authy_error_message(err) : "-");
    }
    authy_response_free(resp);
    authy_error_free(err);
}

/* One status read: the answer must name `id`. */
static void status_once(const char *id, const char *other, struct tally *t) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_user_status(client, id, NULL, &resp, &err);
    t->calls++;
    if (r != AUTHY_RESULT_OK) {
        t->unexpected++;
        fprintf(stderr, "[pid %d] status: %s\n", (int)getpid(), authy_result_name(r));
    } else {
        const char *got = authy_response_user_id(resp);
        if (got != NULL && strcmp(got, other) == 0) {
            t->crossed++;
        } else if (got == NULL || strcmp(got, id) != 0) {
            t->unexpected++;
        }
    }
    authy_response_free(resp);
    authy_error_free(err);
}

/* The loop each side runs: `mine` is this process's user; valid token or wrong token. */
static void work(const char *mine, const char *other, int valid, long calls, struct tally *t) {
    for (long i = 0; i < calls; i++) {
        if (i % 8 == 7) {
            status_once(mine, other, t);
        } else {
            verify_once(mine, valid ? "0000000" : "1234567", valid, t);
        }
    }
}

/* Reports a tally through the pipe and ends the process with _exit (no atexit handlers). The
 * child frees its copy of the client first, as a real worker would on shutdown (valgrind checks
 * that nothing the child inherited or made leaks). */
static void report_and_exit(int fd, const struct tally *t) {
    authy_client_free(client);
    if (write(fd, t, sizeof *t) != (ssize_t)sizeof *t) {
        _exit(3);
    }
    close(fd);
    _exit(0);
}

/* Grandchild side: the child's work, one generation further. */
static void grandchild_main(int fd, long calls) {
    struct tally t = {0, 0, 0};
    work(user_b, user_a, 0, calls, &t);
    report_and_exit(fd, &t);
}

/* Child side: work, then report through the pipe and _exit. The child may first fork a
 * grandchild that does the same on the client it inherited. */
static void child(int fd, long calls, int grandchild) {
    struct tally t = {0, 0, 0};
    pid_t gpid = -1;
    int gfd[2] = {-1, -1};
    if (grandchild && pipe(gfd) == 0) {
        gpid = fork();
        if (gpid == 0) {
            close(gfd[0]);
            grandchild_main(gfd[1], calls);
        }
        close(gfd[1]);
    }
    work(user_b, user_a, 0, calls, &t);
    if (gpid > 0) {
        struct tally g;
        if (read(gfd[0], &g, sizeof g) == (ssize_t)sizeof g) {
            t.calls += g.calls;
            t.crossed += g.crossed;
            t.unexpected += g.unexpected;
        } else {
            t.unexpected++;
        }
        int status = 0;
        waitpid(gpid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            t.unexpected++;
        }
        close(gfd[0]);
    }
    report_and_exit(fd, &t);
}

struct busy {
    long calls;
    struct tally t;
};

static void *busy_thread(void *arg) {
    struct busy *b = arg;
    work(user_a, user_b, 1, b->calls, &b->t);
    return NULL;
}

/* One round: fork a child (optionally with a grandchild, optionally while 2 threads of the
 * parent are calling), run both sides, collect the tallies. */
static void round_trip(long calls, int grandchild, int threads_during_fork, struct tally *total) {
    struct busy busy[2];
    pthread_t tids[2];
    int started = 0;
    if (threads_during_fork) {
        for (int i = 0; i < 2; i++) {
            busy[i].calls = calls / 4;
            memset(&busy[i].t, 0, sizeof busy[i].t);
            if (pthread_create(&tids[i], NULL, busy_thread, &busy[i]) == 0) {
                started++;
            }
        }
    }
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        total->unexpected++;
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], calls, grandchild);
    }
    close(fds[1]);
    CHECK(pid > 0);
    struct tally mine = {0, 0, 0};
    work(user_a, user_b, 1, calls, &mine);
    struct tally theirs = {0, 0, 0};
    CHECK(read(fds[0], &theirs, sizeof theirs) == (ssize_t)sizeof theirs);
    close(fds[0]);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
        mine.calls += busy[i].t.calls;
        mine.crossed += busy[i].t.crossed;
        mine.unexpected += busy[i].t.unexpected;
    }
    CHECK(mine.crossed == 0);
    CHECK(theirs.crossed == 0);
    CHECK(mine.unexpected == 0);
    CHECK(theirs.unexpected == 0);
    CHECK(theirs.calls >= calls);
    total->calls += mine.calls + theirs.calls;
    total->crossed += mine.crossed + theirs.crossed;
    total->unexpected += mine.unexpected + theirs.unexpected;
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 ? argv[1] : getenv("AUTHY_BASE_URL");
    long calls = argc > 2 ? atol(argv[2]) : 500;
    int rounds = argc > 3 ? atoi(argv[3]) : 4;
    int busy = argc > 4 ? atoi(argv[4]) : 1;
    const char *api_key = getenv("AUTHY_API_KEY");
    if (base_url == NULL || api_key == NULL || calls < 1 || rounds < 1) {
        fprintf(stderr, "usage: AUTHY_API_KEY=... test_fork BASE_URL [CALLS] [ROUNDS]\n");
        return 2;
    }
    const authy_client *built = test_client(api_key, base_url, 0, 0);
    if (built == NULL) {
        return 2;
    }
    client = built;

    char email[64];
    snprintf(email, sizeof email, "fork-a-%d@example.com", (int)getpid());
    char *a = create_user(email, "775-461-5609");
    snprintf(email, sizeof email, "fork-b-%d@example.com", (int)getpid());
    char *b = create_user(email, "775-461-5610");
    CHECK(a != NULL && b != NULL);
    if (a == NULL || b == NULL) {
        return 1;
    }
    snprintf(user_a, sizeof user_a, "%s", a);
    snprintf(user_b, sizeof user_b, "%s", b);
    free(a);
    free(b);

    struct tally total = {0, 0, 0};
    /* Warm the pool with several connections, so the child inherits idle ones. */
    struct busy warm[4];
    pthread_t tids[4];
    for (int i = 0; i < 4; i++) {
        warm[i].calls = 20;
        memset(&warm[i].t, 0, sizeof warm[i].t);
        pthread_create(&tids[i], NULL, busy_thread, &warm[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(tids[i], NULL);
        CHECK(warm[i].t.crossed == 0 && warm[i].t.unexpected == 0);
    }

    for (int r = 0; r < rounds; r++) {
        round_trip(calls, r % 2 == 1, busy && r % 4 == 2, &total);
    }
    authy_client_free(built);
    printf("fork rounds %d, calls %ld, crossed %ld, unexpected %ld\n", rounds, total.calls,
           total.crossed, total.unexpected);
    printf("test_fork: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
