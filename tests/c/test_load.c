/*
 * Load test of the C ABI: one `const authy_client *` shared by 8 threads, each making N mixed
 * calls (default 5000) against the sandbox, while a control thread arms sandbox faults part of
 * the time.
 *
 * Each worker thread owns its own users, so it can tell whether every answer belongs to its
 * question:
 *   V  verified with the sandbox's magic valid code "0000000" (must be AUTHY_RESULT_OK);
 *   W  no device, never sent a code: "1234567" must be AUTHY_RESULT_TOKEN_INVALID;
 *   S  request_sms, then the code read from /sandbox/users/{id}/last_code (through
 *      authy_client_request), then verified (must be OK);
 *   O  OneTouch: create an approval request, then read its status (same uuid, same user).
 * plus user_status of all four (the answer names the user asked for, with its masked phone),
 * app_details, phone_info of the thread's own number (the same answer every time), and raw
 * requests (authy_client_request of a status and of a verification path).
 *
 * A crossed answer (a valid token refused, a wrong one accepted, another user's status, SMS,
 * approval request or phone info) or an AUTHY_RESULT_OK answer whose content is wrong
 * ("garbage") is always a failure. Any other failure must be one of the documented codes for
 * a fault that was armed while the call ran:
 *   latency       AUTHY_RESULT_TIMEOUT (reads go through a short-timeout handle made with
 *                 authy_client_with_timeout_ms() while a latency fault is armed)
 *   close         AUTHY_RESULT_NO_RESPONSE
 *   reset         AUTHY_RESULT_TRUNCATED, or _NO_RESPONSE (the RST can discard unread bytes)
 *   truncated     AUTHY_RESULT_TRUNCATED
 *                 (a library without those two codes: any transport code 203..299)
 *   status_5xx    AUTHY_RESULT_SERVER_ERROR   (raw requests: OK with HTTP 5xx)
 *   invalid_json, oversized   AUTHY_RESULT_DECODE
 *   rate_limit    AUTHY_RESULT_RATE_LIMITED  (raw requests: OK with HTTP 429)
 * AUTHY_RESULT_PANIC and AUTHY_RESULT_INTERNAL are never acceptable. A failure with no fault
 * armed is a failure of the test. Every error must carry its code and a message without the
 * API key, and must leave `*out` untouched; built with -DAUTHY_LOAD_ERROR_DETAILS (load.sh
 * does when the header has them), authy_error_request_sent() must be true, a side-effecting
 * call must have made one attempt and a 429 must keep its Retry-After (1 s).
 * The sandbox's request counters (faulted requests included) must show each SMS, verification
 * and OneTouch creation received exactly once: 0 duplicated side effects.
 *
 * The control thread alternates quiet phases and armed phases (one fault kind per phase, small
 * counts, sometimes a path_prefix); a phase log lets each call know which kinds were armed at
 * any moment between its start and its end. Workers go on past their N calls until every kind
 * has been armed once.
 *
 * Usage: test_load [BASE_URL] [CALLS_PER_THREAD] [FAULTS]
 *   BASE_URL also from AUTHY_BASE_URL; key from AUTHY_API_KEY; AUTHY_CA_FILE names a PEM file of
 *   root certificates to trust (the sandbox's --tls-self-signed --ca-out FILE).
 *   FAULTS (default 1) = 0 runs without the control thread.
 *   AUTHY_LOAD_TIMEOUT_MS (default 5000) is the client's overall timeout,
 *   AUTHY_LOAD_CONNECT_TIMEOUT_MS (default 2000) its connect timeout.
 * Prints a table of failures by code and fault, the line
 *   "load: calls N, crossed 0, crashes 0, failures by code: ..."
 * and "test_load: N passed, M failed"; exits 0 only when nothing failed.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define MAX_CODE 1024   /* result codes counted individually below this */
#define MAX_PHASES 8192 /* the control thread stops arming when the log is full */
#define MAX_FINDINGS 40 /* detailed lines printed for failures of the test */
#define LATENCY_MS 1000 /* latency of a latency fault */
#define QUICK_MS 400    /* timeout of reads while a latency fault is armed */
#define QUIET_MS 20     /* a quiet phase lasts QUIET_MS..2*QUIET_MS */
#define ARMED_MS 25     /* an armed phase lasts this long, then the faults are disarmed */

/* ----------------------------------------------------------------------------------------- */
/* Faults and the phase log                                                                    */
/* ----------------------------------------------------------------------------------------- */

enum kind {
    K_NONE,
    K_LATENCY,
    K_CLOSE,
    K_RESET,
    K_STATUS_5XX,
    K_INVALID_JSON,
    K_TRUNCATED,
    K_OVERSIZED,
    K_RATE_LIMIT,
    K_COUNT
};
/* Columns of the summary table: a single kind, "mixed" (several kinds armed during the call). */
#define COL_MIXED K_COUNT
#define COLS (K_COUNT + 1)
#define BIT(k) (1u << (k))

static const char *const kind_names[COLS] = {"none",         "latency",   "close",
                                             "reset",        "status_5xx", "invalid_json",
                                             "truncated",    "oversized", "rate_limit",
                                             "mixed"};

/* Phase p armed phase_kind[p] (K_NONE = quiet). An entry is written before the release store of
 * `phase` that publishes it and never changes afterwards. */
static unsigned char phase_kind[MAX_PHASES];
static atomic_uint phase;
static atomic_int stop_control;
/* Set once every fault kind has been armed (and disarmed) once: workers go on past their N
 * calls until then, so that a fast machine still meets every kind. */
static atomic_int cycle_done;

static unsigned phase_now(void) {
    return atomic_load_explicit(&phase, memory_order_acquire);
}

/* The fault kinds (bit set) armed at any moment of phases p0..p1. */
static unsigned kinds_between(unsigned p0, unsigned p1) {
    unsigned mask = 0;
    for (unsigned p = p0; p <= p1 && p < MAX_PHASES; p++) {
        mask |= BIT(phase_kind[p]);
    }
    return mask & ~BIT(K_NONE);
}

