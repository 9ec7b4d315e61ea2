/*
 * login_flow.c — one login flow (send a code, check it) that runs on the Authy API and on
 * Twilio Verify, chosen per user, against a local authy-sandbox. This is how a service moves
 * off Authy one user at a time: each user record says which backend it is on, and flipping
 * that flag (after storing the user's E.164 phone number) is the whole migration of an SMS user.
 *
 *   1. carol is still on Authy (the record holds her Authy id)
 *   2. bob is on Verify (the record holds his E.164 phone number; no registration call)
 *   3. carol is migrated: her record gets her E.164 number (checked with Lookup v2) and the
 *      Verify flag, and the same login code serves her through Verify
 *   4. dave, who uses an authenticator app, is migrated without re-enrolment: his TOTP secret
 *      (as Authy's export gives it) becomes a Verify TOTP factor, verified once, and his app's
 *      codes are then checked by Verify
 *
 * For each login: a code is sent by SMS, the user reads it (here: from the sandbox's handset),
 * a wrong code is refused, the right one accepted. On both APIs only AUTHY_RESULT_OK means
 * "accepted": a wrong code is AUTHY_RESULT_TOKEN_INVALID whether Authy answered 401 60020 or
 * Verify answered 200 "pending".
 *
 * Usage:  login_flow [BASE_URL [API_KEY [ACCOUNT_SID AUTH_TOKEN]]]
 *         (or AUTHY_BASE_URL, AUTHY_API_KEY, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN;
 *          VERIFY_SERVICE_SID to use an existing Verify Service instead of creating one)
 *
 *   target/release/authy-sandbox --port 0 &   # prints its base URL, e.g. http://127.0.0.1:40123
 *   cc examples/login_flow.c -I include -L target/release -lauthy -Wl,-rpath,target/release
 *   ./a.out http://127.0.0.1:40123
 *
 * The sandbox serves both APIs on one port; the credentials default to its defaults
 * (sandbox/README.md). Reading the delivered code uses the sandbox's control API
 * (/sandbox/...); with the real APIs the user reads the SMS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authy.h"

/* ---- What the service stores per user ------------------------------------------------------ */

typedef enum { BACKEND_AUTHY, BACKEND_VERIFY } backend;

typedef struct {
    const char *name;
    backend backend;
    char authy_id[32];   /* Authy: the id create_user returned (Authy keeps the phone number) */
    char phone[20];      /* Verify: the E.164 number, which the service now stores itself */
    char identity[65];   /* Verify TOTP: the service's own user id (the Entity's Identity) */
    char totp_factor[40];/* Verify TOTP: the factor (YF...) holding the user's app secret */
} user_record;

/* ---- The service's 2FA entry point: one dispatch on the user's backend --------------------- */

typedef struct {
    const authy_client *authy;
    const authy_verify_client *verify;
    char service_sid[40]; /* the Verify Service (VA...) that replaces the Authy application */
} two_factor;

/* Sends a login code by SMS to the user. */
static authy_result send_code(const two_factor *tf, const user_record *user, authy_error **error) {
    authy_response *resp = NULL;
    authy_result rc;
    if (user->backend == BACKEND_AUTHY) {
        authy_params *options = authy_params_new();
        authy_params_set(options, "force", "true", NULL); /* SMS even with the Authy app */
        rc = authy_client_request_sms(tf->authy, user->authy_id, options, &resp, error);
        authy_params_free(options);
    } else {
        rc = authy_verify_client_create_verification(tf->verify, tf->service_sid, user->phone,
                                                     "sms", NULL, &resp, error);
    }
    authy_response_free(resp);
    return rc;
}

/* Checks the code the user typed: AUTHY_RESULT_OK only when it is right. */
static authy_result check_code(const two_factor *tf, const user_record *user, const char *code,
                               authy_error **error) {
    authy_response *resp = NULL;
    authy_result rc;
    if (user->backend == BACKEND_AUTHY) {
        rc = authy_client_verify_token(tf->authy, user->authy_id, code, NULL, &resp, error);
    } else {
        rc = authy_verify_client_check_verification(tf->verify, tf->service_sid, user->phone,
                                                    NULL, code, NULL, &resp, error);
    }
    authy_response_free(resp);
    return rc;
}

/* Checks a code from the user's authenticator app (TOTP): Authy checks it like any token,
 * Verify with a Challenge on the user's TOTP factor. AUTHY_RESULT_OK only when it is right. */
