// Tests of include/authy.hpp against a running authy-sandbox (tests/cpp/run.sh starts one):
// every Client method, error paths (exception type and code, details), move semantics,
// borrowed views' lifetime, threads sharing one const Client, callbacks, the catalog,
// fail-open, per-call timeouts. Built with -std=c++17 -Wall -Wextra -Werror -pedantic and run
// under valgrind.
//
// Usage: test_authy_hpp [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY)
// Last line: "test_authy_hpp: N passed, M failed".
#include "authy.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;

// From tests/cpp/second_tu.cpp: the header's inline objects are one object per program.
const std::error_category *category_from_second_tu();

namespace {

int passed = 0;
int failed = 0;

void check(bool ok, const char *what, int line) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "test_authy_hpp:%d: FAILED: %s\n", line, what);
    }
}
#define CHECK(cond) check(static_cast<bool>(cond), #cond, __LINE__)

// Runs f; returns the authy::Error it threw (nullopt if it returned). Any other exception is
// a failure.
std::optional<authy::Error> error_of(const std::function<void()> &f) {
    try {
        f();
    } catch (const authy::Error &e) {
        return e;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "test_authy_hpp: unexpected exception: %s\n", e.what());
        ++failed;
    }
    return std::nullopt;
}

// CHECKs that `expr` throws authy::Error with `code`; evaluates to the error.
#define CHECK_THROWS(expr, code_)                                                     \
    [&]() {                                                                           \
        std::optional<authy::Error> e_ = error_of([&]() { (void)(expr); });           \
        check(e_.has_value() && e_->code() == (code_), #expr " throws " #code_, __LINE__); \
        if (e_ && e_->code() != (code_)) {                                            \
            std::fprintf(stderr, "    got %s\n", e_->what());                        \
        }                                                                             \
        return e_;                                                                    \
    }()

std::string base_url;
std::string api_key = "sandbox-api-key-0123456789abcdef";

bool contains(std::string_view hay, std::string_view needle) {
    return hay.find(needle) != std::string_view::npos;
}

// The sandbox's request counter (nothing sent => unchanged).
std::int64_t requests_sent(const authy::Client &client) {
    return client.request("GET", "/sandbox/requests").get_i64("/total").value_or(-1);
}

std::string create_user(const authy::Client &client, std::string_view phone) {
    authy::Params options;
    options.set("country_code", "1").set("send_install_link_via_sms", false);
    const authy::Response r = client.create_user("cpp-test@example.com", phone, options);
    return std::string(r.user_id().value_or(""));
}

std::string last_code(const authy::Client &client, const std::string &authy_id) {
    const authy::Response r =
        client.request("GET", "/sandbox/users/" + authy_id + "/last_code").check();
    return std::string(r.get_string("/code").value_or(""));
}

// ------------------------------------------------------------------------------------------

void test_types() {
    CHECK(!std::is_copy_constructible_v<authy::Client>);
    CHECK(!std::is_copy_assignable_v<authy::Client>);
    CHECK(std::is_nothrow_move_constructible_v<authy::Client>);
    CHECK(std::is_nothrow_move_assignable_v<authy::Client>);
    CHECK(!std::is_copy_constructible_v<authy::Response>);
    CHECK(std::is_nothrow_move_constructible_v<authy::Response>);
    CHECK(!std::is_copy_constructible_v<authy::Params>);
    CHECK(std::is_nothrow_move_constructible_v<authy::Params>);
    CHECK(!std::is_copy_constructible_v<authy::ClientBuilder>);
    CHECK(std::is_nothrow_move_constructible_v<authy::ClientBuilder>);
    CHECK(!std::is_copy_constructible_v<authy::VerifiedCallback>);
    CHECK(std::is_nothrow_move_constructible_v<authy::VerifiedCallback>);
    CHECK(!std::is_default_constructible_v<authy::Client>);
    CHECK((std::is_base_of_v<std::runtime_error, authy::Error>));
    CHECK(std::is_nothrow_copy_constructible_v<authy::Error>);
    CHECK(noexcept(authy::detail::ClientDeleter{}(nullptr)));
    CHECK(noexcept(authy::detail::ResponseDeleter{}(nullptr)));
    CHECK(noexcept(authy::detail::ErrorDeleter{}(nullptr)));
    CHECK(sizeof(authy::Response) == sizeof(void *));  // stateless deleters
    CHECK(AUTHY_HPP_EXCEPTIONS == 1);
}

void test_offline() {
    CHECK(authy::version() == AUTHY_VERSION_STRING);
    CHECK(authy::version_number() == AUTHY_VERSION_NUMBER);
    CHECK(authy::version_matches());

    // Every Code has the number and the name of its AUTHY_RESULT_* constant.
    const std::pair<authy::Code, const char *> names[] = {
        {authy::Code::ok, "AUTHY_RESULT_OK"},
        {authy::Code::invalid_argument, "AUTHY_RESULT_INVALID_ARGUMENT"},
        {authy::Code::null_argument, "AUTHY_RESULT_NULL_ARGUMENT"},
        {authy::Code::invalid_utf8, "AUTHY_RESULT_INVALID_UTF8"},
        {authy::Code::error_slot_in_use, "AUTHY_RESULT_ERROR_SLOT_IN_USE"},
        {authy::Code::connect, "AUTHY_RESULT_CONNECT"},
        {authy::Code::dns, "AUTHY_RESULT_DNS"},
        {authy::Code::tls, "AUTHY_RESULT_TLS"},
        {authy::Code::timeout, "AUTHY_RESULT_TIMEOUT"},
        {authy::Code::io, "AUTHY_RESULT_IO"},
        {authy::Code::unauthorized, "AUTHY_RESULT_UNAUTHORIZED"},
        {authy::Code::rate_limited, "AUTHY_RESULT_RATE_LIMITED"},
        {authy::Code::not_found, "AUTHY_RESULT_NOT_FOUND"},
        {authy::Code::invalid_parameters, "AUTHY_RESULT_INVALID_PARAMETERS"},
        {authy::Code::conflict, "AUTHY_RESULT_CONFLICT"},
        {authy::Code::server_error, "AUTHY_RESULT_SERVER_ERROR"},
        {authy::Code::api_error, "AUTHY_RESULT_API_ERROR"},
        {authy::Code::token_invalid, "AUTHY_RESULT_TOKEN_INVALID"},
        {authy::Code::decode, "AUTHY_RESULT_DECODE"},
        {authy::Code::no_value, "AUTHY_RESULT_NO_VALUE"},
        {authy::Code::internal, "AUTHY_RESULT_INTERNAL"},
        {authy::Code::panic, "AUTHY_RESULT_PANIC"},
        {authy::Code::signature_invalid, "AUTHY_RESULT_SIGNATURE_INVALID"},
    };
    int mismatched = 0;
    for (const auto &[code, name] : names) {
        if (authy::name(code) != name) {
            ++mismatched;
            std::fprintf(stderr, "    %s is named %.*s\n", name,
                         static_cast<int>(authy::name(code).size()), authy::name(code).data());
        }
    }
    CHECK(mismatched == 0);
    CHECK(authy::describe(authy::Code::timeout) == authy_result_str(AUTHY_RESULT_TIMEOUT));
    CHECK(authy::name(static_cast<authy::Code>(999)) == "AUTHY_RESULT_UNKNOWN");

    // std::error_code integration.
    const std::error_code ec = authy::Code::timeout;
    CHECK(ec.value() == 203);
    CHECK(std::string(ec.category().name()) == "authy");
    CHECK(&ec.category() == &authy::error_category());
    CHECK(&authy::error_category() == category_from_second_tu());
    CHECK(ec.message() == authy_result_str(AUTHY_RESULT_TIMEOUT));
    CHECK(ec == authy::Code::timeout);
    CHECK(ec != authy::Code::connect);
    CHECK(!std::error_code(authy::Code::ok));

    // The catalog.
    const auto entry = authy::catalog_lookup(60020u);
    CHECK(entry && entry->meaning == "Token is invalid");
    const auto by_text = authy::catalog_lookup(std::string_view("60020"));
    CHECK(by_text && by_text->meaning == entry->meaning);
    CHECK(!authy::catalog_lookup(1u));
    CHECK(!authy::catalog_lookup(std::string_view("600x")));
    CHECK(!authy::catalog_lookup(std::string_view("")));
    CHECK(!authy::catalog_lookup(std::string_view("99999999999999")));

    // ErrorInfo formatting.
    authy::ErrorInfo info;
    CHECK(info.code == authy::Code::ok && !info.error_code());
    info.code = authy::Code::token_invalid;
    info.message = "Token is invalid";
    info.http_status = 401;
    info.authy_code = "60020";
    CHECK(info.to_string() ==
          "AUTHY_RESULT_TOKEN_INVALID: Token is invalid (HTTP 401, Authy error 60020)");
    CHECK(info.is_api() && !info.is_transport());
    const authy::Error err(info);
    CHECK(std::string(err.what()) == info.to_string());
    CHECK(err.name() == "AUTHY_RESULT_TOKEN_INVALID" && err.http_status() == 401);
    CHECK(err.authy_code() == std::optional<std::string_view>("60020"));
    CHECK(!err.body());
}

void test_callbacks_offline() {
    // A signature vector (the same as tests/c/test_cpp.cpp).
    const std::string body = "{\"foo\":{\"bar\":{\"biz\":\"foo\"}},\"qux\":\"net\"}";
    const std::string sig = "uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8=";
    CHECK(authy::sign_callback("foo", "POST", "https://foo.bar/", "1455825429", body) == sig);
    const authy::VerifiedCallback cb =
        authy::verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig, body, 0s);
    CHECK(cb.get("/qux") == std::optional<std::string_view>("net"));
    CHECK(cb.get("/foo/bar/biz") == std::optional<std::string_view>("foo"));
    CHECK(!cb.get("/foo"));       // an object
    CHECK(!cb.get("/missing"));
    CHECK(!cb.status());
    CHECK(cb.native() != nullptr);

    std::string tampered = body;
    tampered.replace(tampered.find("net"), 3, "NET");
    CHECK_THROWS(authy::verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig,
                                        tampered, 0s),
                 authy::Code::signature_invalid);
    // A recorded (old) nonce fails the replay window.
    CHECK_THROWS(authy::verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig,
                                        body),
                 authy::Code::signature_invalid);
    // ... unless "now" is the time it was sent.
    CHECK(authy::try_verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig, body,
                                     300s, 1455825429 + 10)
              .ok());
    CHECK_THROWS(authy::verify_callback("foo", "PUT", "https://foo.bar/", "1455825429", sig, body,
                                        0s),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig, body,
                                        -1s),
                 authy::Code::invalid_argument);
    // A NUL byte would truncate the body silently: refused.
    const std::string with_nul = body + std::string(1, '\0') + "junk";
    CHECK_THROWS(authy::verify_callback("foo", "POST", "https://foo.bar/", "1455825429", sig,
                                        with_nul, 0s),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::sign_callback("foo", "POST", "https://foo.bar/", "1455825429", with_nul),
                 authy::Code::invalid_argument);

    // The non-throwing form holds the same details.
    auto r = authy::try_verify_callback("foo", "POST", "https://foo.bar/", "1455825429", "bogus",
                                        body, 0s);
    CHECK(!r && r.code() == authy::Code::signature_invalid);
    CHECK(r.error_code() == authy::Code::signature_invalid);
    CHECK(!r.error().message.empty());
    CHECK_THROWS(r.value(), authy::Code::signature_invalid);
}

