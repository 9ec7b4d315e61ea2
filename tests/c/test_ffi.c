/*
 * C test of every function in include/authy.h, success and error paths, against a running
 * authy-sandbox (base URL in argv[1] or AUTHY_BASE_URL, key in AUTHY_API_KEY).
 * Built and run under valgrind by tests/c/run.sh. Prints "test_ffi: N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_url;
static const char *api_key;

/* ----------------------------------------------------------------------------------------- */
/* Offline functions                                                                          */
/* ----------------------------------------------------------------------------------------- */

static void test_version_and_results(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", AUTHY_VERSION_MAJOR, AUTHY_VERSION_MINOR,
             AUTHY_VERSION_PATCH);
    CHECK(streq(authy_version(), expected));
    CHECK(streq(authy_version(), AUTHY_VERSION_STRING));
    CHECK(authy_version_number() == AUTHY_VERSION_NUMBER);

    static const uint32_t codes[] = {
        AUTHY_RESULT_OK,           AUTHY_RESULT_INVALID_ARGUMENT, AUTHY_RESULT_NULL_ARGUMENT,
        AUTHY_RESULT_INVALID_UTF8, AUTHY_RESULT_ERROR_SLOT_IN_USE, AUTHY_RESULT_CONNECT,
        AUTHY_RESULT_DNS,
        AUTHY_RESULT_TLS,          AUTHY_RESULT_TIMEOUT,          AUTHY_RESULT_IO,
        AUTHY_RESULT_CONNECT_TIMEOUT, AUTHY_RESULT_NO_RESPONSE,   AUTHY_RESULT_TRUNCATED,
        AUTHY_RESULT_UNAUTHORIZED, AUTHY_RESULT_RATE_LIMITED,     AUTHY_RESULT_NOT_FOUND,
        AUTHY_RESULT_INVALID_PARAMETERS, AUTHY_RESULT_CONFLICT,   AUTHY_RESULT_SERVER_ERROR,
        AUTHY_RESULT_API_ERROR,    AUTHY_RESULT_TOKEN_INVALID,    AUTHY_RESULT_DECODE,
        AUTHY_RESULT_NO_VALUE,
        AUTHY_RESULT_INTERNAL,     AUTHY_RESULT_PANIC,            AUTHY_RESULT_SIGNATURE_INVALID,
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(strncmp(authy_result_name(codes[i]), "AUTHY_RESULT_", 13) == 0);
        CHECK(strcmp(authy_result_str(codes[i]), "unknown result code") != 0);
    }
    CHECK(streq(authy_result_name(AUTHY_RESULT_TIMEOUT), "AUTHY_RESULT_TIMEOUT"));
    CHECK(streq(authy_result_str(AUTHY_RESULT_TIMEOUT), "timed out"));
    CHECK(streq(authy_result_str(12345), "unknown result code"));
    CHECK(streq(authy_result_name(12345), "AUTHY_RESULT_UNKNOWN"));
    CHECK(AUTHY_RESULT_SIGNATURE_INVALID == 600 && AUTHY_RESULT_PANIC == 501);
}

