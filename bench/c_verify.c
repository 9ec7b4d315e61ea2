/*
 * bench/c_verify.c: sequential Twilio Verify calls through the C ABI against a running
 * authy-sandbox, for bench/run.sh. Every measured call is authy_verify_client_fetch_service()
 * (GET /v2/Services/{VA}, HTTP Basic with the Account SID and Auth Token: the request `wrk` and
 * twilio-python are measured on), checked and released.
 *
 * Usage:
 *   c_verify create BASE_URL ACCOUNT_SID AUTH_TOKEN CA_FILE|-          creates a Service, prints its VA…
 *   c_verify seq    BASE_URL ACCOUNT_SID AUTH_TOKEN CA_FILE|- SECONDS VA…
 *                                                  prints "calls seconds calls_per_second"
 *   c_verify callgrind BASE_URL ACCOUNT_SID AUTH_TOKEN CA_FILE|- N VA…
 *                                                  one fetch, then N inside bench_loop_verify,
 *                                                  the only function callgrind counts
 *                                                  (--toggle-collect=bench_loop_verify)
 *
 * CA_FILE is the PEM the sandbox wrote with --tls-self-signed --ca-out (for an https:// URL),
 * "-" for none. Errors on stderr, exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authy.h"

static void fail(const char *what, authy_result r, authy_error *err) {
    fprintf(stderr, "c_verify: %s: %s (%u): %s\n", what, authy_result_str(r), (unsigned)r,
            err ? authy_error_message(err) : "");
    authy_error_free(err);
    exit(1);
}

static char *read_pem(const char *path) {
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
        fprintf(stderr, "c_verify: cannot read %s\n", path);
        exit(1);
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const authy_verify_client *build(const char *url, const char *sid, const char *token,
                                        const char *ca_file) {
    authy_error *err = NULL;
    authy_client_builder *builder = NULL;
    authy_result r = authy_client_builder_new_verify(sid, token, &builder, &err);
    if (r != AUTHY_RESULT_OK) fail("builder", r, err);
    r = authy_client_builder_set_base_url(builder, url, &err);
    if (r != AUTHY_RESULT_OK) fail("base url", r, err);
    if (strcmp(ca_file, "-") != 0) {
        char *pem = read_pem(ca_file);
        r = authy_client_builder_set_root_ca_pem(builder, pem, &err);
        free(pem);
        if (r != AUTHY_RESULT_OK) fail("root CA", r, err);
    }
    const authy_verify_client *client = NULL;
    r = authy_client_builder_build_verify(builder, &client, &err);
    authy_client_builder_free(builder);
    if (r != AUTHY_RESULT_OK) fail("build", r, err);
    return client;
}

/* One fetch; the answer is checked and released. */
static void one_call(const authy_verify_client *client, const char *va) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_verify_client_fetch_service(client, va, &resp, &err);
    if (r != AUTHY_RESULT_OK) fail("fetch_service", r, err);
    if (!authy_response_ok(resp)) {
        fprintf(stderr, "c_verify: unexpected answer %u\n", (unsigned)authy_response_status(resp));
        exit(1);
    }
    authy_response_free(resp);
}

/* The measured loop of the callgrind mode (the only code callgrind counts). */
__attribute__((noinline)) static void bench_loop_verify(const authy_verify_client *client,
                                                        const char *va, long n) {
    for (long i = 0; i < n; i++) one_call(client, va);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr,
                "usage: %s create|seq|callgrind BASE_URL ACCOUNT_SID AUTH_TOKEN CA_FILE|- "
                "[SECONDS|N VA]\n",
                argv[0]);
        return 2;
    }
    const authy_verify_client *client = build(argv[2], argv[3], argv[4], argv[5]);
    if (strcmp(argv[1], "create") == 0 && argc == 6) {
        authy_response *resp = NULL;
        authy_error *err = NULL;
        const char *sid = NULL;
        authy_result r = authy_verify_client_create_service(client, "libauthy bench", NULL, &resp,
                                                            &err);
        if (r != AUTHY_RESULT_OK) fail("create_service", r, err);
        r = authy_response_get_string(resp, "/sid", &sid, &err);
        if (r != AUTHY_RESULT_OK) fail("the service's sid", r, err);
        printf("%s\n", sid);
        authy_response_free(resp);
    } else if (strcmp(argv[1], "seq") == 0 && argc == 8) {
        double seconds = strtod(argv[6], NULL);
        const char *va = argv[7];
        double warm_until = now() + 0.3;
        while (now() < warm_until) one_call(client, va);
        long calls = 0;
        double start = now(), end = start + seconds, t;
        do {
            one_call(client, va);
            calls++;
        } while ((t = now()) < end);
        printf("%ld %.6f %.1f\n", calls, t - start, (double)calls / (t - start));
    } else if (strcmp(argv[1], "callgrind") == 0 && argc == 8) {
        long n = strtol(argv[6], NULL, 10);
        one_call(client, argv[7]);
        bench_loop_verify(client, argv[7], n);
        printf("%ld\n", n);
    } else {
        fprintf(stderr, "c_verify: unknown mode or wrong arguments\n");
        return 2;
    }
    authy_verify_client_free(client);
    return 0;
}
