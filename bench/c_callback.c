/*
 * bench/c_callback.c: OneTouch callback verification as a C caller runs it, for bench/run.sh
 * (issue 14, target 1): authy_callback_verify() through the C ABI against a bare
 * HMAC-SHA256 (OpenSSL) of the ready string to sign + base64 decode of the header + constant-time
 * compare, on the same vector, interleaved runs, medians; and Verify's X-Twilio-Signature check
 * (authy_twilio_signature_verify() ÷ OpenSSL HMAC-SHA1) on one realistic webhook.
 *
 * Usage:
 *   c_callback time DIR RUNS        one line per method: "POST LIB_US BARE_US RATIO"
 *   c_callback callgrind DIR N [M]  N calls of each inside lib_loop / bare_loop / params_loop /
 *                                   read_loop (--toggle-collect=lib_loop, ...; read_loop: the
 *                                   parameters, then status and uuid read); M = POST or GET:
 *                                   that vector only (default: both)
 *   c_callback twilio-dump DIR 1    writes the Verify webhook below (twilio.token, twilio.url,
 *                                   twilio.body, twilio.sig) for bench/py_twilio_signature.py
 *   c_callback twilio DIR RUNS      "TWILIO-BODYBYTES LIB_US BARE_US RATIO":
 *                                   authy_twilio_signature_verify() ÷ OpenSSL HMAC-SHA1 of the
 *                                   ready string URL + sorted params, base64, CRYPTO_memcmp
 *   c_callback twilio-callgrind DIR N  N calls of each inside tw_lib_loop / tw_bare_loop
 *   c_callback params DIR RUNS      "POST-PARAMS PARAMS_US VERIFY_US RATIO" (and GET): what the
 *                                   verified parameters cost, authy_callback_verify_params() +
 *                                   authy_callback_free() ÷ authy_callback_verify()
 *
 * DIR holds the files examples/bench_signature.rs writes with BENCH_DUMP=DIR
 * (POST.key, POST.method, POST.url, POST.nonce, POST.params, POST.sig, POST.sts; same for GET).
 * Errors on stderr, exit 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "authy.h"

struct vec {
    char *key, *method, *url, *nonce, *params, *sig, *sts;
};

static char *slurp(const char *dir, const char *method, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, method, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "c_callback: cannot read %s\n", path);
        exit(1);
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static struct vec load(const char *dir, const char *method) {
    struct vec v = {slurp(dir, method, "key"),   slurp(dir, method, "method"),
                    slurp(dir, method, "url"),   slurp(dir, method, "nonce"),
                    slurp(dir, method, "params"), slurp(dir, method, "sig"),
                    slurp(dir, method, "sts")};
    return v;
}

static int lib_once(const struct vec *v) {
    return authy_callback_verify(v->key, v->method, v->url, v->nonce, v->sig, v->params, 0, 0,
                                 NULL) == AUTHY_RESULT_OK;
}

/* What a caller with the string to sign in hand would do with OpenSSL. */
static int bare_once(const struct vec *v) {
    unsigned char tag[64], mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    size_t sig_len = strlen(v->sig);
    if (sig_len != 44) return 0;
    int n = EVP_DecodeBlock(tag, (const unsigned char *)v->sig, (int)sig_len);
    if (n != 33) return 0; /* 32 bytes + the one padding byte EVP_DecodeBlock counts */
    if (HMAC(EVP_sha256(), v->key, (int)strlen(v->key), (const unsigned char *)v->sts,
             strlen(v->sts), mac, &mac_len) == NULL)
        return 0;
    return mac_len == 32 && CRYPTO_memcmp(mac, tag, 32) == 0;
}

/* The check that also hands out the verified parameters (what the Go and Ruby bindings call). */
static int params_once(const struct vec *v) {
    authy_callback *cb = NULL;
    int ok = authy_callback_verify_params(v->key, v->method, v->url, v->nonce, v->sig, v->params,
                                          0, 0, &cb, NULL) == AUTHY_RESULT_OK;
    authy_callback_free(cb);
    return ok;
}

/* The same, then `status` and `uuid` read as the Go and Ruby wrappers read them. */
static int read_once(const struct vec *v) {
    authy_callback *cb = NULL;
    const char *status = NULL, *uuid = NULL;
    int ok = authy_callback_verify_params(v->key, v->method, v->url, v->nonce, v->sig, v->params,
                                          0, 0, &cb, NULL) == AUTHY_RESULT_OK &&
             authy_callback_get_string(cb, "/status", &status, NULL) == AUTHY_RESULT_OK &&
             authy_callback_get_string(cb, "/uuid", &uuid, NULL) == AUTHY_RESULT_OK &&
             status[0] != '\0' && uuid[0] != '\0';
    authy_callback_free(cb);
    return ok;
}

