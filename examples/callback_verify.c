/*
 * callback_verify.c — check a OneTouch callback offline with libauthy.
 *
 * When a user answers a OneTouch request, Authy calls your callback URL and signs the call with
 * the headers X-Authy-Signature-Nonce and X-Authy-Signature. Your web handler passes those
 * header values, the method, the callback URL as configured in Authy, and the raw body (POST)
 * or raw query string (GET) to authy_callback_verify(); anything but AUTHY_RESULT_OK means
 * "reject the request".
 *
 * This program checks a real signed callback (from seegno/authy-client's test suite), then the
 * same callback with one byte changed.
 *
 *   cc callback_verify.c -I include -L target/release -lauthy -Wl,-rpath,target/release
 */
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

static int check(const char *label, const char *request_body, authy_result expected) {
    authy_error *error = NULL;
    /* max_age_seconds = 0: no replay window here, because this recorded callback is from 2016.
     * In production pass e.g. 300, so that a captured callback cannot be replayed later. */
    authy_result rc = authy_callback_verify(api_key, "POST", callback_url, header_nonce,
                                            header_signature, request_body, 0, 0, &error);
    printf("%-28s %s", label, rc == AUTHY_RESULT_OK ? "authentic" : "REJECTED");
    if (error != NULL) {
        printf(" (%s: %s)", authy_result_name(rc), authy_error_message(error));
    }
    printf("\n");
    authy_error_free(error);
    return rc == expected ? 0 : 1;
}

int main(void) {
    int failures = 0;
    failures += check("original callback:", body, AUTHY_RESULT_OK);

    /* An attacker flips "approved" to "denied" (or anything else): the signature no longer
     * matches. */
    char tampered[sizeof body];
    memcpy(tampered, body, sizeof body);
    char *status = strstr(tampered, "\"status\":\"approved\"");
    if (status != NULL) {
        memcpy(status, "\"status\":\"approvee\"", strlen("\"status\":\"approvee\""));
    }
    failures += check("tampered callback:", tampered, AUTHY_RESULT_SIGNATURE_INVALID);

    /* A stale nonce with a 5-minute replay window (the clock is the system's). */
    authy_result rc = authy_callback_verify(api_key, "POST", callback_url, header_nonce,
                                            header_signature, body, 300, 0, NULL);
    printf("%-28s %s\n", "replayed (5 min window):",
           rc == AUTHY_RESULT_OK ? "authentic" : "REJECTED (nonce too old)");
    failures += rc == AUTHY_RESULT_SIGNATURE_INVALID ? 0 : 1;

    printf("callback_verify: %d passed, %d failed\n", 3 - failures, failures);
    return failures == 0 ? 0 : 1;
}