void test_params_and_builder() {
    authy::Params empty;
    CHECK(empty.native() == nullptr && empty.ok());

    authy::Params p;
    p.set("force", true).set("seconds_to_expire", 300).set("details[Location]", "Paris");
    p.set("label", std::string("x")).set("count", 7u).set("big", -5LL);
    CHECK(p.ok() && p.native() != nullptr);

    authy::Params bad;
    bad.set("a[", "1");  // malformed key: kept, not thrown
    CHECK(!bad.ok() && bad.error()->code == authy::Code::invalid_argument);
    bad.set(std::string_view("k\0ey", 4), "1");
    CHECK(bad.error()->code == authy::Code::invalid_argument);  // still the first error
    authy::Params nul;
    nul.set("key", std::string_view("va\0lue", 6));
    CHECK(!nul.ok() && nul.error()->code == authy::Code::invalid_argument);
    authy::Params null_value;
    null_value.set("key", static_cast<const char *>(nullptr));
    CHECK(!null_value.ok() && null_value.error()->code == authy::Code::null_argument);
    const authy::Params listed = {{"force", "true"}, {"locale", "en"}};
    CHECK(listed.ok() && listed.native() != nullptr);

    // Builder errors are reported by build(), never by the setters; messages never show the key.
    const std::string secret = "secret-key-do-not-log-4242";
    auto e = CHECK_THROWS(authy::ClientBuilder(secret).base_url("ftp://example.com").build(),
                          authy::Code::invalid_argument);
    CHECK(e && !contains(e->what(), secret));
    e = CHECK_THROWS(authy::ClientBuilder("").build(), authy::Code::invalid_argument);
    CHECK(e && e->http_status() == 0 && !e->body());
    CHECK_THROWS(authy::ClientBuilder(std::string_view("ke\0y", 4)).build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).base_url("http://10.0.0.7:8080").build(),
                 authy::Code::invalid_argument);
    CHECK(authy::ClientBuilder(secret)
              .base_url("http://10.0.0.7:8080")
              .allow_insecure_http()
              .try_build()
              .ok());
    CHECK_THROWS(authy::ClientBuilder(secret).timeout(0ms).build(), authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).connect_timeout(-5ms).build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).user_agent_suffix("bad\nsuffix").build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).root_ca_pem("no certificate here").build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).proxy("not a proxy url").build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).max_idle_connections_per_host(5000).build(),
                 authy::Code::invalid_argument);
    CHECK_THROWS(authy::ClientBuilder(secret).secondary_base_url("nonsense").build(),
                 authy::Code::invalid_argument);
    // The first failure wins and is visible before build().
    authy::ClientBuilder b(secret);
    b.base_url(std::string_view("http://127.0.0.1\0:1", 19)).timeout(0ms);
    CHECK(b.error() && b.error()->code == authy::Code::invalid_argument &&
          contains(b.error()->message, "NUL"));
    // Issue 13: a value only build() checks shows in error() too, before build().
    authy::ClientBuilder ftp(secret);
    ftp.base_url("ftp://api.authy.com");
    CHECK(ftp.error() && ftp.error()->code == authy::Code::invalid_argument &&
          contains(ftp.error()->message, "http"));
    CHECK_THROWS(ftp.build(), authy::Code::invalid_argument);
    authy::ClientBuilder cleartext(secret);
    cleartext.base_url("http://api.authy.com");
    CHECK(cleartext.error() && cleartext.error()->code == authy::Code::invalid_argument);
    cleartext.allow_insecure_http(true);
    CHECK(!cleartext.error());
    // One builder builds several independent clients.
    authy::ClientBuilder good(secret);
    good.base_url("http://127.0.0.1:9").connect_timeout(1s).timeout(2s);
    CHECK(!good.error());
    auto c1 = good.try_build();
    auto c2 = good.try_build();
    CHECK(c1.ok() && c2.ok() && c1->native() != c2->native());
}