static int column_of(unsigned mask) {
    if (mask == 0) {
        return K_NONE;
    }
    for (int k = 1; k < K_COUNT; k++) {
        if (mask == BIT(k)) {
            return k;
        }
    }
    return COL_MIXED;
}

/* The codes that tell "nothing of the answer arrived" from "the answer was cut off" (issue 8,
 * defect 7), looked up by name in the library under test: 0 when it does not have them. */
static authy_result code_no_response;
static authy_result code_truncated;
/* The deadline expired before the request could be sent (0 when the library lacks it). */
static authy_result code_connect_timeout;

static authy_result code_named(const char *name) {
    for (uint32_t r = AUTHY_RESULT_CONNECT; r < 300; r++) {
        if (strcmp(authy_result_name(r), name) == 0) {
            return r;
        }
    }
    return 0;
}

/* Whether a failure with code `r` is documented for one of the fault kinds in `mask`. */
static int documented(unsigned mask, authy_result r) {
    if (r == AUTHY_RESULT_PANIC || r == AUTHY_RESULT_INTERNAL) {
        return 0;
    }
    /* A library without the two codes: any transport failure of an established connection
     * (TIMEOUT, IO or later; never CONNECT, DNS or TLS). */
    int cut = r >= AUTHY_RESULT_TIMEOUT && r <= 299;
    int told_apart = code_no_response != 0 && code_truncated != 0;
    /* latency: the answer comes after the read timeout (the request was written: TIMEOUT, not a
     * connect timeout). */
    if ((mask & BIT(K_LATENCY)) && r == AUTHY_RESULT_TIMEOUT) return 1;
    /* close: the server closes without answering. */
    if ((mask & BIT(K_CLOSE)) && (told_apart ? r == code_no_response : cut)) return 1;
    /* reset: headers and half a body, then a TCP RST, which may also discard what the client
     * had not read yet: cut off, or nothing arrived. */
    if ((mask & BIT(K_RESET)) &&
        (told_apart ? r == code_truncated || r == code_no_response : cut)) return 1;
    /* truncated: headers with a Content-Length, part of the body, then a close. */
    if ((mask & BIT(K_TRUNCATED)) && (told_apart ? r == code_truncated : cut)) return 1;
    if ((mask & BIT(K_STATUS_5XX)) && r == AUTHY_RESULT_SERVER_ERROR) return 1;
    if ((mask & (BIT(K_INVALID_JSON) | BIT(K_OVERSIZED))) && r == AUTHY_RESULT_DECODE) return 1;
    if ((mask & BIT(K_RATE_LIMIT)) && r == AUTHY_RESULT_RATE_LIMITED) return 1;
    return 0;
}

/* An HTTP status a raw request may get as an answer (AUTHY_RESULT_OK) while `mask` is armed. */
static int documented_status(unsigned mask, unsigned status) {
    return ((mask & BIT(K_STATUS_5XX)) && status >= 500 && status <= 599) ||
           ((mask & BIT(K_RATE_LIMIT)) && status == 429);
}

/* ----------------------------------------------------------------------------------------- */
/* Shared state                                                                                */
/* ----------------------------------------------------------------------------------------- */

static const authy_client *client; /* the one client of the test */
static const authy_client *quick;  /* same pool, QUICK_MS timeout (authy_client_with_timeout_ms) */
static const char *api_key;

enum endpoint {
    E_VERIFY_VALID,
    E_VERIFY_WRONG,
    E_USER_STATUS,
    E_REQUEST_SMS,
    E_LAST_CODE,
    E_VERIFY_SMS,
    E_APP_DETAILS,
    E_PHONE_INFO,
    E_CREATE_APPROVAL,
    E_APPROVAL_STATUS,
    E_RAW_STATUS,
    E_RAW_VERIFY,
    E_COUNT
};
static const char *const endpoint_names[E_COUNT] = {
    "verify_token(valid)", "verify_token(wrong)", "user_status",
    "request_sms",         "request(last_code)",  "verify_token(sms code)",
    "app_details",         "phone_info",          "create_approval_request",
    "approval_request_status", "request(GET users/{id}/status)", "request(GET verify/...)"};

/* The side-effecting requests counted by the sandbox (GET /sandbox/requests: faulted requests
 * are counted too), compared with the calls made: each must have been received exactly once. */
enum side { SIDE_SMS, SIDE_VERIFY, SIDE_APPROVAL, SIDE_COUNT };
static const char *const side_pointers[SIDE_COUNT] = {
    "/requests/GET ~1protected~1json~1sms~1{id}",
    "/requests/GET ~1protected~1json~1verify~1{token}~1{id}",
    "/requests/POST ~1onetouch~1json~1users~1{id}~1approval_requests"};
static const char *const side_names[SIDE_COUNT] = {"sms", "verify", "approval_requests"};

struct user {
    char id[24];
    char phone[24]; /* national number, digits only */
};

struct worker {
    int index;
    long target; /* calls to make */
    unsigned rng;
    struct user valid, wrong, sms, onetouch;
    char info_number[24];
    char info_type[32];
    char info_provider[128];
    int info_known;
    /* tallies */
    long calls;
    long ok;
    long expected_refusals; /* TOKEN_INVALID for the wrong token, 401 for a raw wrong token */
    long crossed;
    long garbage;
    long undocumented;
    long panics;
    long key_leaks;
    long out_written;
    long bad_error; /* a failure without a usable authy_error */
    long resent;    /* a failed call with a side effect that was sent more than once */
    long sent[3];   /* side-effecting calls made: SIDE_SMS, SIDE_VERIFY, SIDE_APPROVAL */
    long raw_fault_status[2]; /* raw answers 5xx / 429 under status_5xx / rate_limit */
    long by_code[MAX_CODE][COLS];
    long fail_by_endpoint[E_COUNT];
};

static atomic_int findings_printed;

/* The first messages seen for each fault kind (single-kind failures), to show in the summary
 * how the faults are told apart. */
