// Cancelling calls from C++: authy::Cancel (C++17, another std::thread cancels) and, built as
// C++20, authy::CancelOnStop (a std::jthread's request_stop()). Each of ROUNDS calls is slowed
// down by 3 s of sandbox latency and cancelled 300 ms in: it must throw Code::cancelled with
// request_sent() within 50 ms of the cancel (9 in 10; none beyond 250 ms on a loaded machine).
//
// Usage: test_cancel [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY)
// Last line: "test_cancel: N passed, M failed" (or test_cancel_cxx20).
#include "authy.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

int passed = 0;
int failed = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            ++passed;                                                                \
        } else {                                                                     \
            ++failed;                                                                \
            std::fprintf(stderr, "test_cancel:%d: FAILED: %s\n", __LINE__, #cond); \
        }                                                                            \
    } while (0)

constexpr int rounds = 20;

void slow_down(const authy::Client &client) {
    client.request("POST", "/sandbox/faults",
                   {{"kind", "latency"}, {"latency_ms", "3000"}, {"path_prefix", "/protected/json/app"}});
}

void clear_faults(const authy::Client &client) { client.request("DELETE", "/sandbox/faults"); }

// Runs one slow call through `bound`; CHECKs that it was cancelled; returns when it returned.
Clock::time_point cancelled_call(const authy::Client &bound) {
    const Clock::time_point started = Clock::now();
    auto r = bound.try_app_details();
    const Clock::time_point returned = Clock::now();
    CHECK(!r.ok());
    if (!r.ok()) {
        CHECK(r.error().code == authy::Code::cancelled);
        CHECK(r.error().request_sent && r.error().attempts == 1);
    }
    CHECK(returned - started < 2s);
    return returned;
}

void report(const char *what, std::vector<double> lat) {
    std::sort(lat.begin(), lat.end());
    std::printf("%s cancel latency over %d cancels at 300 ms into a 3 s call: p50 %.2f ms, max %.2f ms\n",
                what, rounds, lat[rounds / 2], lat[rounds - 1]);
    CHECK(lat[rounds * 9 / 10] < 50.0);
    CHECK(lat[rounds - 1] < 250.0);
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void with_cancel(const authy::Client &client) {
    std::vector<double> lat;
    for (int i = 0; i < rounds; i++) {
        slow_down(client);
        authy::Cancel token;
        const authy::Client bound = client.with_cancel(token);
        Clock::time_point at;
        std::thread canceller([&] {
            std::this_thread::sleep_for(300ms);
            at = Clock::now();
            token.cancel();
        });
        const Clock::time_point returned = cancelled_call(bound);
        canceller.join();
        CHECK(token.cancelled());
        lat.push_back(ms(returned - at));
        clear_faults(client);
    }
    report("C++ authy::Cancel", lat);
    // A cancelled token stops later calls before any I/O.
    authy::Cancel done;
    done.cancel();
    auto r = client.with_cancel(done).try_app_details();
    CHECK(!r.ok() && r.error().code == authy::Code::cancelled && !r.error().request_sent &&
          r.error().attempts == 0);
    CHECK(authy::name(authy::Code::cancelled) == "AUTHY_RESULT_CANCELLED");
}

#if defined(__cpp_lib_jthread)
void with_stop_token(const authy::Client &client) {
    std::vector<double> lat;
    for (int i = 0; i < rounds; i++) {
        slow_down(client);
        Clock::time_point returned;
        std::jthread worker([&](std::stop_token st) {
            authy::CancelOnStop stop(st);
            returned = cancelled_call(client.with_cancel(stop));
        });
        std::this_thread::sleep_for(300ms);
        const Clock::time_point at = Clock::now();
        worker.request_stop();
        worker.join();
        lat.push_back(ms(returned - at));
        clear_faults(client);
    }
    report("C++20 std::stop_token", lat);
    // A stop requested before the call: nothing is sent.
    std::stop_source source;
    source.request_stop();
    authy::CancelOnStop stopped(source.get_token());
    CHECK(stopped.cancelled());
    auto r = client.with_cancel(stopped).try_app_details();
    CHECK(!r.ok() && r.error().code == authy::Code::cancelled && !r.error().request_sent);
}
#endif

}  // namespace

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : std::getenv("AUTHY_BASE_URL");
    const char *key = argc > 2 ? argv[2] : std::getenv("AUTHY_API_KEY");
    if (url == nullptr || key == nullptr) {
        std::fprintf(stderr, "usage: test_cancel BASE_URL API_KEY (or AUTHY_BASE_URL / AUTHY_API_KEY)\n");
        return 2;
    }
    const authy::Client client = authy::ClientBuilder(key).base_url(url).timeout(10s).build();
#if defined(__cpp_lib_jthread)
    with_stop_token(client);
    const char *name = "test_cancel_cxx20";
#else
    const char *name = "test_cancel";
#endif
    with_cancel(client);
    std::printf("%s: %d passed, %d failed\n", name, passed, failed);
    return failed == 0 ? 0 : 1;
}