// ------------------------------------------------------------------------------------------
// Against the sandbox

void test_app_and_views(const authy::Client &client) {
    const authy::Response r = client.app_details();
    CHECK(r.status() == 200 && r.ok());
    CHECK(!r.body().empty() && r.body().front() == '{');
    CHECK(r.message().has_value());
    CHECK(!r.authy_code());
    CHECK(!r.error());
    CHECK(&r.check() == &r);
    const auto name = r.get_string("/app/name");
    const auto again = r.get_string("/app/name");
    CHECK(name && again && name->data() == again->data());  // borrowed, stable
    CHECK(r.get_i64("/app/app_id").value_or(-1) >= 0);
    CHECK(r.get_bool("/success") == std::optional<bool>(true));
    CHECK(!r.get_string("/app/nope"));
    CHECK(!r.get_string("/app"));
    CHECK(!r.get_i64("/app/name"));
    CHECK(!r.get_bool("/message"));
    CHECK(!r.get_string(std::string_view("/app\0/name", 10)));
    CHECK(!r.get_string("\xff"));
    CHECK(!r.seconds_to_expire());
    CHECK(r.get_string("/app/sms_enabled") == std::optional<std::string_view>("true"));

    // Views survive moving the Response: the C handle (and its strings) moves, not the text.
    const std::string name_copy(name.value_or(""));
    const std::string_view body_view = r.body();
    authy::Response owner = client.app_details();
    const std::string_view owner_name = owner.get_string("/app/name").value_or("");
    const char *owner_name_data = owner_name.data();
    authy::Response moved = std::move(owner);
    CHECK(owner.native() == nullptr && owner.status() == 0 && owner.body().empty());  // NOLINT
    CHECK(!owner.get_string("/app/name") && !owner.ok() && !owner.user_id());
    CHECK(owner_name == name_copy);
    CHECK(moved.get_string("/app/name")->data() == owner_name_data);
    authy::Response assigned = client.app_stats();
    assigned = std::move(moved);  // frees the stats answer, takes the details
    CHECK(assigned.get_string("/app/name")->data() == owner_name_data && owner_name == name_copy);
    CHECK(body_view == r.body());

    // release() / adopt round trip.
    authy::Response released = client.app_details();
    authy_response *raw = released.release();
    CHECK(raw != nullptr && released.native() == nullptr);
    const authy::Response adopted(raw);
    CHECK(adopted.status() == 200);

    const authy::Response stats = client.app_stats();
    CHECK(stats.get_i64("/stats/0/users_count").has_value());

    // Unknown option keys and bad Params are refused before any I/O.
    const std::int64_t before = requests_sent(client);
    auto e = CHECK_THROWS(client.app_stats({{"verbose", "true"}}), authy::Code::invalid_argument);
    CHECK(e && contains(e->message(), "verbose"));
    authy::Params bad;
    bad.set("a[", "1");
    CHECK_THROWS(client.app_details(bad), authy::Code::invalid_argument);
    CHECK_THROWS(client.user_status(std::string_view("12\0" "3", 4)),
                 authy::Code::invalid_argument);
    CHECK_THROWS(client.request("FETCH", "/protected/json/app/details"),
                 authy::Code::invalid_argument);
    CHECK_THROWS(client.request("GET", "no-leading-slash"), authy::Code::invalid_argument);
    CHECK(requests_sent(client) == before);
}

