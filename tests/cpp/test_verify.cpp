// Tests of authy::VerifyClient / VerifyClientBuilder / Pages (include/authy.hpp) against a
// running authy-sandbox with its default Twilio credentials (tests/cpp/run.sh starts one):
// services CRUD and a list across pages, start/check right and wrong (token_invalid, never
// OK), 20404 / 60202 / 60203 told apart, cancel, Lookup valid/invalid, bad credentials, the API
// key variant, bad input refused before I/O, moves, threads, the try_ twins; Entities, TOTP
// Factors (enrol, wrong and right first code) and Challenges (TOTP, push with details);
// Webhooks (a signed delivery), Rate Limits and Buckets, Attempts. Run under valgrind.
//
// Usage: test_verify [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY)
// Last line: "test_verify: N passed, M failed".
#include "authy.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;

namespace {

int passed = 0;
int failed = 0;

void check(bool ok, const char *what, int line) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "test_verify:%d: FAILED: %s\n", line, what);
    }
}
#define CHECK(cond) check(static_cast<bool>(cond), #cond, __LINE__)

std::optional<authy::Error> error_of(const std::function<void()> &f) {
    try {
        f();
    } catch (const authy::Error &e) {
        return e;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "test_verify: unexpected exception: %s\n", e.what());
        ++failed;
    }
    return std::nullopt;
}

