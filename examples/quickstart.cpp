// quickstart.cpp — the whole two-factor flow of examples/quickstart.c, with include/authy.hpp:
//
//   1. register a user            5. send a OneTouch (push) approval request
//   2. send a code by SMS         6. the user approves it (simulated by the sandbox)
//   3. read it from the handset   7. wait for the decision
//   4. verify the code            8. verify the signed callback Authy sent to your server
//
// Usage:  quickstart_cpp [BASE_URL [API_KEY]]     (or AUTHY_BASE_URL / AUTHY_API_KEY)
//
//   target/release/authy-sandbox --port 0 &   # prints its base URL, e.g. http://127.0.0.1:40123
//   g++ -std=c++17 examples/quickstart.cpp -o quickstart_cpp -I include -L target/release
//       -lauthy -Wl,-rpath,$PWD/target/release        (one line)
//   ./quickstart_cpp http://127.0.0.1:40123
//
// Steps 3 and 6 use the sandbox's control API (/sandbox/...) to play the user's phone; with the
// real API the user reads the SMS and taps "Approve" in the Authy app.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "authy.hpp"

using namespace std::chrono_literals;

namespace {

// A call to the sandbox control API that must succeed (any HTTP answer is a Response: check it).
authy::Response sandbox(const authy::Client &client, std::string_view method,
                        const std::string &path, const authy::Params &params = {}) {
    return client.request(method, path, params).check();
}

}  // namespace

