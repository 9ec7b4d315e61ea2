/*
 * quickstart.c — the whole two-factor flow with libauthy, against a local authy-sandbox:
 *
 *   1. register a user            5. send a OneTouch (push) approval request
 *   2. send a code by SMS         6. the user approves it (simulated by the sandbox)
 *   3. read it from the handset   7. wait for the decision
 *   4. verify the code            8. verify the signed callback Authy sent to your server
 *
 * Usage:  quickstart [BASE_URL [API_KEY]]     (or AUTHY_BASE_URL / AUTHY_API_KEY)
 *
 *   target/release/authy-sandbox --port 0 &   # prints its base URL, e.g. http://127.0.0.1:40123
 *   cc examples/quickstart.c -I include -L target/release -lauthy -Wl,-rpath,target/release
 *   ./a.out http://127.0.0.1:40123
 *
 * Steps 3 and 6 use the sandbox's control API (/sandbox/...) to play the user's phone; with the
 * real API the user reads the SMS and taps "Approve" in the Authy app.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authy.h"

static const authy_client *client;

/* Prints the error of a failed call and exits. */
static void die(const char *what, authy_result rc, authy_error *error) {
    fprintf(stderr, "quickstart: %s failed: %s", what, authy_result_name(rc));
    if (error != NULL) {
        fprintf(stderr, " — %s", authy_error_message(error));
        if (authy_error_authy_code(error) != NULL) {
            const char *meaning = NULL;
            uint32_t code = (uint32_t)strtoul(authy_error_authy_code(error), NULL, 10);
            if (authy_catalog_lookup(code, &meaning, NULL, NULL) == AUTHY_RESULT_OK) {
                fprintf(stderr, " (Authy %s: %s)", authy_error_authy_code(error), meaning);
            }
        }
        authy_error_free(error);
    }
    fprintf(stderr, "\n");
    authy_client_free(client);
    exit(1);
}

/* A raw request to the sandbox control API, with up to two parameters. */
static authy_response *sandbox(const char *method, const char *path, const char *k1,
                               const char *v1, const char *k2, const char *v2) {
    authy_params *params = authy_params_new();
    if (k1 != NULL) authy_params_set(params, k1, v1, NULL);
    if (k2 != NULL) authy_params_set(params, k2, v2, NULL);
    authy_response *resp = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_client_request(client, method, path, params, &resp, &error);
    authy_params_free(params);
    if (rc != AUTHY_RESULT_OK) die(path, rc, error);
    rc = authy_response_check(resp, &error);
    if (rc != AUTHY_RESULT_OK) {
        authy_response_free(resp);
        die(path, rc, error);
    }
    return resp;
}