void test_users_and_tokens(const authy::Client &client) {
    const std::string id = create_user(client, "555-210-0001");
    CHECK(!id.empty());
    CHECK(create_user(client, "555-210-0001") == id);  // idempotent
    // What the API judges is sent (issue 13): its own refusal comes back.
    CHECK_THROWS(client.create_user("not-an-email", "555-210-0009"),
                 authy::Code::invalid_parameters);

    const authy::Response status = client.user_status(id);
    CHECK(status.user_id() == std::optional<std::string_view>(id));
    CHECK(status.get_bool("/status/registered") == std::optional<bool>(false));

    const authy::Response sms = client.request_sms(id, {{"force", "true"}, {"locale", "en"}});
    CHECK(!sms.ignored() && sms.cellphone().has_value());
    const std::string code = last_code(client, id);
    CHECK(code.size() >= 6);

    // A wrong token throws token_invalid with every detail of the answer.
    auto e = CHECK_THROWS(client.verify_token(id, "1234560"), authy::Code::token_invalid);
    if (e) {
        CHECK(e->name() == "AUTHY_RESULT_TOKEN_INVALID");
        CHECK(e->http_status() == 401);
        CHECK(e->authy_code() == std::optional<std::string_view>("60020"));
        CHECK(!e->message().empty());
        CHECK(e->body() && contains(*e->body(), "is invalid"));
        CHECK(e->error_code() == authy::Code::token_invalid);
        CHECK(e->info().is_api());
        CHECK(authy::catalog_lookup(*e->authy_code())->meaning == "Token is invalid");
        CHECK(contains(e->what(), "HTTP 401") && contains(e->what(), "60020"));
    }
    auto wrong = client.try_verify_token(id, "1234560");
    CHECK(!wrong.ok() && wrong.code() == authy::Code::token_invalid &&
          wrong.error().http_status == 401);
    e = CHECK_THROWS(client.verify_token(id, "12ab"), authy::Code::invalid_argument);
    CHECK(e && e->http_status() == 0 && !e->info().is_api());
    CHECK_THROWS(client.verify_token(id, std::string_view("123\0" "4567", 8)),
                 authy::Code::invalid_argument);
    CHECK_THROWS(client.user_status("\xff\xfe"), authy::Code::invalid_utf8);
    CHECK_THROWS(client.verify_token("", "1234567"), authy::Code::invalid_argument);
    CHECK_THROWS(client.verify_token(id, std::string(5000, '1')), authy::Code::invalid_argument);

    // The raw escape hatch: any answer is a Response; check()/error() turn it into the error.
    const authy::Response raw = client.request("GET", "/protected/json/verify/1234560/" + id);
    CHECK(!raw.ok() && raw.status() == 401);
    CHECK(raw.error() && raw.error()->code == authy::Code::token_invalid);
    CHECK(raw.authy_code() == std::optional<std::string_view>("60020"));
    CHECK_THROWS(raw.check(), authy::Code::token_invalid);

    const authy::Response valid = client.verify_token(id, code, {{"force", "true"}});
    CHECK(valid.ok() && valid.get_bool("/success") == std::optional<bool>(true));

    // Fail-open: answered by the API, so valid, or the refusal as an error.
    CHECK_THROWS(client.verify_token_fail_open(id, "1234560"), authy::Code::token_invalid);
    auto refused = client.try_verify_token_fail_open(id, "1234560", authy::FailOpen::default_policy,
                                                     {{"force", "true"}});
    CHECK(!refused && refused.code() == authy::Code::token_invalid &&
          refused.error().authy_code == std::optional<std::string>("60020"));
    CHECK(client.verify_token_fail_open(id, code) == authy::Verdict::valid);
    CHECK_THROWS(client.verify_token_fail_open(id, code, static_cast<authy::FailOpen>(64)),
                 authy::Code::invalid_argument);
    // A 5xx answer: server_error for verify_token, accepted by the fail-open policy.
    client.request("POST", "/sandbox/faults", {{"kind", "status_5xx"}, {"count", "2"}}).check();
    e = CHECK_THROWS(client.verify_token(id, code), authy::Code::server_error);
    CHECK(e && e->http_status() >= 500);
    CHECK(client.verify_token_fail_open(id, code, authy::FailOpen::server_error) ==
          authy::Verdict::accepted_api_unreachable);
    // 429: rate_limited, not accepted by the default policy.
    client.request("POST", "/sandbox/faults", {{"kind", "rate_limit"}, {"count", "2"}}).check();
    e = CHECK_THROWS(client.request_sms(id, {{"force", "true"}}), authy::Code::rate_limited);
    CHECK(e && e->http_status() == 429);
    CHECK_THROWS(client.verify_token_fail_open(id, code), authy::Code::rate_limited);

    // Voice call; an app device makes SMS "ignored" unless forced.
    CHECK(client.request_call(id, {{"force", "true"}}).ok());
    client.request("POST", "/sandbox/users/" + id + "/devices", {{"device", "android"}}).check();
    CHECK(client.request_sms(id).ignored());
    CHECK(client.user_status(id).get_bool("/status/registered") == std::optional<bool>(true));

    CHECK(client.request_email(id).ok());
    CHECK(client.update_user_email(id, "updated@example.com").ok());
    CHECK(client.register_activity(id, "password_reset",
                                   {{"user_ip", "192.0.2.10"}, {"data[reason]", "test"}})
              .ok());
    CHECK_THROWS(client.register_activity(id, "nonsense"), authy::Code::invalid_parameters);
    const authy::Response qr = client.generate_qr_code(id, {{"qr_size", "300"}, {"label", "Ex"}});
    CHECK(qr.qr_code() && contains(*qr.qr_code(), "http"));
    const auto reg = client.try_registration_status(id);
    CHECK(reg.ok() || reg.code() == authy::Code::not_found);
    const auto reg_unknown = client.try_registration_status("user-42");
    CHECK(!reg_unknown.ok() && reg_unknown.code() == authy::Code::not_found);

    CHECK(client.delete_user(id).ok());
    e = CHECK_THROWS(client.user_status("99999999"), authy::Code::not_found);
    CHECK(e && e->http_status() == 404 && e->authy_code() == std::optional<std::string_view>("60026"));
}