#define SAMPLES 3
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
struct sample {
    authy_result code;
    char message[220];
};
static struct sample samples[K_COUNT][SAMPLES];
static int sample_count[K_COUNT];

static void remember_sample(int col, authy_result r, const authy_error *err) {
    if (col <= K_NONE || col >= K_COUNT || err == NULL || authy_error_message(err) == NULL) {
        return;
    }
    pthread_mutex_lock(&print_lock);
    int known = 0;
    for (int i = 0; i < sample_count[col]; i++) {
        known |= samples[col][i].code == r &&
                 strncmp(samples[col][i].message, authy_error_message(err),
                         sizeof samples[col][i].message - 1) == 0;
    }
    if (!known && sample_count[col] < SAMPLES) {
        struct sample *sm = &samples[col][sample_count[col]++];
        sm->code = r;
        snprintf(sm->message, sizeof sm->message, "%s", authy_error_message(err));
    }
    pthread_mutex_unlock(&print_lock);
}

static const char *or_dash(const char *s) {
    return s != NULL ? s : "-";
}

/* Prints one line about a failure of the test (at most MAX_FINDINGS lines in all). */
static void finding(const char *what, const struct worker *w, enum endpoint ep, unsigned mask,
                    authy_result r, const authy_error *err, const char *detail) {
    if (atomic_fetch_add(&findings_printed, 1) >= MAX_FINDINGS) {
        return;
    }
    char kinds[160] = "";
    for (int k = 1; k < K_COUNT; k++) {
        if (mask & BIT(k)) {
            strncat(kinds, kinds[0] ? "+" : "", sizeof kinds - strlen(kinds) - 1);
            strncat(kinds, kind_names[k], sizeof kinds - strlen(kinds) - 1);
        }
    }
    pthread_mutex_lock(&print_lock);
    fprintf(stderr,
            "FINDING %s: thread %d, endpoint %s, faults armed [%s], result %s (%u), HTTP %u, "
            "authy code %s, message \"%s\"%s%s\n",
            what, w->index, endpoint_names[ep], kinds[0] ? kinds : "none", authy_result_name(r),
            (unsigned)r, err ? (unsigned)authy_error_http_status(err) : 0u,
            or_dash(err ? authy_error_authy_code(err) : NULL),
            or_dash(err ? authy_error_message(err) : NULL), detail ? ": " : "",
            detail ? detail : "");
    pthread_mutex_unlock(&print_lock);
}

/* ----------------------------------------------------------------------------------------- */
/* One call                                                                                    */
/* ----------------------------------------------------------------------------------------- */

/* A call in progress: the phase it started in, its outputs. */
struct call {
    enum endpoint ep;
    unsigned p0;
    int quick; /* made through the short-timeout handle */
    authy_response *resp;
    authy_error *err;
};

static void begin(struct call *c, enum endpoint ep) {
    c->ep = ep;
    c->p0 = phase_now();
    c->quick = 0;
    c->resp = NULL;
    c->err = NULL;
}

static void end(struct call *c) {
    authy_response_free(c->resp);
    authy_error_free(c->err);
    c->resp = NULL;
    c->err = NULL;
}

/* The client for a read: the short-timeout handle while a latency fault is armed. */
static const authy_client *reader(struct call *c) {
    c->quick = phase_kind[phase_now() % MAX_PHASES] == K_LATENCY;
    return c->quick ? quick : client;
}

static int leaks_key(const char *s) {
    return s != NULL && api_key[0] != '\0' && strstr(s, api_key) != NULL;
}

/* Judges the result of a call. `expect` is the answer this question must get (OK, or e.g.
 * TOKEN_INVALID for a wrong token); `crossed_code` (or OK for "none") is the answer of the
 * opposite question. Returns 1 when r == expect, 0 otherwise. Every other result is a failure:
 * counted by code and by the faults armed while the call ran, reported when undocumented. */