/* Copies a string field of a response ("" when absent). */
static void field(const authy_response *resp, const char *pointer, char *out, size_t size) {
    const char *value = NULL;
    out[0] = '\0';
    if (authy_response_get_string(resp, pointer, &value, NULL) == AUTHY_RESULT_OK) {
        snprintf(out, size, "%s", value);
    }
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 ? argv[1] : getenv("AUTHY_BASE_URL");
    const char *api_key = argc > 2 ? argv[2] : getenv("AUTHY_API_KEY");
    if (api_key == NULL) api_key = "sandbox-api-key-0123456789abcdef";
    if (base_url == NULL) {
        fprintf(stderr, "usage: quickstart BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)\n");
        return 2;
    }
    printf("libauthy %s, API at %s\n\n", authy_version(), base_url);

    /* A client is built once and shared by every thread of your program. */
    authy_client_builder *builder = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_client_builder_new(api_key, &builder, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_base_url(builder, base_url, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_timeout_ms(builder, 10000, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_build(builder, &client, &error);
    authy_client_builder_free(builder);
    if (rc != AUTHY_RESULT_OK) die("building the client", rc, error);

    /* 1. Register the user: e-mail, phone, country code. */
    authy_params *options = authy_params_new();
    authy_params_set(options, "country_code", "1", NULL);
    authy_response *resp = NULL;
    rc = authy_client_create_user(client, "alice@example.com", "555-867-5309", options, &resp,
                                  &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("create_user", rc, error);
    char authy_id[32];
    snprintf(authy_id, sizeof authy_id, "%s", authy_response_user_id(resp));
    authy_response_free(resp);
    printf("1. registered alice@example.com, +1 555-867-5309 -> Authy id %s\n", authy_id);

    /* 2. Send a code by SMS (force: even if the user has the Authy app). */
    options = authy_params_new();
    authy_params_set(options, "force", "true", NULL);
    rc = authy_client_request_sms(client, authy_id, options, &resp, &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("request_sms", rc, error);
    printf("2. SMS sent to %s\n", authy_response_cellphone(resp));
    authy_response_free(resp);

    /* 3. The user reads the code on the phone (here: the sandbox's handset). */
    char path[160], code[32];
    snprintf(path, sizeof path, "/sandbox/users/%s/last_code", authy_id);
    resp = sandbox("GET", path, NULL, NULL, NULL, NULL);
    field(resp, "/code", code, sizeof code);
    authy_response_free(resp);
    printf("3. the user types the code %s\n", code);

    /* 4. Verify it. Only AUTHY_RESULT_OK means valid: a wrong code is
     *    AUTHY_RESULT_TOKEN_INVALID with Authy code 60020. */
    rc = authy_client_verify_token(client, authy_id, "0000001", NULL, &resp, &error);
    printf("4. a wrong code is refused: %s (Authy %s)\n", authy_result_name(rc),
           error != NULL && authy_error_authy_code(error) ? authy_error_authy_code(error) : "-");
    authy_error_free(error);
    error = NULL;
    if (rc == AUTHY_RESULT_OK) {
        authy_response_free(resp);
        die("verify_token accepted a wrong code", AUTHY_RESULT_INTERNAL, NULL);
    }
    rc = authy_client_verify_token(client, authy_id, code, NULL, &resp, &error);
    if (rc != AUTHY_RESULT_OK) die("verify_token", rc, error);
    printf("   the right code is accepted: %s\n", authy_response_message(resp));
    authy_response_free(resp);

    /* Where the sandbox sends OneTouch callbacks (with the real API: set in the Twilio console).
     * Nothing needs to listen there: the sandbox records every callback it signs and sends. */
    const char *callback_url = getenv("AUTHY_CALLBACK_URL");
    if (callback_url == NULL) callback_url = "http://127.0.0.1:9/authy/callback";
    resp = sandbox("POST", "/sandbox/config", "callback_url", callback_url, "callback_method",
                   "POST");
    authy_response_free(resp);

    /* 5. Ask for approval on the user's phone, with details shown in the app. */
    options = authy_params_new();
    authy_params_set(options, "details[Location]", "Paris, France", NULL);
    authy_params_set(options, "details[Browser]", "Firefox", NULL);
    authy_params_set(options, "hidden_details[session]", "s-1234", NULL);
    authy_params_set(options, "seconds_to_expire", "300", NULL);
    rc = authy_client_create_approval_request(client, authy_id, "Log in to Example?", options,
                                              &resp, &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("create_approval_request", rc, error);
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", authy_response_approval_uuid(resp));
    authy_response_free(resp);
    printf("5. OneTouch request %s sent\n", uuid);

    /* 6. The user taps "Approve" (here: the sandbox). */
    snprintf(path, sizeof path, "/sandbox/approval_requests/%s/approve", uuid);
    resp = sandbox("POST", path, NULL, NULL, NULL, NULL);
    authy_response_free(resp);
    printf("6. the user approves it on the phone\n");

    /* 7. Wait for the decision (poll every 500 ms, at most 30 s). */
    options = authy_params_new();
    authy_params_set(options, "interval_ms", "500", NULL);
    authy_params_set(options, "timeout_ms", "30000", NULL);
    authy_wait_status status = AUTHY_WAIT_STATUS_TIMED_OUT;
    rc = authy_client_wait_for_approval(client, uuid, options, &status, &resp, &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("wait_for_approval", rc, error);
    printf("7. decision: %s\n", authy_response_approval_status(resp));
    authy_response_free(resp);
    if (status != AUTHY_WAIT_STATUS_APPROVED) die("the request was not approved", rc, NULL);

    /* 8. Authy also called the callback URL. Your web handler verifies the signature before
     *    trusting the body: here we take what the sandbox sent from its record. */
    resp = sandbox("GET", "/sandbox/callbacks", NULL, NULL, NULL, NULL);
    char pointer[96], nonce[64], signature[64], body[8192] = "";
    for (int i = 0;; i++) {
        char probe[64];
        snprintf(pointer, sizeof pointer, "/callbacks/%d/body", i);
        field(resp, pointer, probe, sizeof probe);
        if (probe[0] == '\0') break;
        field(resp, pointer, body, sizeof body);
        snprintf(pointer, sizeof pointer, "/callbacks/%d/headers/X-Authy-Signature-Nonce", i);
        field(resp, pointer, nonce, sizeof nonce);
        snprintf(pointer, sizeof pointer, "/callbacks/%d/headers/X-Authy-Signature", i);
        field(resp, pointer, signature, sizeof signature);
    }
    authy_response_free(resp);
    if (body[0] == '\0') die("no callback was recorded", AUTHY_RESULT_INTERNAL, NULL);
    /* The URL as configured (a query string would be ignored); 300 s replay window. */
    rc = authy_callback_verify(api_key, "POST", callback_url, nonce, signature, body, 300, 0,
                               &error);
    if (rc != AUTHY_RESULT_OK) die("authy_callback_verify", rc, error);
    printf("8. callback signature %s is authentic (nonce %s)\n", signature, nonce);

    authy_client_free(client);
    printf("\nquickstart: done\n");
    return 0;
}