static void test_catalog(void) {
    const char *meaning = NULL;
    uint16_t status = 0;
    authy_error *err = NULL;
    CHECK_RC(authy_catalog_lookup(60026, &meaning, &status, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(meaning, "User not found"));
    CHECK(status == 404);
    CHECK_RC(authy_catalog_lookup(60001, &meaning, NULL, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(streq(meaning, "Invalid API key"));
    CHECK_RC(authy_catalog_lookup(60006, &meaning, &status, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(status == 0);
    const char *before = meaning;
    CHECK_RC(authy_catalog_lookup(60039, &meaning, &status, &err), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK(meaning == before);
    CHECK(err != NULL && authy_error_code(err) == AUTHY_RESULT_NO_VALUE);
    clear(&err);
    CHECK_RC(authy_catalog_lookup(60026, NULL, &status, &err), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(streq(authy_error_message(err), "meaning_out is NULL"));
    clear(&err);
}

/* seegno/authy-client "accept a POST request" vector (authy-api.md §6.4 B2). */
#define CB_KEY "foo"
#define CB_URL "https://foo.bar/"
#define CB_NONCE "1455825429"
#define CB_BODY "{\"foo\":{\"bar\":{\"biz\":\"foo\"}},\"qux\":\"net\"}"
#define CB_SIG "uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8="

static void test_callbacks(void) {
    authy_error *err = NULL;
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 0, 0, &err),
             AUTHY_RESULT_OK, &err);
    /* Method case and a query string on the URL do not matter. */
    CHECK_RC(authy_callback_verify(CB_KEY, "post", CB_URL "?a=b", CB_NONCE, CB_SIG, CB_BODY, 0, 0,
                                   NULL),
             AUTHY_RESULT_OK, NULL);
    /* Tampered body, wrong key, URL, method, nonce: rejected. */
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG,
                                   "{\"foo\":{\"bar\":{\"biz\":\"bar\"}},\"qux\":\"net\"}", 0, 0,
                                   &err),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK(err != NULL && authy_error_code(err) == AUTHY_RESULT_SIGNATURE_INVALID);
    CHECK(err != NULL && strstr(authy_error_message(err), "does not match") != NULL);
    clear(&err);
    CHECK_RC(authy_callback_verify("fop", "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 0, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", "https://foo.baz/", CB_NONCE, CB_SIG, CB_BODY,
                                   0, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "GET", CB_URL, CB_NONCE, CB_SIG, "qux=net", 0, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, "1455825430", CB_SIG, CB_BODY, 0, 0,
                                   NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    /* Garbage and missing signatures are simply invalid. */
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, "not base64!", CB_BODY, 0, 0,
                                   NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, "", CB_BODY, 0, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, "{not json", 0, 0,
                                   NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    /* Replay window with an injected clock; the 2016 nonce is stale for the system clock. */
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                   1455825429 + 300, NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                   1455825429 + 301, &err),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "replay window") != NULL);
    clear(&err);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    /* Caller errors. */
    CHECK_RC(authy_callback_verify(CB_KEY, "PUT", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 0, 0, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_callback_verify("", "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 0, 0, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, NULL, CB_SIG, CB_BODY, 0, 0, &err),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(streq(authy_error_message(err), "nonce is NULL"));
    clear(&err);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, "{\"a\":\"\xff\"}", 0,
                                   0, NULL),
             AUTHY_RESULT_INVALID_UTF8, NULL);
    /* The replay window is at most 300 s, and now_unix a real time. */
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 301,
                                   1455825429, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, UINT64_MAX,
                                   1455825429, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                   UINT64_MAX, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                   (uint64_t)INT64_MAX + 1, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    /* The signature header exactly as received: whitespace around it is refused. */
    {
        char padded[128];
        snprintf(padded, sizeof padded, " %s", CB_SIG);
        CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, padded, CB_BODY, 0, 0,
                                       NULL),
                 AUTHY_RESULT_SIGNATURE_INVALID, NULL);
        snprintf(padded, sizeof padded, "%s\t", CB_SIG);
        CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, padded, CB_BODY, 0, 0,
                                       NULL),
                 AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    }
    /* An empty POST body is malformed ("{}" means no parameters), for verify and for sign. */
    {
        char empty_sig[AUTHY_SIGNATURE_BUFFER_SIZE];
        CHECK_RC(authy_callback_verify(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, "", 0, 0, NULL),
                 AUTHY_RESULT_SIGNATURE_INVALID, NULL);
        CHECK_RC(authy_callback_sign(CB_KEY, "POST", CB_URL, CB_NONCE, "", empty_sig,
                                     sizeof empty_sig, NULL),
                 AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    }
    /* A GET query with empty components verifies as it was signed (Rails' to_query emits them). */
    CHECK_RC(authy_callback_verify("foo", "GET", "https://foo.bar/", "1455825429",
                                   "bE6gq4dqA53YdLTkd1yRRZyPRtfg+mM0kEQITnBaQ3s=", "&a=1&z=2", 0, 0,
                                   &err),
             AUTHY_RESULT_OK, &err);

    /* Issue 13: a GET query signed with an encoded ';' must not verify with the ';' decoded (a
     * ';'-splitting parser would read status=approved): a raw ';' is refused before verifying. */
    {
        char semi[AUTHY_SIGNATURE_BUFFER_SIZE];
        const char *signed_q = "authy_id=1&status=denied%3Bstatus%3Dapproved&uuid=u1";
        CHECK_RC(authy_callback_sign(CB_KEY, "GET", CB_URL, CB_NONCE, signed_q, semi, sizeof semi,
                                     &err),
                 AUTHY_RESULT_OK, &err);
        CHECK_RC(authy_callback_verify(CB_KEY, "GET", CB_URL, CB_NONCE, semi, signed_q, 0, 0, &err),
                 AUTHY_RESULT_OK, &err);
        CHECK_RC(authy_callback_verify(CB_KEY, "GET", CB_URL, CB_NONCE, semi,
                                       "authy_id=1&status=denied;status%3Dapproved&uuid=u1", 0, 0,
                                       &err),
                 AUTHY_RESULT_SIGNATURE_INVALID, NULL);
        CHECK(err != NULL && strstr(authy_error_message(err), "';'") != NULL);
        clear(&err);
    }

    /* Signing: the same signature, then a GET round trip. */
    char sig[AUTHY_SIGNATURE_BUFFER_SIZE];
    CHECK_RC(authy_callback_sign(CB_KEY, "POST", CB_URL, CB_NONCE, CB_BODY, sig, sizeof sig, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(streq(sig, CB_SIG));
    const char *query = "uuid=abc&status=approved&details%5BLocation%5D=Paris+France";
    CHECK_RC(authy_callback_sign(CB_KEY, "GET", CB_URL, "1", query, sig, sizeof sig, NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_callback_verify(CB_KEY, "GET", CB_URL, "1", sig, query, 0, 0, NULL),
             AUTHY_RESULT_OK, NULL);
    char small[10];
    memset(small, 'x', sizeof small);
    CHECK_RC(authy_callback_sign(CB_KEY, "POST", CB_URL, CB_NONCE, CB_BODY, small, sizeof small,
                                 NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(small[0] == 'x');
    CHECK_RC(authy_callback_sign(CB_KEY, "POST", CB_URL, CB_NONCE, CB_BODY, NULL, 45, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);

    /* Verified parameters: read what the signature covered. */
    authy_callback *cb = NULL;
    const char *value = NULL;
    CHECK_RC(authy_callback_verify_params(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                          1455825429 + 5, &cb, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(cb != NULL);
    CHECK_RC(authy_callback_get_string(cb, "/qux", &value, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(value, "net"));
    const char *again = NULL;
    CHECK_RC(authy_callback_get_string(cb, "/qux", &again, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(again == value); /* cached: the same string until authy_callback_free() */
    CHECK_RC(authy_callback_get_string(cb, "/foo/bar/biz", &value, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(streq(value, "foo"));
    CHECK(streq(again, "net"));
    const char *before = value;
    CHECK_RC(authy_callback_get_string(cb, "/foo", &value, &err), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK(value == before);
    CHECK(err != NULL && authy_error_code(err) == AUTHY_RESULT_NO_VALUE);
    clear(&err);
    CHECK_RC(authy_callback_get_string(cb, "/status", &value, NULL), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK_RC(authy_callback_get_string(NULL, "/qux", &value, &err), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK(streq(authy_error_message(err), "cb is NULL"));
    clear(&err);
    CHECK_RC(authy_callback_get_string(cb, NULL, &value, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_callback_get_string(cb, "/qux", NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_callback_get_string(cb, "/\xff", &value, NULL), AUTHY_RESULT_INVALID_UTF8, NULL);
    CHECK(value == before);
    authy_callback_free(cb);
    authy_callback_free(NULL);
    /* Rejected: out stays untouched. */
    cb = (authy_callback *)&value;
    CHECK_RC(authy_callback_verify_params(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG,
                                          "{\"foo\":{\"bar\":{\"biz\":\"bar\"}},\"qux\":\"net\"}",
                                          0, 0, &cb, &err),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK(cb == (authy_callback *)&value);
    CHECK(err != NULL && strstr(authy_error_message(err), "does not match") != NULL);
    clear(&err);
    CHECK_RC(authy_callback_verify_params(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 300,
                                          1455825429 + 301, &cb, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_callback_verify_params(CB_KEY, "POST", CB_URL, NULL, CB_SIG, CB_BODY, 0, 0, &cb,
                                          NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(cb == (authy_callback *)&value);
    CHECK_RC(authy_callback_verify_params(CB_KEY, "POST", CB_URL, CB_NONCE, CB_SIG, CB_BODY, 0, 0,
                                          NULL, &err),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(streq(authy_error_message(err), "out is NULL"));
    clear(&err);
    /* GET: bracketed keys nest, values are percent-decoded. */
    cb = NULL;
    CHECK_RC(authy_callback_verify_params(CB_KEY, "GET", CB_URL, "1", sig, query, 0, 0, &cb, &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_callback_get_string(cb, "/details/Location", &value, &err), AUTHY_RESULT_OK,
             &err);
    CHECK(streq(value, "Paris France"));
    CHECK_RC(authy_callback_get_string(cb, "/status", &value, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(streq(value, "approved"));
    authy_callback_free(cb);
}

/* X-Twilio-Signature: twilio-python's RequestValidator vector (verify-v2.md 4.5). */
#define TW_URL "https://mycompany.com/myapp.php?foo=1&bar=2"
#define TW_BODY                                                                                   \
    "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309"             \
    "&To=%2B18005551212"
#define TW_SIG "RSOYDt4T1cUTdK1PDd93/VVr8B8="

static void test_twilio_signature(void) {
    authy_error *err = NULL;
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL, TW_BODY, TW_SIG, &err),
             AUTHY_RESULT_OK, &err);
    /* The default port added or removed still verifies (RequestValidator does the same). */
    CHECK_RC(authy_twilio_signature_verify("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                           TW_BODY, TW_SIG, NULL),
             AUTHY_RESULT_OK, NULL);
    /* Parameter order does not matter; a changed value, URL or token does. */
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL,
                                           "To=%2B18005551212&Digits=1234&From=%2B14158675309"
                                           "&Caller=%2B14158675309&CallSid=CA1234567890ABCDE",
                                           TW_SIG, NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL, TW_BODY "5", TW_SIG, &err),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "does not match") != NULL);
    clear(&err);
    CHECK_RC(authy_twilio_signature_verify("12346", TW_URL, TW_BODY, TW_SIG, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL "&x=1", TW_BODY, TW_SIG, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL, TW_BODY, "", NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    /* JSON body: the URL names its SHA-256; the signature covers the URL alone. */
    const char *json_url =
        TW_URL "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const char *json = "{\"property\": \"value\", \"boolean\": true}";
    CHECK_RC(authy_twilio_signature_verify("12345", json_url, json, "a9nBmqA0ju/hNViExpshrM61xv4=",
                                           &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_twilio_signature_verify("12345", json_url, "{\"property\": \"value\"}",
                                           "a9nBmqA0ju/hNViExpshrM61xv4=", &err),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "bodySHA256") != NULL);
    clear(&err);
    CHECK_RC(authy_twilio_signature_verify("", TW_URL, TW_BODY, TW_SIG, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_twilio_signature_verify("12345", TW_URL, NULL, TW_SIG, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
}

static void test_params_and_builder(void) {
    authy_error *err = NULL;
    authy_params *p = authy_params_new();
    CHECK(p != NULL);
    CHECK_RC(authy_params_set(p, "details[Location]", "Paris", &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_params_set(p, "logos[][res]", "default", NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_params_set(p, "logos[][url]", "https://example.com/a.png", NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_params_set(p, "list[]", "scalar", &err), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "not supported") != NULL);
    clear(&err);
    CHECK_RC(authy_params_set(p, "a[b", "x", NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_params_set(p, NULL, "x", NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_params_set(p, "k", NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_params_set(NULL, "k", "v", NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_params_set(p, "k", "\xc3\x28", NULL), AUTHY_RESULT_INVALID_UTF8, NULL);
    authy_params_free(p);

    authy_client_builder *b = NULL;
    const authy_client *client = NULL;
    CHECK_RC(authy_client_builder_new(api_key, &b, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_base_url(b, "http://127.0.0.1:9", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_secondary_base_url(b, "http://127.0.0.1:10", NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_connect_timeout_ms(b, 1000, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_timeout_ms(b, 2000, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_max_idle_connections_per_host(b, 8, NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_max_idle_connections_per_host(NULL, 8, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_user_agent_suffix(b, "test_ffi/1", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_build(b, &client, &err), AUTHY_RESULT_OK, &err);
    CHECK(client != NULL);
    authy_client_free(client);

    /* Invalid options are refused at build time; the output is untouched. */
    const authy_client *untouched = NULL;
    CHECK_RC(authy_client_builder_set_timeout_ms(b, 0, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, &err), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(untouched == NULL);
    CHECK(err != NULL && authy_error_http_status(err) == 0 && authy_error_authy_code(err) == NULL);
    CHECK(err != NULL && authy_error_body(err) == NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), api_key) == NULL);
    clear(&err);
    CHECK_RC(authy_client_builder_set_timeout_ms(b, 2000, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_max_idle_connections_per_host(b, 5000, NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_max_idle_connections_per_host(b, 8, NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_base_url(b, "ftp://example.com", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_base_url(b, "http://127.0.0.1:9", NULL), AUTHY_RESULT_OK,
             NULL);
    /* Cleartext HTTP only to loopback hosts, unless explicitly allowed; https is unaffected. */
    CHECK_RC(authy_client_builder_set_base_url(b, "http://api.authy.com", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, &err), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(untouched == NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "loopback") != NULL);
    clear(&err);
    CHECK_RC(authy_client_builder_set_base_url(b, "https://api.authy.com", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_secondary_base_url(b, "http://10.0.0.7:8080", NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(untouched == NULL);
    CHECK_RC(authy_client_builder_set_allow_insecure_http(b, true, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_base_url(b, "http://api.authy.com", NULL), AUTHY_RESULT_OK,
             NULL);
    const authy_client *insecure = NULL;
    CHECK_RC(authy_client_builder_build(b, &insecure, &err), AUTHY_RESULT_OK, &err);
    CHECK(insecure != NULL);
    authy_client_free(insecure);
    CHECK_RC(authy_client_builder_set_allow_insecure_http(b, false, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(untouched == NULL);
    CHECK_RC(authy_client_builder_set_allow_insecure_http(NULL, true, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_base_url(b, "http://127.0.0.1:9", NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_secondary_base_url(b, "http://[::1]:10", NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_root_ca_pem(b, "no certificate here", NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    /* A CERTIFICATE block that is valid base64 but not a certificate: refused at build, not
     * at every call as a TLS error. */
    CHECK_RC(authy_client_builder_set_root_ca_pem(
                 b, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n"
                    "-----END CERTIFICATE-----\n", NULL),
             AUTHY_RESULT_OK, NULL);
    authy_error *pem_err = NULL;
    CHECK_RC(authy_client_builder_build(b, &untouched, &pem_err), AUTHY_RESULT_INVALID_ARGUMENT,
             NULL);
    CHECK(pem_err != NULL && strstr(authy_error_message(pem_err), "X.509") != NULL);
    authy_error_free(pem_err);
    CHECK(untouched == NULL);
    authy_client_builder_free(b);

    b = NULL;
    CHECK_RC(authy_client_builder_new(api_key, &b, NULL), AUTHY_RESULT_OK, NULL);
    /* TLS roots and proxies from the environment (tested in depth by tests/c/netopts.sh). */
    CHECK_RC(authy_client_builder_set_tls_roots(b, AUTHY_TLS_ROOTS_PLATFORM, NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_tls_roots(b, 7, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_tls_roots(b, AUTHY_TLS_ROOTS_BUNDLED, NULL), AUTHY_RESULT_OK,
             NULL);
    CHECK_RC(authy_client_builder_set_proxy_from_env(b, false, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_set_proxy_from_env(NULL, true, NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_builder_set_proxy(b, "not a proxy url", NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_builder_build(b, &untouched, NULL), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(untouched == NULL);
    /* NULL and UTF-8 checks. */
    CHECK_RC(authy_client_builder_set_base_url(NULL, "http://x", NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_builder_set_secondary_base_url(b, NULL, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_user_agent_suffix(b, "\xff", NULL),
             AUTHY_RESULT_INVALID_UTF8, NULL);
    CHECK_RC(authy_client_builder_set_connect_timeout_ms(NULL, 1, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_root_ca_pem(b, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_set_proxy(NULL, "http://p:1", NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_builder_build(NULL, &untouched, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_build(b, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    authy_client_builder_free(b);
    authy_client_builder *nb = NULL;
    CHECK_RC(authy_client_builder_new(NULL, &nb, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_builder_new(api_key, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(nb == NULL);

    /* Every free accepts NULL. */
    authy_client_builder_free(NULL);
    authy_client_free(NULL);
    authy_params_free(NULL);
    authy_response_free(NULL);
    authy_error_free(NULL);
    /* Error accessors accept NULL. */
    CHECK(authy_error_code(NULL) == AUTHY_RESULT_NULL_ARGUMENT);
    CHECK(authy_error_message(NULL) == NULL);
    CHECK(authy_error_http_status(NULL) == 0);
    CHECK(authy_error_authy_code(NULL) == NULL);
    CHECK(authy_error_body(NULL) == NULL);
    /* Response accessors accept NULL. */
    CHECK(authy_response_status(NULL) == 0);
    CHECK(authy_response_body(NULL) == NULL);
    CHECK(!authy_response_ok(NULL));
    CHECK(!authy_response_ignored(NULL));
    CHECK(authy_response_message(NULL) == NULL);
    CHECK(authy_response_authy_code(NULL) == NULL);
    CHECK(authy_response_user_id(NULL) == NULL);
    CHECK(authy_response_approval_uuid(NULL) == NULL);
    CHECK(authy_response_approval_status(NULL) == NULL);
    CHECK(authy_response_verification_uuid(NULL) == NULL);
    CHECK(authy_response_cellphone(NULL) == NULL);
    CHECK(authy_response_qr_code(NULL) == NULL);
    CHECK(authy_response_header_count(NULL) == 0);
    CHECK(authy_response_header_name(NULL, 0) == NULL);
    CHECK(authy_response_header_value(NULL, 0) == NULL);
    uint64_t u = 7;
    CHECK_RC(authy_response_seconds_to_expire(NULL, &u, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(u == 7);
    CHECK_RC(authy_response_check(NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
}

/* ----------------------------------------------------------------------------------------- */
/* Against the sandbox                                                                        */
/* ----------------------------------------------------------------------------------------- */

static const authy_client *make_client(const char *url, uint64_t timeout_ms) {
    authy_client_builder *b = NULL;
    const authy_client *client = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_builder_new(api_key, &b, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_base_url(b, url, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_connect_timeout_ms(b, timeout_ms, &err), AUTHY_RESULT_OK,
             &err);
    CHECK_RC(authy_client_builder_set_timeout_ms(b, timeout_ms, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_build(b, &client, &err), AUTHY_RESULT_OK, &err);
    authy_client_builder_free(b);
    authy_error_free(err);
    return client;
}

/* authy_client_request with up to two parameters; returns the response (caller frees). */
static authy_response *raw(const authy_client *client, const char *method, const char *path,
                           const char *k1, const char *v1, const char *k2, const char *v2) {
    authy_params *p = authy_params_new();
    if (k1 != NULL) authy_params_set(p, k1, v1, NULL);
    if (k2 != NULL) authy_params_set(p, k2, v2, NULL);
    authy_response *resp = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_request(client, method, path, p, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_error_free(err);
    authy_params_free(p);
    return resp;
}

/* Copies the string at `pointer` of `resp` into buf ("" when absent). */
static void get(const authy_response *resp, const char *pointer, char *buf, size_t size) {
    const char *value = NULL;
    buf[0] = '\0';
    if (authy_response_get_string(resp, pointer, &value, NULL) == AUTHY_RESULT_OK) {
        snprintf(buf, size, "%s", value);
    }
}

static void create_user(const authy_client *client, const char *phone, char *id, size_t size) {
    authy_params *opts = authy_params_new();
    authy_params_set(opts, "country_code", "1", NULL);
    authy_params_set(opts, "send_install_link_via_sms", "false", NULL);
    authy_response *resp = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_create_user(client, "c-test@example.com", phone, opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    const char *uid = authy_response_user_id(resp);
    CHECK(uid != NULL);
    snprintf(id, size, "%s", uid ? uid : "0");
    authy_response_free(resp);
    authy_error_free(err);
    authy_params_free(opts);
}

static void test_app(const authy_client *client) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    CHECK_RC(authy_client_app_details(client, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_status(resp) == 200);
    CHECK(authy_response_ok(resp));
    CHECK(authy_response_body(resp) != NULL && authy_response_body(resp)[0] == '{');
    CHECK(authy_response_message(resp) != NULL);
    CHECK(authy_response_authy_code(resp) == NULL);
    const char *name = NULL, *again = NULL;
    CHECK_RC(authy_response_get_string(resp, "/app/name", &name, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_response_get_string(resp, "/app/name", &again, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(name != NULL && name == again); /* borrowed, stable */
    int64_t app_id = -1;
    CHECK_RC(authy_response_get_i64(resp, "/app/app_id", &app_id, &err), AUTHY_RESULT_OK, &err);
    CHECK(app_id >= 0);
    bool success = false;
    CHECK_RC(authy_response_get_bool(resp, "/success", &success, &err), AUTHY_RESULT_OK, &err);
    CHECK(success);
    /* Missing values and wrong types: NO_VALUE, outputs untouched. */
    const char *none = "sentinel";
    CHECK_RC(authy_response_get_string(resp, "/app/nope", &none, &err), AUTHY_RESULT_NO_VALUE,
             NULL);
    CHECK(streq(none, "sentinel"));
    clear(&err);
    CHECK_RC(authy_response_get_string(resp, "/app", &none, NULL), AUTHY_RESULT_NO_VALUE, NULL);
    int64_t n = 42;
    CHECK_RC(authy_response_get_i64(resp, "/app/name", &n, NULL), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK(n == 42);
    bool flag = true;
    CHECK_RC(authy_response_get_bool(resp, "/message", &flag, NULL), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK(flag);
    CHECK_RC(authy_response_get_string(resp, NULL, &none, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_response_get_string(resp, "/x", NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_response_get_i64(NULL, "/x", &n, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_response_get_bool(resp, "\xff", &flag, NULL), AUTHY_RESULT_INVALID_UTF8, NULL);
    CHECK_RC(authy_response_check(resp, &err), AUTHY_RESULT_OK, &err);
    uint64_t secs = 9;
    CHECK_RC(authy_response_seconds_to_expire(resp, &secs, NULL), AUTHY_RESULT_NO_VALUE, NULL);
    CHECK(secs == 9);
    authy_response_free(resp);

    /* Unknown option keys are refused before any I/O. */
    authy_params *bogus = authy_params_new();
    authy_params_set(bogus, "verbose", "true", NULL);
    resp = NULL;
    CHECK_RC(authy_client_app_stats(client, bogus, &resp, &err), AUTHY_RESULT_INVALID_ARGUMENT,
             NULL);
    CHECK(resp == NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), "verbose") != NULL);
    clear(&err);
    authy_params_free(bogus);

    CHECK_RC(authy_client_app_stats(client, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    int64_t users = -1;
    CHECK_RC(authy_response_get_i64(resp, "/stats/0/users_count", &users, &err), AUTHY_RESULT_OK,
             &err);
    authy_response_free(resp);
}

static void test_users_and_tokens(const authy_client *client) {
    char id[32], code[32];
    authy_response *resp = NULL;
    authy_error *err = NULL;
    create_user(client, "555-200-0001", id, sizeof id);

    /* Same phone: same id (idempotent). */
    char same[32];
    create_user(client, "555-200-0001", same, sizeof same);
    CHECK(streq(id, same));

    /* Invalid user: sent (the API judges e-mails), 400 with field errors in the body. */
    CHECK_RC(authy_client_create_user(client, "not-an-email", "555-200-0009", NULL, &resp, &err),
             AUTHY_RESULT_INVALID_PARAMETERS, NULL);
    CHECK(streq(authy_error_authy_code(err), "60027"));
    clear(&err);
    CHECK_RC(authy_client_create_user(client, "c@example.com", NULL, NULL, &resp, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);

    CHECK_RC(authy_client_user_status(client, id, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    bool registered = true;
    CHECK_RC(authy_response_get_bool(resp, "/status/registered", &registered, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(!registered);
    CHECK(streq(authy_response_user_id(resp), id));
    authy_response_free(resp);

    /* SMS, then the code the sandbox handset received. */
    authy_params *sms = authy_params_new();
    authy_params_set(sms, "force", "true", NULL);
    authy_params_set(sms, "locale", "en", NULL);
    CHECK_RC(authy_client_request_sms(client, id, sms, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(!authy_response_ignored(resp));
    CHECK(authy_response_cellphone(resp) != NULL);
    /* The answer's headers: lower-case names, a JSON content type, nothing past the end. */
    size_t nheaders = authy_response_header_count(resp);
    int json_type = 0;
    for (size_t i = 0; i < nheaders; i++) {
        const char *hname = authy_response_header_name(resp, i);
        const char *hvalue = authy_response_header_value(resp, i);
        CHECK(hname != NULL && hvalue != NULL);
        if (hname != NULL && hvalue != NULL && streq(hname, "content-type"))
            json_type = strstr(hvalue, "application/json") != NULL;
    }
    CHECK(json_type);
    CHECK(authy_response_header_name(resp, nheaders) == NULL);
    CHECK(authy_response_header_value(resp, nheaders) == NULL);
    authy_response_free(resp);
    authy_params_free(sms);

    char path[128];
    snprintf(path, sizeof path, "/sandbox/users/%s/last_code", id);
    resp = raw(client, "GET", path, NULL, NULL, NULL, NULL);
    get(resp, "/code", code, sizeof code);
    CHECK(strlen(code) >= 6);
    authy_response_free(resp);

    /* A wrong token is an error, never OK; the output is untouched; details in the error. */
    authy_response *untouched = NULL;
    CHECK_RC(authy_client_verify_token(client, id, "1234560", NULL, &untouched, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    CHECK(untouched == NULL);
    CHECK(authy_error_code(err) == AUTHY_RESULT_TOKEN_INVALID);
    CHECK(streq(authy_result_name(AUTHY_RESULT_TOKEN_INVALID), "AUTHY_RESULT_TOKEN_INVALID"));
    CHECK(authy_error_http_status(err) == 401);
    CHECK(streq(authy_error_authy_code(err), "60020"));
    CHECK(authy_error_message(err) != NULL);
    CHECK(authy_error_body(err) != NULL && strstr(authy_error_body(err), "is invalid") != NULL);
    const char *meaning = NULL;
    CHECK_RC(authy_catalog_lookup((uint32_t)atoi(authy_error_authy_code(err)), &meaning, NULL,
                                  NULL),
             AUTHY_RESULT_OK, NULL);
    CHECK(streq(meaning, "Token is invalid"));
    clear(&err);
    /* The raw escape hatch checks a verification answer like verify_token does. */
    char vpath[96];
    snprintf(vpath, sizeof vpath, "/protected/json/verify/1234560/%s", id);
    CHECK_RC(authy_client_request(client, "GET", vpath, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(!authy_response_ok(resp));
    CHECK_RC(authy_response_check(resp, &err), AUTHY_RESULT_TOKEN_INVALID, NULL);
    clear(&err);
    authy_response_free(resp);
    /* Client-side validation: nothing sent, the API's own code and message. */
    CHECK_RC(authy_client_verify_token(client, id, "12ab", NULL, &untouched, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(authy_error_http_status(err) == 0);
    CHECK(streq(authy_error_authy_code(err), "60020"));
    CHECK(streq(authy_error_message(err), "Token is invalid"));
    clear(&err);

    authy_params *vopts = authy_params_new();
    authy_params_set(vopts, "force", "true", NULL);
    CHECK_RC(authy_client_verify_token(client, id, code, vopts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    CHECK(authy_response_ok(resp));
    bool success = false;
    CHECK_RC(authy_response_get_bool(resp, "/success", &success, NULL), AUTHY_RESULT_OK, NULL);
    CHECK(success);
    authy_response_free(resp);

    /* Fail-open verification: answered by the API, so Valid / Invalid. */
    /* A wrong token is never OK: the answer's own code, and INVALID in the verdict. */
    authy_verdict verdict = AUTHY_VERDICT_VALID;
    CHECK_RC(authy_client_verify_token_fail_open(client, id, "1234560", vopts,
                                                 AUTHY_FAIL_OPEN_DEFAULT, &verdict, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    CHECK(verdict == AUTHY_VERDICT_INVALID);
    CHECK(authy_error_http_status(err) == 401);
    CHECK(streq(authy_error_authy_code(err), "60020"));
    CHECK(authy_error_body(err) != NULL);
    clear(&err);
    CHECK_RC(authy_client_verify_token_fail_open(client, id, code, NULL, AUTHY_FAIL_OPEN_DEFAULT,
                                                 &verdict, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(verdict == AUTHY_VERDICT_VALID);
    CHECK_RC(authy_client_verify_token_fail_open(client, id, code, NULL, 64, &verdict, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(verdict == AUTHY_VERDICT_INVALID); /* a stale VALID is overwritten */
    verdict = AUTHY_VERDICT_VALID;
    CHECK_RC(authy_client_verify_token_fail_open(NULL, id, code, NULL, 0, &verdict, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK(verdict == AUTHY_VERDICT_INVALID);
    CHECK_RC(authy_client_verify_token_fail_open(client, id, code, NULL, 0, NULL, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    authy_params_free(vopts);

    /* A 5xx answer: SERVER_ERROR for plain verification, ACCEPTED for fail-open. */
    resp = raw(client, "POST", "/sandbox/faults", "kind", "status_5xx", "count", "2");
    authy_response_free(resp);
    CHECK_RC(authy_client_verify_token(client, id, code, NULL, &resp, &err),
             AUTHY_RESULT_SERVER_ERROR, NULL);
    CHECK(authy_error_http_status(err) >= 500);
    clear(&err);
    CHECK_RC(authy_client_verify_token_fail_open(client, id, code, NULL,
                                                 AUTHY_FAIL_OPEN_SERVER_ERROR, &verdict, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(verdict == AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE);

    /* Voice call; an app device makes SMS "ignored" unless forced. */
    authy_params *call = authy_params_new();
    authy_params_set(call, "force", "true", NULL);
    CHECK_RC(authy_client_request_call(client, id, call, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params_free(call);
    snprintf(path, sizeof path, "/sandbox/users/%s/devices", id);
    resp = raw(client, "POST", path, "device", "android", NULL, NULL);
    authy_response_free(resp);
    CHECK_RC(authy_client_request_sms(client, id, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_ignored(resp));
    authy_response_free(resp);

    CHECK_RC(authy_client_request_email(client, id, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_client_update_user_email(client, id, "updated@example.com", NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params *act = authy_params_new();
    authy_params_set(act, "user_ip", "192.0.2.10", NULL);
    authy_params_set(act, "data[reason]", "test", NULL);
    CHECK_RC(authy_client_register_activity(client, id, "password_reset", act, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params_free(act);
    CHECK_RC(authy_client_register_activity(client, id, "nonsense", NULL, &resp, &err),
             AUTHY_RESULT_INVALID_PARAMETERS, NULL); /* the API's to refuse: 60029 */
    CHECK(streq(authy_error_authy_code(err), "60029"));
    clear(&err);
    authy_params *qr = authy_params_new();
    authy_params_set(qr, "qr_size", "300", NULL);
    authy_params_set(qr, "label", "Example", NULL);
    CHECK_RC(authy_client_generate_qr_code(client, id, qr, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_qr_code(resp) != NULL);
    authy_response_free(resp);
    authy_params_free(qr);
    authy_result r = authy_client_registration_status(client, "user-42", NULL, &resp, &err);
    CHECK(r == AUTHY_RESULT_OK || r == AUTHY_RESULT_NOT_FOUND);
    if (r == AUTHY_RESULT_OK) authy_response_free(resp);
    clear(&err);

    CHECK_RC(authy_client_delete_user(client, id, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_client_user_status(client, "99999999", NULL, &resp, &err),
             AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(authy_error_http_status(err) == 404);
    CHECK(streq(authy_error_authy_code(err), "60026"));
    clear(&err);
}

static void test_onetouch(const authy_client *client) {
    char id[32], uuid[64], buf[4096], nonce[64], sig[128];
    authy_response *resp = NULL;
    authy_error *err = NULL;
    create_user(client, "555-200-0002", id, sizeof id);

    /* Callbacks go to a closed port: the sandbox still records what it signed and sent. */
    resp = raw(client, "POST", "/sandbox/config", "callback_url",
               "http://127.0.0.1:9/authy/callback?tenant=1", "callback_method", "POST");
    authy_response_free(resp);

    authy_params *opts = authy_params_new();
    authy_params_set(opts, "details[Location]", "Paris, France", NULL);
    authy_params_set(opts, "details[Username]", "alice", NULL);
    authy_params_set(opts, "hidden_details[ip]", "192.0.2.1", NULL);
    authy_params_set(opts, "logos[][res]", "default", NULL);
    authy_params_set(opts, "logos[][url]", "https://example.com/default.png", NULL);
    authy_params_set(opts, "logos[][res]", "low", NULL);
    authy_params_set(opts, "logos[][url]", "https://example.com/low.png", NULL);
    authy_params_set(opts, "seconds_to_expire", "120", NULL);
    CHECK_RC(authy_client_create_approval_request(client, id, "Log in to Example?", opts, &resp,
                                                  &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    snprintf(uuid, sizeof uuid, "%s",
             authy_response_approval_uuid(resp) ? authy_response_approval_uuid(resp) : "");
    CHECK(strlen(uuid) > 0);
    authy_response_free(resp);

    /* A logo without url is refused locally. */
    authy_params *bad = authy_params_new();
    authy_params_set(bad, "logos[][res]", "default", NULL);
    CHECK_RC(authy_client_create_approval_request(client, id, "x", bad, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    authy_params_free(bad);

    CHECK_RC(authy_client_approval_request_status(client, uuid, NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(streq(authy_response_approval_status(resp), "pending"));
    uint64_t secs = 0;
    CHECK_RC(authy_response_seconds_to_expire(resp, &secs, &err), AUTHY_RESULT_OK, &err);
    CHECK(secs > 0 && secs <= 120);
    authy_response_free(resp);

    /* Still pending: a short wait times out. */
    authy_params *wait = authy_params_new();
    authy_params_set(wait, "interval_ms", "20", NULL);
    authy_params_set(wait, "timeout_ms", "100", NULL);
    authy_wait_status status = AUTHY_WAIT_STATUS_APPROVED;
    CHECK_RC(authy_client_wait_for_approval(client, uuid, wait, &status, &resp, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(status == AUTHY_WAIT_STATUS_TIMED_OUT);
    authy_response_free(resp);
    resp = NULL;
    /* An interval under 10 ms is refused, not silently raised; 10 is accepted. */
    authy_params_set(wait, "interval_ms", "9", NULL);
    CHECK_RC(authy_client_wait_for_approval(client, uuid, wait, &status, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(resp == NULL);
    clear(&err);
    authy_params_set(wait, "interval_ms", "10", NULL);
    CHECK_RC(authy_client_wait_for_approval(client, uuid, wait, &status, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);

    char path[160];
    snprintf(path, sizeof path, "/sandbox/approval_requests/%s/approve", uuid);
    resp = raw(client, "POST", path, NULL, NULL, NULL, NULL);
    authy_response_free(resp);
    CHECK_RC(authy_client_wait_for_approval(client, uuid, wait, &status, &resp, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(status == AUTHY_WAIT_STATUS_APPROVED);
    CHECK(streq(authy_response_approval_status(resp), "approved"));
    authy_response_free(resp);
    CHECK_RC(authy_client_wait_for_approval(client, "00000000-0000-0000-0000-000000000000", wait,
                                            &status, &resp, &err),
             AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(streq(authy_error_authy_code(err), "60049"));
    clear(&err);
    CHECK_RC(authy_client_wait_for_approval(client, uuid, wait, NULL, &resp, NULL),
             AUTHY_RESULT_NULL_ARGUMENT, NULL);
    authy_params_free(wait);

    /* The signed POST callback verifies; a tampered body does not. */
    resp = raw(client, "GET", "/sandbox/callbacks", NULL, NULL, NULL, NULL);
    get(resp, "/callbacks/0/headers/X-Authy-Signature-Nonce", nonce, sizeof nonce);
    get(resp, "/callbacks/0/headers/X-Authy-Signature", sig, sizeof sig);
    get(resp, "/callbacks/0/body", buf, sizeof buf);
    authy_response_free(resp);
    CHECK(strlen(sig) == 44 && strlen(buf) > 0);
    CHECK_RC(authy_callback_verify(api_key, "POST", "http://127.0.0.1:9/authy/callback", nonce,
                                   sig, buf, 300, 0, &err),
             AUTHY_RESULT_OK, &err);
    authy_callback *cb = NULL;
    const char *value = NULL;
    CHECK_RC(authy_callback_verify_params(api_key, "POST", "http://127.0.0.1:9/authy/callback",
                                          nonce, sig, buf, 300, 0, &cb, &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_callback_get_string(cb, "/status", &value, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(value, "approved"));
    CHECK_RC(authy_callback_get_string(cb, "/uuid", &value, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(value, uuid));
    authy_callback_free(cb);
    char *approved = strstr(buf, "approved");
    if (approved != NULL) memcpy(approved, "rejected", 8);
    CHECK_RC(authy_callback_verify(api_key, "POST", "http://127.0.0.1:9/authy/callback", nonce,
                                   sig, buf, 300, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);

    /* Same with a GET callback (parameters in the query string), for a denied request. */
    resp = raw(client, "POST", "/sandbox/config", "callback_url",
               "http://127.0.0.1:9/authy/callback", "callback_method", "GET");
    authy_response_free(resp);
    CHECK_RC(authy_client_create_approval_request(client, id, "Second login?", NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    snprintf(uuid, sizeof uuid, "%s",
             authy_response_approval_uuid(resp) ? authy_response_approval_uuid(resp) : "");
    authy_response_free(resp);
    snprintf(path, sizeof path, "/sandbox/approval_requests/%s/deny", uuid);
    resp = raw(client, "POST", path, NULL, NULL, NULL, NULL);
    authy_response_free(resp);
    resp = raw(client, "GET", "/sandbox/callbacks", NULL, NULL, NULL, NULL);
    get(resp, "/callbacks/1/method", path, sizeof path);
    CHECK(streq(path, "GET"));
    get(resp, "/callbacks/1/headers/X-Authy-Signature-Nonce", nonce, sizeof nonce);
    get(resp, "/callbacks/1/headers/X-Authy-Signature", sig, sizeof sig);
    get(resp, "/callbacks/1/body", buf, sizeof buf);
    authy_response_free(resp);
    CHECK(strstr(buf, "status=denied") != NULL);
    CHECK_RC(authy_callback_verify(api_key, "GET", "http://127.0.0.1:9/authy/callback", nonce, sig,
                                   buf, 300, 0, &err),
             AUTHY_RESULT_OK, &err);
    cb = NULL;
    CHECK_RC(authy_callback_verify_params(api_key, "GET", "http://127.0.0.1:9/authy/callback",
                                          nonce, sig, buf, 300, 0, &cb, &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_callback_get_string(cb, "/status", &value, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(value, "denied"));
    CHECK_RC(authy_callback_get_string(cb, "/uuid", &value, &err), AUTHY_RESULT_OK, &err);
    CHECK(streq(value, uuid));
    authy_callback_free(cb);
    CHECK_RC(authy_callback_verify("another-key", "GET", "http://127.0.0.1:9/authy/callback",
                                   nonce, sig, buf, 300, 0, NULL),
             AUTHY_RESULT_SIGNATURE_INVALID, NULL);
    CHECK_RC(authy_client_approval_request_status(client, uuid, NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(streq(authy_response_approval_status(resp), "denied"));
    authy_response_free(resp);
    /* Sent as given (one path segment): the API does not know it. */
    CHECK_RC(authy_client_approval_request_status(client, "bad uuid!", NULL, &resp, &err),
             AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(streq(authy_error_authy_code(err), "60049"));
    clear(&err);
    CHECK_RC(authy_client_approval_request_status(client, "../x", NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
}

/* Issue 13: what the API accepts is sent, never refused locally; what cannot be sent safely is
 * refused without a request. */
static void test_what_the_api_accepts(const authy_client *client) {
    char id[32];
    authy_response *resp = NULL;
    authy_error *err = NULL;
    const char *phones[] = {"(555) 867-5309", "+1 555-867-5309"};
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++) {
        CHECK_RC(authy_client_create_user(client, "new@example.com", phones[i], NULL, &resp, &err),
                 AUTHY_RESULT_OK, &err);
        authy_response_free(resp);
        CHECK_RC(authy_client_start_phone_verification(client, "1", phones[i], NULL, &resp, &err),
                 AUTHY_RESULT_OK, &err);
        authy_response_free(resp);
    }
    create_user(client, "555-867-5310", id, sizeof id);
    authy_params *sms = authy_params_new();
    authy_params_set(sms, "force", "true", NULL);
    authy_params_set(sms, "action", "custom action?", NULL);
    authy_params_set(sms, "action_message", "Action message $%^?@#", NULL);
    CHECK_RC(authy_client_request_sms(client, id, sms, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params_free(sms);
    authy_params *logo = authy_params_new();
    authy_params_set(logo, "logos[][res]", "low", NULL);
    authy_params_set(logo, "logos[][url]", "http://foo.bar", NULL);
    CHECK_RC(authy_client_create_approval_request(client, id, "no default logo", logo, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params_free(logo);
    /* An id like "tony" reaches the API: 404 60026 "User not found.". */
    CHECK_RC(authy_client_user_status(client, "tony", NULL, &resp, &err), AUTHY_RESULT_NOT_FOUND,
             NULL);
    CHECK(authy_error_http_status(err) == 404);
    CHECK(streq(authy_error_authy_code(err), "60026"));
    CHECK(streq(authy_error_api_code(err), "60026"));
    CHECK(authy_error_more_info(err) == NULL); /* an Authy answer has no more_info */
    CHECK(streq(authy_error_message(err), "User not found."));
    clear(&err);
    /* Reads and side effects as the endpoint table says: a status is a read, an SMS is not. */
    CHECK(authy_endpoint_is_read("GET", "/protected/json/users/tony/status"));
    CHECK(!authy_endpoint_is_read("GET", "/protected/json/sms/1"));
    CHECK(!authy_endpoint_is_read(NULL, "/protected/json/users/1/status"));
    /* Cannot be sent safely: refused before any I/O, no Authy code. */
    authy_params *crlf = authy_params_new();
    authy_params_set(crlf, "action", "log\r\nin", NULL);
    CHECK_RC(authy_client_request_sms(client, id, crlf, &resp, &err), AUTHY_RESULT_INVALID_ARGUMENT,
             NULL);
    CHECK(authy_error_attempts(err) == 0 && authy_error_authy_code(err) == NULL);
    clear(&err);
    authy_params_free(crlf);
    CHECK_RC(authy_client_user_status(client, "..", NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
}

static void test_phones(const authy_client *client) {
    char vuuid[64], code[32], wrong[32];
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_params *start = authy_params_new();
    authy_params_set(start, "via", "sms", NULL);
    authy_params_set(start, "code_length", "6", NULL);
    authy_params_set(start, "locale", "en", NULL);
    CHECK_RC(authy_client_start_phone_verification(client, "1", "555-300-0001", start, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(start);
    snprintf(vuuid, sizeof vuuid, "%s",
             authy_response_verification_uuid(resp) ? authy_response_verification_uuid(resp) : "");
    CHECK(strlen(vuuid) > 0);
    uint64_t secs = 0;
    CHECK_RC(authy_response_seconds_to_expire(resp, &secs, &err), AUTHY_RESULT_OK, &err);
    CHECK(secs > 0);
    authy_response_free(resp);

    resp = raw(client, "GET", "/sandbox/phones/last_code", "country_code", "1", "phone_number",
               "555-300-0001");
    get(resp, "/code", code, sizeof code);
    authy_response_free(resp);
    CHECK(strlen(code) == 6);
    snprintf(wrong, sizeof wrong, "%s", strcmp(code, "123456") == 0 ? "654321" : "123456");
    CHECK_RC(authy_client_check_phone_verification(client, "1", "555-300-0001", wrong, NULL, &resp,
                                                   &err),
             AUTHY_RESULT_UNAUTHORIZED, NULL);
    CHECK(streq(authy_error_authy_code(err), "60022"));
    clear(&err);
    CHECK_RC(authy_client_check_phone_verification(client, "1", "555-300-0001", code, NULL, &resp,
                                                   &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_client_check_phone_verification(client, "1", "555-300-0999", code, NULL, &resp,
                                                   &err),
             AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(streq(authy_error_authy_code(err), "60023"));
    clear(&err);

    CHECK_RC(authy_client_phone_verification_status(client, vuuid, NULL, NULL, NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    char status[32];
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "verified"));
    authy_response_free(resp);
    CHECK_RC(authy_client_phone_verification_status(client, NULL, "1", "555-300-0001", NULL, &resp,
                                                    &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_client_phone_verification_status(client, vuuid, "1", NULL, NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_client_phone_verification_status(client, NULL, NULL, NULL, NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);

    authy_params *via = authy_params_new();
    authy_params_set(via, "via", "pigeon", NULL);
    CHECK_RC(authy_client_start_phone_verification(client, "1", "555-300-0002", via, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(streq(authy_error_authy_code(err), "60004")); /* the API's own refusal */
    clear(&err);
    authy_params_free(via);

    CHECK_RC(authy_client_phone_info(client, "1", "555-300-0001", NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    char type[32];
    get(resp, "/type", type, sizeof type);
    CHECK(strlen(type) > 0);
    authy_response_free(resp);
}

static void test_raw_and_transport(const authy_client *client) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    /* The raw escape hatch: a 404 answer is OK there; authy_response_check makes it an error. */
    CHECK_RC(authy_client_request(client, "GET", "/protected/json/nope", NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(authy_response_status(resp) == 404);
    CHECK(!authy_response_ok(resp));
    CHECK(authy_response_message(resp) != NULL);
    CHECK_RC(authy_response_check(resp, &err), AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(authy_error_http_status(err) == 404);
    clear(&err);
    authy_response_free(resp);
    resp = NULL;
    CHECK_RC(authy_client_request(client, "GET", "relative/path", NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RC(authy_client_request(client, "TRACE", "/x", NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(resp == NULL);
    /* The key never travels as a parameter of a raw request (only in X-Authy-API-Key). */
    authy_params *keyed = authy_params_new();
    authy_params_set(keyed, "api_key", api_key, NULL);
    CHECK_RC(authy_client_request(client, "GET", "/protected/json/app/details", keyed, &resp,
                                  &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), api_key) == NULL);
    clear(&err);
    authy_params_free(keyed);
    /* A 70 kB query: an invalid argument (it used to be AUTHY_RESULT_INTERNAL), nothing sent. */
    char *big = malloc(70001);
    if (big != NULL) {
        memset(big, 'b', 70000);
        big[70000] = '\0';
        authy_params *long_query = authy_params_new();
        authy_params_set(long_query, "a", big, NULL);
        CHECK_RC(authy_client_request(client, "GET", "/protected/json/app/details", long_query,
                                      &resp, &err),
                 AUTHY_RESULT_INVALID_ARGUMENT, &err);
        clear(&err);
        authy_params_free(long_query);
        free(big);
    }
    CHECK(resp == NULL);

    /* Health check: no side effect, a report whatever the outcome. */
    {
        authy_health *h = NULL;
        CHECK_RC(authy_client_health_check(client, &h, &err), AUTHY_RESULT_OK, &err);
        CHECK(authy_health_ok(h));
        CHECK(authy_health_result(h) == AUTHY_RESULT_OK);
        CHECK(!authy_health_tls(h)); /* the sandbox here is http */
        CHECK(authy_health_latency_us(h) > 0);
        CHECK(streq(authy_health_app_name(h), "Authy Sandbox"));
        CHECK(authy_health_message(h) != NULL);
        authy_health_free(h);
        CHECK_RC(authy_client_health_check(NULL, &h, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
        CHECK_RC(authy_client_health_check(client, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
        CHECK(!authy_health_ok(NULL) && authy_health_result(NULL) == AUTHY_RESULT_NULL_ARGUMENT);
        CHECK(authy_health_latency_us(NULL) == 0 && !authy_health_tls(NULL));
        CHECK(authy_health_message(NULL) == NULL && authy_health_app_name(NULL) == NULL);
        authy_health_free(NULL);
        const authy_client *nowhere = make_client("http://127.0.0.1:1", 1000);
        h = NULL;
        CHECK_RC(authy_client_health_check(nowhere, &h, &err), AUTHY_RESULT_OK, &err);
        CHECK(!authy_health_ok(h) && authy_health_result(h) == AUTHY_RESULT_CONNECT);
        CHECK(authy_health_app_name(h) == NULL);
        authy_health_free(h);
        authy_client_free(nowhere);
    }

    /* A wrong key: 401 / 60001. */
    authy_client_builder *b = NULL;
    const authy_client *wrong = NULL;
    authy_client_builder_new("wrong-key-0000", &b, NULL);
    authy_client_builder_set_base_url(b, base_url, NULL);
    authy_client_builder_set_timeout_ms(b, 5000, NULL);
    CHECK_RC(authy_client_builder_build(b, &wrong, &err), AUTHY_RESULT_OK, &err);
    authy_client_builder_free(b);
    CHECK_RC(authy_client_app_details(wrong, NULL, &resp, &err), AUTHY_RESULT_UNAUTHORIZED, NULL);
    CHECK(streq(authy_error_authy_code(err), "60001"));
    CHECK(strstr(authy_error_message(err), "wrong-key") == NULL);
    clear(&err);
    {
        authy_health *h = NULL;
        CHECK_RC(authy_client_health_check(wrong, &h, NULL), AUTHY_RESULT_OK, NULL);
        CHECK(!authy_health_ok(h) && authy_health_result(h) == AUTHY_RESULT_UNAUTHORIZED);
        CHECK(strstr(authy_health_message(h), "wrong-key") == NULL);
        authy_health_free(h);
    }
    authy_client_free(wrong);

    /* Nothing listens on port 1: a transport error, and fail-open accepts it. */
    const authy_client *down = make_client("http://127.0.0.1:1", 1000);
    CHECK_RC(authy_client_app_details(down, NULL, &resp, &err), AUTHY_RESULT_CONNECT, NULL);
    CHECK(authy_error_http_status(err) == 0);
    CHECK(authy_error_attempts(err) == 1);
    CHECK(!authy_error_request_sent(err));
    CHECK(authy_error_retry_after_ms(err) == 0);
    clear(&err);
    /* With retries, even an SMS is retried when nothing was sent. */
    {
        authy_client_builder *rb = NULL;
        const authy_client *retrying = NULL;
        CHECK_RC(authy_client_builder_new(api_key, &rb, NULL), AUTHY_RESULT_OK, NULL);
        authy_client_builder_set_base_url(rb, "http://127.0.0.1:1", NULL);
        CHECK_RC(authy_client_builder_set_retries(rb, 0, 10, 20, NULL), AUTHY_RESULT_OK, NULL);
        CHECK_RC(authy_client_builder_build(rb, &retrying, &err), AUTHY_RESULT_INVALID_ARGUMENT,
                 NULL);
        clear(&err);
        CHECK_RC(authy_client_builder_set_retries(rb, 3, 50, 10, NULL), AUTHY_RESULT_OK, NULL);
        CHECK_RC(authy_client_builder_build(rb, &retrying, NULL), AUTHY_RESULT_INVALID_ARGUMENT,
                 NULL);
        CHECK_RC(authy_client_builder_set_retries(rb, 3, 5, 20, NULL), AUTHY_RESULT_OK, NULL);
        CHECK_RC(authy_client_builder_build(rb, &retrying, &err), AUTHY_RESULT_OK, &err);
        CHECK_RC(authy_client_builder_set_retries(NULL, 3, 5, 20, NULL),
                 AUTHY_RESULT_NULL_ARGUMENT, NULL);
        authy_client_builder_free(rb);
        CHECK_RC(authy_client_request_sms(retrying, "1", NULL, &resp, &err), AUTHY_RESULT_CONNECT,
                 NULL);
        CHECK(authy_error_attempts(err) == 3);
        CHECK(!authy_error_request_sent(err));
        clear(&err);
        authy_client_free(retrying);
    }
    /* Faults on a call with a side effect, told apart; never resent. */
    {
        char fid[32];
        create_user(client, "201-555-0177", fid, sizeof fid);
        authy_response *armed = raw(client, "POST", "/sandbox/faults", "kind", "close", NULL,
                                    NULL);
        authy_response_free(armed);
        CHECK_RC(authy_client_request_sms(client, fid, NULL, &resp, &err),
                 AUTHY_RESULT_NO_RESPONSE, &err);
        CHECK(authy_error_request_sent(err) && authy_error_attempts(err) == 1);
        clear(&err);
        armed = raw(client, "POST", "/sandbox/faults", "kind", "truncated", NULL, NULL);
        authy_response_free(armed);
        CHECK_RC(authy_client_request_sms(client, fid, NULL, &resp, &err), AUTHY_RESULT_TRUNCATED,
                 &err);
        CHECK(authy_error_request_sent(err));
        clear(&err);
        armed = raw(client, "POST", "/sandbox/faults", "kind", "rate_limit", "retry_after", "2");
        authy_response_free(armed);
        CHECK_RC(authy_client_request_sms(client, fid, NULL, &resp, &err),
                 AUTHY_RESULT_RATE_LIMITED, &err);
        CHECK(authy_error_retry_after_ms(err) == 2000);
        CHECK(authy_error_http_status(err) == 429);
        clear(&err);
        CHECK(resp == NULL);
    }
    authy_verdict verdict = AUTHY_VERDICT_VALID;
    CHECK_RC(authy_client_verify_token_fail_open(down, "1", "1234567", NULL,
                                                 AUTHY_FAIL_OPEN_TRANSPORT_ERROR, &verdict, &err),
             AUTHY_RESULT_OK, &err);
    CHECK(verdict == AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE);
    verdict = AUTHY_VERDICT_VALID;
    CHECK_RC(authy_client_verify_token_fail_open(down, "1", "1234567", NULL, 0, &verdict, NULL),
             AUTHY_RESULT_CONNECT, NULL);
    CHECK(verdict == AUTHY_VERDICT_INVALID); /* a stale VALID is overwritten on error */
    authy_client_free(down);

    /* A reused, still-owned error object is refused before anything happens: not leaked by an
     * overwrite, not freed behind the caller's back, no request sent. */
    CHECK_RC(authy_client_request(client, "GET", "relative/path", NULL, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    authy_error *held = err;
    CHECK(held != NULL);
    authy_response *before_count = raw(client, "GET", "/sandbox/requests", NULL, NULL, NULL, NULL);
    char total_before[32];
    get(before_count, "/total", total_before, sizeof total_before);
    CHECK_RC(authy_client_app_details(client, NULL, &resp, &err), AUTHY_RESULT_ERROR_SLOT_IN_USE,
             NULL);
    CHECK(err == held && resp == NULL);
    CHECK(authy_error_code(err) == AUTHY_RESULT_INVALID_ARGUMENT);
    authy_verdict stale = AUTHY_VERDICT_VALID;
    CHECK_RC(authy_client_verify_token_fail_open(client, "1", "0000000", NULL, 0, &stale, &err),
             AUTHY_RESULT_ERROR_SLOT_IN_USE, NULL);
    CHECK(stale == AUTHY_VERDICT_INVALID); /* the verdict is still denied first */
    authy_response *after_count = raw(client, "GET", "/sandbox/requests", NULL, NULL, NULL, NULL);
    char total_after[32];
    get(after_count, "/total", total_after, sizeof total_after);
    /* Only the /sandbox/requests read itself was counted in between (control calls are not). */
    CHECK(streq(total_before, total_after));
    authy_response_free(before_count);
    authy_response_free(after_count);
    CHECK(streq(authy_result_name(AUTHY_RESULT_ERROR_SLOT_IN_USE), "AUTHY_RESULT_ERROR_SLOT_IN_USE"));
    clear(&err);

    /* A per-call timeout: the derived handle shares the pool; 1.5 s of latency beats its 300 ms
     * but not the 10 s of the client it came from, which is unchanged. */
    const authy_client *quick = NULL;
    CHECK_RC(authy_client_with_timeout_ms(client, 0, &quick, &err), AUTHY_RESULT_INVALID_ARGUMENT,
             &err);
    CHECK(quick == NULL);
    clear(&err);
    CHECK_RC(authy_client_with_timeout_ms(NULL, 300, &quick, NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_with_timeout_ms(client, 300, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_with_timeout_ms(client, 300, &quick, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_app_details(quick, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    resp = NULL;
    authy_response *armed = raw(client, "POST", "/sandbox/faults", "kind", "latency",
                                "latency_ms", "1500");
    authy_response_free(armed);
    CHECK_RC(authy_client_app_details(quick, NULL, &resp, &err), AUTHY_RESULT_TIMEOUT, NULL);
    clear(&err);
    armed = raw(client, "POST", "/sandbox/faults", "kind", "latency", "latency_ms", "1500");
    authy_response_free(armed);
    CHECK_RC(authy_client_app_details(client, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    resp = NULL;
    authy_client_free(quick);
    /* The parent still works after the derived handle is gone, and vice versa. */
    CHECK_RC(authy_client_with_timeout_ms(client, 5000, &quick, NULL), AUTHY_RESULT_OK, NULL);
    CHECK_RC(authy_client_app_details(quick, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    resp = NULL;
    authy_client_free(quick);

    /* A cancel token: a derived handle carries it (and the timeout of the handle it came from);
     * once cancelled, calls through it fail before any I/O (tests/c/test_cancel.c cancels calls
     * in flight). */
    authy_cancel *token = authy_cancel_new();
    CHECK(token != NULL && !authy_cancel_is_cancelled(token) && !authy_cancel_is_cancelled(NULL));
    const authy_client *cancellable = NULL;
    CHECK_RC(authy_client_with_cancel(NULL, token, &cancellable, NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_with_cancel(client, NULL, &cancellable, NULL), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    CHECK_RC(authy_client_with_cancel(client, token, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_with_cancel(client, token, &cancellable, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_app_details(cancellable, NULL, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    resp = NULL;
    CHECK_RC(authy_cancel_cancel(NULL, &err), AUTHY_RESULT_NULL_ARGUMENT, &err);
    clear(&err);
    CHECK_RC(authy_cancel_cancel(token, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_cancel_cancel(token, NULL), AUTHY_RESULT_OK, NULL); /* idempotent */
    CHECK(authy_cancel_is_cancelled(token));
    authy_cancel_free(token); /* the derived client keeps its own reference */
    authy_cancel_free(NULL);
    CHECK_RC(authy_client_app_details(cancellable, NULL, &resp, &err), AUTHY_RESULT_CANCELLED,
             &err);
    CHECK(resp == NULL && err != NULL && !authy_error_request_sent(err) &&
          authy_error_attempts(err) == 0);
    CHECK(streq(authy_result_name(AUTHY_RESULT_CANCELLED), "AUTHY_RESULT_CANCELLED"));
    clear(&err);
    authy_client_free(cancellable);

    /* NULL client / out. */
    CHECK_RC(authy_client_app_details(NULL, NULL, &resp, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_app_details(client, NULL, NULL, NULL), AUTHY_RESULT_NULL_ARGUMENT, NULL);
    CHECK_RC(authy_client_user_status(client, "\xc0\x80", NULL, &resp, NULL),
             AUTHY_RESULT_INVALID_UTF8, NULL);
}

/* One const client shared by several threads. */
struct worker {
    const authy_client *client;
    int ok;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 10; i++) {
        authy_response *resp = NULL;
        if (authy_client_app_details(w->client, NULL, &resp, NULL) == AUTHY_RESULT_OK &&
            authy_response_status(resp) == 200) {
            w->ok++;
        }
        authy_response_free(resp);
    }
    return NULL;
}

static void test_threads(const authy_client *client) {
    pthread_t threads[4];
    struct worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i].client = client;
        workers[i].ok = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].ok == 10);
    }
}


/* ----------------------------------------------------------------------------------------- */
/* Twilio Verify v2 and Lookup v2 against the sandbox's Verify emulation                      */
/* ----------------------------------------------------------------------------------------- */

#define VERIFY_AC "AC00000000000000000000000000000000"
#define VERIFY_TOKEN "sandbox-auth-token-0123456789abcd"

/* The sandbox's current TOTP code of a factor (control route). */
static void factor_code(const authy_client *authy, const char *va, const char *id, const char *yf,
                        char *code, size_t size) {
    char path[256];
    snprintf(path, sizeof path, "/sandbox/verify/Services/%s/Entities/%s/Factors/%s/Code", va, id,
             yf);
    authy_response *c = raw(authy, "GET", path, NULL, NULL, NULL, NULL);
    get(c, "/code", code, size);
    authy_response_free(c);
}

/* Copies the 34-character SID after `"sid":"` in `text` into buf ("" when absent). */
static void sid_in(const char *text, char *buf, size_t size) {
    const char *at = text != NULL ? strstr(text, "\"sid\":\"") : NULL;
    buf[0] = '\0';
    if (at != NULL && size > 34) snprintf(buf, 35, "%s", at + 7);
}

static int pages_count(authy_pages *pages, const char *key) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    int records = 0;
    char pointer[64];
    while (authy_pages_next(pages, &resp, &err) == AUTHY_RESULT_OK) {
        for (int i = 0;; i++) {
            char sid[64];
            snprintf(pointer, sizeof pointer, "/%s/%d/sid", key, i);
            get(resp, pointer, sid, sizeof sid);
            if (sid[0] == '\0') break;
            records++;
        }
        authy_response_free(resp);
    }
    CHECK(err != NULL && authy_error_code(err) == AUTHY_RESULT_NO_VALUE);
    clear(&err);
    authy_pages_free(pages);
    return records;
}

/* Entities, TOTP and push factors, challenges. */
static void test_verify_entities(const authy_client *authy, const authy_verify_client *v,
                                 const char *va) {
    const char *id = "0f2b8e7c-5d1a-4c3e-9b8a-7e6d5c4b3a21";
    authy_error *err = NULL;
    authy_response *resp = NULL;
    char yf[64], yc[64], code[32], wrong[32], status[32];

    CHECK_RC(authy_verify_client_create_entity(v, va, id, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_status(resp) == 201);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_entity(v, va, id, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_pages *pages = NULL;
    CHECK_RC(authy_verify_client_list_entities(v, va, 0, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK(pages_count(pages, "entities") == 1);
    CHECK_RC(authy_verify_client_create_entity(v, va, "", &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);

    /* TOTP factor: created unverified with its secret, a wrong code is TOKEN_INVALID. */
    authy_params *opts = authy_params_new();
    authy_params_set(opts, "Config.CodeLength", "6", NULL);
    CHECK_RC(authy_verify_client_create_factor(v, va, id, "C phone", "totp", opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    get(resp, "/sid", yf, sizeof yf);
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "unverified"));
    char secret[128];
    get(resp, "/binding/secret", secret, sizeof secret);
    CHECK(strlen(secret) >= 16);
    authy_response_free(resp);
    factor_code(authy, va, id, yf, code, sizeof code);
    snprintf(wrong, sizeof wrong, "%s", code);
    wrong[0] = wrong[0] == '1' ? '2' : '1';
    resp = NULL;
    CHECK_RC(authy_verify_client_verify_factor(v, va, id, yf, wrong, &resp, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    CHECK(resp == NULL);
    CHECK(err != NULL && strstr(authy_error_body(err), "\"unverified\"") != NULL);
    clear(&err);
    CHECK_RC(authy_verify_client_verify_factor(v, va, id, yf, code, &resp, &err), AUTHY_RESULT_OK,
             &err);
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "verified"));
    authy_response_free(resp);
    opts = authy_params_new();
    authy_params_set(opts, "FriendlyName", "C phone 2", NULL);
    CHECK_RC(authy_verify_client_update_factor(v, va, id, yf, opts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    authy_params_free(opts);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_factor(v, va, id, yf, &resp, &err), AUTHY_RESULT_OK, &err);
    char name[64];
    get(resp, "/friendly_name", name, sizeof name);
    CHECK(streq(name, "C phone 2"));
    authy_response_free(resp);

    /* TOTP challenge: wrong code TOKEN_INVALID (pending), then answered right: approved. */
    factor_code(authy, va, id, yf, code, sizeof code);
    snprintf(wrong, sizeof wrong, "%s", code);
    wrong[0] = wrong[0] == '1' ? '2' : '1';
    /* The sandbox reads AUTHPAYLOAD as AuthPayload: a code under that name is refused (a wrong
     * one would be a 2xx pending/unverified answer under the plain 2xx rule). */
    opts = authy_params_new();
    authy_params_set(opts, "AUTHPAYLOAD", wrong, NULL);
    CHECK_RC(authy_verify_client_create_challenge(v, va, id, yf, opts, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);
    CHECK_RC(authy_verify_client_update_factor(v, va, id, yf, opts, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);
    authy_params_free(opts);
    opts = authy_params_new();
    authy_params_set(opts, "AuthPayload", wrong, NULL);
    CHECK_RC(authy_verify_client_create_challenge(v, va, id, yf, opts, &resp, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    authy_params_free(opts);
    CHECK(err != NULL && strstr(authy_error_body(err), "\"pending\"") != NULL);
    sid_in(err != NULL ? authy_error_body(err) : NULL, yc, sizeof yc);
    CHECK(yc[0] == 'Y' && yc[1] == 'C');
    clear(&err);
    CHECK_RC(authy_verify_client_update_challenge(v, va, id, yc, wrong, NULL, &resp, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    clear(&err);
    CHECK_RC(authy_verify_client_update_challenge(v, va, id, yc, code, NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "approved"));
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_challenge(v, va, id, yc, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params *filters = authy_params_new();
    authy_params_set(filters, "Status", "approved", NULL);
    CHECK_RC(authy_verify_client_list_challenges(v, va, id, filters, 5, &pages, &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(filters);
    CHECK(pages_count(pages, "challenges") == 1);

    /* Push: a factor whose key the sandbox holds (control route, 201), a challenge with
     * details, approved by the "device", fetched approved. */
    char path[256];
    snprintf(path, sizeof path, "/sandbox/verify/Services/%s/Entities/%s/PushFactors", va, id);
    authy_params *p = authy_params_new();
    authy_params_set(p, "FriendlyName", "C iPhone", NULL);
    char push[64] = "";
    /* A 201 is not an Authy success: the factor is in the error's body. */
    if (authy_client_request(authy, "POST", path, p, &resp, &err) == AUTHY_RESULT_OK) {
        get(resp, "/sid", push, sizeof push);
        authy_response_free(resp);
    } else {
        CHECK(err != NULL && authy_error_http_status(err) == 201);
        sid_in(err != NULL ? authy_error_body(err) : NULL, push, sizeof push);
        clear(&err);
    }
    authy_params_free(p);
    CHECK(push[0] == 'Y' && push[1] == 'F');
    opts = authy_params_new();
    authy_params_set(opts, "Details.Message", "Log in from C?", NULL);
    authy_params_set(opts, "Details.Fields", "[{\"label\":\"IP\",\"value\":\"203.0.113.9\"}]", NULL);
    authy_params_set(opts, "HiddenDetails", "{\"session\":\"c-1\"}", NULL);
    CHECK_RC(authy_verify_client_create_challenge(v, va, id, push, opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    get(resp, "/sid", yc, sizeof yc);
    get(resp, "/details/fields/0/value", name, sizeof name);
    CHECK(streq(name, "203.0.113.9"));
    authy_response_free(resp);
    authy_params_set(opts, "Details.Fields", "{\"label\":\"IP\"}", NULL);
    CHECK_RC(authy_verify_client_create_challenge(v, va, id, push, opts, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);
    authy_params_free(opts);
    snprintf(path, sizeof path, "/sandbox/verify/Services/%s/Entities/%s/Challenges/%s/Approve",
             va, id, yc);
    authy_response_free(raw(authy, "POST", path, NULL, NULL, NULL, NULL));
    CHECK_RC(authy_verify_client_fetch_challenge(v, va, id, yc, &resp, &err), AUTHY_RESULT_OK, &err);
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "approved"));
    authy_response_free(resp);

    CHECK_RC(authy_verify_client_list_factors(v, va, id, 1, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK(pages_count(pages, "factors") == 2);
    CHECK_RC(authy_verify_client_delete_factor(v, va, id, yf, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_status(resp) == 204);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_delete_entity(v, va, id, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_entity(v, va, id, &resp, &err), AUTHY_RESULT_NOT_FOUND, NULL);
    clear(&err);
}

/* Webhooks, rate limits and buckets, attempts. */
static void test_verify_config(const authy_verify_client *v, const char *va) {
    authy_error *err = NULL;
    authy_response *resp = NULL;
    authy_pages *pages = NULL;
    char yw[64], rk[64], bl[64], vl[64], text[128];

    /* A webhook to a port nobody listens on: configuration only. */
    CHECK_RC(authy_verify_client_create_webhook(v, va, "C hooks", "factor.created,challenge.approved",
                                                "http://127.0.0.1:9/hook", NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    get(resp, "/sid", yw, sizeof yw);
    get(resp, "/event_types/1", text, sizeof text);
    CHECK(streq(text, "challenge.approved"));
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_webhook(v, va, yw, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_params *opts = authy_params_new();
    authy_params_set(opts, "EventTypes", "factor.verified,factor.deleted,challenge.denied", NULL);
    authy_params_set(opts, "Status", "disabled", NULL);
    CHECK_RC(authy_verify_client_update_webhook(v, va, yw, opts, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    get(resp, "/event_types/2", text, sizeof text);
    CHECK(streq(text, "challenge.denied"));
    get(resp, "/status", text, sizeof text);
    CHECK(streq(text, "disabled"));
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_list_webhooks(v, va, 0, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK(pages_count(pages, "webhooks") == 1);
    CHECK_RC(authy_verify_client_create_webhook(v, va, "x", "no.such.event", "http://127.0.0.1:9/",
                                                NULL, &resp, &err),
             AUTHY_RESULT_INVALID_PARAMETERS, NULL);
    CHECK(err != NULL && streq(authy_error_api_code(err), "60306"));
    clear(&err);
    CHECK_RC(authy_verify_client_delete_webhook(v, va, yw, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);

    /* A rate limit with a bucket of 1 per minute: the second send for a value is 20429. */
    opts = authy_params_new();
    authy_params_set(opts, "Description", "per IP", NULL);
    CHECK_RC(authy_verify_client_create_rate_limit(v, va, "c_ip", opts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    authy_params_free(opts);
    get(resp, "/sid", rk, sizeof rk);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_rate_limit(v, va, rk, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    opts = authy_params_new();
    authy_params_set(opts, "Description", "IP", NULL);
    CHECK_RC(authy_verify_client_update_rate_limit(v, va, rk, opts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    authy_params_free(opts);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_list_rate_limits(v, va, 0, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK(pages_count(pages, "rate_limits") == 1);
    CHECK_RC(authy_verify_client_create_bucket(v, va, rk, 1, 60, &resp, &err), AUTHY_RESULT_OK, &err);
    get(resp, "/sid", bl, sizeof bl);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_bucket(v, va, rk, bl, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_list_buckets(v, va, rk, 0, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK(pages_count(pages, "buckets") == 1);
    opts = authy_params_new();
    authy_params_set(opts, "RateLimits", "{\"c_ip\":\"198.51.100.4\"}", NULL);
    CHECK_RC(authy_verify_client_create_verification(v, va, "+15017122690", "sms", opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_create_verification(v, va, "+15017122691", "sms", opts, &resp, &err),
             AUTHY_RESULT_RATE_LIMITED, NULL);
    CHECK(err != NULL && streq(authy_error_api_code(err), "20429"));
    clear(&err);
    authy_params_free(opts);
    opts = authy_params_new();
    authy_params_set(opts, "Max", "5", NULL);
    CHECK_RC(authy_verify_client_update_bucket(v, va, rk, bl, opts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    authy_params_free(opts);
    get(resp, "/max", text, sizeof text);
    CHECK(streq(text, "5"));
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_delete_bucket(v, va, rk, bl, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_delete_rate_limit(v, va, rk, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);

    /* Attempts of this service: one page each, one fetched, a summary. */
    authy_params *filters = authy_params_new();
    authy_params_set(filters, "VerifyServiceSid", va, NULL);
    CHECK_RC(authy_verify_client_list_attempts(v, filters, 1, &pages, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_pages_next(pages, &resp, &err), AUTHY_RESULT_OK, &err);
    get(resp, "/attempts/0/sid", vl, sizeof vl);
    authy_response_free(resp);
    authy_pages_free(pages);
    CHECK(vl[0] == 'V' && vl[1] == 'L');
    CHECK_RC(authy_verify_client_fetch_attempt(v, vl, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_attempts_summary(v, filters, &resp, &err), AUTHY_RESULT_OK, &err);
    get(resp, "/total_attempts", text, sizeof text);
    CHECK(atoi(text) >= 2);
    authy_response_free(resp);
    authy_params_free(filters);
    CHECK_RC(authy_verify_client_fetch_attempt(v, "VL1", &resp, &err), AUTHY_RESULT_INVALID_ARGUMENT,
             NULL);
    clear(&err);
}

static void test_verify(const authy_client *authy) {
    authy_client_builder *b = NULL;
    const authy_verify_client *v = NULL;
    authy_error *err = NULL;
    authy_response *resp = NULL;
    char va[64], ve[64], code[32], wrong[32];
    /* The sandbox writes next_page_url on the base URL it printed (127.0.0.1), so the Verify
     * client uses that one even in the localhost run (another origin is never followed). */
    const char *url = getenv("AUTHY_BASE_URL") != NULL ? getenv("AUTHY_BASE_URL") : base_url;

    /* The builder: one set of network setters; URLs by API; the right build function. */
    CHECK_RC(authy_client_builder_new_verify(VERIFY_AC, VERIFY_TOKEN, &b, &err), AUTHY_RESULT_OK,
             &err);
    CHECK_RC(authy_client_builder_set_base_url(b, url, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_lookups_base_url(b, url, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_timeout_ms(b, 10000, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_set_secondary_base_url(b, url, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);
    const authy_client *not_authy = NULL;
    CHECK_RC(authy_client_builder_build(b, &not_authy, &err), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(not_authy == NULL);
    clear(&err);
    CHECK_RC(authy_client_builder_build_verify(b, &v, &err), AUTHY_RESULT_OK, &err);
    authy_client_builder_free(b);
    b = NULL;
    CHECK_RC(authy_client_builder_new_verify_api_key("SK00000000000000000000000000000000", "s",
                                                     VERIFY_AC, &b, &err),
             AUTHY_RESULT_OK, &err);
    const authy_verify_client *bad = NULL;
    CHECK_RC(authy_client_builder_set_lookups_base_url(b, "http://127.0.0.1:9", &err),
             AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_build_verify(b, &bad, &err), AUTHY_RESULT_OK, &err);
    authy_verify_client_free(bad);
    authy_client_builder_free(b);
    b = NULL;
    CHECK_RC(authy_client_builder_new_verify("AC123", VERIFY_TOKEN, &b, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_client_builder_build_verify(b, &bad, &err), AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(err != NULL && strstr(authy_error_message(err), VERIFY_TOKEN) == NULL);
    clear(&err);
    authy_client_builder_free(b);
    if (v == NULL) return;

    /* Services. */
    authy_params *opts = authy_params_new();
    authy_params_set(opts, "CodeLength", "6", NULL);
    CHECK_RC(authy_verify_client_create_service(v, "C Login", opts, &resp, &err), AUTHY_RESULT_OK,
             &err);
    authy_params_free(opts);
    CHECK(authy_response_status(resp) == 201);
    get(resp, "/sid", va, sizeof va);
    CHECK(strlen(va) == 34 && va[0] == 'V' && va[1] == 'A');
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_fetch_service(v, va, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    opts = authy_params_new();
    authy_params_set(opts, "FriendlyName", "C Login 2", NULL);
    CHECK_RC(authy_verify_client_update_service(v, va, opts, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    char name[64];
    get(resp, "/friendly_name", name, sizeof name);
    CHECK(streq(name, "C Login 2"));
    authy_response_free(resp);
    opts = authy_params_new();
    authy_params_set(opts, "lower_case", "x", NULL);
    CHECK_RC(authy_verify_client_create_service(v, "x", opts, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    clear(&err);
    authy_params_free(opts);

    /* Pages: two services, one per page, then NO_VALUE. */
    CHECK_RC(authy_verify_client_create_service(v, "C Second", NULL, &resp, &err), AUTHY_RESULT_OK,
             &err);
    char second[64];
    get(resp, "/sid", second, sizeof second);
    authy_response_free(resp);
    authy_pages *pages = NULL;
    CHECK_RC(authy_verify_client_list_services(v, 1, &pages, &err), AUTHY_RESULT_OK, &err);
    int n = 0;
    authy_result rc;
    while ((rc = authy_pages_next(pages, &resp, &err)) == AUTHY_RESULT_OK) {
        char sid[64];
        get(resp, "/services/0/sid", sid, sizeof sid);
        CHECK(streq(sid, va) || streq(sid, second));
        authy_response_free(resp);
        n++;
    }
    CHECK(rc == AUTHY_RESULT_NO_VALUE && n == 2);
    clear(&err);
    authy_pages_free(pages);
    CHECK_RC(authy_verify_client_delete_service(v, second, &resp, &err), AUTHY_RESULT_OK, &err);
    CHECK(authy_response_status(resp) == 204);
    authy_response_free(resp);
    resp = NULL;
    CHECK_RC(authy_verify_client_fetch_service(v, second, &resp, &err), AUTHY_RESULT_NOT_FOUND,
             NULL);
    CHECK(resp == NULL);
    CHECK(err != NULL && authy_error_http_status(err) == 404);
    CHECK(err != NULL && streq(authy_error_api_code(err), "20404"));
    CHECK(err != NULL && streq(authy_error_authy_code(err), "20404"));
    CHECK(err != NULL && streq(authy_error_more_info(err), "https://www.twilio.com/docs/errors/20404"));
    clear(&err);

    /* A verification: wrong code = TOKEN_INVALID with the body; right code OK; then 20404. */
    const char *to = "+15017122670";
    opts = authy_params_new();
    authy_params_set(opts, "Locale", "en", NULL);
    CHECK_RC(authy_verify_client_create_verification(v, va, to, "sms", opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    get(resp, "/sid", ve, sizeof ve);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_create_verification(v, va, "15017122670", "sms", NULL, &resp, &err),
             AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    /* Refused before I/O with the code the API would answer (400 60200 "Invalid parameter: To"). */
    CHECK(err != NULL && authy_error_api_code(err) != NULL && streq(authy_error_api_code(err), "60200"));
    clear(&err);
    authy_response *c = raw(authy, "GET", "/sandbox/verify/code", "To", to, "ServiceSid", va);
    get(c, "/code", code, sizeof code);
    authy_response_free(c);
    CHECK(strlen(code) == 6);
    snprintf(wrong, sizeof wrong, "%s", code);
    wrong[0] = wrong[0] == '1' ? '2' : '1';
    resp = NULL;
    CHECK_RC(authy_verify_client_check_verification(v, va, to, NULL, wrong, NULL, &resp, &err),
             AUTHY_RESULT_TOKEN_INVALID, NULL);
    CHECK(resp == NULL);
    CHECK(err != NULL && authy_error_http_status(err) == 200);
    CHECK(err != NULL && strstr(authy_error_body(err), "\"pending\"") != NULL);
    clear(&err);
    CHECK_RC(authy_verify_client_fetch_verification(v, va, ve, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_check_verification(v, va, NULL, ve, code, NULL, &resp, &err),
             AUTHY_RESULT_OK, &err);
    char status[32];
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "approved"));
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_check_verification(v, va, to, NULL, code, NULL, &resp, &err),
             AUTHY_RESULT_NOT_FOUND, NULL);
    CHECK(err != NULL && streq(authy_error_api_code(err), "20404"));
    clear(&err);

    /* Cancel. */
    CHECK_RC(authy_verify_client_create_verification(v, va, "+15017122671", "call", NULL, &resp,
                                                     &err),
             AUTHY_RESULT_OK, &err);
    get(resp, "/sid", ve, sizeof ve);
    authy_response_free(resp);
    CHECK_RC(authy_verify_client_update_verification(v, va, ve, "canceled", &resp, &err),
             AUTHY_RESULT_OK, &err);
    get(resp, "/status", status, sizeof status);
    CHECK(streq(status, "canceled"));
    authy_response_free(resp);

    /* Lookup: the literal '+' in the path; options by name. */
    opts = authy_params_new();
    authy_params_set(opts, "Fields", "line_type_intelligence", NULL);
    CHECK_RC(authy_verify_client_lookup_phone_number(v, "+14159929960", opts, &resp, &err),
             AUTHY_RESULT_OK, &err);
    authy_params_free(opts);
    char phone[32];
    get(resp, "/phone_number", phone, sizeof phone);
    CHECK(streq(phone, "+14159929960"));
    authy_response_free(resp);

    /* The read rule of the endpoint table, as the bindings see it. */
    CHECK(authy_endpoint_is_read("GET", "/v2/Services/VA00000000000000000000000000000000"));
    CHECK(authy_endpoint_is_read("GET", "/protected/json/app/details"));
    CHECK(!authy_endpoint_is_read("POST", "/v2/Services/VA00000000000000000000000000000000/VerificationCheck"));
    CHECK(!authy_endpoint_is_read("GET", "/protected/json/sms/1"));
    CHECK(!authy_endpoint_is_read(NULL, "/x") && !authy_endpoint_is_read("GET", "\xff"));
    CHECK(authy_error_api_code(NULL) == NULL && authy_error_more_info(NULL) == NULL);

    test_verify_entities(authy, v, va);
    test_verify_config(v, va);

    /* Per-call timeout and cancel handles of the Verify client. */
    const authy_verify_client *timed = NULL, *stopped = NULL;
    CHECK_RC(authy_verify_client_with_timeout_ms(v, 0, &timed, &err), AUTHY_RESULT_INVALID_ARGUMENT,
             NULL);
    clear(&err);
    CHECK_RC(authy_verify_client_with_timeout_ms(v, 5000, &timed, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_verify_client_fetch_service(timed, va, &resp, &err), AUTHY_RESULT_OK, &err);
    authy_response_free(resp);
    authy_cancel *cancel = authy_cancel_new();
    CHECK_RC(authy_verify_client_with_cancel(timed, cancel, &stopped, &err), AUTHY_RESULT_OK, &err);
    CHECK_RC(authy_cancel_cancel(cancel, &err), AUTHY_RESULT_OK, &err);
    authy_cancel_free(cancel);
    resp = NULL;
    CHECK_RC(authy_verify_client_fetch_service(stopped, va, &resp, &err), AUTHY_RESULT_CANCELLED,
             NULL);
    CHECK(resp == NULL && err != NULL && !authy_error_request_sent(err));
    clear(&err);
    CHECK_RC(authy_verify_client_with_cancel(v, NULL, &stopped, &err), AUTHY_RESULT_NULL_ARGUMENT,
             NULL);
    clear(&err);
    authy_verify_client_free(stopped);
    authy_verify_client_free(timed);
    authy_verify_client_free(v);
    authy_verify_client_free(NULL);
}

int main(int argc, char **argv) {
    base_url = argc > 1 ? argv[1] : getenv("AUTHY_BASE_URL");
    api_key = getenv("AUTHY_API_KEY");
    if (api_key == NULL) api_key = "sandbox-api-key-0123456789abcdef";

    test_version_and_results();
    test_catalog();
    test_callbacks();
    test_twilio_signature();
    test_params_and_builder();

    if (base_url == NULL) {
        fprintf(stderr, "test_ffi: no sandbox URL (argv[1] or AUTHY_BASE_URL): network tests "
                        "not run\n");
        failed++;
    } else {
        const authy_client *client = make_client(base_url, 10000);
        authy_response *reset = raw(client, "POST", "/sandbox/reset", NULL, NULL, NULL, NULL);
        authy_response_free(reset);
        test_app(client);
        test_users_and_tokens(client);
        test_onetouch(client);
        test_phones(client);
        test_what_the_api_accepts(client);
        test_raw_and_transport(client);
        test_threads(client);
        test_verify(client);
        authy_client_free(client);
    }

    printf("test_ffi: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