static authy_result check_app_code(const two_factor *tf, const user_record *user,
                                   const char *code, authy_error **error) {
    authy_response *resp = NULL;
    authy_result rc;
    if (user->backend == BACKEND_AUTHY) {
        rc = authy_client_verify_token(tf->authy, user->authy_id, code, NULL, &resp, error);
    } else {
        authy_params *options = authy_params_new();
        authy_params_set(options, "AuthPayload", code, NULL);
        rc = authy_verify_client_create_challenge(tf->verify, tf->service_sid, user->identity,
                                                  user->totp_factor, options, &resp, error);
        authy_params_free(options);
    }
    authy_response_free(resp);
    return rc;
}

/* ---- Plumbing of the example ---------------------------------------------------------------- */

static two_factor tf;

static void cleanup(void) {
    authy_client_free(tf.authy);
    authy_verify_client_free(tf.verify);
}

/* Prints the error of a failed call and exits. */
static void die(const char *what, authy_result rc, authy_error *error) {
    fprintf(stderr, "login_flow: %s failed: %s", what, authy_result_name(rc));
    if (error != NULL) {
        fprintf(stderr, " — %s", authy_error_message(error));
        if (authy_error_api_code(error) != NULL) {
            fprintf(stderr, " (API code %s)", authy_error_api_code(error));
        }
        authy_error_free(error);
    }
    fprintf(stderr, "\n");
    cleanup();
    exit(1);
}

/* Copies the string at `pointer` of an answer and frees the answer; exits when it is absent. */
static void take_string(authy_response *resp, const char *pointer, char *out, size_t size) {
    const char *value = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_response_get_string(resp, pointer, &value, &error);
    if (rc == AUTHY_RESULT_OK) snprintf(out, size, "%s", value);
    authy_response_free(resp);
    if (rc != AUTHY_RESULT_OK) die(pointer, rc, error);
}

/* GET on the sandbox's control API (sent with the Authy client: the control API accepts the
 * Authy key for Verify records too); copies the string at `pointer` of the answer. */
static void sandbox_get(const char *path, authy_params *params, const char *pointer, char *out,
                        size_t size) {
    authy_response *resp = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_client_request(tf.authy, "GET", path, params, &resp, &error);
    authy_params_free(params);
    if (rc == AUTHY_RESULT_OK) rc = authy_response_check(resp, &error);
    if (rc != AUTHY_RESULT_OK) {
        authy_response_free(resp);
        die(path, rc, error);
    }
    take_string(resp, pointer, out, size);
}

/* The code the sandbox's handset received for this user (a control-API request, sent with
 * the Authy client: the control API accepts the Authy key for Verify records too). */
static void read_delivered_code(const user_record *user, char *code, size_t size) {
    char path[96];
    authy_params *params = NULL;
    if (user->backend == BACKEND_AUTHY) {
        snprintf(path, sizeof path, "/sandbox/users/%s/last_code", user->authy_id);
    } else {
        snprintf(path, sizeof path, "/sandbox/verify/code");
        params = authy_params_new();
        authy_params_set(params, "To", user->phone, NULL);
        authy_params_set(params, "ServiceSid", tf.service_sid, NULL);
    }
    sandbox_get(path, params, "/code", code, size);
}

/* The code the user's authenticator app shows now (the sandbox computes it from the factor's
 * secret, standing in for the app). */
static void read_app_code(const user_record *user, char *code, size_t size) {
    char path[256];
    snprintf(path, sizeof path, "/sandbox/verify/Services/%s/Entities/%s/Factors/%s/Code",
             tf.service_sid, user->identity, user->totp_factor);
    sandbox_get(path, NULL, "/code", code, size);
}

/* The right code with its last digit changed. */
static void wrong_code(const char *code, char *wrong, size_t size) {
    snprintf(wrong, size, "%s", code);
    size_t last = strlen(wrong) - 1;
    wrong[last] = wrong[last] == '9' ? '0' : (char)(wrong[last] + 1);
}

