// The header compiles as C++ (g++ -std=c++17 -Wall -Wextra -pedantic -Werror) and links;
// a trivial offline call and RAII ownership through std::unique_ptr.
#include "authy.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

struct ErrorDeleter {
    void operator()(authy_error *e) const noexcept { authy_error_free(e); }
};
struct BuilderDeleter {
    void operator()(authy_client_builder *b) const noexcept { authy_client_builder_free(b); }
};
struct ClientDeleter {
    void operator()(const authy_client *c) const noexcept { authy_client_free(c); }
};

int failures = 0;
int passes = 0;

void check(bool ok, const char *what) {
    if (ok) {
        ++passes;
    } else {
        ++failures;
        std::fprintf(stderr, "test_cpp: FAILED: %s\n", what);
    }
}

}  // namespace

int main() {
    check(std::string(authy_version()) == AUTHY_VERSION_STRING, "version string");
    check(authy_version_number() == AUTHY_VERSION_NUMBER, "version number");
    check(std::strcmp(authy_result_name(AUTHY_RESULT_OK), "AUTHY_RESULT_OK") == 0, "result name");

    authy_error *raw_err = nullptr;
    authy_result rc = authy_callback_verify(
        "foo", "POST", "https://foo.bar/", "1455825429",
        "uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8=",
        "{\"foo\":{\"bar\":{\"biz\":\"foo\"}},\"qux\":\"net\"}", 0, 0, &raw_err);
    std::unique_ptr<authy_error, ErrorDeleter> err(raw_err);
    check(rc == AUTHY_RESULT_OK && !err, "callback verify");

    authy_client_builder *raw_builder = nullptr;
    check(authy_client_builder_new("key", &raw_builder, nullptr) == AUTHY_RESULT_OK, "builder");
    std::unique_ptr<authy_client_builder, BuilderDeleter> builder(raw_builder);
    const authy_client *raw_client = nullptr;
    check(authy_client_builder_build(builder.get(), &raw_client, nullptr) == AUTHY_RESULT_OK,
          "build");
    std::unique_ptr<const authy_client, ClientDeleter> client(raw_client);
    check(client != nullptr, "client");

    authy_verdict verdict = AUTHY_VERDICT_INVALID;
    check(verdict == 0, "verdict zero is invalid");

    std::printf("test_cpp: %d passed, %d failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