void test_phones(const authy::Client &client) {
    const authy::Response start = client.start_phone_verification(
        "1", "555-310-0001", {{"via", "sms"}, {"code_length", "6"}, {"locale", "en"}});
    const std::string vuuid(start.verification_uuid().value_or(""));
    CHECK(!vuuid.empty());
    CHECK(start.seconds_to_expire().value_or(0) > 0);
    const std::string code(client
                               .request("GET", "/sandbox/phones/last_code",
                                        {{"country_code", "1"}, {"phone_number", "555-310-0001"}})
                               .check()
                               .get_string("/code")
                               .value_or(""));
    CHECK(code.size() == 6);
    CHECK(client.phone_verification_status(vuuid).get_string("/status") ==
          std::optional<std::string_view>("pending"));
    const std::string wrong = code == "123456" ? "654321" : "123456";
    auto e = CHECK_THROWS(client.check_phone_verification("1", "555-310-0001", wrong),
                          authy::Code::unauthorized);
    CHECK(e && e->authy_code() == std::optional<std::string_view>("60022"));
    CHECK(client.check_phone_verification("1", "555-310-0001", code).ok());
    e = CHECK_THROWS(client.check_phone_verification("1", "555-310-0001", code),
                     authy::Code::not_found);
    CHECK(e && e->authy_code() == std::optional<std::string_view>("60023"));
    CHECK(client.phone_verification_status(vuuid).get_string("/status") ==
          std::optional<std::string_view>("verified"));
    CHECK(client.phone_verification_status("1", "555-310-0001").get_string("/status") ==
          std::optional<std::string_view>("verified"));
    CHECK_THROWS(client.phone_verification_status(""), authy::Code::invalid_parameters);
    CHECK_THROWS(client.start_phone_verification("1", "555-310-0002", {{"via", "pigeon"}}),
                 authy::Code::invalid_argument);
    const authy::Response info = client.phone_info("1", "555-310-0001");
    CHECK(!info.get_string("/type").value_or("").empty());
}

void test_onetouch(const authy::Client &client) {
    const std::string id = create_user(client, "555-210-0002");
    const std::string callback_url = "http://127.0.0.1:9/authy/callback";
    client
        .request("POST", "/sandbox/config",
                 {{"callback_url", callback_url}, {"callback_method", "POST"}})
        .check();

    authy::Params opts;
    opts.set("details[Location]", "Paris, France")
        .set("details[Username]", "alice")
        .set("hidden_details[ip]", "192.0.2.1")
        .set("logos[][res]", "default")
        .set("logos[][url]", "https://example.com/default.png")
        .set("seconds_to_expire", 120);
    const std::string uuid(
        client.create_approval_request(id, "Log in to Example?", opts).approval_uuid().value_or(""));
    CHECK(!uuid.empty());
    CHECK_THROWS(client.create_approval_request(id, "x", {{"logos[][res]", "default"}}),
                 authy::Code::invalid_argument);
    CHECK_THROWS(client.create_approval_request(id, ""), authy::Code::invalid_parameters);

    const authy::Response pending = client.approval_request_status(uuid);
    CHECK(pending.approval_status() == std::optional<std::string_view>("pending"));
    const auto secs = pending.seconds_to_expire();
    CHECK(secs && *secs > 0 && *secs <= 120);

    // Still pending: a short wait times out (not an error).
    const authy::Approval waited = client.wait_for_approval(uuid, 100ms, 20ms);
    CHECK(waited.status == authy::WaitStatus::timed_out);
    CHECK(waited.response.approval_status() == std::optional<std::string_view>("pending"));
    CHECK_THROWS(client.wait_for_approval(uuid, -1ms, 20ms), authy::Code::invalid_argument);
    // An interval under 10 ms is refused (before any request); 10 ms is the floor.
    CHECK_THROWS(client.wait_for_approval(uuid, 30ms, 1ms), authy::Code::invalid_argument);
    CHECK(client.wait_for_approval(uuid, 30ms, 10ms).status == authy::WaitStatus::timed_out);

    client.request("POST", "/sandbox/approval_requests/" + uuid + "/approve").check();
    const authy::Approval approved =
        client.wait_for_approval(uuid, {{"interval_ms", "20"}, {"timeout_ms", "5000"}});
    CHECK(approved.status == authy::WaitStatus::approved);
    CHECK(authy::to_string(approved.status) == "approved");
    CHECK(approved.response.approval_status() == std::optional<std::string_view>("approved"));
    auto e = CHECK_THROWS(client.wait_for_approval("00000000-0000-0000-0000-000000000000", 100ms,
                                                   20ms),
                          authy::Code::not_found);
    CHECK(e && e->http_status() == 404);
    // Deciding twice: 409 through the raw request.
    const authy::Response twice =
        client.request("POST", "/sandbox/approval_requests/" + uuid + "/deny");
    CHECK(twice.status() == 409 && twice.error() && twice.error()->code == authy::Code::conflict);

    // The callback the sandbox signed and sent.
    const authy::Response sent = client.request("GET", "/sandbox/callbacks").check();
    std::string body, nonce, signature;
    for (int i = 0;; ++i) {
        const std::string at = "/callbacks/" + std::to_string(i);
        const auto b = sent.get_string(at + "/body");
        if (!b) break;
        body = *b;
        nonce = sent.get_string(at + "/headers/X-Authy-Signature-Nonce").value_or("");
        signature = sent.get_string(at + "/headers/X-Authy-Signature").value_or("");
    }
    CHECK(!body.empty() && !nonce.empty() && !signature.empty());
    const authy::VerifiedCallback cb =
        authy::verify_callback(api_key, "POST", callback_url, nonce, signature, body);
    CHECK(cb.status() == std::optional<std::string_view>("approved"));
    CHECK(cb.uuid() == std::optional<std::string_view>(uuid));
    CHECK(cb.get("/approval_request/transaction/details/Location") ==
          std::optional<std::string_view>("Paris, France"));
    CHECK(authy::sign_callback(api_key, "POST", callback_url, nonce, body) == signature);
    // A verified view stays valid after moving the VerifiedCallback.
    authy::VerifiedCallback owner =
        authy::verify_callback(api_key, "POST", callback_url, nonce, signature, body);
    const std::string_view status_view = owner.status().value_or("");
    const authy::VerifiedCallback moved = std::move(owner);
    CHECK(owner.native() == nullptr && !owner.status());  // NOLINT(bugprone-use-after-move)
    CHECK(status_view == "approved" && moved.status()->data() == status_view.data());
    // Forged: another key, or a changed body.
    CHECK_THROWS(authy::verify_callback("another-key", "POST", callback_url, nonce, signature, body),
                 authy::Code::signature_invalid);
    std::string forged = body;
    forged.replace(forged.find("approved"), 8, "APPROVED");
    CHECK_THROWS(authy::verify_callback(api_key, "POST", callback_url, nonce, signature, forged),
                 authy::Code::signature_invalid);

    // Denied.
    const std::string uuid2(client.create_approval_request(id, "Second?").approval_uuid().value_or(""));
    client.request("POST", "/sandbox/approval_requests/" + uuid2 + "/deny").check();
    CHECK(client.wait_for_approval(uuid2, 5s, 20ms).status == authy::WaitStatus::denied);
}

