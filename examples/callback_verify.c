/*
 * callback_verify.c — check a OneTouch callback offline with libauthy.
 *
 * When a user answers a OneTouch request, Authy calls your callback URL and signs the call with
 * the headers X-Authy-Signature-Nonce and X-Authy-Signature. Your web handler passes those
 * header values, the method, the callback URL as configured in Authy, and the raw body (POST)
 * or raw query string (GET) to authy_callback_verify_params(); anything but AUTHY_RESULT_OK
 * means "reject the request". On success it hands out the parameters exactly as the signature
 * covered them: read "status" and "uuid" with authy_callback_get_string() rather than parsing
 * the body again (another parser may read a value the signature did not cover).
 *
 * A valid signature does not stop replays: always pass a replay window (at most 300 seconds) and
 * act at most once per approval request uuid, as handle_callback() below does.
 *
 * This program checks a real signed callback (from seegno/authy-client's test suite), the same
 * callback delivered twice, tampered with, with a repeated key, and replayed too late.
 *
 *   cc callback_verify.c -I include -L target/release -lauthy -Wl,-rpath,target/release
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "authy.h"

/* What your web framework gives you. */
static const char api_key[] = "1DS9YIwGquvvIdx8GdcdqZGLAewZZyhd";
static const char callback_url[] = "https://foo.bar/";
static const char header_nonce[] = "1455825429";
static const char header_signature[] = "hqB6las54sMBA83GKs0U1QQi9ocJ2tH20SXHZNzfqqQ=";
static const char body[] =
    "{\"approval_request\":{\"expiration_timestamp\":1455911778,\"logos\":null,\"transactio"
    "n\":{\"created_at_time\":1455825378,\"customer_uuid\":\"2ccf0040-ed25-0132-5987-0e67b8"
    "18e6fb\",\"details\":{},\"device_details\":null,\"device_geolocation\":null,\"device_s"
    "igning_time\":0,\"encrypted\":false,\"flagged\":false,\"hidden_details\":{},\"message"
    "\":\".\",\"reason\":null,\"requester_details\":null,\"status\":\"approved\",\"uuid\":"
    "\"996201c0-b7a7-0133-7c06-0e67b818e6fb\"}},\"authy_id\":1234567,\"callback_action\":\""
    "approval_request_status\",\"device_uuid\":\"4d89c320-a9bb-0133-7c02-0e67b818e6fb\",\"s"
    "ignature\":\"BObhJgZwgU7O9r4Uo9VT6j6shAOe7y/IRGpW/N0Uq34/XHZU9E+aHOI5rcQzW1ZgNCECzVrqr"
    "snjhYEK4Zq1naKWu0YNkuvILmMz8IxJEQH+c+6x186fjIjxvP4nu4p/pfUDomo/za24s1XOjtNlVsrDTDXClHU"
    "h5MjFQbyBjhFd8gOtmGVatN7K2Lx71I8YR2JDLbRX4DlJEMu++PLBn1nqQH9tbNYzX5jjX87CXPBtDfRwfWSs/"
    "imnfZ9zkDq4ZKuBcuwzQNsxKlby6782X0o78rYhCHrcDnHgRtyMGvX9ovK3XTt6M7p6i9SKaRgBWIOFVPygxv1"
    "5iJesqt9cng==\",\"status\":\"approved\",\"uuid\":\"996221c0-b7a7-0133-7c06-0e67b818e6f"
    "b\"}"
    ;

/* Approval requests already acted on. A real application keeps these in its database, for at
 * least the replay window, and looks them up by the approval request uuid. */
#define MAX_HANDLED 16
static char handled[MAX_HANDLED][64];
static size_t handled_count;

static int already_handled(const char *uuid) {
    for (size_t i = 0; i < handled_count; i++) {
        if (strcmp(handled[i], uuid) == 0) {
            return 1;
        }
    }
    return 0;
}