static int judge(struct worker *w, struct call *c, authy_result r, authy_result expect,
                 authy_result crossed_code) {
    unsigned mask = kinds_between(c->p0, phase_now());
    w->calls++;
    if (r != AUTHY_RESULT_OK) {
        /* Details of an error: its code, a message, never the key; `*out` untouched. */
        if (c->err == NULL || authy_error_code(c->err) != r ||
            authy_error_message(c->err) == NULL) {
            w->bad_error++;
            finding("error without matching details", w, c->ep, mask, r, c->err, NULL);
        } else if (leaks_key(authy_error_message(c->err)) || leaks_key(authy_error_body(c->err))) {
            w->key_leaks++;
            finding("API key in an error", w, c->ep, mask, r, NULL, NULL);
        }
#ifdef AUTHY_LOAD_ERROR_DETAILS
        /* Every failure of this test but a CONNECT_TIMEOUT comes after the server read the
         * request (faults act on requests received; API answers). No retries are configured:
         * one attempt, or a few when a read failed on reused keep-alive connections before any
         * byte of the answer and was sent again (one resend per reused connection that failed:
         * several armed `close` faults in a row give 3); a call with a side effect, exactly
         * one. A 429 keeps its Retry-After. */
        if (c->err != NULL) {
            uint32_t attempts = authy_error_attempts(c->err);
            char why[96];
            snprintf(why, sizeof why, "request_sent %d, attempts %u, retry_after_ms %llu",
                     (int)authy_error_request_sent(c->err), (unsigned)attempts,
                     (unsigned long long)authy_error_retry_after_ms(c->err));
            int side_effect = c->ep == E_VERIFY_VALID || c->ep == E_VERIFY_WRONG ||
                              c->ep == E_VERIFY_SMS || c->ep == E_REQUEST_SMS ||
                              c->ep == E_CREATE_APPROVAL || c->ep == E_RAW_VERIFY;
            if (side_effect && attempts > 1) {
                w->resent++;
                finding("side effect sent more than once", w, c->ep, mask, r, c->err, why);
            }
            int sent = r != code_connect_timeout || code_connect_timeout == 0;
            if (authy_error_request_sent(c->err) != sent || attempts < 1 || attempts > 16 ||
                (r == AUTHY_RESULT_RATE_LIMITED && authy_error_retry_after_ms(c->err) != 1000)) {
                w->bad_error++;
                finding("error details wrong", w, c->ep, mask, r, c->err, why);
            }
        }
#endif
        if (c->resp != NULL) {
            w->out_written++;
            finding("*out written on failure", w, c->ep, mask, r, c->err, NULL);
        }
    }
    if (r == expect) {
        if (r == AUTHY_RESULT_OK) {
            w->ok++;
        } else {
            w->expected_refusals++;
        }
        return 1;
    }
    if (crossed_code != AUTHY_RESULT_OK && r == crossed_code) {
        w->crossed++;
        finding("crossed answer", w, c->ep, mask, r, c->err, "the answer of the opposite question");
        return 0;
    }
    if (r == AUTHY_RESULT_OK) {
        /* OK where a refusal was due (a wrong token accepted): crossed. */
        w->crossed++;
        finding("crossed answer", w, c->ep, mask, r, c->err, "OK where a refusal was due");
        return 0;
    }
    /* The column: the one armed kind that explains this code, if there is one. */
    unsigned explains = 0;
    for (int k = 1; k < K_COUNT; k++) {
        if ((mask & BIT(k)) && documented(BIT(k), r)) {
            explains |= BIT(k);
        }
    }
    int col = column_of(explains ? explains : mask);
    w->by_code[r < MAX_CODE ? r : MAX_CODE - 1][col]++;
    w->fail_by_endpoint[c->ep]++;
    remember_sample(col, r, c->err);
    if (r == AUTHY_RESULT_PANIC) {
        w->panics++;
    }
    /* A short deadline may also expire while a new connection is being made (pooled ones
     * were closed by faults; a TLS handshake under valgrind is slow): nothing was sent. */
    int deadline_before_send = c->quick && code_connect_timeout != 0 && r == code_connect_timeout;
    if (!documented(mask, r) && !deadline_before_send) {
        w->undocumented++;
        finding(mask ? "undocumented code for the armed fault" : "failure with no fault armed", w,
                c->ep, mask, r, c->err, NULL);
    }
    return 0;
}

/* An OK answer whose content is wrong: another user's (crossed) or malformed (garbage). */
static void wrong_content(struct worker *w, struct call *c, int crossed, const char *detail) {
    unsigned mask = kinds_between(c->p0, phase_now());
    if (crossed) {
        w->crossed++;
    } else {
        w->garbage++;
    }
    char text[400];
    const char *body = authy_response_body(c->resp);
    snprintf(text, sizeof text, "%s; HTTP %u, body %.240s", detail,
             (unsigned)authy_response_status(c->resp), or_dash(body));
    finding(crossed ? "crossed answer" : "OK with garbage", w, c->ep, mask, AUTHY_RESULT_OK, NULL,
            text);
}


/* ----------------------------------------------------------------------------------------- */
/* The mixed operations                                                                        */
/* ----------------------------------------------------------------------------------------- */

static void op_verify(struct worker *w, int valid) {
    struct call c;
    begin(&c, valid ? E_VERIFY_VALID : E_VERIFY_WRONG);
    const struct user *u = valid ? &w->valid : &w->wrong;
    w->sent[SIDE_VERIFY]++;
    authy_result r = authy_client_verify_token(client, u->id, valid ? "0000000" : "1234567", NULL,
                                               &c.resp, &c.err);
    if (valid) {
        if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_TOKEN_INVALID) &&
            !authy_response_ok(c.resp)) {
            wrong_content(w, &c, 0, "verify OK but authy_response_ok() is false");
        }
    } else if (judge(w, &c, r, AUTHY_RESULT_TOKEN_INVALID, AUTHY_RESULT_OK) &&
               !streq(authy_error_authy_code(c.err), "60020")) {
        wrong_content(w, &c, 0, "wrong token refused without Authy code 60020");
    }
    end(&c);
}

static void op_user_status(struct worker *w, const struct user *u) {
    struct call c;
    begin(&c, E_USER_STATUS);
    authy_result r = authy_client_user_status(reader(&c), u->id, NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *id = authy_response_user_id(c.resp);
        const char *masked = NULL;
        authy_response_get_string(c.resp, "/status/phone_number", &masked, NULL);
        char want[32];
        snprintf(want, sizeof want, "XXX-XXX-%s", u->phone + strlen(u->phone) - 4);
        if (id == NULL) {
            wrong_content(w, &c, 0, "status without authy_id");
        } else if (!streq(id, u->id)) {
            wrong_content(w, &c, 1, "status of another user");
        } else if (!streq(masked, want)) {
            wrong_content(w, &c, 1, "status with another user's phone");
        }
    }
    end(&c);
}

/* request_sms to S, read the code delivered (control API), verify it. */
static void op_sms_flow(struct worker *w) {
    struct call c;
    begin(&c, E_REQUEST_SMS);
    w->sent[SIDE_SMS]++;
    authy_result r = authy_client_request_sms(client, w->sms.id, NULL, &c.resp, &c.err);
    int sent = judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK);
    if (sent) {
        char want[32];
        snprintf(want, sizeof want, "+1-XXX-XXX-XX%s", w->sms.phone + strlen(w->sms.phone) - 2);
        if (authy_response_ignored(c.resp) || !streq(authy_response_cellphone(c.resp), want)) {
            wrong_content(w, &c, 1, "SMS answer for another phone");
            sent = 0;
        }
    }
    end(&c);
    if (!sent) {
        return;
    }

    char path[64];
    snprintf(path, sizeof path, "/sandbox/users/%s/last_code", w->sms.id);
    begin(&c, E_LAST_CODE);
    r = authy_client_request(client, "GET", path, NULL, &c.resp, &c.err);
    char code[16] = "";
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *got = NULL, *via = NULL;
        authy_response_get_string(c.resp, "/code", &got, NULL);
        authy_response_get_string(c.resp, "/via", &via, NULL);
        if (authy_response_status(c.resp) != 200 || got == NULL || strlen(got) != 7 ||
            !streq(via, "sms")) {
            wrong_content(w, &c, 0, "last_code answer without a 7-digit SMS code");
        } else {
            snprintf(code, sizeof code, "%s", got);
        }
    }
    end(&c);
    if (code[0] == '\0') {
        return;
    }

    begin(&c, E_VERIFY_SMS);
    w->sent[SIDE_VERIFY]++;
    r = authy_client_verify_token(client, w->sms.id, code, NULL, &c.resp, &c.err);
    judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_TOKEN_INVALID);
    end(&c);
}