void test_transport(const authy::Client &client) {
    // Nothing listens on port 1: connect error, no HTTP status; fail-open accepts it.
    const authy::Client down = authy::ClientBuilder(api_key)
                                   .base_url("http://127.0.0.1:1")
                                   .connect_timeout(2s)
                                   .timeout(3s)
                                   .build();
    auto e = CHECK_THROWS(down.app_details(), authy::Code::connect);
    CHECK(e && e->info().is_transport() && e->http_status() == 0 && !e->body());
    CHECK(down.verify_token_fail_open("1", "1234567") == authy::Verdict::accepted_api_unreachable);
    CHECK_THROWS(down.verify_token_fail_open("1", "1234567", authy::FailOpen::never),
                 authy::Code::connect);
    // Failover to a secondary URL that answers.
    const authy::Client failover = authy::ClientBuilder(api_key)
                                       .base_url("http://127.0.0.1:1")
                                       .secondary_base_url(base_url)
                                       .connect_timeout(2s)
                                       .build();
    CHECK(failover.app_details().ok());

    // A per-call deadline: the answer is delayed past it.
    CHECK_THROWS(client.with_timeout(0ms), authy::Code::invalid_argument);
    client
        .request("POST", "/sandbox/faults",
                 {{"kind", "latency"},
                  {"latency_ms", "3000"},
                  {"count", "1"},
                  {"path_prefix", "/protected/json/app/details"}})
        .check();
    e = CHECK_THROWS(client.with_timeout(300ms).app_details(), authy::Code::timeout);
    CHECK(e && e->info().is_transport());
    client.request("DELETE", "/sandbox/faults").check();
    // The derived client is a handle of its own: it outlives the one it came from.
    std::optional<authy::Client> parent =
        authy::ClientBuilder(api_key).base_url(base_url).build();
    const authy::Client derived = parent->with_timeout(5s);
    parent.reset();
    CHECK(derived.app_details().ok());
    auto derived_try = derived.try_with_timeout(2s);
    CHECK(derived_try.ok() && derived_try->app_details().ok());

    // A bad answer body: decode error.
    client
        .request("POST", "/sandbox/faults",
                 {{"kind", "invalid_json"}, {"count", "1"}, {"path_prefix", "/protected/json/app"}})
        .check();
    CHECK_THROWS(client.app_details(), authy::Code::decode);
    // A revoked key: unauthorized.
    const authy::Client wrong_key =
        authy::ClientBuilder("not-the-key").base_url(base_url).build();
    e = CHECK_THROWS(wrong_key.app_details(), authy::Code::unauthorized);
    CHECK(e && e->http_status() == 401 && !contains(e->what(), "not-the-key"));
}

// The reliability surface: new codes, attempts / request_sent / retry_after, retries, health.
void arm_fault(const authy::Client &client, std::string_view kind, std::string_view prefix,
               std::string_view retry_after = "1") {
    client
        .request("POST", "/sandbox/faults",
                 {{"kind", kind}, {"count", "1"}, {"path_prefix", prefix},
                  {"retry_after", retry_after}})
        .check();
}

void test_reliability(const authy::Client &client) {
    // Names and descriptions of the new codes (103 is C-only: the bindings pass no slot).
    const std::pair<authy::Code, std::string_view> codes[] = {
        {authy::Code::error_slot_in_use, "AUTHY_RESULT_ERROR_SLOT_IN_USE"},
        {authy::Code::connect_timeout, "AUTHY_RESULT_CONNECT_TIMEOUT"},
        {authy::Code::no_response, "AUTHY_RESULT_NO_RESPONSE"},
        {authy::Code::truncated, "AUTHY_RESULT_TRUNCATED"},
    };
    for (const auto &[code, name] : codes) {
        CHECK(authy::name(code) == name);
        CHECK(!authy::describe(code).empty() && !contains(authy::describe(code), "unknown"));
    }
    CHECK(static_cast<std::uint32_t>(authy::Code::error_slot_in_use) == 103);
    CHECK(static_cast<std::uint32_t>(authy::Code::connect_timeout) == 205);
    CHECK(static_cast<std::uint32_t>(authy::Code::no_response) == 206);
    CHECK(static_cast<std::uint32_t>(authy::Code::truncated) == 207);

    // Faults on a call with a side effect: each its own code; sent once, one attempt.
    const std::string id = create_user(client, "775-461-7001");
    CHECK(!id.empty());
    struct Case {
        const char *kind;
        authy::Code code;
        std::chrono::milliseconds retry_after;
    };
    const Case cases[] = {
        {"close", authy::Code::no_response, 0ms},
        {"truncated", authy::Code::truncated, 0ms},
        {"rate_limit", authy::Code::rate_limited, 2000ms},
    };
    for (const Case &c : cases) {
        arm_fault(client, c.kind, "/protected/json/sms/", "2");
        const std::int64_t before = requests_sent(client);
        auto e = CHECK_THROWS(client.request_sms(id, {{"force", "true"}}), c.code);
        CHECK(e && e->request_sent() && e->attempts() == 1 && e->retry_after() == c.retry_after);
        CHECK(e && e->info().request_sent && e->info().attempts == 1);
        CHECK(e && (c.code == authy::Code::rate_limited ? e->http_status() == 429
                                                        : e->info().is_transport()));
        CHECK(requests_sent(client) - before == 1);
        CHECK(e && !contains(e->what(), api_key));
        CHECK(client.request_sms(id, {{"force", "true"}}).ok());
    }
    client.request("DELETE", "/sandbox/faults").check();

    // Refused before I/O: no attempt; an API answer: sent, one attempt.
    auto e = CHECK_THROWS(client.user_status(".."), authy::Code::invalid_argument);
    CHECK(e && e->attempts() == 0 && !e->request_sent() && e->retry_after() == 0ms);
    auto r = client.try_user_status("987654321");
    CHECK(!r && r.code() == authy::Code::not_found && r.error().attempts == 1 &&
          r.error().request_sent);

    // Retries against a closed port: every attempt made, nothing sent (read and side effect).
    const authy::Client retrying = authy::ClientBuilder(api_key)
                                       .base_url("http://127.0.0.1:1")
                                       .retries(3, 1ms, 5ms)
                                       .build();
    e = CHECK_THROWS(retrying.app_details(), authy::Code::connect);
    CHECK(e && e->attempts() == 3 && !e->request_sent());
    e = CHECK_THROWS(retrying.request_sms("1"), authy::Code::connect);
    CHECK(e && e->attempts() == 3 && !e->request_sent());
    const authy::Client once = authy::ClientBuilder(api_key).base_url("http://127.0.0.1:1").build();
    e = CHECK_THROWS(once.app_details(), authy::Code::connect);
    CHECK(e && e->attempts() == 1);
    // A read recovers from one 5xx page; a side effect that reached the server is not repeated.
    const authy::Client safe =
        authy::ClientBuilder(api_key).base_url(base_url).retries(3, 1ms, 10ms).build();
    arm_fault(client, "status_5xx", "/protected/json/app/stats");
    CHECK(safe.app_stats().ok());
    arm_fault(client, "status_5xx", "/protected/json/sms/");
    e = CHECK_THROWS(safe.request_sms(id, {{"force", "true"}}), authy::Code::server_error);
    CHECK(e && e->attempts() == 1 && e->request_sent());
    client.request("DELETE", "/sandbox/faults").check();
    // Bad retry settings are refused by build().
    CHECK(authy::ClientBuilder(api_key).retries(0).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::ClientBuilder(api_key).retries(11).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::ClientBuilder(api_key).retries(3, 2s, 1s).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::ClientBuilder(api_key).retries(3, -1ms, 1s).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::ClientBuilder(api_key).retries(3).try_build().ok());

    // Health check: healthy, refused key, closed port; only a moved-from client is an error.
    const authy::HealthReport healthy = client.health_check();
    CHECK(healthy.ok && healthy && healthy.code == authy::Code::ok && !healthy.tls);
    CHECK(healthy.name() == "AUTHY_RESULT_OK" && !healthy.error());
    CHECK(healthy.app_name && !healthy.app_name->empty() && !healthy.message.empty());
    CHECK(healthy.latency > 0us);
    const authy::Client wrong_key =
        authy::ClientBuilder("wrong-key-health-0000").base_url(base_url).build();
    const authy::HealthReport refused = wrong_key.health_check();
    CHECK(!refused.ok && refused.code == authy::Code::unauthorized && !refused.app_name);
    CHECK(refused.error() && refused.error()->code == authy::Code::unauthorized);
    CHECK(!contains(refused.message, "wrong-key-health-0000"));
    const authy::HealthReport down = once.health_check();
    CHECK(!down.ok && down.code == authy::Code::connect && down.error() &&
          down.error()->is_transport());
    authy::Client moved = authy::ClientBuilder(api_key).base_url(base_url).build();
    const authy::Client taken = std::move(moved);
    CHECK(taken.try_health_check().ok());
    CHECK(moved.try_health_check().code() == authy::Code::null_argument);  // NOLINT(bugprone-use-after-move)
}