#define CHECK_THROWS(expr, code_)                                                          \
    [&]() {                                                                                \
        std::optional<authy::Error> e_ = error_of([&]() { (void)(expr); });                \
        check(e_.has_value() && e_->code() == (code_), #expr " throws " #code_, __LINE__); \
        if (e_ && e_->code() != (code_)) std::fprintf(stderr, "    got %s\n", e_->what()); \
        return e_;                                                                         \
    }()

// The sandbox's defaults (sandbox/README.md).
const char *const account_sid = "AC00000000000000000000000000000000";
const char *const auth_token = "sandbox-auth-token-0123456789abcd";
std::string base_url;
std::string api_key = "sandbox-api-key-0123456789abcdef";

bool contains(std::string_view hay, std::string_view needle) {
    return hay.find(needle) != std::string_view::npos;
}

authy::VerifyClient make_client() {
    return authy::VerifyClientBuilder(account_sid, auth_token)
        .base_url(base_url)
        .lookups_base_url(base_url)
        .timeout(10s)
        .build();
}

// The control API, with the Authy key (as the user's phone would read the code).
std::string delivered_code(const authy::Client &control, std::string_view service,
                           std::string_view to) {
    const authy::Response r =
        control.request("GET", "/sandbox/verify/code", {{"To", to}, {"ServiceSid", service}})
            .check();
    return std::string(r.get_string("/code").value_or(""));
}

std::string wrong_code(std::string code) {
    code[0] = code[0] == '9' ? '0' : static_cast<char>(code[0] + 1);
    return code;
}

int phone_seq = 0;
std::string next_phone() { return "+1775300" + std::to_string(1000 + phone_seq++); }

std::string new_service(const authy::VerifyClient &vc, const char *name) {
    return std::string(*vc.create_service(name).get_string("/sid"));
}

// ------------------------------------------------------------------------------------------

void test_types() {
    CHECK(!std::is_copy_constructible_v<authy::VerifyClient>);
    CHECK(std::is_nothrow_move_constructible_v<authy::VerifyClient>);
    CHECK(std::is_nothrow_move_assignable_v<authy::VerifyClient>);
    CHECK(!std::is_default_constructible_v<authy::VerifyClient>);
    CHECK(!std::is_copy_constructible_v<authy::Pages>);
    CHECK(std::is_nothrow_move_constructible_v<authy::Pages>);
    CHECK(!std::is_copy_constructible_v<authy::VerifyClientBuilder>);
    CHECK(std::is_nothrow_move_constructible_v<authy::VerifyClientBuilder>);
    CHECK(noexcept(authy::detail::VerifyClientDeleter{}(nullptr)));
    CHECK(noexcept(authy::detail::PagesDeleter{}(nullptr)));
    CHECK(sizeof(authy::VerifyClient) == sizeof(void *));
}

void test_builder() {
    CHECK(!authy::VerifyClientBuilder(account_sid, auth_token).base_url(base_url).error());
    // Shapes checked at build, before any I/O; the token never in a message.
    auto bad_sid = authy::VerifyClientBuilder("AC123", "secret-token-xyz").try_build();
    CHECK(bad_sid.code() == authy::Code::invalid_argument);
    CHECK(!contains(bad_sid.error().to_string(), "secret-token-xyz"));
    CHECK(authy::VerifyClientBuilder(account_sid, std::string_view("a\0b", 3)).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::VerifyClientBuilder::api_key("XX", "s", account_sid).try_build().code() ==
          authy::Code::invalid_argument);
    // The network setters are shared; lookups_base_url only on this builder.
    CHECK(authy::VerifyClientBuilder(account_sid, auth_token).timeout(0ms).try_build().code() ==
          authy::Code::invalid_argument);
    CHECK(authy::VerifyClientBuilder(account_sid, auth_token)
              .base_url("ftp://x")
              .try_build()
              .code() == authy::Code::invalid_argument);
}

void test_services(const authy::VerifyClient &vc) {
    const authy::Response created = vc.create_service("C++ app", {{"CodeLength", "4"}});
    CHECK(created.status() == 201);
    const std::string sid(created.get_string("/sid").value_or(""));
    CHECK(sid.size() == 34 && sid.rfind("VA", 0) == 0);
    CHECK(created.get_i64("/code_length") == 4);
    CHECK(vc.fetch_service(sid).get_string("/friendly_name") == std::optional<std::string_view>("C++ app"));
    CHECK(vc.update_service(sid, {{"FriendlyName", "Renamed"}}).get_string("/friendly_name") ==
          std::optional<std::string_view>("Renamed"));
    auto bad = CHECK_THROWS(vc.update_service(sid, {{"CodeLength", "42"}}),
                            authy::Code::invalid_parameters);
    CHECK(bad && bad->api_code() == std::optional<std::string_view>("60200"));
    CHECK(vc.delete_service(sid).status() == 204);
    auto gone = CHECK_THROWS(vc.fetch_service(sid), authy::Code::not_found);
    CHECK(gone && gone->api_code() == std::optional<std::string_view>("20404"));
    CHECK(gone && gone->more_info() && contains(*gone->more_info(), "20404"));
    CHECK(gone && contains(gone->what(), "Twilio error 20404"));
    // The try_ twin.
    auto r = vc.try_fetch_service(sid);
    CHECK(!r.ok() && r.code() == authy::Code::not_found && r.error().api == "Twilio");
}

void test_list(const authy::VerifyClient &vc) {
    std::set<std::string> mine;
    for (int i = 0; i < 5; ++i) mine.insert(new_service(vc, "listed"));
    authy::Pages pages = vc.list_services(2);
    std::set<std::string> seen;
    int page_count = 0;
    while (std::optional<authy::Response> page = pages.next()) {
        ++page_count;
        CHECK(page->get_i64("/meta/page_size") == 2);
        for (int i = 0;; ++i) {
            auto sid = page->get_string("/services/" + std::to_string(i) + "/sid");
            if (!sid) break;
            CHECK(seen.insert(std::string(*sid)).second);
        }
    }
    CHECK(page_count >= 3);
    for (const auto &sid : mine) CHECK(seen.count(sid) == 1);
    CHECK(!pages.next());  // stays at the end
    CHECK(vc.try_list_services(5000).code() == authy::Code::invalid_argument);
    for (const auto &sid : mine) vc.delete_service(sid);
}

void test_verifications(const authy::VerifyClient &vc, const authy::Client &control) {
    const std::string service = new_service(vc, "checks");
    const std::string to = next_phone();
    const authy::Response v = vc.create_verification(service, to, "sms", {{"Locale", "en"}});
    CHECK(v.status() == 201 && v.get_string("/status") == std::optional<std::string_view>("pending"));
    const std::string vsid(v.get_string("/sid").value_or(""));
    const std::string code = delivered_code(control, service, to);
    CHECK(code.size() == 6);

    // A wrong code is never OK: token_invalid with the pending answer in the error.
    auto wrong = CHECK_THROWS(vc.check_verification(service, to, wrong_code(code)),
                              authy::Code::token_invalid);
    CHECK(wrong && wrong->body() && contains(*wrong->body(), "\"pending\""));
    auto wrong_try = vc.try_check_verification_sid(service, vsid, wrong_code(code));
    CHECK(!wrong_try && wrong_try.code() == authy::Code::token_invalid);
    CHECK(vc.fetch_verification(service, vsid).get_string("/status") ==
          std::optional<std::string_view>("pending"));
    const authy::Response ok = vc.check_verification_sid(service, vsid, code);
    CHECK(ok.get_string("/status") == std::optional<std::string_view>("approved"));
    CHECK(ok.get_bool("/valid") == std::optional<bool>(true));
    auto none = CHECK_THROWS(vc.check_verification(service, to, code), authy::Code::not_found);
    CHECK(none && none->api_code() == std::optional<std::string_view>("20404"));

    // Cancel: then nothing pending.
    const std::string to2 = next_phone();
    const std::string v2(*vc.create_verification(service, to2, "call").get_string("/sid"));
    CHECK(vc.update_verification(service, v2, "canceled").get_string("/status") ==
          std::optional<std::string_view>("canceled"));
    CHECK_THROWS(vc.fetch_verification(service, v2), authy::Code::not_found);
    CHECK_THROWS(vc.update_verification(service, v2, "paused"), authy::Code::invalid_argument);

    // 60202: five wrong codes, then even the right one is refused.
    const std::string to3 = next_phone();
    vc.create_verification(service, to3, "sms");
    const std::string code3 = delivered_code(control, service, to3);
    for (int i = 0; i < 5; ++i) {
        CHECK(vc.try_check_verification(service, to3, wrong_code(code3)).code() ==
              authy::Code::token_invalid);
    }
    auto max_checks = CHECK_THROWS(vc.check_verification(service, to3, code3),
                                   authy::Code::rate_limited);
    CHECK(max_checks && max_checks->api_code() == std::optional<std::string_view>("60202"));

    // 60203: the 6th send.
    const std::string to4 = next_phone();
    for (int i = 0; i < 5; ++i) CHECK(vc.try_create_verification(service, to4, "sms").ok());
    auto max_sends = CHECK_THROWS(vc.create_verification(service, to4, "sms"),
                                  authy::Code::rate_limited);
    CHECK(max_sends && max_sends->api_code() == std::optional<std::string_view>("60203"));
    vc.delete_service(service);
}

void test_lookup(const authy::VerifyClient &vc) {
    const authy::Response r =
        vc.lookup_phone_number("+14159929960", {{"Fields", "line_type_intelligence"}});
    CHECK(r.get_bool("/valid") == std::optional<bool>(true));
    CHECK(r.get_string("/line_type_intelligence/type").has_value());
    const authy::Response bad = vc.lookup_phone_number("+1415");
    CHECK(bad.get_bool("/valid") == std::optional<bool>(false));
    CHECK(bad.get_string("/validation_errors/0").has_value());
}

void test_credentials() {
    const authy::VerifyClient bad = authy::VerifyClientBuilder(account_sid, "wrong-token-0123456789")
                                        .base_url(base_url)
                                        .build();
    auto e = CHECK_THROWS(bad.create_service("x"), authy::Code::unauthorized);
    CHECK(e && e->http_status() == 401 && e->api_code() == std::optional<std::string_view>("20003"));
    CHECK(e && !contains(e->what(), "wrong-token"));
    // An unknown API key is refused the same way (the sandbox knows none by default).
    const authy::VerifyClient key =
        authy::VerifyClientBuilder::api_key("SK00000000000000000000000000000000", "s", account_sid)
            .base_url(base_url)
            .build();
    CHECK(key.try_fetch_service("VA00000000000000000000000000000000").code() ==
          authy::Code::unauthorized);
}

void test_bad_input(const authy::VerifyClient &vc) {
    const std::string ve = "VE" + std::string(32, '0');
    const std::string va = "VA" + std::string(32, '0');
    CHECK(vc.try_fetch_service(std::string_view("VA\0", 3)).code() == authy::Code::invalid_argument);
    CHECK(vc.try_fetch_service("VA123").code() == authy::Code::invalid_argument);
    CHECK(vc.try_fetch_service(ve).code() == authy::Code::invalid_argument);
    CHECK(vc.try_create_verification(va, "4155550100", "sms").code() ==
          authy::Code::invalid_argument);
    CHECK(vc.try_create_verification(va, "+14155550100", "SMS!").code() ==
          authy::Code::invalid_argument);
    CHECK(vc.try_check_verification_sid(va, ve, "12").code() == authy::Code::invalid_argument);
    CHECK(vc.try_create_service("\xff\xfe").code() == authy::Code::invalid_utf8);
    CHECK(vc.try_create_service("x", {{"Locale", std::string_view("e\0n", 3)}}).code() ==
          authy::Code::invalid_argument);
    CHECK(vc.try_fetch_verification(va, "VEzz").error().attempts == 0);
}

void arm_latency(const authy::Client &control, const std::string &prefix) {
    control.request("POST", "/sandbox/faults",
                    {{"kind", "latency"}, {"count", "1"}, {"path_prefix", prefix}, {"latency_ms", "3000"}})
        .check();
}

void test_deadline_and_cancel(const authy::VerifyClient &vc, const authy::Client &control) {
    const std::string sid = new_service(vc, "deadline");
    CHECK(vc.try_with_timeout(0ms).code() == authy::Code::invalid_argument);
    arm_latency(control, "/v2/Services/" + sid);
    auto start = std::chrono::steady_clock::now();
    auto timed = vc.with_timeout(300ms).try_fetch_service(sid);
    CHECK(timed.code() == authy::Code::timeout && timed.error().request_sent);
    CHECK(std::chrono::steady_clock::now() - start < 2s);

    arm_latency(control, "/v2/Services/" + sid);
    authy::Cancel token;
    const authy::VerifyClient cancellable = vc.with_cancel(token);
    std::thread canceller([&]() {
        std::this_thread::sleep_for(300ms);
        token.cancel();
    });
    start = std::chrono::steady_clock::now();
    auto cancelled = cancellable.try_fetch_service(sid);
    const auto took = std::chrono::steady_clock::now() - start;
    canceller.join();
    CHECK(cancelled.code() == authy::Code::cancelled);
    CHECK(took < 2s);  // not the 3 s of latency (valgrind: no tighter bound here)
    CHECK(cancellable.try_fetch_service(sid).code() == authy::Code::cancelled);  // stays cancelled
    CHECK(vc.try_fetch_service(sid).ok());  // the original is not affected
    control.request("DELETE", "/sandbox/faults");
    vc.delete_service(sid);
}

// The Twilio documentation's example request (token 12345); the signature was computed with
// Python's hmac/hashlib (HMAC-SHA1 of the URL and the sorted key+value pairs, base64).
void test_twilio_signature() {
    const char *const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const char *const body =
        "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
    const std::string sig = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    CHECK(authy::try_verify_twilio_signature("12345", url, body, sig).ok());
    CHECK(authy::try_verify_twilio_signature("54321", url, body, sig).code() ==
          authy::Code::signature_invalid);
    CHECK(authy::try_verify_twilio_signature("12345", url, "Digits=1235", sig).code() ==
          authy::Code::signature_invalid);
    CHECK(authy::try_verify_twilio_signature("12345", url, body, "").code() ==
          authy::Code::signature_invalid);
    CHECK(authy::try_verify_twilio_signature("", url, body, sig).code() ==
          authy::Code::invalid_argument);
    CHECK_THROWS(authy::verify_twilio_signature("12345", url, std::string_view("a\0b", 3), sig),
                 authy::Code::invalid_argument);
}

void test_moves_and_threads() {
    authy::VerifyClient a = make_client();
    authy::VerifyClient b = std::move(a);
    CHECK(a.native() == nullptr);  // NOLINT(bugprone-use-after-move): documented state
    CHECK(a.try_fetch_service("VA" + std::string(32, '0')).code() == authy::Code::null_argument);
    const std::string sid = new_service(b, "threads");
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&]() {
            for (int i = 0; i < 5; ++i) {
                if (b.try_fetch_service(sid).ok()) ++good;
            }
        });
    }
    for (auto &t : threads) t.join();
    CHECK(good == 20);
    authy::Pages p = b.list_services(1);
    authy::Pages q = std::move(p);
    CHECK(q.next().has_value());
    b.delete_service(sid);
}

