/*
 * C test of the network options: authy_client_builder_set_tls_roots() and
 * authy_client_builder_set_proxy_from_env(). Run by tests/c/netopts.sh, once per scenario, with
 * the environment of that scenario (trust store, proxy variables), against a running sandbox:
 *
 *   test_netopts setters
 *       offline: constants, NULL / unknown values / error slot in use, building with each.
 *   test_netopts call ROOTS FROM_ENV EXPECTED [SECRET]
 *       builds a client for AUTHY_BASE_URL / AUTHY_API_KEY with ROOTS (bundled | platform),
 *       proxy_from_env FROM_ENV (0 | 1) and the PEM file AUTHY_CA_FILE when set, calls app
 *       details and checks the result is EXPECTED (a result name such as AUTHY_RESULT_OK or
 *       AUTHY_RESULT_TLS); SECRET, when given, must not appear in the error message.
 *       AUTHY_ALLOW_INSECURE_HTTP set: http:// to any host is allowed (http://0.0.0.0:PORT).
 *   test_netopts read-at-build PROXY_URL
 *       proxy variables are read by authy_client_builder_build() only: a client built before
 *       setenv("http_proxy", PROXY_URL) / setenv("https_proxy", ...) keeps working; one built
 *       after uses PROXY_URL (a proxy that is down: AUTHY_RESULT_CONNECT); an explicit proxy
 *       wins over the variables. The program is single-threaded when it calls setenv().
 *
 * Prints "test_netopts: N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or_die(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "test_netopts: %s is not set\n", name);
        exit(2);
    }
    return v;
}


/* A builder for the sandbox with the PEM of AUTHY_CA_FILE, if set; generous timeouts (a TLS
 * handshake under valgrind on a loaded machine can take seconds). */