// Platform roots (run on its own by run.sh: the trust store is read once per process) against
// an HTTPS sandbox whose CA is the only certificate of SSL_CERT_FILE.
void test_platform_roots() {
    CHECK(contains(base_url, "https://"));
    const authy::Client platform =
        authy::ClientBuilder(api_key).base_url(base_url).platform_roots().build();
    CHECK(platform.app_details().ok());
    const authy::HealthReport report = platform.health_check();
    CHECK(report.ok && report.tls);
    const authy::Client bundled = authy::ClientBuilder(api_key)
                                      .base_url(base_url)
                                      .tls_roots(authy::TlsRoots::bundled)
                                      .build();
    CHECK_THROWS(bundled.app_details(), authy::Code::tls);
    const authy::HealthReport refused = bundled.health_check();
    CHECK(!refused.ok && refused.code == authy::Code::tls && refused.tls);
}

// Proxy variables are read by build() only when proxy_from_env() asks for them. Runs while the
// program is single-threaded (setenv).
void test_netopts() {
    for (const char *v : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                          "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        unsetenv(v);
    }
    // The sandbox (on 127.0.0.1) as 0.0.0.0: not loopback by name, so a proxy from the
    // environment applies (never to a loopback base URL: Go's net/http rule).
    std::string remote(base_url);
    remote.replace(remote.find("127.0.0.1"), 9, "0.0.0.0");
    CHECK(setenv("http_proxy", "http://127.0.0.1:1", 1) == 0);
    CHECK(authy::ClientBuilder(api_key).base_url(remote).allow_insecure_http(true).build().app_details().ok());
    const authy::Client via_env =
        authy::ClientBuilder(api_key).base_url(remote).allow_insecure_http(true).proxy_from_env().build();
    auto e = CHECK_THROWS(via_env.app_details(), authy::Code::connect);
    CHECK(e && !e->request_sent());
    CHECK(authy::ClientBuilder(api_key)
              .base_url(remote).allow_insecure_http(true)
              .proxy_from_env(false)
              .build()
              .app_details()
              .ok());
    CHECK(setenv("no_proxy", "0.0.0.0", 1) == 0);
    CHECK(authy::ClientBuilder(api_key)
              .base_url(remote).allow_insecure_http(true)
              .proxy_from_env()
              .build()
              .app_details()
              .ok());
    CHECK(authy::ClientBuilder(api_key)
              .base_url(base_url)
              .proxy_from_env()
              .build()
              .app_details()
              .ok());
    unsetenv("no_proxy");
    unsetenv("http_proxy");
    CHECK(setenv("HTTP_PROXY", "http://127.0.0.1:1", 1) == 0);  // never used (httpoxy)
    CHECK(authy::ClientBuilder(api_key)
              .base_url(remote)
              .allow_insecure_http(true)
              .proxy_from_env()
              .build()
              .app_details()
              .ok());
    CHECK(setenv("http_proxy", "socks5://user:pr0xy-secret@127.0.0.1:1080", 1) == 0);
    auto bad = authy::ClientBuilder(api_key)
                   .base_url(remote)
                   .allow_insecure_http(true)
                   .proxy_from_env()
                   .try_build();
    CHECK(bad.code() == authy::Code::invalid_argument && contains(bad.error().message, "http_proxy") &&
          !contains(bad.error().message, "pr0xy-secret"));
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    // Roots: both values build; anything else is refused by the setter (reported by build()).
    CHECK(authy::ClientBuilder(api_key).platform_roots().try_build().ok());
    CHECK(authy::ClientBuilder(api_key).tls_roots(authy::TlsRoots::bundled).try_build().ok());
    CHECK(authy::ClientBuilder(api_key).tls_roots(static_cast<authy::TlsRoots>(7)).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(static_cast<std::uint32_t>(authy::TlsRoots::platform) == 1);
}

void test_moves() {
    authy::Client a = authy::ClientBuilder(api_key).base_url(base_url).build();
    const authy_client *native = a.native();
    authy::Client b = std::move(a);
    CHECK(b.native() == native && a.native() == nullptr);  // NOLINT(bugprone-use-after-move)
    CHECK(b.app_details().ok());
    // A moved-from client fails cleanly, it does not crash.
    CHECK_THROWS(a.app_details(), authy::Code::null_argument);  // NOLINT
    CHECK(a.try_verify_token("1", "1234567").code() == authy::Code::null_argument);  // NOLINT
    CHECK_THROWS(a.with_timeout(1s), authy::Code::null_argument);  // NOLINT
    a = std::move(b);  // move-assign back
    CHECK(a.native() == native && b.native() == nullptr);  // NOLINT
    CHECK(a.app_stats().ok());
    authy::Client c = authy::ClientBuilder(api_key).base_url(base_url).build();
    c = std::move(a);  // the old c is freed here (valgrind checks it)
    CHECK(c.native() == native);

    // Client::adopt takes a client built with the C API.
    authy_client_builder *cb = nullptr;
    const authy_client *raw = nullptr;
    CHECK(authy_client_builder_new(api_key.c_str(), &cb, nullptr) == AUTHY_RESULT_OK);
    authy_client_builder_set_base_url(cb, base_url.c_str(), nullptr);
    CHECK(authy_client_builder_build(cb, &raw, nullptr) == AUTHY_RESULT_OK);
    authy_client_builder_free(cb);
    const authy::Client adopted = authy::Client::adopt(raw);
    CHECK(adopted.native() == raw && adopted.app_details().ok());

    // Results move their value out.
    auto r = c.try_app_details();
    CHECK(r.ok() && static_cast<bool>(r) && r.code() == authy::Code::ok && !r.error_code());
    authy::Response taken = std::move(r).value();
    CHECK(taken.ok());
    auto failed_result = c.try_user_status("99999999");
    authy::Response fallback = std::move(failed_result).value_or(authy::Response(nullptr));
    CHECK(fallback.native() == nullptr);
}

void test_threads(const authy::Client &client) {
    constexpr int kThreads = 8;
    constexpr int kRounds = 6;
    std::atomic<int> ok{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&client, &ok, &refused, &other, t]() {
            try {
                const std::string phone = "555-400-" + std::to_string(1000 + t);
                const std::string id(client.create_user("t@example.com", phone, {{"country_code", "1"}})
                                         .user_id()
                                         .value_or(""));
                for (int i = 0; i < kRounds; ++i) {
                    if (client.app_details().ok()) ++ok;
                    try {
                        client.verify_token(id, "1234560");
                        ++other;
                    } catch (const authy::Error &e) {
                        if (e.code() == authy::Code::token_invalid && e.http_status() == 401) {
                            ++refused;
                        } else {
                            ++other;
                        }
                    }
                    if (client.user_status(id).user_id() == std::optional<std::string_view>(id)) ++ok;
                }
            } catch (...) {
                ++other;
            }
        });
    }
    for (auto &th : threads) th.join();
    CHECK(ok.load() == kThreads * kRounds * 2);
    CHECK(refused.load() == kThreads * kRounds);
    CHECK(other.load() == 0);
}

}  // namespace