static void op_app_details(struct worker *w) {
    struct call c;
    begin(&c, E_APP_DETAILS);
    authy_result r = authy_client_app_details(reader(&c), NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *name = NULL;
        authy_response_get_string(c.resp, "/app/name", &name, NULL);
        if (name == NULL || name[0] == '\0' ||
            !streq(authy_response_message(c.resp), "Application information.")) {
            wrong_content(w, &c, 0, "app details without app name");
        }
    }
    end(&c);
}

static void op_phone_info(struct worker *w) {
    struct call c;
    begin(&c, E_PHONE_INFO);
    authy_result r =
        authy_client_phone_info(reader(&c), "1", w->info_number, NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *type = NULL, *provider = NULL, *message = authy_response_message(c.resp);
        authy_response_get_string(c.resp, "/type", &type, NULL);
        authy_response_get_string(c.resp, "/provider", &provider, NULL);
        if (provider == NULL && streq(type, "unknown")) {
            provider = "(null)"; /* the documented "unknown" type may come without a provider */
        }
        if (type == NULL || provider == NULL || message == NULL ||
            strncmp(message, "Phone number information", 24) != 0) {
            wrong_content(w, &c, 0, "phone info without type/provider");
        } else if (!w->info_known) {
            snprintf(w->info_type, sizeof w->info_type, "%s", type);
            snprintf(w->info_provider, sizeof w->info_provider, "%s", provider);
            w->info_known = 1;
        } else if (!streq(type, w->info_type) || !streq(provider, w->info_provider)) {
            wrong_content(w, &c, 1, "phone info of another number");
        }
    }
    end(&c);
}

/* Creates an approval request for O and reads its status by uuid. */
static void op_onetouch(struct worker *w, long i) {
    struct call c;
    begin(&c, E_CREATE_APPROVAL);
    char message[64];
    snprintf(message, sizeof message, "load test thread %d call %ld", w->index, i);
    w->sent[SIDE_APPROVAL]++;
    authy_result r =
        authy_client_create_approval_request(client, w->onetouch.id, message, NULL, &c.resp,
                                             &c.err);
    char uuid[64] = "";
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *got = authy_response_approval_uuid(c.resp);
        if (got == NULL || strlen(got) != 36) {
            wrong_content(w, &c, 0, "approval request without a uuid");
        } else {
            snprintf(uuid, sizeof uuid, "%s", got);
        }
    }
    end(&c);
    if (uuid[0] == '\0') {
        return;
    }
    begin(&c, E_APPROVAL_STATUS);
    r = authy_client_approval_request_status(reader(&c), uuid, NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        const char *got_uuid = NULL, *owner = NULL;
        authy_response_get_string(c.resp, "/approval_request/uuid", &got_uuid, NULL);
        authy_response_get_string(c.resp, "/approval_request/_authy_id", &owner, NULL);
        if (!streq(got_uuid, uuid) || !streq(owner, w->onetouch.id)) {
            wrong_content(w, &c, 1, "status of another approval request");
        } else if (!streq(authy_response_approval_status(c.resp), "pending")) {
            wrong_content(w, &c, 0, "a new approval request that is not pending");
        }
    }
    end(&c);
}

/* authy_client_request of a user's status: 200 naming the user, or a fault's status. */
static void op_raw_status(struct worker *w, const struct user *u) {
    struct call c;
    begin(&c, E_RAW_STATUS);
    char path[64];
    snprintf(path, sizeof path, "/protected/json/users/%s/status", u->id);
    authy_result r = authy_client_request(reader(&c), "GET", path, NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        unsigned status = authy_response_status(c.resp);
        unsigned mask = kinds_between(c.p0, phase_now());
        const char *id = NULL;
        authy_response_get_string(c.resp, "/status/authy_id", &id, NULL);
        if (status != 200 && documented_status(mask, status)) {
            w->raw_fault_status[status == 429]++;
        } else if (status != 200 || !authy_response_ok(c.resp)) {
            wrong_content(w, &c, 0, "raw status answer with an unexpected HTTP status");
        } else if (!streq(id, u->id)) {
            wrong_content(w, &c, 1, "raw status of another user");
        }
    }
    end(&c);
}

/* authy_client_request of a verification path: valid for V, 401 / 60020 for W. */
static void op_raw_verify(struct worker *w, int valid) {
    struct call c;
    begin(&c, E_RAW_VERIFY);
    char path[80];
    snprintf(path, sizeof path, "/protected/json/verify/%s/%s", valid ? "0000000" : "1234567",
             valid ? w->valid.id : w->wrong.id);
    w->sent[SIDE_VERIFY]++;
    authy_result r = authy_client_request(client, "GET", path, NULL, &c.resp, &c.err);
    if (judge(w, &c, r, AUTHY_RESULT_OK, AUTHY_RESULT_OK)) {
        unsigned status = authy_response_status(c.resp);
        unsigned mask = kinds_between(c.p0, phase_now());
        int ok = authy_response_ok(c.resp);
        if (status != 200 && status != 401 && documented_status(mask, status)) {
            w->raw_fault_status[status == 429]++;
        } else if (valid ? (status == 401 || (status == 200 && !ok))
                         : (status == 200 || ok)) {
            wrong_content(w, &c, 1, "raw verification answered for the opposite token");
        } else if (valid ? !(status == 200 && ok)
                         : !(status == 401 && streq(authy_response_authy_code(c.resp), "60020"))) {
            wrong_content(w, &c, 0, "raw verification with an unexpected answer");
        } else if (!valid) {
            w->ok--;
            w->expected_refusals++;
        }
    }
    end(&c);
}