/* One login: send, read, a wrong code refused, the right code accepted. */
static void login(const user_record *user) {
    const char *api = user->backend == BACKEND_AUTHY ? "Authy" : "Verify";
    const char *id = user->backend == BACKEND_AUTHY ? user->authy_id : user->phone;
    authy_error *error = NULL;
    authy_result rc = send_code(&tf, user, &error);
    if (rc != AUTHY_RESULT_OK) die("send_code", rc, error);
    char code[16];
    read_delivered_code(user, code, sizeof code);
    printf("   %s (%s %s): code %s sent by SMS\n", user->name, api, id, code);

    char wrong[16];
    wrong_code(code, wrong, sizeof wrong);
    rc = check_code(&tf, user, wrong, &error);
    printf("   wrong code %s: %s (HTTP %u, API code %s)\n", wrong, authy_result_name(rc),
           (unsigned)authy_error_http_status(error),
           error != NULL && authy_error_api_code(error) != NULL ? authy_error_api_code(error)
                                                                : "none");
    authy_error_free(error);
    error = NULL;
    if (rc != AUTHY_RESULT_TOKEN_INVALID) die("a wrong code was not refused", rc, NULL);

    rc = check_code(&tf, user, code, &error);
    if (rc != AUTHY_RESULT_OK) die("check_code", rc, error);
    printf("   right code %s: %s -> %s is logged in\n", code, authy_result_name(rc), user->name);
}

static const char *arg_or_env(int argc, char **argv, int i, const char *env, const char *dflt) {
    if (argc > i) return argv[i];
    const char *v = getenv(env);
    return v != NULL ? v : dflt;
}