int main(int argc, char **argv) {
    const char *env_url = std::getenv("AUTHY_BASE_URL");
    const char *env_key = std::getenv("AUTHY_API_KEY");
    if (argc > 1) {
        base_url = argv[1];
    } else if (env_url != nullptr) {
        base_url = env_url;
    }
    if (argc > 2) {
        api_key = argv[2];
    } else if (env_key != nullptr) {
        api_key = env_key;
    }
    if (base_url.empty()) {
        std::fprintf(stderr, "usage: test_authy_hpp BASE_URL [API_KEY] (or AUTHY_BASE_URL)\n");
        return 2;
    }

    if (const char *only = std::getenv("AUTHY_HPP_ONLY");
        only != nullptr && std::string_view(only) == "platform_roots") {
        if (auto e = error_of(test_platform_roots)) {
            ++failed;
            std::fprintf(stderr, "test_platform_roots: unexpected %s\n", e->what());
        }
        std::printf("test_platform_roots: %d passed, %d failed\n", passed, failed);
        return failed == 0 ? 0 : 1;
    }

    const std::pair<const char *, std::function<void()>> offline[] = {
        {"types", test_types},
        {"offline", test_offline},
        {"callbacks_offline", test_callbacks_offline},
        {"params_and_builder", test_params_and_builder},
    };
    for (const auto &[name, fn] : offline) {
        if (auto e = error_of(fn)) {
            ++failed;
            std::fprintf(stderr, "test_authy_hpp: %s: unexpected %s\n", name, e->what());
        }
    }

    std::optional<authy::Client> client;
    if (auto setup_error = error_of([&]() {
            client = authy::ClientBuilder(api_key)
                         .base_url(base_url)
                         .timeout(10s)
                         .connect_timeout(5s)
                         .max_idle_connections_per_host(16)
                         .user_agent_suffix("authy-hpp-test/1")
                         .build();
            client->request("POST", "/sandbox/reset").check();
        })) {
        ++failed;
        std::fprintf(stderr, "test_authy_hpp: cannot reach the sandbox: %s\n",
                     setup_error->what());
    } else {
        const authy::Client &shared = *client;
        const std::pair<const char *, std::function<void()>> online[] = {
            {"app_and_views", [&]() { test_app_and_views(shared); }},
            {"users_and_tokens", [&]() { test_users_and_tokens(shared); }},
            {"phones", [&]() { test_phones(shared); }},
            {"onetouch", [&]() { test_onetouch(shared); }},
            {"transport", [&]() { test_transport(shared); }},
            {"reliability", [&]() { test_reliability(shared); }},
            {"netopts", test_netopts},
            {"moves", test_moves},
            {"threads", [&]() { test_threads(shared); }},
        };
        for (const auto &[name, fn] : online) {
            if (auto e = error_of(fn)) {
                ++failed;
                std::fprintf(stderr, "test_authy_hpp: %s: unexpected %s\n", name, e->what());
            }
        }
    }

    std::printf("test_authy_hpp: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
