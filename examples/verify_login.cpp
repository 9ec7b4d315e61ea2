// verify_login.cpp — a Twilio Verify login with include/authy.hpp (authy::VerifyClient):
//
//   1. create a Verify Service (once per application)
//   2. send a code to the user's phone by SMS
//   3. the user reads it (here the sandbox's control API plays the phone)
//   4. a mistyped code is refused (Code::token_invalid), the right one approves the login
//
// Usage:  verify_login_cpp [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY; Twilio
//         credentials from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, default the sandbox's)
//
//   scripts/with-sandbox.sh ./verify_login_cpp
//
// With the real API the user reads the SMS; the control API (/sandbox/verify/code) exists only
// in the sandbox.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "authy.hpp"

using namespace std::chrono_literals;

namespace {

std::string env_or(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

int main(int argc, char **argv) {
    const std::string base_url = argc > 1 ? argv[1] : env_or("AUTHY_BASE_URL", "");
    const std::string api_key =
        argc > 2 ? argv[2] : env_or("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef");
    if (base_url.empty()) {
        std::cerr << "usage: verify_login_cpp BASE_URL [API_KEY] (or AUTHY_BASE_URL)\n";
        return 2;
    }
    try {
        const authy::VerifyClient verify =
            authy::VerifyClientBuilder(env_or("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
                                       env_or("TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd"))
                .base_url(base_url)
                .lookups_base_url(base_url)
                .timeout(10s)
                .build();

        const authy::Response service = verify.create_service("Example login");
        const std::string sid(service.get_string("/sid").value_or(""));
        std::cout << "1. service " << sid << '\n';

        const std::string phone = "+14155550123";
        const authy::Response v = verify.create_verification(sid, phone, "sms");
        std::cout << "2. code sent to " << phone << ": verification "
                  << v.get_string("/sid").value_or("?") << " is "
                  << v.get_string("/status").value_or("?") << '\n';

        // The sandbox plays the phone (control API, opened by the Authy key).
        const authy::Client control = authy::ClientBuilder(api_key).base_url(base_url).build();
        const authy::Response delivered =
            control.request("GET", "/sandbox/verify/code", {{"To", phone}, {"ServiceSid", sid}})
                .check();
        const std::string code(delivered.get_string("/code").value_or(""));
        std::cout << "3. the user reads " << code << '\n';

        const std::string wrong = code == "000000" ? "111111" : "000000";
        auto refused = verify.try_check_verification(sid, phone, wrong);
        if (refused.ok() || refused.code() != authy::Code::token_invalid) {
            std::cerr << "verify_login: a wrong code was not refused\n";
            return 1;
        }
        std::cout << "4. wrong code " << wrong << " refused (" << refused.error().name() << ")\n";

        const authy::Response approved = verify.check_verification(sid, phone, code);
        std::cout << "5. right code: " << approved.get_string("/status").value_or("?")
                  << " -> logged in\n";
        verify.delete_service(sid);
        std::cout << "verify_login: done\n";
        return 0;
    } catch (const authy::Error &e) {
        std::cerr << "verify_login: " << e.what() << '\n';
        return 1;
    }
}