// Verify TOTP and Push: Entities, Factors, Challenges. The app's code is read from the
// sandbox's control route (it computes it from the factor's secret on its clock).
std::string app_code(const authy::Client &control, const std::string &service,
                     const std::string &identity, const std::string &factor) {
    const authy::Response r =
        control.request("GET", "/sandbox/verify/Services/" + service + "/Entities/" + identity +
                                   "/Factors/" + factor + "/Code")
            .check();
    return std::string(r.get_string("/code").value_or(""));
}

std::optional<std::string_view> sv(const char *text) { return std::string_view(text); }

void test_entities_factors_challenges(const authy::VerifyClient &vc, const authy::Client &control) {
    const std::string service = new_service(vc, "totp");
    const std::string id = "cpp-user-0001";

    // Entities.
    const authy::Response e = vc.create_entity(service, id);
    CHECK(e.status() == 201 && e.get_string("/identity") == std::optional<std::string_view>(id));
    CHECK(vc.fetch_entity(service, id).get_string("/sid") == e.get_string("/sid"));
    vc.create_entity(service, "cpp-user-0002");
    vc.create_entity(service, "cpp-user-0003");
    authy::Pages pages = vc.list_entities(service, 2);
    int listed = 0, page_count = 0;
    while (std::optional<authy::Response> page = pages.next()) {
        ++page_count;
        for (int i = 0; page->get_string("/entities/" + std::to_string(i) + "/sid"); ++i) ++listed;
    }
    CHECK(listed == 3 && page_count == 2);
    CHECK(vc.delete_entity(service, "cpp-user-0003").status() == 204);
    auto gone = CHECK_THROWS(vc.fetch_entity(service, "cpp-user-0003"), authy::Code::not_found);
    CHECK(gone && gone->api_code() == sv("20404"));
    CHECK(vc.try_fetch_entity(service, "cpp-user-0003").code() == authy::Code::not_found);
    CHECK(vc.try_fetch_entity(service, std::string_view("a\0b", 3)).code() ==
          authy::Code::invalid_argument);
    CHECK(vc.try_list_entities("nope").code() == authy::Code::invalid_argument);

    // A TOTP factor: the secret once, unverified until a first right code.
    const authy::Response f =
        vc.create_factor(service, id, "phone", "totp", {{"Config.CodeLength", "6"}});
    CHECK(f.status() == 201 && f.get_string("/status") == sv("unverified"));
    const std::string factor(f.get_string("/sid").value_or(""));
    const std::string secret(f.get_string("/binding/secret").value_or(""));
    CHECK(secret.size() >= 16);
    CHECK(contains(f.get_string("/binding/uri").value_or(""), "otpauth://totp/"));
    std::string code = app_code(control, service, id, factor);
    auto bad = CHECK_THROWS(vc.verify_factor(service, id, factor, wrong_code(code)),
                            authy::Code::token_invalid);
    CHECK(bad && bad->body() && contains(*bad->body(), "\"unverified\""));
    CHECK(vc.try_verify_factor(service, id, factor, wrong_code(code)).code() ==
          authy::Code::token_invalid);
    CHECK(vc.verify_factor(service, id, factor, code).get_string("/status") == sv("verified"));
    const authy::Response fetched = vc.fetch_factor(service, id, factor);
    CHECK(fetched.get_string("/status") == sv("verified") && !fetched.get_string("/binding/secret"));
    CHECK(vc.update_factor(service, id, factor, {{"FriendlyName", "laptop"}})
              .get_string("/friendly_name") == sv("laptop"));
    authy::Pages factors = vc.list_factors(service, id);
    std::optional<authy::Response> first = factors.next();
    CHECK(first && first->get_string("/factors/0/sid") == std::optional<std::string_view>(factor) &&
          !first->get_string("/factors/1/sid"));

    // TOTP challenges: a right code approves at creation, a wrong one is token_invalid.
    code = app_code(control, service, id, factor);
    const authy::Response approved =
        vc.create_challenge(service, id, factor, {{"AuthPayload", code}});
    CHECK(approved.status() == 201 && approved.get_string("/status") == sv("approved"));
    auto pending = vc.try_create_challenge(service, id, factor, {{"AuthPayload", wrong_code(code)}});
    CHECK(!pending && pending.code() == authy::Code::token_invalid);
    std::string challenge;
    if (!pending && pending.error().body) {
        const std::string &body = *pending.error().body;
        const auto at = body.find("\"sid\":\"YC");
        if (at != std::string::npos) challenge = body.substr(at + 7, 34);
    }
    CHECK(challenge.size() == 34);
    CHECK_THROWS(vc.update_challenge(service, id, challenge, wrong_code(code)),
                 authy::Code::token_invalid);
    code = app_code(control, service, id, factor);
    CHECK(vc.update_challenge(service, id, challenge, code).get_string("/status") ==
          sv("approved"));
    auto again = vc.try_update_challenge(service, id, challenge, code);
    CHECK(!again && again.error().authy_code == std::optional<std::string>("60322"));
    CHECK(vc.fetch_challenge(service, id, challenge).get_string("/status") == sv("approved"));
    authy::Pages challenges = vc.list_challenges(service, id, {{"Status", "approved"}});
    std::optional<authy::Response> cpage = challenges.next();
    CHECK(cpage && cpage->get_string("/challenges/1/sid") && !cpage->get_string("/challenges/2/sid"));
    CHECK(vc.try_list_challenges(service, id, {{"Status", "denied"}}).value().next()->get_string(
              "/challenges/0/sid") == std::nullopt);

    // Push: a factor the sandbox holds the key of, a challenge with details, denied by the
    // device.
    const authy::Response push = control.request(
        "POST", "/sandbox/verify/Services/" + service + "/Entities/" + id + "/PushFactors",
        {{"FriendlyName", "phone"}});
    CHECK(push.status() == 201 && push.get_string("/status") == sv("verified"));
    const std::string push_sid(push.get_string("/sid").value_or(""));
    const authy::Response pc = vc.create_challenge(
        service, id, push_sid,
        {{"Details.Message", "Log in to Acme?"},
         {"Details.Fields", R"([{"label":"IP","value":"192.0.2.1"}])"},
         {"HiddenDetails", R"({"ip":"192.0.2.1"})"}});
    CHECK(pc.status() == 201 && pc.get_string("/status") == sv("pending"));
    CHECK(pc.get_string("/details/message") == sv("Log in to Acme?"));
    CHECK(pc.get_string("/details/fields/0/label") == sv("IP"));
    CHECK(pc.get_string("/hidden_details/ip") == sv("192.0.2.1"));
    const std::string pc_sid(pc.get_string("/sid").value_or(""));
    control.request("POST", "/sandbox/verify/Services/" + service + "/Entities/" + id +
                                "/Challenges/" + pc_sid + "/Deny")
        .check();
    CHECK(vc.fetch_challenge(service, id, pc_sid).get_string("/status") == sv("denied"));
    auto no_message = vc.try_create_challenge(service, id, push_sid);
    CHECK(!no_message && no_message.error().authy_code == std::optional<std::string>("60368"));

    CHECK(vc.delete_factor(service, id, factor).status() == 204);
    CHECK(vc.try_fetch_factor(service, id, factor).code() == authy::Code::not_found);
    vc.delete_service(service);
}

