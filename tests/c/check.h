/*
 * What the C test programs share: the CHECK counters (atomic, so threads may check too), a
 * result-code check that prints the error's details, and small helpers. Header-only, included
 * once per program; every helper is `static inline`, so a program that does not use one gets no
 * unused-function warning.
 */
#ifndef AUTHY_TEST_CHECK_H
#define AUTHY_TEST_CHECK_H

#include "authy.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int passed;
static atomic_int failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond) {                                                                    \
            atomic_fetch_add(&passed, 1);                                              \
        } else {                                                                       \
            atomic_fetch_add(&failed, 1);                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

/* Checks a result code; on mismatch prints the error details when `errp` holds one. */
#define CHECK_RC(expr, want, errp) check_rc((expr), (want), (errp), #expr, __FILE__, __LINE__)

static inline void check_rc(authy_result got, authy_result want, authy_error **errp,
                            const char *what, const char *file, int line) {
    if (got == want) {
        atomic_fetch_add(&passed, 1);
        return;
    }
    atomic_fetch_add(&failed, 1);
    fprintf(stderr, "%s:%d: %s returned %s (%u), expected %s\n", file, line, what,
            authy_result_name(got), (unsigned)got, authy_result_name(want));
    if (errp != NULL && *errp != NULL) {
        fprintf(stderr, "    error: %s (HTTP %u, code %s)\n", authy_error_message(*errp),
                (unsigned)authy_error_http_status(*errp),
                authy_error_authy_code(*errp) ? authy_error_authy_code(*errp) : "-");
    }
}

static inline int streq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Frees *err and resets it to NULL. */
static inline void clear(authy_error **err) {
    authy_error_free(*err);
    *err = NULL;
}

/* Reads a whole file into a new NUL-terminated buffer (NULL on failure). */
static inline char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        char *grown = realloc(buf, len + n + 1);
        if (grown == NULL) {
            free(buf);
            fclose(f);
            return NULL;
        }
        buf = grown;
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

/* Builds the client of a test program for `base_url`: the overall and connect timeouts when
 * non-zero, and the root certificates of the PEM file named by AUTHY_CA_FILE when it is set (the
 * sandbox's self-signed HTTPS mode). NULL, with a message, when that fails. */
static inline const authy_client *test_client(const char *api_key, const char *base_url,
                                              uint64_t timeout_ms, uint64_t connect_ms) {
    authy_client_builder *builder = NULL;
    const authy_client *built = NULL;
    const char *ca_file = getenv("AUTHY_CA_FILE");
    char *ca = ca_file != NULL ? read_file(ca_file) : NULL;
    int ok = authy_client_builder_new(api_key, &builder, NULL) == AUTHY_RESULT_OK &&
             authy_client_builder_set_base_url(builder, base_url, NULL) == AUTHY_RESULT_OK &&
             (timeout_ms == 0 ||
              authy_client_builder_set_timeout_ms(builder, timeout_ms, NULL) == AUTHY_RESULT_OK) &&
             (connect_ms == 0 || authy_client_builder_set_connect_timeout_ms(
                                     builder, connect_ms, NULL) == AUTHY_RESULT_OK) &&
             (ca_file == NULL || ca != NULL) &&
             (ca == NULL ||
              authy_client_builder_set_root_ca_pem(builder, ca, NULL) == AUTHY_RESULT_OK) &&
             authy_client_builder_build(builder, &built, NULL) == AUTHY_RESULT_OK;
    authy_client_builder_free(builder);
    free(ca);
    if (!ok) {
        fprintf(stderr, "could not build the client for %s\n", base_url);
        return NULL;
    }
    return built;
}

/* Prints "<name>: N passed, M failed" and returns the exit status (0 when nothing failed). */
static inline int check_summary(const char *name) {
    int p = atomic_load(&passed), f = atomic_load(&failed);
    printf("%s: %d passed, %d failed\n", name, p, f);
    return f == 0 ? 0 : 1;
}

#endif
