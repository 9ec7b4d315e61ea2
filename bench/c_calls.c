/*
 * bench/c_calls.c: N authy_client_verify_token() calls through the C ABI against a running
 * sandbox, for bench/run.sh to count instructions with callgrind (only bench_loop_c is
 * counted: --toggle-collect=bench_loop_c). Same request as examples/bench_client.rs.
 *
 * Usage: c_calls BASE_URL API_KEY N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authy.h"

static void fail(const char *what, authy_result r, authy_error *err) {
    fprintf(stderr, "%s: %s (%u): %s\n", what, authy_result_str(r), (unsigned)r,
            err ? authy_error_message(err) : "");
    authy_error_free(err);
    exit(1);
}

/* One verify_token call; the answer is checked and released. */
static void one_call(const authy_client *client, const char *authy_id) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_verify_token(client, authy_id, "0000000", NULL, &resp, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("verify_token", r, err);
    }
    authy_response_free(resp);
}

/* The measured loop (the only code callgrind counts). */
__attribute__((noinline)) static void bench_loop_c(const authy_client *client,
                                                   const char *authy_id, long n) {
    for (long i = 0; i < n; i++) {
        one_call(client, authy_id);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL API_KEY N\n", argv[0]);
        return 2;
    }
    long n = strtol(argv[3], NULL, 10);
    authy_error *err = NULL;
    authy_client_builder *builder = NULL;
    authy_result r = authy_client_builder_new(argv[2], &builder, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("builder", r, err);
    }
    r = authy_client_builder_set_base_url(builder, argv[1], &err);
    if (r != AUTHY_RESULT_OK) {
        fail("base url", r, err);
    }
    const authy_client *client = NULL;
    r = authy_client_builder_build(builder, &client, &err);
    authy_client_builder_free(builder);
    if (r != AUTHY_RESULT_OK) {
        fail("build", r, err);
    }

    authy_response *user = NULL;
    r = authy_client_create_user(client, "bench@example.com", "555-123-4567", NULL, &user, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("create_user", r, err);
    }
    const char *id = authy_response_user_id(user);
    if (id == NULL) {
        fprintf(stderr, "no user id\n");
        return 1;
    }
    char authy_id[32];
    snprintf(authy_id, sizeof authy_id, "%s", id);
    authy_response_free(user);

    /* One call first, so that the measured loop starts with a pooled connection. */
    one_call(client, authy_id);
    bench_loop_c(client, authy_id, n);

    authy_client_free(client);
    return 0;
}