int main(int argc, char **argv) {
    const char *env_url = std::getenv("AUTHY_BASE_URL");
    const char *env_key = std::getenv("AUTHY_API_KEY");
    const std::string base_url = argc > 1 ? argv[1] : env_url != nullptr ? env_url : "";
    const std::string api_key = argc > 2                ? argv[2]
                                : env_key != nullptr    ? env_key
                                                        : "sandbox-api-key-0123456789abcdef";
    if (base_url.empty()) {
        std::cerr << "usage: quickstart BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)\n";
        return 2;
    }
    std::cout << "libauthy " << authy::version() << ", API at " << base_url << "\n\n";

    try {
        // A client is built once and shared (as const) by every thread of your program.
        // Reads (statuses, app details) are retried after transient failures; calls with a side
        // effect (an SMS) only when their request provably never reached the server.
        const authy::Client client = authy::ClientBuilder(api_key)
                                         .base_url(base_url)
                                         .timeout(10s)
                                         .retries(3, 100ms, 1s)
                                         .build();

        // 0. A readiness probe: reachable, key accepted (an unhealthy API is a report).
        const authy::HealthReport health = client.health_check();
        if (!health.ok) {
            std::cerr << "quickstart: unhealthy: " << health.name() << ": " << health.message
                      << "\n";
            return 1;
        }
        std::cout << "0. healthy: application " << health.app_name.value_or("?") << " answered in "
                  << health.latency.count() << " us\n";

        // 1. Register the user: e-mail, phone, country code.
        const std::string authy_id(
            client.create_user("alice@example.com", "555-867-5309", {{"country_code", "1"}})
                .user_id()
                .value());
        std::cout << "1. registered alice@example.com, +1 555-867-5309 -> Authy id " << authy_id
                  << "\n";

        // 2. Send a code by SMS (force: even if the user has the Authy app).
        const authy::Response sms = client.request_sms(authy_id, {{"force", "true"}});
        std::cout << "2. SMS sent to " << sms.cellphone().value_or("?") << "\n";

        // 3. The user reads the code on the phone (here: the sandbox's handset).
        const std::string code(
            sandbox(client, "GET", "/sandbox/users/" + authy_id + "/last_code")
                .get_string("/code")
                .value_or(""));
        std::cout << "3. the user types the code " << code << "\n";

        // 4. Verify it. Only a return means valid: a wrong code throws Code::token_invalid.
        try {
            client.verify_token(authy_id, "0000001");
            std::cerr << "quickstart: verify_token accepted a wrong code\n";
            return 1;
        } catch (const authy::Error &e) {
            if (e.code() != authy::Code::token_invalid) throw;
            std::cout << "4. a wrong code is refused: " << e.name() << " (Authy "
                      << e.authy_code().value_or("-") << ")\n";
        }
        const authy::Response valid = client.verify_token(authy_id, code);
        std::cout << "   the right code is accepted: " << valid.message().value_or("") << "\n";

        // Where the sandbox sends OneTouch callbacks (with the real API: set in the Twilio
        // console). Nothing needs to listen there: the sandbox records every callback it sends.
        const char *env_callback = std::getenv("AUTHY_CALLBACK_URL");
        const std::string callback_url =
            env_callback != nullptr ? env_callback : "http://127.0.0.1:9/authy/callback";
        sandbox(client, "POST", "/sandbox/config",
                {{"callback_url", callback_url}, {"callback_method", "POST"}});

        // 5. Ask for approval on the user's phone, with details shown in the app.
        authy::Params details;
        details.set("details[Location]", "Paris, France")
            .set("details[Browser]", "Firefox")
            .set("hidden_details[session]", "s-1234")
            .set("seconds_to_expire", 300);
        const std::string uuid(
            client.create_approval_request(authy_id, "Log in to Example?", details)
                .approval_uuid()
                .value());
        std::cout << "5. OneTouch request " << uuid << " sent\n";

        // 6. The user taps "Approve" (here: the sandbox).
        sandbox(client, "POST", "/sandbox/approval_requests/" + uuid + "/approve");
        std::cout << "6. the user approves it on the phone\n";

        // 7. Wait for the decision (poll every 500 ms, at most 30 s).
        const authy::Approval decision = client.wait_for_approval(uuid, 30s, 500ms);
        std::cout << "7. decision: " << decision.response.approval_status().value_or("?") << "\n";
        if (decision.status != authy::WaitStatus::approved) {
            std::cerr << "quickstart: the request was not approved ("
                      << authy::to_string(decision.status) << ")\n";
            return 1;
        }

        // 8. Authy also called the callback URL. Your web handler verifies the signature
        //    before trusting the body: here we take what the sandbox sent from its record.
        const authy::Response sent = sandbox(client, "GET", "/sandbox/callbacks");
        std::string body, nonce, signature;
        for (int i = 0;; i++) {
            const std::string at = "/callbacks/" + std::to_string(i);
            const auto b = sent.get_string(at + "/body");
            if (!b) break;
            body = *b;
            nonce = sent.get_string(at + "/headers/X-Authy-Signature-Nonce").value_or("");
            signature = sent.get_string(at + "/headers/X-Authy-Signature").value_or("");
        }
        if (body.empty()) {
            std::cerr << "quickstart: no callback was recorded\n";
            return 1;
        }
        // The URL as configured (a query string would be ignored); 300 s replay window. Read
        // status and uuid from the verified parameters, not from your own parse of the body.
        const authy::VerifiedCallback callback =
            authy::verify_callback(api_key, "POST", callback_url, nonce, signature, body, 300s);
        std::cout << "8. callback signature " << signature << " is authentic (nonce " << nonce
                  << "): " << callback.status().value_or("?") << " for "
                  << callback.uuid().value_or("?") << "\n";
    } catch (const authy::Error &e) {
        std::cerr << "quickstart: " << e.what();
        // request_sent() false: nothing reached the server, the call may safely be repeated.
        std::cerr << " [attempts " << e.attempts() << ", request "
                  << (e.request_sent() ? "may have been sent" : "not sent") << "]";
        if (e.authy_code()) {
            if (auto entry = authy::catalog_lookup(*e.authy_code())) {
                std::cerr << " — " << entry->meaning;
            }
        }
        std::cerr << "\n";
        return 1;
    }

    std::cout << "\nquickstart: done\n";
    return 0;
}