int main(int argc, char **argv) {
    const char *base_url = arg_or_env(argc, argv, 1, "AUTHY_BASE_URL", NULL);
    const char *api_key =
        arg_or_env(argc, argv, 2, "AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef");
    const char *account_sid =
        arg_or_env(argc, argv, 3, "TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000");
    const char *auth_token =
        arg_or_env(argc, argv, 4, "TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd");
    if (base_url == NULL) {
        fprintf(stderr, "usage: login_flow BASE_URL [API_KEY [ACCOUNT_SID AUTH_TOKEN]]\n");
        return 2;
    }
    printf("libauthy %s, Authy and Verify at %s\n\n", authy_version(), base_url);

    /* Two clients, built once and shared by every thread: one builder type for both APIs, the
     * same network setters. (The sandbox serves all on one URL; the real APIs are
     * https://api.authy.com, https://verify.twilio.com and https://lookups.twilio.com, the
     * builders' defaults.) */
    authy_client_builder *builder = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_client_builder_new(api_key, &builder, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_base_url(builder, base_url, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_timeout_ms(builder, 10000, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_build(builder, &tf.authy, &error);
    authy_client_builder_free(builder);
    if (rc != AUTHY_RESULT_OK) die("building the Authy client", rc, error);

    builder = NULL;
    rc = authy_client_builder_new_verify(account_sid, auth_token, &builder, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_base_url(builder, base_url, &error);
    if (rc == AUTHY_RESULT_OK) {
        rc = authy_client_builder_set_lookups_base_url(builder, base_url, &error);
    }
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_timeout_ms(builder, 10000, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_build_verify(builder, &tf.verify, &error);
    authy_client_builder_free(builder);
    if (rc != AUTHY_RESULT_OK) die("building the Verify client", rc, error);

    /* The Verify Service takes the place of the Authy application (usually created once, in
     * the console; its SID is configuration). */
    const char *service_sid = getenv("VERIFY_SERVICE_SID");
    if (service_sid != NULL) {
        snprintf(tf.service_sid, sizeof tf.service_sid, "%s", service_sid);
    } else {
        authy_response *resp = NULL;
        rc = authy_verify_client_create_service(tf.verify, "Example login", NULL, &resp, &error);
        if (rc != AUTHY_RESULT_OK) die("create_service", rc, error);
        take_string(resp, "/sid", tf.service_sid, sizeof tf.service_sid);
        printf("Verify Service %s created\n\n", tf.service_sid);
    }

    /* carol registered with Authy long ago: the service kept only her Authy id. */
    user_record carol = {.name = "carol", .backend = BACKEND_AUTHY};
    authy_params *options = authy_params_new();
    authy_params_set(options, "country_code", "1", NULL);
    authy_response *resp = NULL;
    rc = authy_client_create_user(tf.authy, "carol@example.com", "415-555-0142", options, &resp,
                                  &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("create_user", rc, error);
    snprintf(carol.authy_id, sizeof carol.authy_id, "%s", authy_response_user_id(resp));
    authy_response_free(resp);

    /* bob signed up after Verify was introduced: the service stores his E.164 number. */
    user_record bob = {.name = "bob", .backend = BACKEND_VERIFY, .phone = "+14155550199"};

    printf("1. carol logs in through Authy\n");
    login(&carol);
    printf("2. bob logs in through Verify\n");
    login(&bob);

    /* Migrating carol: store her number in E.164 (the service had it at sign-up, or reads it
     * from its own records: Authy's user status only shows it masked) and flip the flag. */
    snprintf(carol.phone, sizeof carol.phone, "%s", "+14155550142");
    /* Before flipping, Lookup v2 (the successor of authy_client_phone_info) says whether the
     * stored number is valid, and its line type. */
    options = authy_params_new();
    authy_params_set(options, "Fields", "line_type_intelligence", NULL);
    rc = authy_verify_client_lookup_phone_number(tf.verify, carol.phone, options, &resp, &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("lookup_phone_number", rc, error);
    bool valid = false;
    const char *line_type = NULL;
    authy_response_get_bool(resp, "/valid", &valid, NULL);
    authy_response_get_string(resp, "/line_type_intelligence/type", &line_type, NULL);
    printf("3. carol's number %s: valid %s, line type %s\n", carol.phone, valid ? "yes" : "no",
           line_type != NULL ? line_type : "unknown");
    authy_response_free(resp);
    if (!valid) die("carol's stored number is not valid", AUTHY_RESULT_INVALID_ARGUMENT, NULL);
    carol.backend = BACKEND_VERIFY;
    printf("   carol is moved to Verify and logs in again\n");
    login(&carol);

    /* dave logs in with codes from an authenticator app. Moving him keeps his app working: the
     * TOTP secret Authy exports for him (GET /protected/json/users/{authy_id}/secret/export,
     * enabled by Twilio Support; the sandbox does not emulate it, so here it is a constant)
     * becomes the Binding.Secret of a Verify TOTP factor with Authy's parameters. */
    user_record dave = {.name = "dave", .backend = BACKEND_VERIFY,
                        .identity = "user-0004-dave"};
    const char *exported_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    options = authy_params_new();
    authy_params_set(options, "Binding.Secret", exported_secret, NULL);
    authy_params_set(options, "Config.Alg", "sha1", NULL);
    authy_params_set(options, "Config.TimeStep", "30", NULL);
    authy_params_set(options, "Config.CodeLength", "6", NULL);
    authy_params_set(options, "Config.Skew", "1", NULL);
    rc = authy_verify_client_create_factor(tf.verify, tf.service_sid, dave.identity,
                                           "dave's authenticator", "totp", options, &resp,
                                           &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) die("create_factor", rc, error);
    take_string(resp, "/sid", dave.totp_factor, sizeof dave.totp_factor);
    printf("4. dave's exported app secret -> Verify TOTP factor %s (entity %s)\n",
           dave.totp_factor, dave.identity);

    /* The factor is verified once with a code of the app (Authy's export also returns one). */
    char code[16], wrong[16];
    read_app_code(&dave, code, sizeof code);
    wrong_code(code, wrong, sizeof wrong);
    rc = authy_verify_client_verify_factor(tf.verify, tf.service_sid, dave.identity,
                                           dave.totp_factor, wrong, &resp, &error);
    printf("   verifying it with a wrong code %s: %s (HTTP %u)\n", wrong, authy_result_name(rc),
           (unsigned)authy_error_http_status(error));
    authy_error_free(error);
    error = NULL;
    if (rc != AUTHY_RESULT_TOKEN_INVALID) die("a wrong code verified the factor", rc, NULL);
    rc = authy_verify_client_verify_factor(tf.verify, tf.service_sid, dave.identity,
                                           dave.totp_factor, code, &resp, &error);
    if (rc != AUTHY_RESULT_OK) die("verify_factor", rc, error);
    authy_response_free(resp);
    printf("   verified with the app's code %s\n", code);

    /* Logging in: the same app, now checked by Verify. */
    read_app_code(&dave, code, sizeof code);
    wrong_code(code, wrong, sizeof wrong);
    rc = check_app_code(&tf, &dave, wrong, &error);
    printf("   login, wrong app code %s: %s (HTTP %u)\n", wrong, authy_result_name(rc),
           (unsigned)authy_error_http_status(error));
    authy_error_free(error);
    error = NULL;
    if (rc != AUTHY_RESULT_TOKEN_INVALID) die("a wrong app code was not refused", rc, NULL);
    rc = check_app_code(&tf, &dave, code, &error);
    if (rc != AUTHY_RESULT_OK) die("check_app_code", rc, error);
    printf("   login, app code %s: %s -> dave is logged in, no re-enrolment\n", code,
           authy_result_name(rc));

    cleanup();
    printf("\nlogin_flow: done\n");
    return 0;
}