static unsigned next_random(unsigned *state) {
    unsigned x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static void *worker_main(void *arg) {
    struct worker *w = arg;
    const struct user *users[4] = {&w->valid, &w->wrong, &w->sms, &w->onetouch};
    for (long i = 0; w->calls < w->target || !atomic_load(&cycle_done); i++) {
        unsigned pick = next_random(&w->rng) % 16;
        switch (pick) {
        case 0: case 1: case 2: case 3:
            op_verify(w, 1);
            break;
        case 4: case 5:
            op_verify(w, 0);
            break;
        case 6: case 7: case 8:
            op_user_status(w, users[i % 4]);
            break;
        case 9:
            op_sms_flow(w);
            break;
        case 10:
            op_app_details(w);
            break;
        case 11:
            op_phone_info(w);
            break;
        case 12:
            op_onetouch(w, i);
            break;
        case 13:
            op_raw_status(w, users[(i / 4) % 4]);
            break;
        default:
            op_raw_verify(w, pick == 14);
            break;
        }
    }
    return NULL;
}

/* ----------------------------------------------------------------------------------------- */
/* The control thread                                                                          */
/* ----------------------------------------------------------------------------------------- */

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

struct control {
    long rounds[K_COUNT];
    long arm_failures;
};

/* A control-API request (never faulted); 1 when answered 200. */
static int control_request(const char *method, const char *path, authy_params *params,
                           const char *armed) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_request(client, method, path, params, &resp, &err);
    int ok = r == AUTHY_RESULT_OK && authy_response_status(resp) == 200;
    if (ok && armed != NULL) {
        const char *got = NULL;
        authy_response_get_string(resp, "/armed", &got, NULL);
        ok = streq(got, armed);
    }
    if (!ok) {
        fprintf(stderr, "control: %s %s: %s (HTTP %u) %s\n", method, path, authy_result_name(r),
                resp ? (unsigned)authy_response_status(resp) : 0u,
                resp ? or_dash(authy_response_body(resp)) : or_dash(authy_error_message(err)));
    }
    authy_response_free(resp);
    authy_error_free(err);
    return ok;
}

/* Reads the sandbox's counters of the side-effecting routes; 1 on success. */
static int side_counts(long out[SIDE_COUNT]) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    int ok = authy_client_request(client, "GET", "/sandbox/requests", NULL, &resp, &err) ==
                 AUTHY_RESULT_OK &&
             authy_response_status(resp) == 200;
    for (int i = 0; ok && i < SIDE_COUNT; i++) {
        int64_t n = 0;
        /* A route never called has no entry. */
        out[i] = authy_response_get_i64(resp, side_pointers[i], &n, NULL) == AUTHY_RESULT_OK
                     ? n
                     : 0;
    }
    if (!ok) {
        fprintf(stderr, "GET /sandbox/requests failed: %s\n", or_dash(authy_error_message(err)));
    }
    authy_response_free(resp);
    authy_error_free(err);
    return ok;
}

static void publish_phase(enum kind k) {
    unsigned next = phase_now() + 1;
    phase_kind[next] = (unsigned char)k;
    atomic_store_explicit(&phase, next, memory_order_release);
}

static void *control_main(void *arg) {
    struct control *ctl = arg;
    static const char *const prefixes[] = {
        "/protected/json/verify", "/protected/json/users", "/protected/json/sms",
        "/onetouch",              "/protected/json/app",   "/protected/json/phones"};
    static const char *const statuses[] = {"500", "502", "503", "504"};
    unsigned rng = 0x9e3779b9u;
    for (unsigned round = 0; !atomic_load(&stop_control) && phase_now() + 2 < MAX_PHASES;
         round++) {
        sleep_ms(QUIET_MS + (long)(next_random(&rng) % QUIET_MS)); /* quiet */
        if (atomic_load(&stop_control)) {
            break;
        }
        enum kind k = (enum kind)(1 + round % (K_COUNT - 1));
        char count[8];
        snprintf(count, sizeof count, "%u", 1 + next_random(&rng) % (k == K_LATENCY ? 2 : 6));
        authy_params *p = authy_params_new();
        authy_params_set(p, "kind", kind_names[k], NULL);
        authy_params_set(p, "count", count, NULL);
        if (round % 3 == 2) {
            authy_params_set(p, "path_prefix",
                             prefixes[(round / 3) % (sizeof prefixes / sizeof prefixes[0])], NULL);
        }
        char latency[16];
        snprintf(latency, sizeof latency, "%d", LATENCY_MS);
        if (k == K_LATENCY) authy_params_set(p, "latency_ms", latency, NULL);
        if (k == K_STATUS_5XX) authy_params_set(p, "status", statuses[round % 4], NULL);
        if (k == K_RATE_LIMIT) authy_params_set(p, "retry_after", "1", NULL);
        publish_phase(k); /* before arming: every call that can meet the fault sees it */
        if (!control_request("POST", "/sandbox/faults", p, count)) {
            ctl->arm_failures++;
        }
        authy_params_free(p);
        ctl->rounds[k]++;
        sleep_ms(ARMED_MS);
        if (!control_request("DELETE", "/sandbox/faults", NULL, NULL)) {
            ctl->arm_failures++;
        }
        publish_phase(K_NONE); /* after disarming */
        if (round + 2 >= K_COUNT) {
            atomic_store(&cycle_done, 1);
        }
    }
    atomic_store(&cycle_done, 1);
    return NULL;
}

/* ----------------------------------------------------------------------------------------- */
/* Setup and report                                                                            */
/* ----------------------------------------------------------------------------------------- */


