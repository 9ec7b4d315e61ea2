/*
 * bench/c_callback.c: OneTouch callback verification as a C caller runs it, for bench/run.sh
 * (issue 14, target 1): authy_callback_verify() through the C ABI against a bare
 * HMAC-SHA256 (OpenSSL) of the ready string to sign + base64 decode of the header + constant-time
 * compare, on the same vector, interleaved runs, medians.
 *
 * Usage:
 *   c_callback time DIR RUNS        one line per method: "POST LIB_US BARE_US RATIO"
 *   c_callback callgrind DIR N      N calls of each inside lib_loop / bare_loop
 *                                   (--toggle-collect=lib_loop or bare_loop)
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

__attribute__((noinline)) void lib_loop(const struct vec *v, long n) {
    for (long i = 0; i < n; i++)
        if (!lib_once(v)) {
            fprintf(stderr, "c_callback: the vector does not verify through the C ABI\n");
            exit(1);
        }
}

__attribute__((noinline)) void bare_loop(const struct vec *v, long n) {
    for (long i = 0; i < n; i++)
        if (!bare_once(v)) {
            fprintf(stderr, "c_callback: the vector does not verify with OpenSSL\n");
            exit(1);
        }
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Microseconds per call of `loop` over about 150 ms. */
static double us_per_call(void (*loop)(const struct vec *, long), const struct vec *v) {
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

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: c_callback time|callgrind DIR RUNS|N\n");
        return 1;
    }
    const char *methods[2] = {"POST", "GET"};
    long count = atol(argv[3]);
    if (count < 1 || count > 1000000) count = 5;
    for (int m = 0; m < 2; m++) {
        struct vec v = load(argv[2], methods[m]);
        if (!lib_once(&v) || !bare_once(&v)) {
            fprintf(stderr, "c_callback: %s vector does not verify\n", methods[m]);
            return 1;
        }
        if (strcmp(argv[1], "callgrind") == 0) {
            lib_loop(&v, count);
            bare_loop(&v, count);
            printf("%s %ld calls each\n", methods[m], count);
            continue;
        }
        int runs = (int)count;
        double lib[64], bare[64], ratio[64];
        if (runs > 64) runs = 64;
        us_per_call(lib_loop, &v); /* warm-up */
        us_per_call(bare_loop, &v);
        for (int r = 0; r < runs; r++) {
            if (r % 2 == 0) {
                lib[r] = us_per_call(lib_loop, &v);
                bare[r] = us_per_call(bare_loop, &v);
            } else {
                bare[r] = us_per_call(bare_loop, &v);
                lib[r] = us_per_call(lib_loop, &v);
            }
            ratio[r] = lib[r] / bare[r];
        }
        printf("%s %.3f %.3f %.3f\n", methods[m], median(lib, runs), median(bare, runs),
               median(ratio, runs));
    }
    return 0;
}