// Webhooks (a signed delivery checked offline), Rate Limits and Buckets, Attempts.
void test_service_config(const authy::VerifyClient &vc, const authy::Client &control) {
    const std::string service = new_service(vc, "config");
    const authy::Response w = vc.create_webhook(service, "events", "factor.created",
                                                "http://127.0.0.1:9/hook", {{"Version", "v2"}});
    CHECK(w.status() == 201 && w.get_string("/event_types/0") == sv("factor.created"));
    const std::string wsid(w.get_string("/sid").value_or(""));
    CHECK(vc.fetch_webhook(service, wsid).get_string("/webhook_url") == sv("http://127.0.0.1:9/hook"));
    CHECK(vc.update_webhook(service, wsid, {{"Status", "disabled"}}).get_string("/status") ==
          sv("disabled"));
    vc.update_webhook(service, wsid, {{"Status", "enabled"}});
    CHECK(vc.list_webhooks(service).next()->get_string("/webhooks/0/sid") ==
          std::optional<std::string_view>(wsid));
    auto bad_event = vc.try_create_webhook(service, "x", "nope", "http://127.0.0.1:9/");
    CHECK(!bad_event && bad_event.error().authy_code == std::optional<std::string>("60306"));

    control.request("POST", "/sandbox/verify/Webhooks/Settings", {{"TotpEvents", "true"}}).check();
    const std::string factor(
        vc.create_factor(service, "cpp-hook-0001", "phone").get_string("/sid").value_or(""));
    bool signed_ok = false, tampered_refused = false;
    for (int attempt = 0; attempt < 50 && !signed_ok; ++attempt) {
        const authy::Response d = control.request("GET", "/sandbox/verify/Webhooks/Deliveries",
                                                  {{"Type", "factor.created"}});
        for (int i = 0;; ++i) {
            const std::string at = "/deliveries/" + std::to_string(i);
            if (!d.get_string(at + "/url")) break;
            if (d.get_string(at + "/webhook_sid") != std::optional<std::string_view>(wsid) ||
                d.get_string(at + "/params/factor_sid") != std::optional<std::string_view>(factor)) {
                continue;
            }
            const std::string url(*d.get_string(at + "/url")), body(*d.get_string(at + "/body"));
            const std::string sig(d.get_string(at + "/signature").value_or(""));
            signed_ok = authy::try_verify_twilio_signature(auth_token, url, body, sig).ok();
            tampered_refused =
                !authy::try_verify_twilio_signature(auth_token, url, body + "&x=1", sig).ok();
        }
        if (!signed_ok) std::this_thread::sleep_for(100ms);
    }
    CHECK(signed_ok && tampered_refused);
    control.request("POST", "/sandbox/verify/Webhooks/Settings", {{"TotpEvents", "false"}}).check();
    CHECK(vc.delete_webhook(service, wsid).status() == 204);
    CHECK(vc.try_fetch_webhook(service, wsid).code() == authy::Code::not_found);

    const authy::Response rl = vc.create_rate_limit(service, "end_user_ip", {{"Description", "per IP"}});
    CHECK(rl.status() == 201 && rl.get_string("/unique_name") == sv("end_user_ip"));
    const std::string rk(rl.get_string("/sid").value_or(""));
    CHECK(vc.try_create_rate_limit(service, "end_user_ip").error().authy_code ==
          std::optional<std::string>("60208"));
    CHECK(vc.update_rate_limit(service, rk, {{"Description", "by IP"}}).get_string("/description") ==
          sv("by IP"));
    CHECK(vc.fetch_rate_limit(service, rk).get_string("/sid") == std::optional<std::string_view>(rk));
    CHECK(vc.list_rate_limits(service).next()->get_string("/rate_limits/0/sid") ==
          std::optional<std::string_view>(rk));
    const authy::Response b = vc.create_bucket(service, rk, 2, 60);
    CHECK(b.status() == 201 && b.get_i64("/max") == 2 && b.get_i64("/interval") == 60);
    const std::string bl(b.get_string("/sid").value_or(""));
    CHECK(vc.try_create_bucket(service, rk, 5, 60).error().authy_code ==
          std::optional<std::string>("60211"));
    CHECK(vc.update_bucket(service, rk, bl, {{"Max", "3"}}).get_i64("/max") == 3);
    CHECK(vc.fetch_bucket(service, rk, bl).get_i64("/max") == 3);
    CHECK(vc.list_buckets(service, rk).next()->get_string("/buckets/0/sid") ==
          std::optional<std::string_view>(bl));
    CHECK(vc.delete_bucket(service, rk, bl).status() == 204);
    CHECK(vc.delete_rate_limit(service, rk).status() == 204);
    CHECK(vc.try_fetch_rate_limit(service, rk).code() == authy::Code::not_found);

    const std::string to = next_phone();
    const std::string vsid(vc.create_verification(service, to, "sms").get_string("/sid").value_or(""));
    vc.check_verification(service, to, delivered_code(control, service, to));
    authy::Pages attempts = vc.list_attempts({{"VerifyServiceSid", service}}, 1);
    std::optional<authy::Response> first = attempts.next();
    CHECK(first && first->get_string("/attempts/0/verification_sid") ==
                       std::optional<std::string_view>(vsid));
    CHECK(!attempts.next());
    const std::string attempt(first ? first->get_string("/attempts/0/sid").value_or("") : "");
    CHECK(vc.fetch_attempt(attempt).get_string("/conversion_status") == sv("converted"));
    const authy::Response summary = vc.attempts_summary({{"VerifyServiceSid", service}});
    CHECK(summary.get_i64("/total_attempts") == 1 && summary.get_i64("/total_converted") == 1);
    CHECK(vc.try_fetch_attempt(std::string_view("VL\0", 3)).code() == authy::Code::invalid_argument);
    vc.delete_service(service);
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
        std::fprintf(stderr, "usage: test_verify BASE_URL [API_KEY] (or AUTHY_BASE_URL)\n");
        return 2;
    }
    std::optional<authy::VerifyClient> vc;
    std::optional<authy::Client> control;
    if (auto e = error_of([&]() {
            vc = make_client();
            control = authy::ClientBuilder(api_key).base_url(base_url).build();
        })) {
        std::fprintf(stderr, "test_verify: setup: %s\n", e->what());
        ++failed;
    } else {
        const std::pair<const char *, std::function<void()>> tests[] = {
            {"types", test_types},
            {"builder", test_builder},
            {"services", [&]() { test_services(*vc); }},
            {"list", [&]() { test_list(*vc); }},
            {"verifications", [&]() { test_verifications(*vc, *control); }},
            {"lookup", [&]() { test_lookup(*vc); }},
            {"credentials", test_credentials},
            {"bad_input", [&]() { test_bad_input(*vc); }},
            {"deadline_and_cancel", [&]() { test_deadline_and_cancel(*vc, *control); }},
            {"moves_and_threads", test_moves_and_threads},
            {"twilio_signature", test_twilio_signature},
            {"entities_factors_challenges",
             [&]() { test_entities_factors_challenges(*vc, *control); }},
            {"service_config", [&]() { test_service_config(*vc, *control); }},
        };
        for (const auto &[name, fn] : tests) {
            if (auto e = error_of(fn)) {
                ++failed;
                std::fprintf(stderr, "test_verify: %s: unexpected %s\n", name, e->what());
            }
        }
    }
    std::printf("test_verify: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