static int create_user(struct user *u, int thread, int role, int pid) {
    char email[64];
    snprintf(u->phone, sizeof u->phone, "2015%05d%d%d", pid % 100000, thread, role);
    snprintf(email, sizeof email, "load-%d-%d-%d@example.com", pid, thread, role);
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_create_user(client, email, u->phone, NULL, &resp, &err);
    int ok = r == AUTHY_RESULT_OK && authy_response_user_id(resp) != NULL;
    if (ok) {
        snprintf(u->id, sizeof u->id, "%s", authy_response_user_id(resp));
    } else {
        fprintf(stderr, "create_user: %s %s\n", authy_result_name(r),
                or_dash(authy_error_message(err)));
    }
    authy_response_free(resp);
    authy_error_free(err);
    return ok;
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 && argv[1][0] != '\0' ? argv[1] : getenv("AUTHY_BASE_URL");
    long calls = argc > 2 ? atol(argv[2]) : 5000;
    int with_faults = argc > 3 ? atoi(argv[3]) : 1;
    api_key = getenv("AUTHY_API_KEY");
    const char *timeout_env = getenv("AUTHY_LOAD_TIMEOUT_MS");
    long timeout_ms = timeout_env != NULL ? atol(timeout_env) : 5000;
    /* The connect timeout covers the TLS handshake, which valgrind slows down a lot. */
    const char *connect_env = getenv("AUTHY_LOAD_CONNECT_TIMEOUT_MS");
    long connect_ms = connect_env != NULL ? atol(connect_env) : 2000;
    if (base_url == NULL || api_key == NULL || calls < 1 || timeout_ms < 1 || connect_ms < 1) {
        fprintf(stderr,
                "usage: AUTHY_API_KEY=... test_load BASE_URL [CALLS_PER_THREAD] [FAULTS]\n");
        return 2;
    }

    const authy_client *built =
        test_client(api_key, base_url, (uint64_t)timeout_ms, (uint64_t)connect_ms);
    if (built == NULL) {
        return 2;
    }
    client = built;
    code_no_response = code_named("AUTHY_RESULT_NO_RESPONSE");
    code_truncated = code_named("AUTHY_RESULT_TRUNCATED");
    code_connect_timeout = code_named("AUTHY_RESULT_CONNECT_TIMEOUT");
    if (code_no_response != 0 && code_truncated != 0) {
        printf("load: faults told apart: close -> AUTHY_RESULT_NO_RESPONSE (%u), reset -> "
               "AUTHY_RESULT_TRUNCATED (%u) or _NO_RESPONSE, truncated -> AUTHY_RESULT_TRUNCATED\n",
               (unsigned)code_no_response, (unsigned)code_truncated);
    } else {
        printf("load: NOTE: this libauthy has no AUTHY_RESULT_NO_RESPONSE / "
               "AUTHY_RESULT_TRUNCATED: close, reset and truncated faults are accepted as any "
               "transport code 203-299\n");
    }
    CHECK(authy_client_with_timeout_ms(client, QUICK_MS, &quick, NULL) == AUTHY_RESULT_OK);
    if (quick == NULL) {
        authy_client_free(client);
        return 1;
    }

    /* A sandbox left with armed faults by someone else would fail the setup. */
    CHECK(control_request("DELETE", "/sandbox/faults", NULL, NULL));

    static struct worker workers[THREADS]; /* large (the code table): not on the stack */
    int pid = (int)getpid();
    int setup_ok = 1;
    for (int t = 0; t < THREADS; t++) {
        struct worker *w = &workers[t];
        w->index = t;
        w->target = calls;
        w->rng = 2463534242u + 7919u * (unsigned)t;
        setup_ok &= create_user(&w->valid, t, 1, pid) && create_user(&w->wrong, t, 2, pid) &&
                    create_user(&w->sms, t, 3, pid) && create_user(&w->onetouch, t, 4, pid);
        snprintf(w->info_number, sizeof w->info_number, "2016%05d%d9", pid % 100000, t);
    }
    CHECK(setup_ok);
    if (!setup_ok) {
        authy_client_free(quick);
        authy_client_free(client);
        printf("test_load: %d passed, %d failed\n", atomic_load(&passed), atomic_load(&failed));
        return 1;
    }

    long received_before[SIDE_COUNT] = {0, 0, 0};
    long received_after[SIDE_COUNT] = {0, 0, 0};
    CHECK(side_counts(received_before));

    struct control ctl;
    memset(&ctl, 0, sizeof ctl);
    pthread_t control_tid;
    int control_started =
        with_faults && pthread_create(&control_tid, NULL, control_main, &ctl) == 0;
    CHECK(!with_faults || control_started);
    if (!control_started) {
        atomic_store(&cycle_done, 1);
    }

    pthread_t tids[THREADS];
    int started[THREADS];
    for (int t = 0; t < THREADS; t++) {
        started[t] = pthread_create(&tids[t], NULL, worker_main, &workers[t]) == 0;
        CHECK(started[t]);
    }
    for (int t = 0; t < THREADS; t++) {
        if (started[t]) {
            pthread_join(tids[t], NULL);
        }
    }
    atomic_store(&stop_control, 1);
    if (control_started) {
        pthread_join(control_tid, NULL);
    }
    CHECK(control_request("DELETE", "/sandbox/faults", NULL, NULL));
    CHECK(side_counts(received_after));

    /* After the storm: the shared client still gives each question its answer. */
    for (int t = 0; t < THREADS; t++) {
        authy_error *err = NULL;
        CHECK(authy_client_verify_token(client, workers[t].valid.id, "0000000", NULL, NULL,
                                        NULL) == AUTHY_RESULT_NULL_ARGUMENT);
        authy_response *resp = NULL;
        CHECK(authy_client_verify_token(client, workers[t].valid.id, "0000000", NULL, &resp,
                                        &err) == AUTHY_RESULT_OK);
        authy_response_free(resp);
        authy_error_free(err);
        err = NULL;
        resp = NULL;
        CHECK(authy_client_verify_token(client, workers[t].wrong.id, "1234567", NULL, &resp,
                                        &err) == AUTHY_RESULT_TOKEN_INVALID);
        CHECK(resp == NULL);
        authy_error_free(err);
    }

    /* Totals. */
    static struct worker sum; /* zero-initialised */
    for (int t = 0; t < THREADS; t++) {
        const struct worker *w = &workers[t];
        CHECK(w->calls >= calls);
        sum.calls += w->calls;
        sum.ok += w->ok;
        sum.expected_refusals += w->expected_refusals;
        sum.crossed += w->crossed;
        sum.garbage += w->garbage;
        sum.undocumented += w->undocumented;
        sum.panics += w->panics;
        sum.key_leaks += w->key_leaks;
        sum.out_written += w->out_written;
        sum.bad_error += w->bad_error;
        sum.resent += w->resent;
        for (int i = 0; i < SIDE_COUNT; i++) {
            sum.sent[i] += w->sent[i];
        }
        sum.raw_fault_status[0] += w->raw_fault_status[0];
        sum.raw_fault_status[1] += w->raw_fault_status[1];
        for (int e = 0; e < E_COUNT; e++) {
            sum.fail_by_endpoint[e] += w->fail_by_endpoint[e];
        }
        for (int r = 0; r < MAX_CODE; r++) {
            for (int col = 0; col < COLS; col++) {
                sum.by_code[r][col] += w->by_code[r][col];
            }
        }
    }

    long total_rounds = 0;
    printf("load: %d threads x %ld calls, faults %s, client timeout %ld ms\n", THREADS, calls,
           with_faults ? "on" : "off", timeout_ms);
    if (with_faults) {
        printf("load: fault rounds:");
        for (int k = 1; k < K_COUNT; k++) {
            printf(" %s %ld", kind_names[k], ctl.rounds[k]);
            total_rounds += ctl.rounds[k];
        }
        printf(" (arming/disarming failures %ld)\n", ctl.arm_failures);
    }
    printf("load: failures by code and by the fault armed during the call (the kind that "
           "explains the code; mixed: several did):\n");
    printf("  %-32s", "code");
    for (int col = 1; col < COLS; col++) {
        printf(" %*s", (int)strlen(kind_names[col]), kind_names[col]);
    }
    printf(" %s\n", "none");
    char by_code_line[2048] = "";
    long failures = 0;
    for (int r = 0; r < MAX_CODE; r++) {
        long row = 0;
        for (int col = 0; col < COLS; col++) {
            row += sum.by_code[r][col];
        }
        if (row == 0) {
            continue;
        }
        failures += row;
        printf("  %-32s", authy_result_name((uint32_t)r));
        for (int col = 1; col < COLS; col++) {
            printf(" %*ld", (int)strlen(kind_names[col]), sum.by_code[r][col]);
        }
        printf(" %4ld\n", sum.by_code[r][K_NONE]);
        char item[96];
        snprintf(item, sizeof item, "%s%s %ld", by_code_line[0] ? ", " : "",
                 authy_result_name((uint32_t)r), row);
        strncat(by_code_line, item, sizeof by_code_line - strlen(by_code_line) - 1);
    }
    if (failures == 0) {
        printf("  (none)\n");
    }
    for (int k = 1; k < K_COUNT; k++) {
        for (int i = 0; i < sample_count[k]; i++) {
            printf("load: %-12s -> %s: %s\n", kind_names[k], authy_result_name(samples[k][i].code),
                   samples[k][i].message);
        }
    }
    printf("load: failures by endpoint:");
    for (int e = 0; e < E_COUNT; e++) {
        if (sum.fail_by_endpoint[e] > 0) {
            printf(" %s %ld", endpoint_names[e], sum.fail_by_endpoint[e]);
        }
    }
    printf("%s\n", failures == 0 ? " none" : "");
    printf("load: raw requests answered by a fault: HTTP 5xx %ld, HTTP 429 %ld\n",
           sum.raw_fault_status[0], sum.raw_fault_status[1]);
    printf("load: answers OK %ld, expected refusals %ld, undocumented %ld, garbage %ld, "
           "errors without details %ld, outputs written on failure %ld, key leaks %ld\n",
           sum.ok, sum.expected_refusals, sum.undocumented, sum.garbage, sum.bad_error,
           sum.out_written, sum.key_leaks);
    long duplicated = 0;
    printf("load: side effects received by the sandbox / calls made:");
    for (int i = 0; i < SIDE_COUNT; i++) {
        long received = received_after[i] - received_before[i];
        printf(" %s %ld/%ld", side_names[i], received, sum.sent[i]);
        duplicated += received > sum.sent[i] ? received - sum.sent[i] : 0;
        CHECK(received == sum.sent[i]);
    }
    printf("; duplicated %ld\n", duplicated);
    printf("load: calls %ld, crossed %ld, crashes %ld, failures by code: %s\n", sum.calls,
           sum.crossed, sum.panics, by_code_line[0] ? by_code_line : "none");

    CHECK(sum.calls >= (long)THREADS * calls);
    CHECK(sum.crossed == 0);
    CHECK(sum.garbage == 0);
    CHECK(sum.panics == 0);
    CHECK(sum.undocumented == 0);
    CHECK(sum.key_leaks == 0);
    CHECK(sum.out_written == 0);
    CHECK(sum.bad_error == 0);
    CHECK(sum.resent == 0);
    CHECK(ctl.arm_failures == 0);
    if (with_faults) {
        CHECK(total_rounds >= K_COUNT - 1); /* every kind was armed at least once */
        CHECK(failures + sum.raw_fault_status[0] + sum.raw_fault_status[1] > 0); /* and hit */
    } else {
        CHECK(failures == 0);
    }

    authy_client_free(quick);
    authy_client_free(client);
    printf("test_load: %d passed, %d failed\n", atomic_load(&passed), atomic_load(&failed));
    fflush(stdout); /* before LeakSanitizer's exit-time check, which ends with _exit() */
    return atomic_load(&failed) == 0 ? 0 : 1;
}