static authy_client_builder *sandbox_builder(void) {
    authy_client_builder *b = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_builder_new(env_or_die("AUTHY_API_KEY"), &b, &err), AUTHY_RESULT_OK,
             &err);
    CHECK_RC(authy_client_builder_set_base_url(b, env_or_die("AUTHY_BASE_URL"), &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_connect_timeout_ms(b, 10000, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_timeout_ms(b, 20000, &err), AUTHY_RESULT_OK, &err);
    if (getenv("AUTHY_ALLOW_INSECURE_HTTP") != NULL) {
        /* http://0.0.0.0:PORT: the sandbox under a name that is not loopback (proxied). */
        CHECK_RC(authy_client_builder_set_allow_insecure_http(b, true, &err), AUTHY_RESULT_OK,
                 &err);
    }
    const char *ca_file = getenv("AUTHY_CA_FILE");
    if (ca_file != NULL && ca_file[0] != '\0') {
        char *pem = read_file(ca_file);
        CHECK(pem != NULL);
        if (pem != NULL) {
            CHECK_RC(authy_client_builder_set_root_ca_pem(b, pem, &err), AUTHY_RESULT_OK, &err);
            free(pem);
        }
    }
    return b;
}

/* app details through `client`: the result code; `*err` receives the error. */
static authy_result app_details(const authy_client *client, authy_error **err) {
    authy_response *resp = NULL;
    authy_result rc = authy_client_app_details(client, NULL, &resp, err);
    if (rc == AUTHY_RESULT_OK) {
        CHECK(authy_response_status(resp) == 200);
    }
    authy_response_free(resp);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */

static void test_setters(void) {
    CHECK(AUTHY_TLS_ROOTS_BUNDLED == 0);
    CHECK(AUTHY_TLS_ROOTS_PLATFORM == 1);
    authy_error *err = NULL;

    /* NULL builder. */
    CHECK_RC(authy_client_builder_set_tls_roots(NULL, AUTHY_TLS_ROOTS_PLATFORM, &err),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "builder") != NULL);
    clear(&err);
    CHECK_RC(authy_client_builder_set_proxy_from_env(NULL, true, &err),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    clear(&err);
    CHECK_RC(authy_client_builder_set_proxy_from_env(NULL, false, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);

    authy_client_builder *b = NULL;
    CHECK_RC(authy_client_builder_new("k-123", &b, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_base_url(b, "https://127.0.0.1:1", &err), AUTHY_RESULT_OK,
             &err);

    /* Unknown values are refused at once, with a message; the builder stays usable. */
    static const uint32_t bad[] = {2, 3, 100, 0x7fffffffu, 0xffffffffu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_RC(authy_client_builder_set_tls_roots(b, bad[i], &err),
                 AUTHY_RESULT_INVALID_ARGUMENT, NULL);
        CHECK(err != NULL && strstr(authy_error_message(err), "TLS roots") != NULL);
        CHECK(err != NULL && authy_error_code(err) == AUTHY_RESULT_INVALID_ARGUMENT);
        clear(&err);
    }
    CHECK_RC(authy_client_builder_set_tls_roots(b, 2, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);

    /* A non-NULL *error is refused and left alone. */
    authy_error *held = NULL;
    CHECK_RC(authy_client_builder_set_tls_roots(NULL, 0, &held), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    authy_error *before = held;
    CHECK_RC(authy_client_builder_set_tls_roots(b, AUTHY_TLS_ROOTS_PLATFORM, &held),
             AUTHY_RESULT_ERROR_SLOT_IN_USE, NULL);
    CHECK_RC(authy_client_builder_set_proxy_from_env(b, true, &held),
             AUTHY_RESULT_ERROR_SLOT_IN_USE, NULL);
    CHECK(held == before);
    clear(&held);

    /* Every combination builds (no I/O at build; the store is read on the first connection). */
    const uint32_t roots[] = {AUTHY_TLS_ROOTS_BUNDLED, AUTHY_TLS_ROOTS_PLATFORM};
    for (size_t r = 0; r < 2; r++) {
        for (int env = 0; env < 2; env++) {
            CHECK_RC(authy_client_builder_set_tls_roots(b, roots[r], &err), AUTHY_RESULT_OK,
                     &err);
            CHECK_RC(authy_client_builder_set_proxy_from_env(b, env != 0, &err), AUTHY_RESULT_OK,
                     &err);
            const authy_client *c = NULL;
            CHECK_RC(authy_client_builder_build(b, &c, &err), AUTHY_RESULT_OK, &err);
            CHECK(c != NULL);
            authy_client_free(c);
            clear(&err);
        }
    }
    authy_client_builder_free(b);
}

/* ------------------------------------------------------------------------------------------ */

static authy_result result_by_name(const char *name) {
    for (uint32_t code = 0; code < 1000; code++) {
        const char *n = authy_result_name(code);
        if (n != NULL && strcmp(n, name) == 0) return (authy_result)code;
    }
    fprintf(stderr, "test_netopts: unknown result name %s\n", name);
    exit(2);
}

static void test_call(const char *roots, const char *from_env, const char *expected,
                      const char *secret) {
    authy_client_builder *b = sandbox_builder();
    authy_error *err = NULL;
    uint32_t which = strcmp(roots, "platform") == 0 ? AUTHY_TLS_ROOTS_PLATFORM
                                                     : AUTHY_TLS_ROOTS_BUNDLED;
    CHECK_RC(authy_client_builder_set_tls_roots(b, which, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_proxy_from_env(b, strcmp(from_env, "1") == 0, &err),
             AUTHY_RESULT_OK, &err);
    const authy_client *c = NULL;
    authy_result want = result_by_name(expected);
    authy_result rc = authy_client_builder_build(b, &c, &err);
    authy_client_builder_free(b);
    if (rc == AUTHY_RESULT_OK) {
        rc = app_details(c, &err);
        authy_client_free(c);
    } else {
        CHECK(c == NULL);
    }
    CHECK_RC(rc, want, &err);
    if (err != NULL) {
        printf("error: %s\n", authy_error_message(err));
        if (secret != NULL) CHECK(strstr(authy_error_message(err), secret) == NULL);
    }
    clear(&err);
}

/* ------------------------------------------------------------------------------------------ */

static const authy_client *build_from_env(const char *explicit_proxy) {
    authy_client_builder *b = sandbox_builder();
    authy_error *err = NULL;
    CHECK_RC(authy_client_builder_set_proxy_from_env(b, true, &err), AUTHY_RESULT_OK, &err);
    if (explicit_proxy != NULL) {
        CHECK_RC(authy_client_builder_set_proxy(b, explicit_proxy, &err), AUTHY_RESULT_OK, &err);
    }
    const authy_client *c = NULL;
    CHECK_RC(authy_client_builder_build(b, &c, &err), AUTHY_RESULT_OK, &err);
    authy_client_builder_free(b);
    clear(&err);
    return c;
}

static void test_read_at_build(const char *proxy_url) {
    authy_error *err = NULL;
    unsetenv("http_proxy");
    unsetenv("https_proxy");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    unsetenv("HTTPS_PROXY");
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    const authy_client *before = build_from_env(NULL);
    CHECK_RC(app_details(before, &err), AUTHY_RESULT_OK, &err);
    clear(&err);

    CHECK(setenv("http_proxy", proxy_url, 1) == 0);
    CHECK(setenv("https_proxy", proxy_url, 1) == 0);
    /* Built before: not affected. */
    CHECK_RC(app_details(before, &err), AUTHY_RESULT_OK, &err);
    clear(&err);
    /* Built after: uses the (dead) proxy. */
    const authy_client *after = build_from_env(NULL);
    CHECK_RC(app_details(after, &err), AUTHY_RESULT_CONNECT, &err);
    clear(&err);
    /* Removing the variables does not change that client either. */
    unsetenv("http_proxy");
    unsetenv("https_proxy");
    CHECK_RC(app_details(after, &err), AUTHY_RESULT_CONNECT, &err);
    clear(&err);
    authy_client_free(after);

    /* NO_PROXY=* set after the proxy: direct again. */
    CHECK(setenv("http_proxy", proxy_url, 1) == 0);
    CHECK(setenv("https_proxy", proxy_url, 1) == 0);
    CHECK(setenv("NO_PROXY", "*", 1) == 0);
    const authy_client *bypass = build_from_env(NULL);
    CHECK_RC(app_details(bypass, &err), AUTHY_RESULT_OK, &err);
    clear(&err);
    authy_client_free(bypass);

    /* An explicit proxy wins over the environment (and NO_PROXY does not apply to it). */
    const authy_client *explicit_proxy = build_from_env(proxy_url);
    CHECK_RC(app_details(explicit_proxy, &err), AUTHY_RESULT_CONNECT, &err);
    clear(&err);
    authy_client_free(explicit_proxy);
    authy_client_free(before);
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "setters") == 0) {
        test_setters();
    } else if (argc >= 5 && strcmp(argv[1], "call") == 0) {
        test_call(argv[2], argv[3], argv[4], argc >= 6 ? argv[5] : NULL);
    } else if (argc >= 3 && strcmp(argv[1], "read-at-build") == 0) {
        test_read_at_build(argv[2]);
    } else {
        fprintf(stderr,
                "usage: test_netopts setters | call ROOTS FROM_ENV EXPECTED [SECRET] | "
                "read-at-build PROXY_URL\n");
        return 2;
    }
    printf("test_netopts: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