/* n calls of `once` on the vector at p, stopping the program if one does not verify. */
static inline void repeat(int (*once)(const struct vec *), const void *p, long n, const char *how) {
    for (long i = 0; i < n; i++)
        if (!once(p)) {
            fprintf(stderr, "c_callback: the vector does not verify %s\n", how);
            exit(1);
        }
}

/* One named function per variant, for callgrind's --toggle-collect. */
__attribute__((noinline)) void params_loop(const void *p, long n) {
    repeat(params_once, p, n, "with its parameters");
}

__attribute__((noinline)) void read_loop(const void *p, long n) {
    repeat(read_once, p, n, "with its parameters read");
}

__attribute__((noinline)) void lib_loop(const void *p, long n) {
    repeat(lib_once, p, n, "through the C ABI");
}

__attribute__((noinline)) void bare_loop(const void *p, long n) {
    repeat(bare_once, p, n, "with OpenSSL");
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Microseconds per call of `loop` over about 150 ms. */
static double us_per_call(void (*loop)(const void *, long), const void *v) {
    long n = 0, batch = 256;
    double t0 = now_s(), t;
    do {
        loop(v, batch);
        n += batch;
        t = now_s();
    } while (t - t0 < 0.15);
    return (t - t0) * 1e6 / (double)n;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *xs, int n) {
    qsort(xs, (size_t)n, sizeof *xs, cmp);
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/* Interleaved runs of `lib` and `bare` on `v` (after a warm-up of each); prints
 * "LABEL LIB_US BARE_US RATIO", the medians. */
static void time_pair(const char *label, void (*lib)(const void *, long),
                      void (*bare)(const void *, long), const void *v, int runs) {
    double lib_us[64], bare_us[64], ratio[64];
    if (runs > 64) runs = 64;
    us_per_call(lib, v); /* warm-up */
    us_per_call(bare, v);
    for (int r = 0; r < runs; r++) {
        if (r % 2 == 0) {
            lib_us[r] = us_per_call(lib, v);
            bare_us[r] = us_per_call(bare, v);
        } else {
            bare_us[r] = us_per_call(bare, v);
            lib_us[r] = us_per_call(lib, v);
        }
        ratio[r] = lib_us[r] / bare_us[r];
    }
    printf("%s %.3f %.3f %.3f\n", label, median(lib_us, runs), median(bare_us, runs),
           median(ratio, runs));
}

/* ---- Verify's X-Twilio-Signature --------------------------------------------------------------
 * A challenge.approved webhook as the sandbox (sandbox/README.md, "Webhook events", Version v2)
 * and Twilio send it: 13 form parameters, JSON values as strings. */
static const char *const TW_TOKEN = "sandbox-auth-token-0123456789abcd";
static const char *const TW_URL = "https://example.com/twilio/verify-webhook?tenant=acme";
static const char *const TW_PARAMS[][2] = {
    {"uuid", "1f0c5c1e-5a3b-4b8e-9a57-3c2f7d6e8b90"},
    {"type", "challenge.approved"},
    {"account_sid", "AC00000000000000000000000000000000"},
    {"service_sid", "VA0123456789abcdef0123456789abcdef"},
    {"entity_identity", "ff483d1ff591898a9942916050d2ca3f"},
    {"factor_sid", "YF0123456789abcdef0123456789abcdef"},
    {"factor_type", "push"},
    {"challenge_sid", "YC0123456789abcdef0123456789abcdef"},
    {"status", "approved"},
    {"created_date", "2026-12-07T10:00:00Z"},
    {"challenge_details",
     "{\"message\":\"Hi! Mr. John Doe, would you like to sign up?\",\"date\":\"2026-12-07T10:00:00Z\","
     "\"fields\":[{\"label\":\"Action\",\"value\":\"Sign up in portal\"}]}"},
    {"hidden_details", "{\"ip\":\"172.168.1.234\"}"},
    {"metadata", "{\"os\":\"Android\",\"device\":\"Pixel 8\"}"},
};
#define TW_N (sizeof TW_PARAMS / sizeof TW_PARAMS[0])

struct twilio {
    char url[256], body[2048], sts[2048], sig[64];
};

static void form_escape(char *out, size_t cap, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(out);
    for (; *s != '\0' && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '*') {
            out[n++] = (char)c;
        } else if (c == ' ') {
            out[n++] = '+';
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
}

static int by_name(const void *a, const void *b) {
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* The base64 HMAC-SHA1 of `sts` under the Auth Token, in `out` (29 bytes). */
static int hmac_sha1_b64(const char *sts, char *out) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha1(), TW_TOKEN, (int)strlen(TW_TOKEN), (const unsigned char *)sts,
             strlen(sts), mac, &mac_len) == NULL || mac_len != 20)
        return 0;
    return EVP_EncodeBlock((unsigned char *)out, mac, 20) == 28;
}

/* The request (URL, form body) and, once, the string to sign and the header value. */
static struct twilio twilio_request(void) {
    struct twilio t;
    memset(&t, 0, sizeof t);
    snprintf(t.url, sizeof t.url, "%s", TW_URL);
    const char *const *sorted[TW_N];
    for (size_t i = 0; i < TW_N; i++) {
        if (i > 0) strcat(t.body, "&");
        form_escape(t.body, sizeof t.body, TW_PARAMS[i][0]);
        strcat(t.body, "=");
        form_escape(t.body, sizeof t.body, TW_PARAMS[i][1]);
        sorted[i] = TW_PARAMS[i];
    }
    qsort(sorted, TW_N, sizeof sorted[0], by_name);
    snprintf(t.sts, sizeof t.sts, "%s", t.url);
    for (size_t i = 0; i < TW_N; i++) {
        strcat(t.sts, sorted[i][0]);
        strcat(t.sts, sorted[i][1]);
    }
    if (!hmac_sha1_b64(t.sts, t.sig)) {
        fprintf(stderr, "c_callback: HMAC-SHA1 failed\n");
        exit(1);
    }
    return t;
}

static int tw_lib_once(const struct twilio *t) {
    return authy_twilio_signature_verify(TW_TOKEN, t->url, t->body, t->sig, NULL) ==
           AUTHY_RESULT_OK;
}

/* What a caller with the string to sign in hand would do with OpenSSL. */
static int tw_bare_once(const struct twilio *t) {
    char mine[32];
    return strlen(t->sig) == 28 && hmac_sha1_b64(t->sts, mine) &&
           CRYPTO_memcmp(mine, t->sig, 28) == 0;
}

__attribute__((noinline)) void tw_lib_loop(const void *p, long n) {
    for (long i = 0; i < n; i++)
        if (!tw_lib_once(p)) {
            fprintf(stderr, "c_callback: the webhook does not verify through the C ABI\n");
            exit(1);
        }
}

__attribute__((noinline)) void tw_bare_loop(const void *p, long n) {
    for (long i = 0; i < n; i++)
        if (!tw_bare_once(p)) {
            fprintf(stderr, "c_callback: the webhook does not verify with OpenSSL\n");
            exit(1);
        }
}

static void write_file(const char *dir, const char *name, const char *text) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc == 5 && strcmp(argv[1], "callgrind") == 0)) {
        fprintf(stderr,
                "usage: c_callback time|callgrind|params|twilio|twilio-dump|twilio-callgrind DIR RUNS|N "
                "[POST|GET]\n");
        return 1;
    }
    long count = atol(argv[3]);
    if (count < 1 || count > 1000000) count = 5;
    if (strncmp(argv[1], "twilio", 6) == 0) {
        struct twilio t = twilio_request();
        if (!tw_lib_once(&t) || !tw_bare_once(&t)) {
            fprintf(stderr, "c_callback: the webhook does not verify\n");
            return 1;
        }
        if (strcmp(argv[1], "twilio-dump") == 0) {
            write_file(argv[2], "twilio.token", TW_TOKEN);
            write_file(argv[2], "twilio.url", t.url);
            write_file(argv[2], "twilio.body", t.body);
            write_file(argv[2], "twilio.sig", t.sig);
            printf("%zu params, %zu bytes of body\n", TW_N, strlen(t.body));
        } else if (strcmp(argv[1], "twilio-callgrind") == 0) {
            tw_lib_loop(&t, count);
            tw_bare_loop(&t, count);
            printf("TWILIO %ld calls each\n", count);
        } else {
            char label[32];
            snprintf(label, sizeof label, "TWILIO-%zu", strlen(t.body));
            time_pair(label, tw_lib_loop, tw_bare_loop, &t, (int)count);
        }
        return 0;
    }
    const char *methods[2] = {"POST", "GET"};
    for (int m = 0; m < 2; m++) {
        if (argc == 5 && strcmp(argv[4], methods[m]) != 0) continue;
        struct vec v = load(argv[2], methods[m]);
        if (!lib_once(&v) || !bare_once(&v)) {
            fprintf(stderr, "c_callback: %s vector does not verify\n", methods[m]);
            return 1;
        }
        if (strcmp(argv[1], "params") == 0) {
            char label[32];
            snprintf(label, sizeof label, "%s-PARAMS", methods[m]);
            time_pair(label, params_loop, lib_loop, &v, (int)count);
            continue;
        }
        if (strcmp(argv[1], "callgrind") == 0) {
            lib_loop(&v, count);
            bare_loop(&v, count);
            params_loop(&v, count);
            read_loop(&v, count);
            printf("%s %ld calls each\n", methods[m], count);
            continue;
        }
        time_pair(methods[m], lib_loop, bare_loop, &v, (int)count);
    }
    return 0;
}
