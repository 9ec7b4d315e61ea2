/*
 * main.c — the smallest useful libauthy consumer, built by the CMakeLists.txt beside it through
 * pkg-config: checks that the header and the library it runs with agree, registers a user and
 * reads the user's status back.
 *
 * Usage:  authy_cmake_example [BASE_URL [API_KEY]]     (or AUTHY_BASE_URL / AUTHY_API_KEY)
 *
 * Against a local sandbox:  authy-sandbox --port 0   prints the BASE_URL to use.
 */
#include <authy.h>
#include <stdio.h>
#include <stdlib.h>

/* Reports a failed call with its details, frees the error and returns the exit status 1. */
static int fail(const char *what, authy_result rc, authy_error *error) {
    fprintf(stderr, "authy_cmake_example: %s failed: %s", what, authy_result_name(rc));
    if (error != NULL) {
        const char *code = authy_error_authy_code(error);
        fprintf(stderr, " (HTTP %u, Authy code %s): %s", (unsigned)authy_error_http_status(error),
                code != NULL ? code : "-", authy_error_message(error));
        authy_error_free(error);
    }
    fputc('\n', stderr);
    return 1;
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 ? argv[1] : getenv("AUTHY_BASE_URL");
    const char *api_key = argc > 2 ? argv[2] : getenv("AUTHY_API_KEY");
    if (api_key == NULL) api_key = "sandbox-api-key-0123456789abcdef";
    if (base_url == NULL) {
        fprintf(stderr, "usage: authy_cmake_example BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)\n");
        return 2;
    }

    /* A program compiled against one header and run with another library is caught here. */
    printf("libauthy %s (header %s)\n", authy_version(), AUTHY_VERSION_STRING);
    if (authy_version_number() != AUTHY_VERSION_NUMBER) {
        fprintf(stderr, "authy_cmake_example: header %s does not match library %s\n",
                AUTHY_VERSION_STRING, authy_version());
        return 1;
    }

    authy_client_builder *builder = NULL;
    const authy_client *client = NULL;
    authy_error *error = NULL;
    authy_result rc = authy_client_builder_new(api_key, &builder, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_base_url(builder, base_url, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_set_timeout_ms(builder, 10000, &error);
    if (rc == AUTHY_RESULT_OK) rc = authy_client_builder_build(builder, &client, &error);
    authy_client_builder_free(builder);
    if (rc != AUTHY_RESULT_OK) return fail("building the client", rc, error);

    authy_params *options = authy_params_new();
    authy_params_set(options, "country_code", "1", NULL);
    authy_response *resp = NULL;
    rc = authy_client_create_user(client, "cmake@example.com", "555-010-4242", options, &resp,
                                  &error);
    authy_params_free(options);
    if (rc != AUTHY_RESULT_OK) {
        authy_client_free(client);
        return fail("create_user", rc, error);
    }
    char authy_id[32];
    snprintf(authy_id, sizeof authy_id, "%s", authy_response_user_id(resp));
    authy_response_free(resp);
    printf("registered cmake@example.com -> Authy id %s\n", authy_id);

    rc = authy_client_user_status(client, authy_id, NULL, &resp, &error);
    if (rc != AUTHY_RESULT_OK) {
        authy_client_free(client);
        return fail("user_status", rc, error);
    }
    printf("user_status: %s\n", authy_response_message(resp));
    authy_response_free(resp);
    authy_client_free(client);
    printf("authy_cmake_example: ok\n");
    return 0;
}
