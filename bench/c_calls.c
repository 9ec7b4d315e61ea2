/*
 * bench/c_calls.c: sequential calls through the C ABI against a running authy-sandbox, for
 * bench/run.sh. Every call is authy_client_app_details() (GET /protected/json/app/details,
 * the endpoint `wrk` and authy-python are measured on), checked and released.
 *
 * Usage:
 *   c_calls seq       BASE_URL API_KEY CA_FILE|- SECONDS   calls/s over SECONDS (after a warm-up)
 *   c_calls rss       BASE_URL API_KEY CA_FILE|- N         VmRSS after 1,000 calls and after N more
 *   c_calls callgrind BASE_URL API_KEY CA_FILE|- N         N calls inside bench_loop_c, the only
 *                                                          function callgrind counts
 *                                                          (--toggle-collect=bench_loop_c)
 *
 * CA_FILE is the PEM the sandbox wrote with --tls-self-signed --ca-out (for an https:// URL),
 * "-" for none. Output: one line of numbers on stdout (see each mode); errors on stderr, exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authy.h"

static void fail(const char *what, authy_result r, authy_error *err) {
    fprintf(stderr, "c_calls: %s: %s (%u): %s\n", what, authy_result_str(r), (unsigned)r,
            err ? authy_error_message(err) : "");
    authy_error_free(err);
    exit(1);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len <= 1) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "c_calls: out of memory\n");
        exit(1);
    }
    buf[len] = '\0';
    return buf;
}

static const authy_client *build(const char *url, const char *key, const char *ca_file) {
    authy_error *err = NULL;
    authy_client_builder *builder = NULL;
    authy_result r = authy_client_builder_new(key, &builder, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("builder", r, err);
    }
    r = authy_client_builder_set_base_url(builder, url, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("base url", r, err);
    }
    if (strcmp(ca_file, "-") != 0) {
        char *pem = read_file(ca_file);
        r = authy_client_builder_set_root_ca_pem(builder, pem, &err);
        free(pem);
        if (r != AUTHY_RESULT_OK) {
            fail("root CA", r, err);
        }
    }
    const authy_client *client = NULL;
    r = authy_client_builder_build(builder, &client, &err);
    authy_client_builder_free(builder);
    if (r != AUTHY_RESULT_OK) {
        fail("build", r, err);
    }
    return client;
}

/* One app_details call; the answer is checked and released. */
static void one_call(const authy_client *client) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_app_details(client, NULL, &resp, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("app_details", r, err);
    }
    if (!authy_response_ok(resp)) {
        fprintf(stderr, "c_calls: unexpected answer %u\n", (unsigned)authy_response_status(resp));
        exit(1);
    }
    authy_response_free(resp);
}

/* The measured loop of the callgrind mode (the only code callgrind counts). */
__attribute__((noinline)) static void bench_loop_c(const authy_client *client, long n) {
    for (long i = 0; i < n; i++) {
        one_call(client);
    }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* VmRSS of this process in KiB. */
static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kib;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s seq|rss|callgrind BASE_URL API_KEY CA_FILE|- SECONDS|N\n",
                argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    const authy_client *client = build(argv[2], argv[3], argv[4]);

    if (strcmp(mode, "seq") == 0) {
        /* Prints: calls seconds calls_per_second */
        double seconds = strtod(argv[5], NULL);
        double warm_until = now() + 0.3;
        while (now() < warm_until) {
            one_call(client);
        }
        long calls = 0;
        double start = now(), end = start + seconds, t;
        do {
            one_call(client);
            calls++;
        } while ((t = now()) < end);
        printf("%ld %.6f %.1f\n", calls, t - start, (double)calls / (t - start));
    } else if (strcmp(mode, "rss") == 0) {
        /* Prints: rss_kib_after_warmup rss_kib_after_half rss_kib_after_n */
        long n = strtol(argv[5], NULL, 10);
        for (int i = 0; i < 1000; i++) {
            one_call(client);
        }
        long r0 = rss_kib();
        for (long i = 0; i < n / 2; i++) {
            one_call(client);
        }
        long r1 = rss_kib();
        for (long i = n / 2; i < n; i++) {
            one_call(client);
        }
        printf("%ld %ld %ld\n", r0, r1, rss_kib());
    } else if (strcmp(mode, "callgrind") == 0) {
        /* One call first, so that the measured loop starts with a pooled connection. */
        long n = strtol(argv[5], NULL, 10);
        one_call(client);
        bench_loop_c(client, n);
        printf("%ld\n", n);
    } else {
        fprintf(stderr, "c_calls: unknown mode %s\n", mode);
        return 2;
    }
    authy_client_free(client);
    return 0;
}
