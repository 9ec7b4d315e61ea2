// The non-throwing API of include/authy.hpp, compiled with -fno-exceptions (tests/cpp/run.sh):
// the throwing methods are not compiled at all, and every try_ method reports its failure in an
// authy::Result with the same details an authy::Error would carry. Runs against the sandbox.
//
// Usage: test_nothrow [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY)
// Last line: "test_nothrow: N passed, M failed".
#include "authy.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__cpp_exceptions)
#error "test_nothrow.cpp must be compiled with -fno-exceptions"
#endif
#if AUTHY_HPP_EXCEPTIONS
#error "authy.hpp compiled its throwing API without exceptions"
#endif

using namespace std::chrono_literals;

namespace {

int passed = 0;
int failed = 0;

void check(bool ok, const char *what, int line) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "test_nothrow:%d: FAILED: %s\n", line, what);
    }
}
#define CHECK(cond) check(static_cast<bool>(cond), #cond, __LINE__)

// Detects whether the throwing members exist (they must not under -fno-exceptions).
template <class T, class = void>
struct has_build : std::false_type {};
template <class T>
struct has_build<T, std::void_t<decltype(std::declval<const T &>().build())>> : std::true_type {};
template <class T, class = void>
struct has_app_details : std::false_type {};
template <class T>
struct has_app_details<T, std::void_t<decltype(std::declval<const T &>().app_details())>>
    : std::true_type {};
template <class T, class = void>
struct has_check : std::false_type {};
template <class T>
struct has_check<T, std::void_t<decltype(std::declval<const T &>().check())>> : std::true_type {};

}  // namespace

int main(int argc, char **argv) {
    const char *env_url = std::getenv("AUTHY_BASE_URL");
    const char *env_key = std::getenv("AUTHY_API_KEY");
    const std::string base_url = argc > 1 ? argv[1] : env_url != nullptr ? env_url : "";
    const std::string api_key =
        argc > 2 ? argv[2] : env_key != nullptr ? env_key : "sandbox-api-key-0123456789abcdef";
    if (base_url.empty()) {
        std::fprintf(stderr, "usage: test_nothrow BASE_URL [API_KEY] (or AUTHY_BASE_URL)\n");
        return 2;
    }

    CHECK(!has_build<authy::ClientBuilder>::value);
    CHECK(!has_app_details<authy::Client>::value);
    CHECK(!has_check<authy::Response>::value);

    // Builder failures come back from try_build().
    auto bad = authy::ClientBuilder(api_key).base_url("ftp://nowhere").try_build();
    CHECK(!bad.ok() && bad.code() == authy::Code::invalid_argument);
    CHECK(bad.error_code() == authy::Code::invalid_argument);
    CHECK(bad.error_code().category().name() == std::string("authy"));

    auto built = authy::ClientBuilder(api_key).base_url(base_url).timeout(10s).try_build();
    CHECK(built.ok());
    if (!built.ok()) {
        std::fprintf(stderr, "test_nothrow: %s\n", built.error().to_string().c_str());
        std::printf("test_nothrow: %d passed, %d failed\n", passed, failed + 1);
        return 1;
    }
    const authy::Client client = std::move(built).value();

    auto details = client.try_app_details();
    CHECK(details.ok() && details->status() == 200 && details->get_string("/app/name"));

    auto user = client.try_create_user("nothrow@example.com", "555-500-0001",
                                       {{"country_code", "1"}});
    CHECK(user.ok() && user->user_id());
    const std::string id(user.ok() ? user->user_id().value_or("") : "");

    // A wrong token: the details of the answer, no exception.
    auto wrong = client.try_verify_token(id, "1234560");
    CHECK(!wrong && wrong.code() == authy::Code::token_invalid);
    CHECK(wrong.error().http_status == 401);
    CHECK(wrong.error().authy_code == std::optional<std::string>("60020"));
    CHECK(wrong.error().body && wrong.error().body->find("is invalid") != std::string::npos);
    const std::error_code ec = wrong.error_code();
    CHECK(ec == authy::Code::token_invalid && ec.message() == authy::describe(authy::Code::token_invalid));
    CHECK(std::move(wrong).value_or(authy::Response(nullptr)).native() == nullptr);

    // The right one.
    auto sms = client.try_request_sms(id, {{"force", "true"}});
    CHECK(sms.ok() && !sms->ignored());
    auto last = client.try_request("GET", "/sandbox/users/" + id + "/last_code");
    const std::string code(last.ok() ? last->get_string("/code").value_or("") : "");
    CHECK(!code.empty());
    CHECK(client.try_verify_token(id, code).ok());

    // Not found, invalid arguments, bad Params: all before or after I/O, never an abort.
    auto missing = client.try_user_status("99999999");
    CHECK(!missing && missing.code() == authy::Code::not_found &&
          missing.error().http_status == 404);
    CHECK(client.try_verify_token(id, "12ab").code() == authy::Code::invalid_argument);
    authy::Params params;
    params.set("a[", "1");
    CHECK(client.try_app_details(params).code() == authy::Code::invalid_argument);
    CHECK(client.try_with_timeout(0ms).code() == authy::Code::invalid_argument);
    auto quick = client.try_with_timeout(5s);
    CHECK(quick.ok() && quick->try_app_stats().ok());
    auto fail_open = client.try_verify_token_fail_open(id, "1234560");
    CHECK(fail_open.code() == authy::Code::token_invalid);

    // Health check and retries through the try_ API.
    auto health = client.try_health_check();
    CHECK(health.ok() && health->ok && health->app_name);
    auto down = authy::ClientBuilder(api_key).base_url("http://127.0.0.1:1").retries(2, 1ms, 2ms).try_build();
    CHECK(down.ok());
    if (down.ok()) {
        auto report = down->try_health_check();
        CHECK(report.ok() && !report->ok && report->code == authy::Code::connect);
        auto refused = down->try_app_details();
        CHECK(!refused && refused.error().attempts == 2 && !refused.error().request_sent);
    }

    auto cb = authy::try_verify_callback(api_key, "POST", "https://example.com/cb", "1", "bogus",
                                         "{}", 0s);
    CHECK(!cb && cb.code() == authy::Code::signature_invalid);
    auto sig = authy::try_sign_callback(api_key, "POST", "https://example.com/cb", "1", "{}");
    CHECK(sig.ok() && sig->size() == 44);
    auto good = authy::try_verify_callback(api_key, "POST", "https://example.com/cb", "1",
                                           sig.value_or(""), "{}", 0s);
    CHECK(good.ok());

    std::printf("test_nothrow: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
