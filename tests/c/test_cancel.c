/*
 * Cancelling calls in flight, freeing a client while another thread is in a call, and the
 * retry jitter of processes forked from one parent — against the sandbox.
 *
 *   test_cancel URL latency N   N calls slowed down by 3 s of sandbox latency, each cancelled
 *                               300 ms in from another thread: every one returns
 *                               AUTHY_RESULT_CANCELLED with request_sent, within 50 ms of the
 *                               cancel (prints p50 and max);
 *   test_cancel URL free        authy_client_free() while another thread waits in a slow call
 *                               (that call still completes normally); run under valgrind and
 *                               ASan by tests/c/run.sh;
 *   test_cancel URL jitter N    N children forked from one parent each make a read that gets a
 *                               503 and is retried after a backoff drawn in [500, 1000] ms: the
 *                               waits must differ between the children (spread >= 30 ms).
 *
 * Exit status 0 when every check passed; the last line is "test_cancel: N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *base_url;
static const char *api_key;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Sends a sandbox control request (two optional parameters) and checks it succeeded. */
static void control(const authy_client *client, const char *method, const char *path,
                    const char *k1, const char *v1, const char *k2, const char *v2) {
    authy_params *p = authy_params_new();
    if (k1 != NULL) {
        CHECK_RC(authy_params_set(p, k1, v1, NULL), AUTHY_RESULT_OK, NULL);
    }
    if (k2 != NULL) {
        CHECK_RC(authy_params_set(p, k2, v2, NULL), AUTHY_RESULT_OK, NULL);
    }
    authy_response *resp = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_request(client, method, path, p, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(resp != NULL && authy_response_ok(resp));
    authy_response_free(resp);
    authy_error_free(err);
    authy_params_free(p);
}

/* ------------------------------------------------------------------ latency */

struct canceller {
    const authy_cancel *token;
    long after_ms;
    double cancelled_at;
};

static void *cancel_later(void *arg) {
    struct canceller *c = arg;
    sleep_ms(c->after_ms);
    c->cancelled_at = now_ms();
    CHECK_RC(authy_cancel_cancel(c->token, NULL), AUTHY_RESULT_OK, NULL);
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void latency(const authy_client *client, int rounds) {
    double *lat = calloc((size_t)rounds, sizeof *lat);
    for (int i = 0; i < rounds; i++) {
        control(client, "POST", "/sandbox/faults", "kind", "latency", "latency_ms", "3000");
        authy_cancel *token = authy_cancel_new();
        const authy_client *c = NULL;
        CHECK_RC(authy_client_with_cancel(client, token, &c, NULL), AUTHY_RESULT_OK, NULL);
        struct canceller cl = {token, 300, 0};
        pthread_t t;
        pthread_create(&t, NULL, cancel_later, &cl);
        authy_response *resp = NULL;
        authy_error *err = NULL;
        authy_result rc = authy_client_app_details(c, NULL, &resp, &err);
        double returned = now_ms();
        pthread_join(t, NULL);
        CHECK_RC(rc, AUTHY_RESULT_CANCELLED, &err);
        CHECK(err != NULL && authy_error_request_sent(err) && authy_error_attempts(err) == 1);
        lat[i] = returned - cl.cancelled_at;
        authy_error_free(err);
        authy_response_free(resp);
        authy_client_free(c);
        authy_cancel_free(token);
        control(client, "DELETE", "/sandbox/faults", NULL, NULL, NULL, NULL);
    }
    qsort(lat, (size_t)rounds, sizeof *lat, cmp_double);
    printf("cancel latency over %d cancels at 300 ms into a 3 s call: p50 %.2f ms, max %.2f ms\n",
           rounds, lat[rounds / 2], lat[rounds - 1]);
    CHECK(lat[rounds - 1] < 50.0);
    free(lat);
}

/* ------------------------------------------------------------------ free during a call */

struct slow_call {
    const authy_client *client;
    authy_result rc;
    int status;
};

static void *slow_call(void *arg) {
    struct slow_call *s = arg;
    authy_response *resp = NULL;
    s->rc = authy_client_app_details(s->client, NULL, &resp, NULL);
    s->status = resp != NULL ? authy_response_status(resp) : 0;
    authy_response_free(resp);
    return NULL;
}

static void free_during_call(void) {
    for (int round = 0; round < 3; round++) {
        const authy_client *client = test_client(api_key, base_url, 10000, 0);
        CHECK(client != NULL);
        if (client == NULL) {
            return;
        }
        control(client, "POST", "/sandbox/faults", "kind", "latency", "latency_ms", "600");
        /* Round 1 frees a derived handle, round 2 the parent of a derived one in use. */
        const authy_client *used = client;
        if (round > 0) {
            CHECK_RC(authy_client_with_timeout_ms(client, 5000, &used, NULL), AUTHY_RESULT_OK,
                     NULL);
        }
        struct slow_call s = {used, AUTHY_RESULT_INTERNAL, 0};
        pthread_t t;
        pthread_create(&t, NULL, slow_call, &s);
        sleep_ms(150);
        if (round == 2) {
            authy_client_free(client); /* the parent goes, the call on the child goes on */
            client = NULL;
        }
        authy_client_free(used); /* while the other thread waits for the answer */
        if (round == 1) {
            authy_client_free(client);
        }
        pthread_join(t, NULL);
        CHECK_RC(s.rc, AUTHY_RESULT_OK, NULL);
        CHECK(s.status == 200);
    }
}

/* ------------------------------------------------------------------ jitter across fork() */

static const authy_client *retrying_client(void) {
    authy_client_builder *b = NULL;
    const authy_client *c = NULL;
    int ok = authy_client_builder_new(api_key, &b, NULL) == AUTHY_RESULT_OK &&
             authy_client_builder_set_base_url(b, base_url, NULL) == AUTHY_RESULT_OK &&
             authy_client_builder_set_timeout_ms(b, 10000, NULL) == AUTHY_RESULT_OK &&
             authy_client_builder_set_retries(b, 2, 1000, 1000, NULL) == AUTHY_RESULT_OK &&
             authy_client_builder_build(b, &c, NULL) == AUTHY_RESULT_OK;
    authy_client_builder_free(b);
    CHECK(ok);
    return ok ? c : NULL;
}

/* One read that gets the armed 503 and is retried: its duration, in ms (-1 on failure). */
static double retried_read(const authy_client *client) {
    authy_response *resp = NULL;
    double t0 = now_ms();
    authy_result rc = authy_client_app_details(client, NULL, &resp, NULL);
    double took = now_ms() - t0;
    authy_response_free(resp);
    return rc == AUTHY_RESULT_OK ? took : -1;
}

static void jitter(int children) {
    const authy_client *client = retrying_client();
    if (client == NULL) {
        return;
    }
    /* The parent draws a backoff first (this is what made every child draw the same next one). */
    control(client, "POST", "/sandbox/faults", "kind", "status_5xx", NULL, NULL);
    CHECK(retried_read(client) >= 500);
    char count[16];
    snprintf(count, sizeof count, "%d", children);
    control(client, "POST", "/sandbox/faults", "kind", "status_5xx", "count", count);
    int fds[2];
    CHECK(pipe(fds) == 0);
    for (int i = 0; i < children; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            double took = retried_read(client);
            ssize_t w = write(fds[1], &took, sizeof took);
            _exit(w == (ssize_t)sizeof took ? 0 : 1);
        }
        CHECK(pid > 0);
    }
    close(fds[1]);
    double lo = 1e9, hi = -1;
    int got = 0;
    double took;
    printf("first backoff + 2 requests in %d forked children (ms):", children);
    while (read(fds[0], &took, sizeof took) == (ssize_t)sizeof took) {
        printf(" %.1f", took);
        CHECK(took >= 500 && took < 2000);
        lo = took < lo ? took : lo;
        hi = took > hi ? took : hi;
        got++;
    }
    close(fds[0]);
    for (int i = 0; i < children; i++) {
        int status = 0;
        wait(&status);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    printf("\nspread %.1f ms\n", hi - lo);
    CHECK(got == children);
    CHECK(hi - lo >= 30.0);
    authy_client_free(client);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s BASE_URL latency N | free | jitter N\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    api_key = getenv("AUTHY_API_KEY") ? getenv("AUTHY_API_KEY") : "sandbox-api-key-0123456789abcdef";
    int n = argc > 3 ? atoi(argv[3]) : 20;
    if (strcmp(argv[2], "latency") == 0) {
        const authy_client *client = test_client(api_key, base_url, 10000, 0);
        CHECK(client != NULL);
        if (client != NULL) {
            latency(client, n);
        }
        authy_client_free(client);
    } else if (strcmp(argv[2], "free") == 0) {
        free_during_call();
    } else if (strcmp(argv[2], "jitter") == 0) {
        jitter(n);
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[2]);
        return 2;
    }
    return check_summary("test_cancel");
}