static void remember(const char *uuid) {
    if (handled_count < MAX_HANDLED) {
        snprintf(handled[handled_count], sizeof handled[0], "%s", uuid);
        handled_count++;
    }
}

enum outcome { ACTED_ON, DUPLICATE, REJECTED };

/*
 * Your callback handler. It de-duplicates on the top-level "uuid" parameter (the approval
 * request's uuid, not approval_request.transaction.uuid) and acts on the top-level "status",
 * both read from the verified parameters. `now_unix` is 0 in production (system clock); this
 * program pins it because its recorded callback is from 2016.
 */
static enum outcome handle_callback(const char *label, const char *request_body,
                                    uint64_t now_unix) {
    authy_error *error = NULL;
    authy_callback *params = NULL;
    /* Always pass a replay window (at most 300 s): a captured callback stays validly signed. */
    authy_result rc =
        authy_callback_verify_params(api_key, "POST", callback_url, header_nonce,
                                     header_signature, request_body, 300, now_unix, &params,
                                     &error);
    printf("%-30s ", label);
    if (rc != AUTHY_RESULT_OK) {
        printf("REJECTED (%s: %s)\n", authy_result_name(rc),
               error != NULL ? authy_error_message(error) : "");
        authy_error_free(error);
        return REJECTED;
    }
    /* The strings belong to `params` and stay valid until authy_callback_free(). */
    const char *uuid = NULL;
    const char *status = NULL;
    if (authy_callback_get_string(params, "/uuid", &uuid, NULL) != AUTHY_RESULT_OK ||
        authy_callback_get_string(params, "/status", &status, NULL) != AUTHY_RESULT_OK) {
        /* Authentic, but not an approval request callback we understand. */
        printf("REJECTED (no uuid or status)\n");
        authy_callback_free(params);
        return REJECTED;
    }
    /* Authentic and fresh, but maybe delivered twice (or replayed inside the window): act at
     * most once per approval request. */
    if (already_handled(uuid)) {
        printf("authentic, already handled: ignored\n");
        authy_callback_free(params);
        return DUPLICATE;
    }
    remember(uuid);
    /* Compare the status as text: "approved" logs the user in, anything else does not. */
    if (strcmp(status, "approved") == 0) {
        printf("authentic, approved (%s): acted on\n", uuid);
    } else {
        printf("authentic, %s (%s): login refused\n", status, uuid);
    }
    authy_callback_free(params);
    return ACTED_ON;
}

int main(void) {
    const uint64_t sent_at = 1455825429; /* the nonce: when Authy signed */
    int checks = 0;
    int failures = 0;

    checks++;
    failures += handle_callback("original callback:", body, sent_at + 2) != ACTED_ON;

    /* The same callback again, inside the window: the uuid check stops it. */
    checks++;
    failures += handle_callback("delivered again:", body, sent_at + 60) != DUPLICATE;

    /* An attacker flips "approved" to something else: the signature no longer matches. */
    char tampered[sizeof body];
    memcpy(tampered, body, sizeof body);
    char *status = strstr(tampered, "\"status\":\"approved\"");
    if (status != NULL) {
        memcpy(status, "\"status\":\"approvee\"", strlen("\"status\":\"approvee\""));
    }
    checks++;
    failures += handle_callback("tampered callback:", tampered, sent_at + 2) != REJECTED;

    /* An attacker adds a second "status" in front of the signed one: a parser keeping the first
     * value would read it, so a repeated key is rejected as malformed. */
    char smuggled[sizeof body + 32];
    snprintf(smuggled, sizeof smuggled, "{\"status\":\"denied\",%s", body + 1);
    checks++;
    failures += handle_callback("repeated key:", smuggled, sent_at + 2) != REJECTED;

    /* Replayed years later (system clock): outside the 5-minute window. */
    checks++;
    failures += handle_callback("replayed (5 min window):", body, 0) != REJECTED;

    printf("callback_verify: %d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
