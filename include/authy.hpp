/**
 * @file authy.hpp
 * @brief libauthy for C++17: a header-only, idiomatic layer over the C API of authy.h.
 *
 * Link exactly as for C (`-lauthy`, or `pkg-config --cflags --libs authy`); this header adds no
 * code to the library and no logic of its own beyond conversions.
 *
 * ```cpp
 * #include <authy.hpp>
 * authy::Client client = authy::ClientBuilder(api_key).base_url(url).build();
 * authy::Response user = client.create_user("alice@example.com", "555-867-5309",
 *                                           {{"country_code", "1"}});
 * std::string id(*user.user_id());
 * client.request_sms(id, {{"force", "true"}});
 * try {
 *     client.verify_token(id, code_the_user_typed);          // returns only for a valid token
 * } catch (const authy::Error &e) {                          // e.code() == Code::token_invalid, ...
 *     std::cerr << e.what() << '\n';
 * }
 * ```
 *
 * Conventions (what differs from the C API):
 *
 * - **Errors.** Every failure of the C API becomes an authy::Error exception (derived from
 *   std::runtime_error) carrying the result code (authy::Code), its name
 *   (`"AUTHY_RESULT_TOKEN_INVALID"`), the HTTP status, the Authy `error_code`, the message, the
 *   raw body of the answer, and what happened on the wire: `attempts()`, `request_sent()` (may
 *   the request have reached the server? `false` means a side effect such as an SMS cannot
 *   have happened) and `retry_after()` (`std::chrono::milliseconds`, the `Retry-After` of a
 *   429 / 503). Transport codes: Code::connect_timeout (nothing sent), Code::timeout (after
 *   sending), Code::no_response (closed before any answer), Code::truncated (answer cut off). Endpoints fail closed as in C: a method returns only for a successful
 *   answer, so `verify_token()` returning means the token is valid; a wrong token throws
 *   `Code::token_invalid`. Each throwing method `x()` has a non-throwing twin `try_x()` returning
 *   an authy::Result<T> (the value or an authy::ErrorInfo with the same details). With
 *   `-fno-exceptions` (or `AUTHY_HPP_EXCEPTIONS` defined to 0) only the `try_` API is compiled.
 *   authy::Code is a `std::error_code` enum (category authy::error_category()).
 * - **Twilio Verify v2 / Lookup v2.** authy::VerifyClientBuilder (the same network setters as
 *   ClientBuilder, from detail::BuilderBase) builds an authy::VerifyClient; lists are
 *   authy::Pages. Its errors carry Twilio's code (`api_code()`, `more_info()`); a wrong code is
 *   Code::token_invalid, never a successful result.
 * - **Deferred setter errors.** Fluent setters (ClientBuilder, Params) never throw: the first
 *   failure is kept and reported by the call that uses the object (`build()`, or the endpoint
 *   given those Params) before any I/O. `error()` shows it earlier.
 * - **Strings in** are `std::string_view`; they are copied into NUL-terminated strings for the C
 *   call. A view that contains a NUL byte is refused with `Code::invalid_argument` (it would be
 *   silently truncated otherwise).
 * - **Ownership.** Client, Response, Params, VerifiedCallback and ClientBuilder own their C
 *   handle through a `std::unique_ptr` with a `noexcept` deleter: move-only, freed exactly once
 *   by their destructor. A moved-from object is empty: its accessors return empty values and a
 *   call through a moved-from Client fails with `Code::null_argument`. `native()` gives the C
 *   handle for interop (still owned by the C++ object).
 * - **Borrowed views.** `std::string_view`s returned by Response and VerifiedCallback point
 *   into their C handle: they stay valid, unchanged, until the object that owns the handle is
 *   destroyed. Moving the object does not invalidate them (the handle moves, the strings do
 *   not). Copy into a `std::string` to keep one longer. The views of authy::Error point into
 *   its own copy of the details; those of authy::version(), authy::name(), authy::describe()
 *   and catalog_lookup() are static.
 * - **Threads.** A `const Client &` may be used by any number of threads at once (one connection
 *   pool); a const Response or VerifiedCallback may be read concurrently. ClientBuilder and
 *   Params need one thread at a time while they are modified.
 * - **Blocking.** Every Client method blocks its thread until the answer, an error or a timeout
 *   (builder: connect 5 s, overall 15 s by default; per call: Client::with_timeout()).
 * - **Cancelling.** `authy::Cancel token; client.with_cancel(token).verify_token(...)`:
 *   `token.cancel()` from another thread stops the call within milliseconds (Code::cancelled;
 *   `request_sent()` says whether the request may have reached the server). With C++20,
 *   authy::CancelOnStop binds a `std::stop_token` (a `std::jthread`'s) to a token.
 * - **Retries** are opt-in: `ClientBuilder::retries(3, 50ms, 1s)`; reads are retried after
 *   transient failures, calls with a side effect only when nothing was sent.
 * - **Network options.** `ClientBuilder::platform_roots()` / `tls_roots(TlsRoots::platform)`
 *   trusts the system's store instead of the bundled roots; `proxy_from_env()` reads
 *   `https_proxy` / `http_proxy` / `all_proxy` / `no_proxy` at build() (never `HTTP_PROXY`).
 * - **Health check.** `client.health_check()` returns an authy::HealthReport value (`ok`,
 *   `code`, `name()`, `latency`, `tls`, `message`, `app_name`, `error()`); an unhealthy API is a
 *   report, not an exception.
 */
#ifndef AUTHY_HPP
#define AUTHY_HPP

#include "authy.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#if __cplusplus >= 202002L && defined(__has_include)
#if __has_include(<stop_token>)
#include <stop_token>
#endif
#endif

/** 1 when the throwing API (authy::Error, `x()` methods) is compiled, 0 under
 *  `-fno-exceptions`. Define it to 0 yourself to use only the `try_` API. */
#if !defined(AUTHY_HPP_EXCEPTIONS)
#if defined(__cpp_exceptions)
#define AUTHY_HPP_EXCEPTIONS 1
#else
#define AUTHY_HPP_EXCEPTIONS 0
#endif
#endif

#if AUTHY_HPP_EXCEPTIONS
#include <stdexcept>
#endif

namespace authy {

// ------------------------------------------------------------------------------------------
// Result codes
// ------------------------------------------------------------------------------------------

/** The result codes of authy.h (`AUTHY_RESULT_*`), same numbers. Later library versions may
 *  return numbers not listed here: name() and describe() handle any value.
 *
 *  Transport codes tell whether the request may have reached the server: `connect`, `dns`,
 *  `tls`, `connect_timeout` (a timeout before the request was sent) mean it did not; `timeout`
 *  (after it was sent), `no_response` (closed or reset before any byte of the answer) and
 *  `truncated` (the answer was cut off) mean it may have (see ErrorInfo::request_sent);
 *  `cancelled` (authy::Cancel) tells it through ErrorInfo::request_sent. */
enum class Code : std::uint32_t {
    ok = AUTHY_RESULT_OK,
    invalid_argument = AUTHY_RESULT_INVALID_ARGUMENT,
    null_argument = AUTHY_RESULT_NULL_ARGUMENT,
    invalid_utf8 = AUTHY_RESULT_INVALID_UTF8,
    error_slot_in_use = AUTHY_RESULT_ERROR_SLOT_IN_USE,
    connect = AUTHY_RESULT_CONNECT,
    dns = AUTHY_RESULT_DNS,
    tls = AUTHY_RESULT_TLS,
    timeout = AUTHY_RESULT_TIMEOUT,
    io = AUTHY_RESULT_IO,
    connect_timeout = AUTHY_RESULT_CONNECT_TIMEOUT,
    no_response = AUTHY_RESULT_NO_RESPONSE,
    truncated = AUTHY_RESULT_TRUNCATED,
    cancelled = AUTHY_RESULT_CANCELLED,
    unauthorized = AUTHY_RESULT_UNAUTHORIZED,
    rate_limited = AUTHY_RESULT_RATE_LIMITED,
    not_found = AUTHY_RESULT_NOT_FOUND,
    invalid_parameters = AUTHY_RESULT_INVALID_PARAMETERS,
    conflict = AUTHY_RESULT_CONFLICT,
    server_error = AUTHY_RESULT_SERVER_ERROR,
    api_error = AUTHY_RESULT_API_ERROR,
    token_invalid = AUTHY_RESULT_TOKEN_INVALID,
    decode = AUTHY_RESULT_DECODE,
    no_value = AUTHY_RESULT_NO_VALUE,
    internal = AUTHY_RESULT_INTERNAL,
    panic = AUTHY_RESULT_PANIC,
    signature_invalid = AUTHY_RESULT_SIGNATURE_INVALID,
};

/** The C name of a code, e.g. `"AUTHY_RESULT_TIMEOUT"` (static). */
inline std::string_view name(Code code) noexcept {
    return authy_result_name(static_cast<std::uint32_t>(code));
}

/** A short English description of a code, e.g. `"timed out"` (static). */
inline std::string_view describe(Code code) noexcept {
    return authy_result_str(static_cast<std::uint32_t>(code));
}

namespace detail {
class Category final : public std::error_category {
public:
    const char *name() const noexcept override { return "authy"; }
    std::string message(int value) const override {
        return authy_result_str(static_cast<std::uint32_t>(value));
    }
};
}  // namespace detail

/** The `std::error_category` of authy::Code (name `"authy"`). */
inline const std::error_category &error_category() noexcept {
    static const detail::Category category;
    return category;
}

/** Makes `std::error_code ec = authy::Code::timeout;` work (found by ADL). */
inline std::error_code make_error_code(Code code) noexcept {
    return {static_cast<int>(code), error_category()};
}

}  // namespace authy

namespace std {
template <>
struct is_error_code_enum<authy::Code> : true_type {};
}  // namespace std

namespace authy {

// ------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------

/** The details of a failure: what authy::Error carries and authy::Result holds. A plain value
 *  (copies its strings out of the C error). A default-constructed one means "no error". */
struct ErrorInfo {
    Code code = Code::ok;
    /** Human-readable English message; never contains the API key. */
    std::string message;
    /** HTTP status of the API answer, 0 when the failure is not an answer (argument,
     *  transport, decoding). */
    std::uint16_t http_status = 0;
    /** The API's error code of the answer: Authy `error_code`, e.g. `"60020"` (see
     *  catalog_lookup()), or Twilio `code` for a VerifyClient, e.g. `"20404"`. */
    std::optional<std::string> authy_code;
    /** Twilio's `more_info` URL (VerifyClient answers); empty for Authy. */
    std::optional<std::string> more_info;
    /** The API the code belongs to: `"Authy"`, or `"Twilio"` for a VerifyClient. */
    std::string_view api = "Authy";
    /** The raw body of an unsuccessful API answer (JSON text). */
    std::optional<std::string> body;
    /** Attempts the call made: 0 when refused before any I/O, 1 without a retry, more after a
     *  stale-connection resend or ClientBuilder::retries(). */
    std::uint32_t attempts = 0;
    /** Whether the request may have reached the server in one of its attempts. `false`: it
     *  provably did not (a side effect such as an SMS cannot have happened; the call may be
     *  repeated). */
    bool request_sent = false;
    /** The `Retry-After` of a 429 / 503 answer; 0 when there was none. */
    std::chrono::milliseconds retry_after{0};

    /** The C name of the code, e.g. `"AUTHY_RESULT_TOKEN_INVALID"`. */
    std::string_view name() const noexcept { return authy::name(code); }
    std::error_code error_code() const noexcept { return make_error_code(code); }
    /** 2xx: no complete answer arrived (connect, DNS, TLS, timeouts, I/O, no response,
     *  truncated). */
    bool is_transport() const noexcept {
        const auto n = static_cast<std::uint32_t>(code);
        return n >= 200 && n < 300;
    }
    /** 3xx: the API answered unsuccessfully (details in http_status, authy_code, body). */
    bool is_api() const noexcept {
        const auto n = static_cast<std::uint32_t>(code);
        return n >= 300 && n < 400;
    }
    /** `"AUTHY_RESULT_TOKEN_INVALID: Token is invalid (HTTP 401, Authy error 60020)"`. */
    std::string to_string() const {
        std::string s(name());
        s += ": ";
        s += message;
        if (http_status != 0 || authy_code) {
            s += " (";
            if (http_status != 0) s += "HTTP " + std::to_string(http_status);
            if (http_status != 0 && authy_code) s += ", ";
            if (authy_code) s += std::string(api) + " error " + *authy_code;
            s += ")";
        }
        return s;
    }
};

#if AUTHY_HPP_EXCEPTIONS
/** Thrown by every throwing method for any failure. `what()` is ErrorInfo::to_string().
 *  Copying never throws (the details are shared). */
class Error : public std::runtime_error {
public:
    explicit Error(ErrorInfo info)
        : std::runtime_error(info.to_string()),
          info_(std::make_shared<const ErrorInfo>(std::move(info))) {}

    const ErrorInfo &info() const noexcept { return *info_; }
    Code code() const noexcept { return info_->code; }
    std::string_view name() const noexcept { return info_->name(); }
    std::string_view message() const noexcept { return info_->message; }
    std::uint16_t http_status() const noexcept { return info_->http_status; }
    std::optional<std::string_view> authy_code() const noexcept {
        if (!info_->authy_code) return std::nullopt;
        return std::string_view(*info_->authy_code);
    }
    std::optional<std::string_view> body() const noexcept {
        if (!info_->body) return std::nullopt;
        return std::string_view(*info_->body);
    }
    /** The API's error code (same as authy_code(); for a VerifyClient, Twilio's). */
    std::optional<std::string_view> api_code() const noexcept { return authy_code(); }
    /** Twilio's `more_info` URL. */
    std::optional<std::string_view> more_info() const noexcept {
        if (!info_->more_info) return std::nullopt;
        return std::string_view(*info_->more_info);
    }
    std::error_code error_code() const noexcept { return info_->error_code(); }
    /** See ErrorInfo::attempts. */
    std::uint32_t attempts() const noexcept { return info_->attempts; }
    /** See ErrorInfo::request_sent: may the request have reached the server? */
    bool request_sent() const noexcept { return info_->request_sent; }
    /** See ErrorInfo::retry_after (0 when the answer had no `Retry-After`). */
    std::chrono::milliseconds retry_after() const noexcept { return info_->retry_after; }

private:
    std::shared_ptr<const ErrorInfo> info_;
};
#endif

namespace detail {

struct ErrorDeleter {
    void operator()(authy_error *p) const noexcept { authy_error_free(p); }
};
struct BuilderDeleter {
    void operator()(authy_client_builder *p) const noexcept { authy_client_builder_free(p); }
};
struct ClientDeleter {
    void operator()(const authy_client *p) const noexcept { authy_client_free(p); }
};
struct ParamsDeleter {
    void operator()(authy_params *p) const noexcept { authy_params_free(p); }
};
struct ResponseDeleter {
    void operator()(authy_response *p) const noexcept { authy_response_free(p); }
};
struct CallbackDeleter {
    void operator()(authy_callback *p) const noexcept { authy_callback_free(p); }
};
struct CancelDeleter {
    void operator()(authy_cancel *p) const noexcept { authy_cancel_free(p); }
};
struct VerifyClientDeleter {
    void operator()(const authy_verify_client *p) const noexcept { authy_verify_client_free(p); }
};
struct PagesDeleter {
    void operator()(authy_pages *p) const noexcept { authy_pages_free(p); }
};
struct HealthDeleter {
    void operator()(authy_health *p) const noexcept { authy_health_free(p); }
};
using ErrorPtr = std::unique_ptr<authy_error, ErrorDeleter>;
using BuilderPtr = std::unique_ptr<authy_client_builder, BuilderDeleter>;
using ClientPtr = std::unique_ptr<const authy_client, ClientDeleter>;
using ParamsPtr = std::unique_ptr<authy_params, ParamsDeleter>;
using ResponsePtr = std::unique_ptr<authy_response, ResponseDeleter>;
using CallbackPtr = std::unique_ptr<authy_callback, CallbackDeleter>;
using HealthPtr = std::unique_ptr<authy_health, HealthDeleter>;
using CancelPtr = std::unique_ptr<authy_cancel, CancelDeleter>;
using VerifyClientPtr = std::unique_ptr<const authy_verify_client, VerifyClientDeleter>;
using PagesPtr = std::unique_ptr<authy_pages, PagesDeleter>;

/** Copies a C error (and frees it) into an ErrorInfo. */
inline ErrorInfo from_c(authy_result rc, authy_error *raw) {
    const ErrorPtr err(raw);
    ErrorInfo info;
    info.code = static_cast<Code>(rc);
    const char *message = err ? authy_error_message(err.get()) : nullptr;
    info.message = message != nullptr ? message : authy_result_str(rc);
    info.http_status = err ? authy_error_http_status(err.get()) : 0;
    if (const char *code = err ? authy_error_api_code(err.get()) : nullptr) info.authy_code = code;
    if (const char *more = err ? authy_error_more_info(err.get()) : nullptr) info.more_info = more;
    if (const char *body = err ? authy_error_body(err.get()) : nullptr) info.body = body;
    info.attempts = authy_error_attempts(err.get());
    info.request_sent = authy_error_request_sent(err.get());
    const std::uint64_t retry_ms = authy_error_retry_after_ms(err.get());
    using Rep = std::chrono::milliseconds::rep;
    const auto max_ms = static_cast<std::uint64_t>(std::chrono::milliseconds::max().count());
    info.retry_after = std::chrono::milliseconds(static_cast<Rep>(retry_ms > max_ms ? max_ms : retry_ms));
    return info;
}

inline ErrorInfo local_error(Code code, std::string message) {
    ErrorInfo info;
    info.code = code;
    info.message = std::move(message);
    return info;
}

/** Refuses string arguments the C API would silently truncate. */
inline std::optional<ErrorInfo> check_text(std::initializer_list<std::string_view> texts) {
    for (std::string_view t : texts) {
        if (t.find('\0') != std::string_view::npos) {
            return local_error(Code::invalid_argument,
                               "a string argument contains a NUL byte (libauthy takes "
                               "NUL-terminated strings)");
        }
    }
    return std::nullopt;
}

inline std::optional<std::string_view> opt(const char *s) noexcept {
    if (s == nullptr) return std::nullopt;
    return std::string_view(s);
}

inline const ErrorInfo &no_error() noexcept {
    static const ErrorInfo none;
    return none;
}

/** What Result::value() does on an error: throw authy::Error, or abort without exceptions. */
[[noreturn]] inline void fail(const ErrorInfo &info) {
#if AUTHY_HPP_EXCEPTIONS
    throw Error(info);
#else
    std::fprintf(stderr, "authy: Result::value() called on an error: %s\n",
                 info.to_string().c_str());
    std::abort();
#endif
}

}  // namespace detail

/**
 * The value of a `try_` call, or the ErrorInfo of its failure.
 *
 * `if (auto r = client.try_app_details()) use(r->body()); else log(r.error().to_string());`
 * value(), `*` and `->` on an error throw authy::Error (with exceptions) or call std::abort()
 * (without): test ok() first.
 */
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(ErrorInfo error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T &value() & {
        check();
        return *std::get_if<0>(&v_);
    }
    const T &value() const & {
        check();
        return *std::get_if<0>(&v_);
    }
    T &&value() && {
        check();
        return std::move(*std::get_if<0>(&v_));
    }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    /** The value, or `fallback` on an error. */
    template <class U>
    T value_or(U &&fallback) && {
        if (ok()) return std::move(*std::get_if<0>(&v_));
        return static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U &&fallback) const & {
        if (ok()) return *std::get_if<0>(&v_);
        return static_cast<T>(std::forward<U>(fallback));
    }

    /** The failure; a default ErrorInfo (Code::ok) when ok(). */
    const ErrorInfo &error() const noexcept {
        const ErrorInfo *e = std::get_if<1>(&v_);
        return e != nullptr ? *e : detail::no_error();
    }
    Code code() const noexcept { return error().code; }
    /** Empty (false) when ok(). */
    std::error_code error_code() const noexcept { return error().error_code(); }

private:
    void check() const {
        if (const ErrorInfo *e = std::get_if<1>(&v_)) detail::fail(*e);
    }
    std::variant<T, ErrorInfo> v_;
};

// ------------------------------------------------------------------------------------------
// Version, catalog
// ------------------------------------------------------------------------------------------

/** The library's version, e.g. `"0.1.0"` (static). */
inline std::string_view version() noexcept { return authy_version(); }
/** The library's version as `MAJOR * 10000 + MINOR * 100 + PATCH`. */
inline std::uint32_t version_number() noexcept { return authy_version_number(); }
/** Whether the library loaded at run time is the version this header describes. */
inline bool version_matches() noexcept { return authy_version_number() == AUTHY_VERSION_NUMBER; }

/** An entry of the offline catalog of Authy error codes. */
struct CatalogEntry {
    /** Short English meaning, e.g. `"User not found"` (static). */
    std::string_view meaning;
    /** HTTP status the API answers with for this code; 0 when no source records one. */
    std::uint16_t http_status = 0;
};

/** Looks up an Authy error code (e.g. 60026); nullopt when unknown. No I/O. */
inline std::optional<CatalogEntry> catalog_lookup(std::uint32_t code) noexcept {
    const char *meaning = nullptr;
    std::uint16_t status = 0;
    if (authy_catalog_lookup(code, &meaning, &status, nullptr) != AUTHY_RESULT_OK ||
        meaning == nullptr) {
        return std::nullopt;
    }
    return CatalogEntry{meaning, status};
}

/** Same, for the text form found in ErrorInfo::authy_code (e.g. `"60026"`); nullopt when it is
 *  not a number or unknown. */
inline std::optional<CatalogEntry> catalog_lookup(std::string_view code) noexcept {
    if (code.empty()) return std::nullopt;
    std::uint32_t n = 0;
    const char *end = code.data() + code.size();
    const auto parsed = std::from_chars(code.data(), end, n);
    if (parsed.ec != std::errc() || parsed.ptr != end) return std::nullopt;
    return catalog_lookup(n);
}

// ------------------------------------------------------------------------------------------
// Params
// ------------------------------------------------------------------------------------------

/**
 * Optional arguments of an endpoint (`force`, `action`, `details[Location]`, `logos[][res]`,
 * ...: each Client method lists the keys it accepts; unknown keys are refused before any I/O),
 * or the parameters of Client::request().
 *
 * `client.request_sms(id, {{"force", "true"}, {"locale", "en"}});` or
 * `authy::Params p; p.set("details[Location]", "Paris").set("seconds_to_expire", 300);`
 *
 * set() never throws: the first failure (a malformed key, a NUL byte) is kept in error() and
 * reported by the call these Params are given to. Move-only; a filled set may be read by many
 * calls on many threads at once.
 */
class Params {
public:
    Params() noexcept = default;
    Params(std::initializer_list<std::pair<std::string_view, std::string_view>> entries) {
        for (const auto &entry : entries) set(entry.first, entry.second);
    }
    Params(Params &&) noexcept = default;
    Params &operator=(Params &&) noexcept = default;
    Params(const Params &) = delete;
    Params &operator=(const Params &) = delete;
    ~Params() = default;

    /** Sets one parameter (an existing key is replaced in place). */
    Params &set(std::string_view key, std::string_view value) {
        if (error_) return *this;
        if (auto bad = detail::check_text({key, value})) {
            error_ = std::move(bad);
            return *this;
        }
        if (!p_) p_.reset(authy_params_new());
        if (!p_) {
            error_ = detail::local_error(Code::internal, "authy_params_new failed");
            return *this;
        }
        authy_error *err = nullptr;
        const authy_result rc = authy_params_set(p_.get(), std::string(key).c_str(),
                                                 std::string(value).c_str(), &err);
        if (rc != AUTHY_RESULT_OK) error_ = detail::from_c(rc, err);
        return *this;
    }
    Params &set(std::string_view key, const char *value) {
        if (value == nullptr) {
            if (!error_) error_ = detail::local_error(Code::null_argument, "a parameter value is NULL");
            return *this;
        }
        return set(key, std::string_view(value));
    }
    /** Booleans are written `"true"` / `"false"`. */
    template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
    Params &set(std::string_view key, B value) {
        return set(key, std::string_view(value ? "true" : "false"));
    }
    /** Integers are written in decimal. */
    template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                            !std::is_same_v<I, char>,
                                        int> = 0>
    Params &set(std::string_view key, I value) {
        return set(key, std::string_view(std::to_string(value)));
    }

    /** The first failure of set(), if any. */
    const std::optional<ErrorInfo> &error() const noexcept { return error_; }
    bool ok() const noexcept { return !error_.has_value(); }
    /** The C handle (NULL while nothing was set): owned by these Params. */
    const authy_params *native() const noexcept { return p_.get(); }

private:
    detail::ParamsPtr p_;
    std::optional<ErrorInfo> error_;
};

// ------------------------------------------------------------------------------------------
// Response
// ------------------------------------------------------------------------------------------

/**
 * One answer of the API: status, raw body, parsed JSON. Move-only.
 *
 * Every `std::string_view` it returns is borrowed from it: valid until this Response (or the
 * Response it was moved into) is destroyed. Accessors are const and may run concurrently.
 */
class Response {
public:
    /** Takes ownership of a C response (may be NULL: an empty Response). */
    explicit Response(authy_response *adopt) noexcept : p_(adopt) {}
    Response(Response &&) noexcept = default;
    Response &operator=(Response &&) noexcept = default;
    Response(const Response &) = delete;
    Response &operator=(const Response &) = delete;
    ~Response() = default;

    /** The HTTP status (0 for an empty Response). */
    std::uint16_t status() const noexcept { return authy_response_status(p_.get()); }
    /** The raw body as received (JSON text); empty for an empty Response. */
    std::string_view body() const noexcept {
        const char *b = authy_response_body(p_.get());
        return b != nullptr ? std::string_view(b) : std::string_view();
    }
    /** Success as the official clients define it (status 200; for a verification also
     *  `"token":"is valid"`). Always true for the answers of the endpoint methods. */
    bool ok() const noexcept { return authy_response_ok(p_.get()); }
    /** SMS / call answer: the API did not send the code (the user has the app; use `force`). */
    bool ignored() const noexcept { return authy_response_ignored(p_.get()); }
    /** Top-level `message` (or `errors.message`). */
    std::optional<std::string_view> message() const noexcept {
        return detail::opt(authy_response_message(p_.get()));
    }
    /** The Authy `error_code` of the answer. */
    std::optional<std::string_view> authy_code() const noexcept {
        return detail::opt(authy_response_authy_code(p_.get()));
    }
    /** The Authy id of a create_user or user_status answer (decimal text). */
    std::optional<std::string_view> user_id() const noexcept {
        return detail::opt(authy_response_user_id(p_.get()));
    }
    /** The uuid of a created approval request. */
    std::optional<std::string_view> approval_uuid() const noexcept {
        return detail::opt(authy_response_approval_uuid(p_.get()));
    }
    /** `"pending"`, `"approved"`, `"denied"` or `"expired"` (approval request status). */
    std::optional<std::string_view> approval_status() const noexcept {
        return detail::opt(authy_response_approval_status(p_.get()));
    }
    /** The uuid of a phone verification start answer. */
    std::optional<std::string_view> verification_uuid() const noexcept {
        return detail::opt(authy_response_verification_uuid(p_.get()));
    }
    /** The masked cellphone of an SMS or call answer. */
    std::optional<std::string_view> cellphone() const noexcept {
        return detail::opt(authy_response_cellphone(p_.get()));
    }
    /** The image URL of a QR code answer. */
    std::optional<std::string_view> qr_code() const noexcept {
        return detail::opt(authy_response_qr_code(p_.get()));
    }
    /** `seconds_to_expire` of a phone verification or approval request answer. */
    std::optional<std::uint64_t> seconds_to_expire() const noexcept {
        std::uint64_t v = 0;
        if (authy_response_seconds_to_expire(p_.get(), &v, nullptr) != AUTHY_RESULT_OK) {
            return std::nullopt;
        }
        return v;
    }

    /** The value at an RFC 6901 JSON pointer (`"/app/name"`, `"/stats/0/month"`) as text
     *  (numbers and booleans in JSON notation); nullopt when absent, null, an array or an
     *  object (or the pointer is not valid text). */
    std::optional<std::string_view> get_string(std::string_view json_pointer) const {
        if (detail::check_text({json_pointer})) return std::nullopt;
        const char *v = nullptr;
        if (authy_response_get_string(p_.get(), std::string(json_pointer).c_str(), &v, nullptr) !=
            AUTHY_RESULT_OK) {
            return std::nullopt;
        }
        return detail::opt(v);
    }
    /** An integer (JSON integer or decimal string) at a JSON pointer; nullopt otherwise. */
    std::optional<std::int64_t> get_i64(std::string_view json_pointer) const {
        if (detail::check_text({json_pointer})) return std::nullopt;
        std::int64_t v = 0;
        if (authy_response_get_i64(p_.get(), std::string(json_pointer).c_str(), &v, nullptr) !=
            AUTHY_RESULT_OK) {
            return std::nullopt;
        }
        return v;
    }
    /** A boolean (JSON or `"true"`/`"false"`) at a JSON pointer; nullopt otherwise. */
    std::optional<bool> get_bool(std::string_view json_pointer) const {
        if (detail::check_text({json_pointer})) return std::nullopt;
        bool v = false;
        if (authy_response_get_bool(p_.get(), std::string(json_pointer).c_str(), &v, nullptr) !=
            AUTHY_RESULT_OK) {
            return std::nullopt;
        }
        return v;
    }

    /** The error an unsuccessful answer corresponds to (401 → Code::unauthorized, ...), or
     *  nullopt when ok(). Useful after Client::request(). */
    std::optional<ErrorInfo> error() const {
        authy_error *err = nullptr;
        const authy_result rc = authy_response_check(p_.get(), &err);
        if (rc == AUTHY_RESULT_OK) return std::nullopt;
        return detail::from_c(rc, err);
    }
#if AUTHY_HPP_EXCEPTIONS
    /** Throws the error() of an unsuccessful answer; returns the Response otherwise. */
    const Response &check() const & {
        if (auto e = error()) throw Error(std::move(*e));
        return *this;
    }
    Response &&check() && {
        if (auto e = error()) throw Error(std::move(*e));
        return std::move(*this);
    }
#endif

    /** The C handle (owned by this Response; NULL when empty). */
    const authy_response *native() const noexcept { return p_.get(); }
    /** Gives up ownership of the C handle (free it with authy_response_free()). */
    authy_response *release() noexcept { return p_.release(); }

private:
    detail::ResponsePtr p_;
};

namespace detail {
/** The shape of every endpoint: (client, strings..., options, &out, &error). */
template <class Handle, class Fn, class... Text>
Result<Response> call_endpoint(Handle *client, Fn fn, const Params &options, Text... text) {
    if (options.error()) return *options.error();
    if (auto bad = check_text({std::string_view(text)...})) return std::move(*bad);
    authy_response *out = nullptr;
    authy_error *err = nullptr;
    const authy_result rc = fn(client, std::string(text).c_str()..., options.native(), &out, &err);
    if (rc != AUTHY_RESULT_OK) return from_c(rc, err);
    return Response(out);
}
}  // namespace detail

// ------------------------------------------------------------------------------------------
// Enumerations of the endpoints
// ------------------------------------------------------------------------------------------

/** How Client::wait_for_approval() ended. */
enum class WaitStatus : std::uint32_t {
    timed_out = AUTHY_WAIT_STATUS_TIMED_OUT,  ///< still pending when the time budget ran out
    approved = AUTHY_WAIT_STATUS_APPROVED,
    denied = AUTHY_WAIT_STATUS_DENIED,
    expired = AUTHY_WAIT_STATUS_EXPIRED,
};

inline std::string_view to_string(WaitStatus s) noexcept {
    switch (s) {
        case WaitStatus::timed_out: return "timed_out";
        case WaitStatus::approved: return "approved";
        case WaitStatus::denied: return "denied";
        case WaitStatus::expired: return "expired";
    }
    return "unknown";
}

/** The outcome of Client::wait_for_approval(): how it ended and the last status answer. */
struct Approval {
    WaitStatus status;
    Response response;
};

/** Outcome of Client::verify_token_fail_open(). The throwing method only ever returns `valid`
 *  or `accepted_api_unreachable` (anything else is an authy::Error: deny the login). */
enum class Verdict : std::uint32_t {
    invalid = AUTHY_VERDICT_INVALID,
    valid = AUTHY_VERDICT_VALID,
    /** The API was unreachable and the policy accepts the login: NOT a valid token, log it. */
    accepted_api_unreachable = AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE,
};

inline std::string_view to_string(Verdict v) noexcept {
    switch (v) {
        case Verdict::invalid: return "invalid";
        case Verdict::valid: return "valid";
        case Verdict::accepted_api_unreachable: return "accepted_api_unreachable";
    }
    return "unknown";
}

/** Which failures verify_token_fail_open() turns into Verdict::accepted_api_unreachable
 *  (`AUTHY_FAIL_OPEN_*`); combine with `|`. */
enum class FailOpen : std::uint32_t {
    never = 0,
    transport_error = AUTHY_FAIL_OPEN_TRANSPORT_ERROR,  ///< connect, DNS, timeout, I/O (not TLS)
    server_error = AUTHY_FAIL_OPEN_SERVER_ERROR,        ///< a 5xx answer without Authy error_code
    rate_limit = AUTHY_FAIL_OPEN_RATE_LIMIT,            ///< 429 / 60003: risky
    default_policy = AUTHY_FAIL_OPEN_DEFAULT,           ///< transport_error | server_error
};

constexpr FailOpen operator|(FailOpen a, FailOpen b) noexcept {
    return static_cast<FailOpen>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}

/** Trust anchors of the API's certificate (ClientBuilder::tls_roots()). */
enum class TlsRoots : std::uint32_t {
    bundled = AUTHY_TLS_ROOTS_BUNDLED,    ///< the Mozilla roots bundled in the library (default)
    platform = AUTHY_TLS_ROOTS_PLATFORM,  ///< the platform's trust store and verifier
};

// ------------------------------------------------------------------------------------------
// Health check
// ------------------------------------------------------------------------------------------

/** The outcome of Client::health_check(): a plain value (copied out of the C report). */
struct HealthReport {
    /** Reachable, TLS verified (for an https base URL), key accepted. */
    bool ok = false;
    /** Code::ok, or the stage that failed: Code::dns, connect, connect_timeout, tls, timeout,
     *  no_response, unauthorized (key refused), server_error, rate_limited, decode, ... */
    Code code = Code::ok;
    /** How long the check's call took, connection and TLS handshake included. */
    std::chrono::microseconds latency{0};
    /** The base URL is https. */
    bool tls = false;
    /** One sentence describing the outcome (never contains the API key). */
    std::string message;
    /** The application's name, when healthy. */
    std::optional<std::string> app_name;

    /** The C name of code, e.g. `"AUTHY_RESULT_UNAUTHORIZED"`. */
    std::string_view name() const noexcept { return authy::name(code); }
    explicit operator bool() const noexcept { return ok; }
    /** nullopt when healthy; else the failure as an ErrorInfo (code and message). */
    std::optional<ErrorInfo> error() const {
        if (ok) return std::nullopt;
        return detail::local_error(code, message);
    }
};

// ------------------------------------------------------------------------------------------
// Client
// ------------------------------------------------------------------------------------------

namespace detail {
/** A client derived from `from` by `fn(from, arg, &out, &error)` (with_timeout / with_cancel of
 *  either client type), owned by an `Owner`. */
template <class Owner, class Handle, class Arg>
Result<Owner> derive_client(authy_result (*fn)(const Handle *, Arg, const Handle **, authy_error **),
                            const Handle *from, Arg arg) {
    const Handle *out = nullptr;
    authy_error *err = nullptr;
    const authy_result rc = fn(from, arg, &out, &err);
    if (rc != AUTHY_RESULT_OK) return from_c(rc, err);
    return Owner::adopt(out);
}
template <class Owner, class Handle>
Result<Owner> with_timeout(authy_result (*fn)(const Handle *, std::uint64_t, const Handle **, authy_error **),
                           const Handle *from, std::chrono::milliseconds timeout) {
    if (timeout.count() < 1) {
        return local_error(Code::invalid_argument, "the per-call timeout must be at least 1 ms");
    }
    return derive_client<Owner>(fn, from, static_cast<std::uint64_t>(timeout.count()));
}
}  // namespace detail

class ClientBuilder;

/**
 * A cancellation token (authy_cancel): cancel(), from any thread, stops the calls made through
 * `client.with_cancel(token)` — a call waiting for the network returns within milliseconds with
 * Code::cancelled (its connection is shut down, never reused), later calls fail before any I/O.
 * Once cancelled it stays cancelled: use one per operation. Move-only; a `const Cancel &` may
 * be used by several threads at once (that is its purpose). Clients made with it hold their own
 * reference, so it may be destroyed before them.
 */
class Cancel {
public:
    Cancel() noexcept : p_(authy_cancel_new()) {}
    Cancel(Cancel &&) noexcept = default;
    Cancel &operator=(Cancel &&) noexcept = default;
    Cancel(const Cancel &) = delete;
    Cancel &operator=(const Cancel &) = delete;
    ~Cancel() = default;

    /** Stops the calls (idempotent; no-op on a moved-from token). Never blocks on I/O. */
    void cancel() const noexcept { (void)authy_cancel_cancel(p_.get(), nullptr); }
    /** Whether cancel() was called. */
    bool cancelled() const noexcept { return authy_cancel_is_cancelled(p_.get()); }
    /** The C handle (owned by this object; NULL after a move). */
    const authy_cancel *native() const noexcept { return p_.get(); }

private:
    detail::CancelPtr p_;
};

#if defined(__cpp_lib_jthread)
/**
 * (C++20) A Cancel that a `std::stop_token` cancels: a stop request (std::jthread's
 * request_stop(), a std::stop_source) stops the calls made through `client.with_cancel(stop)`.
 * Holds the std::stop_callback: keep it alive for the duration of the calls, e.g.
 *
 * ```cpp
 * std::jthread worker([&](std::stop_token st) {
 *     authy::CancelOnStop stop(st);
 *     client.with_cancel(stop).verify_token(id, token);   // Code::cancelled after request_stop()
 * });
 * ```
 */
class CancelOnStop : public Cancel {
public:
    explicit CancelOnStop(std::stop_token token)
        : Cancel(), callback_(std::move(token), Stopper{native()}) {}
    CancelOnStop(CancelOnStop &&) = delete;
    CancelOnStop &operator=(CancelOnStop &&) = delete;

private:
    struct Stopper {
        const authy_cancel *token;
        void operator()() const noexcept { (void)authy_cancel_cancel(token, nullptr); }
    };
    std::stop_callback<Stopper> callback_;
};
#endif

/**
 * A client of the Authy API, built by ClientBuilder. Move-only; immutable: a `const Client &`
 * may be shared by any number of threads (one keep-alive connection pool). Every method blocks
 * until the answer, an error or a timeout.
 *
 * Each endpoint `x(...)` returns the successful answer or throws authy::Error; `try_x(...)`
 * returns the same as an authy::Result. Arguments are validated before any I/O
 * (Code::invalid_argument, nothing sent). `options` takes the keys listed per method.
 */
class Client {
public:
    /** Takes ownership of a C client (e.g. one built with the C API). */
    static Client adopt(const authy_client *native) noexcept { return Client(native); }

    Client(Client &&) noexcept = default;
    Client &operator=(Client &&) noexcept = default;
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    ~Client() = default;

    /** The C handle (owned by this Client; NULL after a move). */
    const authy_client *native() const noexcept { return p_.get(); }

    // -- per-call deadline ------------------------------------------------------------------

    /** A new Client sharing this one's connection pool and settings whose overall timeout per
     *  call is `timeout` (at least 1 ms). Cheap: no I/O, no new connection. Use it for one call
     *  with a deadline: `client.with_timeout(200ms).verify_token(id, token);`. The new Client
     *  is independent: it stays valid after this one is destroyed. */
    Result<Client> try_with_timeout(std::chrono::milliseconds timeout) const {
        return detail::with_timeout<Client>(&authy_client_with_timeout_ms, p_.get(), timeout);
    }

    /** A new Client sharing this one's connection pool, settings and timeout whose calls stop
     *  when `cancel` is cancelled (see authy::Cancel). Cheap: no I/O. */
    Result<Client> try_with_cancel(const Cancel &cancel) const {
        return detail::derive_client<Client>(&authy_client_with_cancel, p_.get(), cancel.native());
    }

    // -- health ---------------------------------------------------------------------------------

    /** Checks the API key, connectivity, TLS and latency with one call without side effect
     *  (app details), for a readiness probe. **An unhealthy API is a report, not an error**:
     *  the Result fails only for a moved-from Client (Code::null_argument). Blocks (at most the
     *  client's timeout). */
    Result<HealthReport> try_health_check() const {
        authy_health *raw = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = authy_client_health_check(p_.get(), &raw, &err);
        if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
        const detail::HealthPtr h(raw);
        HealthReport report;
        report.ok = authy_health_ok(h.get());
        report.code = static_cast<Code>(authy_health_result(h.get()));
        const std::uint64_t us = authy_health_latency_us(h.get());
        using Rep = std::chrono::microseconds::rep;
        const auto max_us = static_cast<std::uint64_t>(std::chrono::microseconds::max().count());
        report.latency = std::chrono::microseconds(static_cast<Rep>(us > max_us ? max_us : us));
        report.tls = authy_health_tls(h.get());
        if (const char *m = authy_health_message(h.get())) report.message = m;
        if (const char *n = authy_health_app_name(h.get())) report.app_name = n;
        return report;
    }

    // -- application ------------------------------------------------------------------------

    /** Application details (`/app/name`, ...). No options yet. */
    Result<Response> try_app_details(const Params &options = {}) const {
        return call(&authy_client_app_details, options);
    }
    /** Monthly statistics (`/stats/0/sms_count`, ...). No options yet. */
    Result<Response> try_app_stats(const Params &options = {}) const {
        return call(&authy_client_app_stats, options);
    }

    // -- users ------------------------------------------------------------------------------

    /** Registers a user; the id is Response::user_id(). Options: `country_code` (default
     *  `"1"`), `send_install_link_via_sms`. */
    Result<Response> try_create_user(std::string_view email, std::string_view cellphone,
                                     const Params &options = {}) const {
        return call(&authy_client_create_user, options, email, cellphone);
    }
    /** A user's status (`/status/registered`, `/status/devices/0`, ...). */
    Result<Response> try_user_status(std::string_view authy_id, const Params &options = {}) const {
        return call(&authy_client_user_status, options, authy_id);
    }
    /** Removes a user from the application. */
    Result<Response> try_delete_user(std::string_view authy_id, const Params &options = {}) const {
        return call(&authy_client_delete_user, options, authy_id);
    }
    /** Changes a user's e-mail address. */
    Result<Response> try_update_user_email(std::string_view authy_id, std::string_view email,
                                           const Params &options = {}) const {
        return call(&authy_client_update_user_email, options, authy_id, email);
    }
    /** Records an activity: `password_reset`, `banned`, `unbanned`, `cookie_login`. Options:
     *  `user_ip`, `data[<key>]`. */
    Result<Response> try_register_activity(std::string_view authy_id,
                                           std::string_view activity_type,
                                           const Params &options = {}) const {
        return call(&authy_client_register_activity, options, authy_id, activity_type);
    }
    /** A QR code for authenticator apps (Response::qr_code()). Options: `qr_size`, `label`. */
    Result<Response> try_generate_qr_code(std::string_view authy_id,
                                          const Params &options = {}) const {
        return call(&authy_client_generate_qr_code, options, authy_id);
    }
    /** The no-PII registration status of a user identified by your own id. */
    Result<Response> try_registration_status(std::string_view custom_user_id,
                                             const Params &options = {}) const {
        return call(&authy_client_registration_status, options, custom_user_id);
    }

    // -- tokens -----------------------------------------------------------------------------

    /** Sends a token by SMS (Response::ignored() when the API did not). Options: `force`,
     *  `action`, `action_message`, `locale`. */
    Result<Response> try_request_sms(std::string_view authy_id, const Params &options = {}) const {
        return call(&authy_client_request_sms, options, authy_id);
    }
    /** Reads a token to the user by a voice call. Options: `force`, `action`,
     *  `action_message`. */
    Result<Response> try_request_call(std::string_view authy_id,
                                      const Params &options = {}) const {
        return call(&authy_client_request_call, options, authy_id);
    }
    /** Sends a token by e-mail. */
    Result<Response> try_request_email(std::string_view authy_id,
                                       const Params &options = {}) const {
        return call(&authy_client_request_email, options, authy_id);
    }
    /** Verifies a token (6–12 digits). Succeeds **only** for a valid token: a wrong one is
     *  Code::token_invalid (Authy 60020, or 60019 reused). Options: `force` (default true),
     *  `action`. */
    Result<Response> try_verify_token(std::string_view authy_id, std::string_view token,
                                      const Params &options = {}) const {
        return call(&authy_client_verify_token, options, authy_id, token);
    }
    /** Verifies a token with an explicit fail-open policy (opt-in). The value is
     *  Verdict::valid or Verdict::accepted_api_unreachable (accept the login, and log the
     *  latter); any failure means deny (a wrong token is Code::token_invalid). Options: those of
     *  verify_token(). */
    Result<Verdict> try_verify_token_fail_open(std::string_view authy_id, std::string_view token,
                                               FailOpen policy = FailOpen::default_policy,
                                               const Params &options = {}) const {
        if (options.error()) return *options.error();
        if (auto bad = detail::check_text({authy_id, token})) return std::move(*bad);
        authy_verdict verdict = AUTHY_VERDICT_INVALID;
        authy_error *err = nullptr;
        const authy_result rc = authy_client_verify_token_fail_open(
            p_.get(), std::string(authy_id).c_str(), std::string(token).c_str(),
            options.native(), static_cast<std::uint32_t>(policy), &verdict, &err);
        if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
        return static_cast<Verdict>(verdict);
    }

    // -- OneTouch ---------------------------------------------------------------------------

    /** Sends a push approval request (Response::approval_uuid()). Options: `details[<key>]`,
     *  `hidden_details[<key>]`, `logos[][res]` + `logos[][url]`, `seconds_to_expire`. */
    Result<Response> try_create_approval_request(std::string_view authy_id,
                                                 std::string_view message,
                                                 const Params &options = {}) const {
        return call(&authy_client_create_approval_request, options, authy_id, message);
    }
    /** The status of an approval request (Response::approval_status()). */
    Result<Response> try_approval_request_status(std::string_view uuid,
                                                 const Params &options = {}) const {
        return call(&authy_client_approval_request_status, options, uuid);
    }
    /** Polls an approval request every `interval` (at least 10 ms: a shorter one is refused with Code::invalid_argument) until it
     *  is decided or expires, or `timeout` runs out (WaitStatus::timed_out, not an error;
     *  clamped to 24 h). Blocks for up to `timeout` plus one request. */
    Result<Approval> try_wait_for_approval(
        std::string_view uuid, std::chrono::milliseconds timeout = std::chrono::seconds(60),
        std::chrono::milliseconds interval = std::chrono::seconds(2)) const {
        if (timeout.count() < 0 || interval.count() < 0) {
            return detail::local_error(Code::invalid_argument,
                                       "wait_for_approval: negative timeout or interval");
        }
        Params options;
        options.set("timeout_ms", timeout.count()).set("interval_ms", interval.count());
        return try_wait_for_approval(uuid, options);
    }
    /** Same, with the C options `timeout_ms` and `interval_ms`. */
    Result<Approval> try_wait_for_approval(std::string_view uuid, const Params &options) const {
        if (options.error()) return *options.error();
        if (auto bad = detail::check_text({uuid})) return std::move(*bad);
        authy_wait_status status = AUTHY_WAIT_STATUS_TIMED_OUT;
        authy_response *out = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = authy_client_wait_for_approval(
            p_.get(), std::string(uuid).c_str(), options.native(), &status, &out, &err);
        if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
        return Approval{static_cast<WaitStatus>(status), Response(out)};
    }

    // -- phone verification and intelligence ------------------------------------------------

    /** Starts a phone verification (Response::verification_uuid()). Options: `via` (`sms`,
     *  `call`), `locale`, `code_length`, `custom_message`, `custom_code`. */
    Result<Response> try_start_phone_verification(std::string_view country_code,
                                                  std::string_view phone_number,
                                                  const Params &options = {}) const {
        return call(&authy_client_start_phone_verification, options, country_code, phone_number);
    }
    /** Checks the code of a phone verification; succeeds only for the right code (a wrong one
     *  is Code::unauthorized, Authy 60022; none pending Code::not_found, 60023). */
    Result<Response> try_check_phone_verification(std::string_view country_code,
                                                  std::string_view phone_number,
                                                  std::string_view code,
                                                  const Params &options = {}) const {
        return call(&authy_client_check_phone_verification, options, country_code, phone_number,
                    code);
    }
    /** The status of a phone verification by its uuid (`/status`: pending, verified, expired). */
    Result<Response> try_phone_verification_status(std::string_view uuid,
                                                   const Params &options = {}) const {
        return call(
            [](const authy_client *c, const char *u, const authy_params *o, authy_response **out,
               authy_error **e) {
                return authy_client_phone_verification_status(c, u, nullptr, nullptr, o, out, e);
            },
            options, uuid);
    }
    /** The status of a phone verification by country code and number. */
    Result<Response> try_phone_verification_status(std::string_view country_code,
                                                   std::string_view phone_number,
                                                   const Params &options = {}) const {
        return call(
            [](const authy_client *c, const char *cc, const char *pn, const authy_params *o,
               authy_response **out, authy_error **e) {
                return authy_client_phone_verification_status(c, nullptr, cc, pn, o, out, e);
            },
            options, country_code, phone_number);
    }
    /** Phone intelligence: `/type`, `/provider`, `/ported`. */
    Result<Response> try_phone_info(std::string_view country_code, std::string_view phone_number,
                                    const Params &options = {}) const {
        return call(&authy_client_phone_info, options, country_code, phone_number);
    }

    // -- raw --------------------------------------------------------------------------------

    /** Any path of the API (or the sandbox's `/sandbox/...`): **any** HTTP answer succeeds;
     *  inspect Response::status() / ok() / error(). `params` go to the query string for GET and
     *  DELETE, a form body otherwise. */
    Result<Response> try_request(std::string_view method, std::string_view path,
                                 const Params &params = {}) const {
        return call(&authy_client_request, params, method, path);
    }

#if AUTHY_HPP_EXCEPTIONS
    // Throwing twins of the methods above: the value, or authy::Error.
    Client with_timeout(std::chrono::milliseconds timeout) const {
        return try_with_timeout(timeout).value();
    }
    Client with_cancel(const Cancel &cancel) const { return try_with_cancel(cancel).value(); }
    HealthReport health_check() const { return try_health_check().value(); }
    Response app_details(const Params &options = {}) const {
        return try_app_details(options).value();
    }
    Response app_stats(const Params &options = {}) const { return try_app_stats(options).value(); }
    Response create_user(std::string_view email, std::string_view cellphone,
                         const Params &options = {}) const {
        return try_create_user(email, cellphone, options).value();
    }
    Response user_status(std::string_view authy_id, const Params &options = {}) const {
        return try_user_status(authy_id, options).value();
    }
    Response delete_user(std::string_view authy_id, const Params &options = {}) const {
        return try_delete_user(authy_id, options).value();
    }
    Response update_user_email(std::string_view authy_id, std::string_view email,
                               const Params &options = {}) const {
        return try_update_user_email(authy_id, email, options).value();
    }
    Response register_activity(std::string_view authy_id, std::string_view activity_type,
                               const Params &options = {}) const {
        return try_register_activity(authy_id, activity_type, options).value();
    }
    Response generate_qr_code(std::string_view authy_id, const Params &options = {}) const {
        return try_generate_qr_code(authy_id, options).value();
    }
    Response registration_status(std::string_view custom_user_id,
                                 const Params &options = {}) const {
        return try_registration_status(custom_user_id, options).value();
    }
    Response request_sms(std::string_view authy_id, const Params &options = {}) const {
        return try_request_sms(authy_id, options).value();
    }
    Response request_call(std::string_view authy_id, const Params &options = {}) const {
        return try_request_call(authy_id, options).value();
    }
    Response request_email(std::string_view authy_id, const Params &options = {}) const {
        return try_request_email(authy_id, options).value();
    }
    Response verify_token(std::string_view authy_id, std::string_view token,
                          const Params &options = {}) const {
        return try_verify_token(authy_id, token, options).value();
    }
    Verdict verify_token_fail_open(std::string_view authy_id, std::string_view token,
                                   FailOpen policy = FailOpen::default_policy,
                                   const Params &options = {}) const {
        return try_verify_token_fail_open(authy_id, token, policy, options).value();
    }
    Response create_approval_request(std::string_view authy_id, std::string_view message,
                                     const Params &options = {}) const {
        return try_create_approval_request(authy_id, message, options).value();
    }
    Response approval_request_status(std::string_view uuid, const Params &options = {}) const {
        return try_approval_request_status(uuid, options).value();
    }
    Approval wait_for_approval(std::string_view uuid,
                               std::chrono::milliseconds timeout = std::chrono::seconds(60),
                               std::chrono::milliseconds interval = std::chrono::seconds(2)) const {
        return try_wait_for_approval(uuid, timeout, interval).value();
    }
    Approval wait_for_approval(std::string_view uuid, const Params &options) const {
        return try_wait_for_approval(uuid, options).value();
    }
    Response start_phone_verification(std::string_view country_code,
                                      std::string_view phone_number,
                                      const Params &options = {}) const {
        return try_start_phone_verification(country_code, phone_number, options).value();
    }
    Response check_phone_verification(std::string_view country_code,
                                      std::string_view phone_number, std::string_view code,
                                      const Params &options = {}) const {
        return try_check_phone_verification(country_code, phone_number, code, options).value();
    }
    Response phone_verification_status(std::string_view uuid, const Params &options = {}) const {
        return try_phone_verification_status(uuid, options).value();
    }
    Response phone_verification_status(std::string_view country_code,
                                       std::string_view phone_number,
                                       const Params &options = {}) const {
        return try_phone_verification_status(country_code, phone_number, options).value();
    }
    Response phone_info(std::string_view country_code, std::string_view phone_number,
                        const Params &options = {}) const {
        return try_phone_info(country_code, phone_number, options).value();
    }
    Response request(std::string_view method, std::string_view path,
                     const Params &params = {}) const {
        return try_request(method, path, params).value();
    }
#endif

private:
    friend class ClientBuilder;
    explicit Client(const authy_client *native) noexcept : p_(native) {}

    template <class Fn, class... Text>
    Result<Response> call(Fn fn, const Params &options, Text... text) const {
        return detail::call_endpoint(p_.get(), fn, options, text...);
    }

    detail::ClientPtr p_;
};

namespace detail {
/**
 * The network options both builders share (one `authy_client_builder` in C, one set of
 * setters): ClientBuilder (Authy) and VerifyClientBuilder (Twilio Verify / Lookup). Fluent
 * setters that never throw: the first failure is kept and reported by build() / try_build()
 * (or error()). `Self` is the builder type the setters return.
 */
template <class Self>
class BuilderBase {
public:
    /** `http(s)://host[:port]` (default `https://api.authy.com`); `http://` only to loopback
     *  unless allow_insecure_http(). */
    Self &base_url(std::string_view url) {
        return text(&authy_client_builder_set_base_url, url);
    }
    /** Connection budget for the name lookup and the TCP + TLS handshake (default 5 s). */
    Self &connect_timeout(std::chrono::milliseconds value) {
        return millis(&authy_client_builder_set_connect_timeout_ms, value, "connect timeout");
    }
    /** Overall budget of a call, all its attempts together (resends, retries and the waits
     *  between them; a failover to the secondary URL starts a fresh one) (default 15 s). */
    Self &timeout(std::chrono::milliseconds value) {
        return millis(&authy_client_builder_set_timeout_ms, value, "timeout");
    }
    /** Idle keep-alive connections kept per host (default 32, at most 1024). */
    Self &max_idle_connections_per_host(std::uint32_t max_idle) {
        return apply([&](authy_error **e) {
            return authy_client_builder_set_max_idle_connections_per_host(p_.get(), max_idle, e);
        });
    }
    /** Allows `http://` to any host: the API key then travels in cleartext. */
    Self &allow_insecure_http(bool allow = true) {
        return apply([&](authy_error **e) {
            return authy_client_builder_set_allow_insecure_http(p_.get(), allow, e);
        });
    }
    /** Appended to the User-Agent (1–128 printable ASCII characters). */
    Self &user_agent_suffix(std::string_view suffix) {
        return text(&authy_client_builder_set_user_agent_suffix, suffix);
    }
    /** Trust only the certificates of this PEM bundle. */
    Self &root_ca_pem(std::string_view pem) {
        return text(&authy_client_builder_set_root_ca_pem, pem);
    }
    /** An HTTP CONNECT proxy `http://[user:password@]host:port` (the environment is never
     *  read). */
    Self &proxy(std::string_view url) { return text(&authy_client_builder_set_proxy, url); }
    /** The trust anchors (default TlsRoots::bundled); root_ca_pem() wins over it. */
    Self &tls_roots(TlsRoots which) {
        return apply([&](authy_error **e) {
            return authy_client_builder_set_tls_roots(p_.get(), static_cast<std::uint32_t>(which), e);
        });
    }
    /** Same as tls_roots(TlsRoots::platform). */
    Self &platform_roots() { return tls_roots(TlsRoots::platform); }
    /** Takes the proxy from the environment at build() (https_proxy, http_proxy, all_proxy,
     *  no_proxy, ...; never HTTP_PROXY); proxy() wins. Off by default. */
    Self &proxy_from_env(bool from_env = true) {
        return apply([&](authy_error **e) {
            return authy_client_builder_set_proxy_from_env(p_.get(), from_env, e);
        });
    }
    /** Opt-in retries (default: one attempt). `max_attempts` counts all attempts (1–10); waits
     *  double from `initial_backoff` up to `max_backoff` (at least `initial_backoff`), with
     *  jitter, all within the call's timeout. Reads (calls without a side effect, as
     *  authy_endpoint_is_read() tells) are retried after transient failures; calls with a side effect only when their request provably never
     *  reached the server. ErrorInfo::attempts / request_sent tell what happened. */
    Self &retries(std::uint32_t max_attempts,
                           std::chrono::milliseconds initial_backoff = std::chrono::milliseconds(100),
                           std::chrono::milliseconds max_backoff = std::chrono::seconds(2)) {
        if (!error_ && (initial_backoff.count() < 0 || max_backoff.count() < 0)) {
            error_ = detail::local_error(Code::invalid_argument,
                                         "retries: the backoff must not be negative");
        }
        return apply([&](authy_error **e) {
            return authy_client_builder_set_retries(
                p_.get(), max_attempts, static_cast<std::uint64_t>(initial_backoff.count()),
                static_cast<std::uint64_t>(max_backoff.count()), e);
        });
    }

    /** The error build() would report, before building: the first failure of the constructor
     *  or a setter, or else a check of the options together (a base URL that is not
     *  `http(s)://host[:port]`, `http://` to a host that is not loopback, a timeout of 0…,
     *  which the C setters leave to authy_client_builder_build()). Empty when build() would
     *  succeed. No I/O; it builds and drops a client to know. */
    std::optional<ErrorInfo> error() const {
        if (error_) return error_;
        auto built = static_cast<const Self &>(*this).try_build();
        if (built.ok()) return std::nullopt;
        return built.error();
    }

    /** The C handle (owned by this builder; NULL if the constructor failed). */
    authy_client_builder *native() noexcept { return p_.get(); }
    const authy_client_builder *native() const noexcept { return p_.get(); }

protected:
    template <class F>
    Self &apply(F &&f) {
        if (error_) return self();
        authy_error *err = nullptr;
        const authy_result rc = f(&err);
        if (rc != AUTHY_RESULT_OK) error_ = detail::from_c(rc, err);
        return self();
    }
    Self &text(authy_result (*set)(authy_client_builder *, const char *, authy_error **),
                        std::string_view value) {
        if (!error_) {
            if (auto bad = detail::check_text({value})) error_ = std::move(bad);
        }
        return apply([&](authy_error **e) { return set(p_.get(), std::string(value).c_str(), e); });
    }
    Self &millis(authy_result (*set)(authy_client_builder *, std::uint64_t, authy_error **),
                          std::chrono::milliseconds value, const char *what) {
        if (!error_ && value.count() < 1) {
            error_ = detail::local_error(Code::invalid_argument,
                                         std::string("the ") + what + " must be at least 1 ms");
        }
        return apply([&](authy_error **e) {
            return set(p_.get(), static_cast<std::uint64_t>(value.count()), e);
        });
    }

    Self &self() noexcept { return static_cast<Self &>(*this); }

    BuilderBase() = default;
    BuilderBase(BuilderBase &&) noexcept = default;
    BuilderBase &operator=(BuilderBase &&) noexcept = default;
    BuilderBase(const BuilderBase &) = delete;
    BuilderBase &operator=(const BuilderBase &) = delete;
    ~BuilderBase() = default;

    /** Starts from a C builder made by `make(..., &raw, &err)`, or keeps its error. */
    template <class Make>
    void start(Make &&make) {
        authy_client_builder *raw = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = make(&raw, &err);
        if (rc != AUTHY_RESULT_OK) {
            error_ = from_c(rc, err);
            return;
        }
        p_.reset(raw);
    }

    BuilderPtr p_;
    std::optional<ErrorInfo> error_;
};
}  // namespace detail

/**
 * The options of a Client. Fluent setters, one per `authy_client_builder_set_*` (the network
 * ones in detail::BuilderBase, shared with VerifyClientBuilder); they never
 * throw: the first failure is kept and reported by build() / try_build() (or error()).
 * Building does not consume the builder. Move-only.
 *
 * `authy::ClientBuilder(key).base_url(url).timeout(std::chrono::seconds(10)).build()`
 */
class ClientBuilder : public detail::BuilderBase<ClientBuilder> {
public:
    /** @param api_key Your Authy API key (copied; never in logs or error messages). */
    explicit ClientBuilder(std::string_view api_key) {
        if (auto bad = detail::check_text({api_key})) {
            error_ = std::move(bad);
            return;
        }
        start([&](authy_client_builder **raw, authy_error **err) {
            return authy_client_builder_new(std::string(api_key).c_str(), raw, err);
        });
    }
    /** Tried only when the primary URL cannot be connected to. */
    ClientBuilder &secondary_base_url(std::string_view url) {
        return text(&authy_client_builder_set_secondary_base_url, url);
    }
    /** Validates the options and builds a client (no I/O). */
    Result<Client> try_build() const {
        if (error_) return *error_;
        const authy_client *out = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = authy_client_builder_build(p_.get(), &out, &err);
        if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
        return Client(out);
    }
#if AUTHY_HPP_EXCEPTIONS
    /** Same; throws authy::Error. */
    Client build() const { return try_build().value(); }
#endif
};

// ------------------------------------------------------------------------------------------
// Twilio Verify v2 and Lookup v2
// ------------------------------------------------------------------------------------------

namespace detail {
/** A Verify C endpoint without options (1 to 4 strings), as call_endpoint() calls one with. */
using Vc = const authy_verify_client *;
using Text = const char *;
inline auto no_options(authy_result (*fn)(Vc, Text, authy_response **, authy_error **)) {
    return [fn](Vc c, Text a, const authy_params *, authy_response **out, authy_error **e) {
        return fn(c, a, out, e);
    };
}
inline auto no_options(authy_result (*fn)(Vc, Text, Text, authy_response **, authy_error **)) {
    return [fn](Vc c, Text a, Text b, const authy_params *, authy_response **out,
                authy_error **e) { return fn(c, a, b, out, e); };
}
inline auto no_options(authy_result (*fn)(Vc, Text, Text, Text, authy_response **,
                                          authy_error **)) {
    return [fn](Vc c, Text a, Text b, Text d, const authy_params *, authy_response **out,
                authy_error **e) { return fn(c, a, b, d, out, e); };
}
inline auto no_options(authy_result (*fn)(Vc, Text, Text, Text, Text, authy_response **,
                                          authy_error **)) {
    return [fn](Vc c, Text a, Text b, Text d, Text f, const authy_params *, authy_response **out,
                authy_error **e) { return fn(c, a, b, d, f, out, e); };
}
}  // namespace detail

/**
 * The pages of a list (authy_pages), from VerifyClient::list_services(): each next() sends one
 * request and returns one page (records under `/<meta.key>/<index>/...`, e.g.
 * `page.get_string("/services/0/sid")`), or nullopt after the last. `next_page_url` is followed
 * only on the client's base URL. Move-only; one thread at a time.
 */
class Pages {
public:
    Pages(Pages &&) noexcept = default;
    Pages &operator=(Pages &&) noexcept = default;
    Pages(const Pages &) = delete;
    Pages &operator=(const Pages &) = delete;
    ~Pages() = default;

    /** The next page; nullopt at the end (NO_VALUE); an error ends the list (Code::decode for
     *  a refused next_page_url). **Blocks.** */
    Result<std::optional<Response>> try_next() {
        authy_response *out = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = authy_pages_next(p_.get(), &out, &err);
        if (rc == AUTHY_RESULT_NO_VALUE) {
            authy_error_free(err);
            return std::optional<Response>();
        }
        if (rc != AUTHY_RESULT_OK) return twilio(detail::from_c(rc, err));
        return std::optional<Response>(Response(out));
    }
#if AUTHY_HPP_EXCEPTIONS
    /** Same; throws authy::Error. */
    std::optional<Response> next() { return try_next().value(); }
#endif
    /** The C handle (owned by this object; NULL after a move). */
    authy_pages *native() noexcept { return p_.get(); }

    /** Marks an error as Twilio's (ErrorInfo::api). */
    static ErrorInfo twilio(ErrorInfo info) {
        info.api = "Twilio";
        return info;
    }

private:
    friend class VerifyClient;
    explicit Pages(authy_pages *adopt) noexcept : p_(adopt) {}
    detail::PagesPtr p_;
};

/**
 * A client of Twilio Verify v2 and Lookup v2 (authy_verify_client), on the same transport as
 * Client. Built by VerifyClientBuilder. Move-only; a `const VerifyClient &` may be shared by any
 * number of threads. Every method blocks until the answer, an error or the timeout.
 *
 * Each `x(...)` returns the successful answer or throws authy::Error; `try_x(...)` returns an
 * authy::Result. Errors carry Twilio's code (ErrorInfo::authy_code, `api == "Twilio"`) and
 * `more_info`: Code::not_found for 20404 (nothing pending on a check), Code::rate_limited for
 * 60202 (too many checks) and 60203 (too many sends), Code::unauthorized for bad credentials
 * (20003). A wrong code is Code::token_invalid (never a successful result), the answer's body in
 * the error. `options` are the API's own parameter names (`CodeLength`, `Locale`,
 * `Totp.TimeStep`, `Fields`...), sent as given.
 */
class VerifyClient {
public:
    /** Takes ownership of a C client (e.g. one built with the C API). */
    static VerifyClient adopt(const authy_verify_client *native) noexcept {
        return VerifyClient(native);
    }
    VerifyClient(VerifyClient &&) noexcept = default;
    VerifyClient &operator=(VerifyClient &&) noexcept = default;
    VerifyClient(const VerifyClient &) = delete;
    VerifyClient &operator=(const VerifyClient &) = delete;
    ~VerifyClient() = default;

    /** The C handle (owned by this object; NULL after a move). */
    const authy_verify_client *native() const noexcept { return p_.get(); }

    /** A VerifyClient sharing this one's pool and settings whose overall timeout per call is
     *  `timeout` (at least 1 ms); lists started from it use it for each page. No I/O. */
    Result<VerifyClient> try_with_timeout(std::chrono::milliseconds timeout) const {
        return detail::with_timeout<VerifyClient>(&authy_verify_client_with_timeout_ms, p_.get(),
                                                  timeout);
    }
    /** A VerifyClient whose calls (and lists' pages) stop when `cancel` is cancelled. No I/O. */
    Result<VerifyClient> try_with_cancel(const Cancel &cancel) const {
        return detail::derive_client<VerifyClient>(&authy_verify_client_with_cancel, p_.get(),
                                                   cancel.native());
    }

    /** POST /v2/Services (201). */
    Result<Response> try_create_service(std::string_view friendly_name,
                                        const Params &options = {}) const {
        return call(&authy_verify_client_create_service, options, friendly_name);
    }
    /** GET /v2/Services/{sid}; Code::not_found (20404) for an unknown one. */
    Result<Response> try_fetch_service(std::string_view service_sid) const {
        return call(
            [](const authy_verify_client *c, const char *s, const authy_params *,
               authy_response **out, authy_error **e) {
                return authy_verify_client_fetch_service(c, s, out, e);
            },
            none(), service_sid);
    }
    /** POST /v2/Services/{sid}. */
    Result<Response> try_update_service(std::string_view service_sid,
                                        const Params &options = {}) const {
        return call(&authy_verify_client_update_service, options, service_sid);
    }
    /** DELETE /v2/Services/{sid} (204, empty body). */
    Result<Response> try_delete_service(std::string_view service_sid) const {
        return call(
            [](const authy_verify_client *c, const char *s, const authy_params *,
               authy_response **out, authy_error **e) {
                return authy_verify_client_delete_service(c, s, out, e);
            },
            none(), service_sid);
    }
    /** GET /v2/Services, `page_size` records a page (0: the API's default). No I/O yet. */
    Result<Pages> try_list_services(std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const authy_params *,
                                authy_pages **out, authy_error **e) {
            return authy_verify_client_list_services(c, page_size, out, e);
        }, none());
    }
    /** Sends a code to `to` (E.164, or an e-mail for `email`) by `channel`; 60203
     *  (Code::rate_limited) on the 6th send within 10 minutes. */
    Result<Response> try_create_verification(std::string_view service_sid, std::string_view to,
                                             std::string_view channel,
                                             const Params &options = {}) const {
        return call(&authy_verify_client_create_verification, options, service_sid, to, channel);
    }
    /** A pending verification; Code::not_found (20404) once approved, expired or canceled. */
    Result<Response> try_fetch_verification(std::string_view service_sid,
                                            std::string_view verification_sid) const {
        return call(
            [](const authy_verify_client *c, const char *s, const char *v, const authy_params *,
               authy_response **out, authy_error **e) {
                return authy_verify_client_fetch_verification(c, s, v, out, e);
            },
            none(), service_sid, verification_sid);
    }
    /** Sets the status: `"canceled"` or `"approved"`. */
    Result<Response> try_update_verification(std::string_view service_sid,
                                             std::string_view verification_sid,
                                             std::string_view status) const {
        return call(
            [](const authy_verify_client *c, const char *s, const char *v, const char *st,
               const authy_params *, authy_response **out, authy_error **e) {
                return authy_verify_client_update_verification(c, s, v, st, out, e);
            },
            none(), service_sid, verification_sid, status);
    }
    /** Checks the code sent to `to`: returns only for a right code (`status` `approved`). */
    Result<Response> try_check_verification(std::string_view service_sid, std::string_view to,
                                            std::string_view code,
                                            const Params &options = {}) const {
        return call(
            [](const authy_verify_client *c, const char *s, const char *to_, const char *code_,
               const authy_params *o, authy_response **out, authy_error **e) {
                return authy_verify_client_check_verification(c, s, to_, nullptr, code_, o, out, e);
            },
            options, service_sid, to, code);
    }
    /** The same, naming the verification by its SID (`VE...`). */
    Result<Response> try_check_verification_sid(std::string_view service_sid,
                                                std::string_view verification_sid,
                                                std::string_view code,
                                                const Params &options = {}) const {
        return call(
            [](const authy_verify_client *c, const char *s, const char *v, const char *code_,
               const authy_params *o, authy_response **out, authy_error **e) {
                return authy_verify_client_check_verification(c, s, nullptr, v, code_, o, out, e);
            },
            options, service_sid, verification_sid, code);
    }
    /** Lookup v2: an invalid number is a successful answer with `/valid` false. */
    Result<Response> try_lookup_phone_number(std::string_view number,
                                             const Params &options = {}) const {
        return call(&authy_verify_client_lookup_phone_number, options, number);
    }

    // --- Verify TOTP and Push: Entities, Factors, Challenges ------------------------------

    /** POST …/Entities (201; an existing identity is answered again). */
    Result<Response> try_create_entity(std::string_view service_sid,
                                       std::string_view identity) const {
        return call(detail::no_options(&authy_verify_client_create_entity), none(), service_sid, identity);
    }
    /** GET …/Entities/{identity}; Code::not_found (20404) for an unknown one. */
    Result<Response> try_fetch_entity(std::string_view service_sid,
                                      std::string_view identity) const {
        return call(detail::no_options(&authy_verify_client_fetch_entity), none(), service_sid, identity);
    }
    /** DELETE …/Entities/{identity} (204), with its factors and challenges. */
    Result<Response> try_delete_entity(std::string_view service_sid,
                                       std::string_view identity) const {
        return call(detail::no_options(&authy_verify_client_delete_entity), none(), service_sid, identity);
    }
    /** GET …/Entities (records under `/entities`). No I/O yet. */
    Result<Pages> try_list_entities(std::string_view service_sid,
                                    std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const authy_params *,
                                authy_pages **out, authy_error **e) {
            return authy_verify_client_list_entities(c, s, page_size, out, e);
        }, none(), service_sid);
    }
    /** POST …/Entities/{identity}/Factors (201): `factor_type` `"totp"` or `"push"`. A TOTP
     *  factor's answer carries `/binding/secret` and `/binding/uri` this once; it is
     *  `unverified` until try_verify_factor(). Options: `Config.TimeStep`, `Config.CodeLength`,
     *  `Config.Skew`, `Config.Alg`, `Binding.Secret` (move an existing secret), push ones. */
    Result<Response> try_create_factor(std::string_view service_sid, std::string_view identity,
                                       std::string_view friendly_name,
                                       std::string_view factor_type = "totp",
                                       const Params &options = {}) const {
        return call(&authy_verify_client_create_factor, options, service_sid, identity,
                    friendly_name, factor_type);
    }
    /** Verifies a new factor with its first code: returns only when `verified`; a wrong code is
     *  Code::token_invalid (the `unverified` answer in the error), too many Code::rate_limited
     *  (60310). */
    Result<Response> try_verify_factor(std::string_view service_sid, std::string_view identity,
                                       std::string_view factor_sid, std::string_view code) const {
        return call(detail::no_options(&authy_verify_client_verify_factor), none(), service_sid, identity,
                    factor_sid, code);
    }
    /** POST …/Factors/{factor_sid}: `FriendlyName`, the `Config.*` of its type. */
    Result<Response> try_update_factor(std::string_view service_sid, std::string_view identity,
                                       std::string_view factor_sid,
                                       const Params &options) const {
        return call(&authy_verify_client_update_factor, options, service_sid, identity,
                    factor_sid);
    }
    /** GET …/Factors/{factor_sid} (never the secret). */
    Result<Response> try_fetch_factor(std::string_view service_sid, std::string_view identity,
                                      std::string_view factor_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_factor), none(), service_sid, identity,
                    factor_sid);
    }
    /** DELETE …/Factors/{factor_sid} (204), with its challenges. */
    Result<Response> try_delete_factor(std::string_view service_sid, std::string_view identity,
                                       std::string_view factor_sid) const {
        return call(detail::no_options(&authy_verify_client_delete_factor), none(), service_sid, identity,
                    factor_sid);
    }
    /** GET …/Entities/{identity}/Factors (records under `/factors`). No I/O yet. */
    Result<Pages> try_list_factors(std::string_view service_sid, std::string_view identity,
                                   std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const char *i,
                                const authy_params *, authy_pages **out, authy_error **e) {
            return authy_verify_client_list_factors(c, s, i, page_size, out, e);
        }, none(), service_sid, identity);
    }
    /** POST …/Challenges for a verified factor (201). With an `AuthPayload` option (a TOTP
     *  code) returns only when `approved`; a wrong code is Code::token_invalid (the `pending`
     *  challenge in the error). Push: `Details.Message` (required), `Details.Fields` (a JSON
     *  array), `HiddenDetails` (a JSON object), `ExpirationDate`. */
    Result<Response> try_create_challenge(std::string_view service_sid, std::string_view identity,
                                          std::string_view factor_sid,
                                          const Params &options = {}) const {
        return call(&authy_verify_client_create_challenge, options, service_sid, identity,
                    factor_sid);
    }
    /** GET …/Challenges/{challenge_sid}: `/status` pending, approved, denied or expired. */
    Result<Response> try_fetch_challenge(std::string_view service_sid, std::string_view identity,
                                         std::string_view challenge_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_challenge), none(), service_sid,
                    identity, challenge_sid);
    }
    /** Answers a pending TOTP challenge with a code: returns only when `approved`; a wrong code
     *  is Code::token_invalid, too many Code::rate_limited (60308); an answered or expired one
     *  carries 60322 / 60323. */
    Result<Response> try_update_challenge(std::string_view service_sid, std::string_view identity,
                                          std::string_view challenge_sid, std::string_view code,
                                          const Params &options = {}) const {
        return call(&authy_verify_client_update_challenge, options, service_sid, identity,
                    challenge_sid, code);
    }
    /** GET …/Challenges (records under `/challenges`, newest first); `filters`: `FactorSid`,
     *  `Status`, `Order`. No I/O yet. */
    Result<Pages> try_list_challenges(std::string_view service_sid, std::string_view identity,
                                      const Params &filters = {},
                                      std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const char *i,
                                const authy_params *f, authy_pages **out, authy_error **e) {
            return authy_verify_client_list_challenges(c, s, i, f, page_size, out, e);
        }, filters, service_sid, identity);
    }

    // --- Webhooks, Rate Limits and Buckets, Attempts -----------------------------------------

    /** POST …/Webhooks (201): `event_types` comma-separated (`factor.created`,
     *  `challenge.approved`, ... or `*`); options `Status`, `Version`. The deliveries carry an
     *  X-Twilio-Signature (verify_twilio_signature()). */
    Result<Response> try_create_webhook(std::string_view service_sid,
                                        std::string_view friendly_name,
                                        std::string_view event_types,
                                        std::string_view webhook_url,
                                        const Params &options = {}) const {
        return call(&authy_verify_client_create_webhook, options, service_sid, friendly_name,
                    event_types, webhook_url);
    }
    Result<Response> try_fetch_webhook(std::string_view service_sid,
                                       std::string_view webhook_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_webhook), none(), service_sid,
                    webhook_sid);
    }
    Result<Response> try_update_webhook(std::string_view service_sid,
                                        std::string_view webhook_sid,
                                        const Params &options) const {
        return call(&authy_verify_client_update_webhook, options, service_sid, webhook_sid);
    }
    Result<Response> try_delete_webhook(std::string_view service_sid,
                                        std::string_view webhook_sid) const {
        return call(detail::no_options(&authy_verify_client_delete_webhook), none(), service_sid,
                    webhook_sid);
    }
    /** GET …/Webhooks (records under `/webhooks`). No I/O yet. */
    Result<Pages> try_list_webhooks(std::string_view service_sid,
                                    std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const authy_params *,
                                authy_pages **out, authy_error **e) {
            return authy_verify_client_list_webhooks(c, s, page_size, out, e);
        }, none(), service_sid);
    }
    /** POST …/RateLimits (201): option `Description`; a taken name carries 60208. */
    Result<Response> try_create_rate_limit(std::string_view service_sid,
                                           std::string_view unique_name,
                                           const Params &options = {}) const {
        return call(&authy_verify_client_create_rate_limit, options, service_sid, unique_name);
    }
    Result<Response> try_fetch_rate_limit(std::string_view service_sid,
                                          std::string_view rate_limit_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_rate_limit), none(),
                    service_sid, rate_limit_sid);
    }
    Result<Response> try_update_rate_limit(std::string_view service_sid,
                                           std::string_view rate_limit_sid,
                                           const Params &options) const {
        return call(&authy_verify_client_update_rate_limit, options, service_sid, rate_limit_sid);
    }
    Result<Response> try_delete_rate_limit(std::string_view service_sid,
                                           std::string_view rate_limit_sid) const {
        return call(detail::no_options(&authy_verify_client_delete_rate_limit), none(),
                    service_sid, rate_limit_sid);
    }
    /** GET …/RateLimits (records under `/rate_limits`). No I/O yet. */
    Result<Pages> try_list_rate_limits(std::string_view service_sid,
                                       std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const authy_params *,
                                authy_pages **out, authy_error **e) {
            return authy_verify_client_list_rate_limits(c, s, page_size, out, e);
        }, none(), service_sid);
    }
    /** POST …/RateLimits/{rate_limit_sid}/Buckets (201): `max` hits per `interval_seconds`. */
    Result<Response> try_create_bucket(std::string_view service_sid,
                                       std::string_view rate_limit_sid, std::uint32_t max,
                                       std::uint32_t interval_seconds) const {
        return call(
            [max, interval_seconds](const authy_verify_client *c, const char *s, const char *r,
                                    const authy_params *, authy_response **out, authy_error **e) {
                return authy_verify_client_create_bucket(c, s, r, max, interval_seconds, out, e);
            },
            none(), service_sid, rate_limit_sid);
    }
    Result<Response> try_fetch_bucket(std::string_view service_sid,
                                      std::string_view rate_limit_sid,
                                      std::string_view bucket_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_bucket), none(), service_sid,
                    rate_limit_sid, bucket_sid);
    }
    /** Options `Max`, `Interval`. */
    Result<Response> try_update_bucket(std::string_view service_sid,
                                       std::string_view rate_limit_sid,
                                       std::string_view bucket_sid, const Params &options) const {
        return call(&authy_verify_client_update_bucket, options, service_sid, rate_limit_sid,
                    bucket_sid);
    }
    Result<Response> try_delete_bucket(std::string_view service_sid,
                                       std::string_view rate_limit_sid,
                                       std::string_view bucket_sid) const {
        return call(detail::no_options(&authy_verify_client_delete_bucket), none(), service_sid,
                    rate_limit_sid, bucket_sid);
    }
    /** GET …/Buckets (records under `/buckets`). No I/O yet. */
    Result<Pages> try_list_buckets(std::string_view service_sid, std::string_view rate_limit_sid,
                                   std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const char *s, const char *r,
                                const authy_params *, authy_pages **out, authy_error **e) {
            return authy_verify_client_list_buckets(c, s, r, page_size, out, e);
        }, none(), service_sid, rate_limit_sid);
    }
    /** GET /v2/Attempts (records under `/attempts`); filters `VerifyServiceSid`,
     *  `VerificationSid`, `Channel`, `Status`, `Country`, `ChannelData.To`,
     *  `DateCreatedAfter`, `DateCreatedBefore`. No I/O yet. */
    Result<Pages> try_list_attempts(const Params &filters = {},
                                    std::uint32_t page_size = 0) const {
        return list([page_size](const authy_verify_client *c, const authy_params *f,
                                authy_pages **out, authy_error **e) {
            return authy_verify_client_list_attempts(c, f, page_size, out, e);
        }, filters);
    }
    Result<Response> try_fetch_attempt(std::string_view attempt_sid) const {
        return call(detail::no_options(&authy_verify_client_fetch_attempt), none(), attempt_sid);
    }
    /** GET /v2/Attempts/Summary: `/total_attempts`, `/total_converted`, ...; the filters of
     *  try_list_attempts() and `DestinationPrefix`. */
    Result<Response> try_attempts_summary(const Params &filters = {}) const {
        return call(&authy_verify_client_attempts_summary, filters);
    }

#if AUTHY_HPP_EXCEPTIONS
    // Throwing twins of the methods above: the value, or authy::Error.
    VerifyClient with_timeout(std::chrono::milliseconds timeout) const {
        return try_with_timeout(timeout).value();
    }
    VerifyClient with_cancel(const Cancel &cancel) const { return try_with_cancel(cancel).value(); }
    Response create_service(std::string_view friendly_name, const Params &options = {}) const {
        return try_create_service(friendly_name, options).value();
    }
    Response fetch_service(std::string_view service_sid) const {
        return try_fetch_service(service_sid).value();
    }
    Response update_service(std::string_view service_sid, const Params &options = {}) const {
        return try_update_service(service_sid, options).value();
    }
    Response delete_service(std::string_view service_sid) const {
        return try_delete_service(service_sid).value();
    }
    Pages list_services(std::uint32_t page_size = 0) const {
        return try_list_services(page_size).value();
    }
    Response create_verification(std::string_view service_sid, std::string_view to,
                                 std::string_view channel, const Params &options = {}) const {
        return try_create_verification(service_sid, to, channel, options).value();
    }
    Response fetch_verification(std::string_view service_sid,
                                std::string_view verification_sid) const {
        return try_fetch_verification(service_sid, verification_sid).value();
    }
    Response update_verification(std::string_view service_sid, std::string_view verification_sid,
                                 std::string_view status) const {
        return try_update_verification(service_sid, verification_sid, status).value();
    }
    Response check_verification(std::string_view service_sid, std::string_view to,
                                std::string_view code, const Params &options = {}) const {
        return try_check_verification(service_sid, to, code, options).value();
    }
    Response check_verification_sid(std::string_view service_sid,
                                    std::string_view verification_sid, std::string_view code,
                                    const Params &options = {}) const {
        return try_check_verification_sid(service_sid, verification_sid, code, options).value();
    }
    Response lookup_phone_number(std::string_view number, const Params &options = {}) const {
        return try_lookup_phone_number(number, options).value();
    }
    Response create_entity(std::string_view service_sid, std::string_view identity) const {
        return try_create_entity(service_sid, identity).value();
    }
    Response fetch_entity(std::string_view service_sid, std::string_view identity) const {
        return try_fetch_entity(service_sid, identity).value();
    }
    Response delete_entity(std::string_view service_sid, std::string_view identity) const {
        return try_delete_entity(service_sid, identity).value();
    }
    Pages list_entities(std::string_view service_sid, std::uint32_t page_size = 0) const {
        return try_list_entities(service_sid, page_size).value();
    }
    Response create_factor(std::string_view service_sid, std::string_view identity,
                           std::string_view friendly_name, std::string_view factor_type = "totp",
                           const Params &options = {}) const {
        return try_create_factor(service_sid, identity, friendly_name, factor_type, options)
            .value();
    }
    Response verify_factor(std::string_view service_sid, std::string_view identity,
                           std::string_view factor_sid, std::string_view code) const {
        return try_verify_factor(service_sid, identity, factor_sid, code).value();
    }
    Response update_factor(std::string_view service_sid, std::string_view identity,
                           std::string_view factor_sid, const Params &options) const {
        return try_update_factor(service_sid, identity, factor_sid, options).value();
    }
    Response fetch_factor(std::string_view service_sid, std::string_view identity,
                          std::string_view factor_sid) const {
        return try_fetch_factor(service_sid, identity, factor_sid).value();
    }
    Response delete_factor(std::string_view service_sid, std::string_view identity,
                           std::string_view factor_sid) const {
        return try_delete_factor(service_sid, identity, factor_sid).value();
    }
    Pages list_factors(std::string_view service_sid, std::string_view identity,
                       std::uint32_t page_size = 0) const {
        return try_list_factors(service_sid, identity, page_size).value();
    }
    Response create_challenge(std::string_view service_sid, std::string_view identity,
                              std::string_view factor_sid, const Params &options = {}) const {
        return try_create_challenge(service_sid, identity, factor_sid, options).value();
    }
    Response fetch_challenge(std::string_view service_sid, std::string_view identity,
                             std::string_view challenge_sid) const {
        return try_fetch_challenge(service_sid, identity, challenge_sid).value();
    }
    Response update_challenge(std::string_view service_sid, std::string_view identity,
                              std::string_view challenge_sid, std::string_view code,
                              const Params &options = {}) const {
        return try_update_challenge(service_sid, identity, challenge_sid, code, options).value();
    }
    Pages list_challenges(std::string_view service_sid, std::string_view identity,
                          const Params &filters = {}, std::uint32_t page_size = 0) const {
        return try_list_challenges(service_sid, identity, filters, page_size).value();
    }
    Response create_webhook(std::string_view service_sid, std::string_view friendly_name,
                            std::string_view event_types, std::string_view webhook_url,
                            const Params &options = {}) const {
        return try_create_webhook(service_sid, friendly_name, event_types, webhook_url, options)
            .value();
    }
    Response fetch_webhook(std::string_view service_sid, std::string_view webhook_sid) const {
        return try_fetch_webhook(service_sid, webhook_sid).value();
    }
    Response update_webhook(std::string_view service_sid, std::string_view webhook_sid,
                            const Params &options) const {
        return try_update_webhook(service_sid, webhook_sid, options).value();
    }
    Response delete_webhook(std::string_view service_sid, std::string_view webhook_sid) const {
        return try_delete_webhook(service_sid, webhook_sid).value();
    }
    Pages list_webhooks(std::string_view service_sid, std::uint32_t page_size = 0) const {
        return try_list_webhooks(service_sid, page_size).value();
    }
    Response create_rate_limit(std::string_view service_sid, std::string_view unique_name,
                               const Params &options = {}) const {
        return try_create_rate_limit(service_sid, unique_name, options).value();
    }
    Response fetch_rate_limit(std::string_view service_sid,
                              std::string_view rate_limit_sid) const {
        return try_fetch_rate_limit(service_sid, rate_limit_sid).value();
    }
    Response update_rate_limit(std::string_view service_sid, std::string_view rate_limit_sid,
                               const Params &options) const {
        return try_update_rate_limit(service_sid, rate_limit_sid, options).value();
    }
    Response delete_rate_limit(std::string_view service_sid,
                               std::string_view rate_limit_sid) const {
        return try_delete_rate_limit(service_sid, rate_limit_sid).value();
    }
    Pages list_rate_limits(std::string_view service_sid, std::uint32_t page_size = 0) const {
        return try_list_rate_limits(service_sid, page_size).value();
    }
    Response create_bucket(std::string_view service_sid, std::string_view rate_limit_sid,
                           std::uint32_t max, std::uint32_t interval_seconds) const {
        return try_create_bucket(service_sid, rate_limit_sid, max, interval_seconds).value();
    }
    Response fetch_bucket(std::string_view service_sid, std::string_view rate_limit_sid,
                          std::string_view bucket_sid) const {
        return try_fetch_bucket(service_sid, rate_limit_sid, bucket_sid).value();
    }
    Response update_bucket(std::string_view service_sid, std::string_view rate_limit_sid,
                           std::string_view bucket_sid, const Params &options) const {
        return try_update_bucket(service_sid, rate_limit_sid, bucket_sid, options).value();
    }
    Response delete_bucket(std::string_view service_sid, std::string_view rate_limit_sid,
                           std::string_view bucket_sid) const {
        return try_delete_bucket(service_sid, rate_limit_sid, bucket_sid).value();
    }
    Pages list_buckets(std::string_view service_sid, std::string_view rate_limit_sid,
                       std::uint32_t page_size = 0) const {
        return try_list_buckets(service_sid, rate_limit_sid, page_size).value();
    }
    Pages list_attempts(const Params &filters = {}, std::uint32_t page_size = 0) const {
        return try_list_attempts(filters, page_size).value();
    }
    Response fetch_attempt(std::string_view attempt_sid) const {
        return try_fetch_attempt(attempt_sid).value();
    }
    Response attempts_summary(const Params &filters = {}) const {
        return try_attempts_summary(filters).value();
    }
#endif

private:
    friend class VerifyClientBuilder;
    explicit VerifyClient(const authy_verify_client *native) noexcept : p_(native) {}

    /** The options of the calls that take none. */
    static const Params &none() noexcept {
        static const Params empty;
        return empty;
    }

    template <class Fn, class... Text>
    Result<Response> call(Fn fn, const Params &options, Text... text) const {
        Result<Response> r = detail::call_endpoint(p_.get(), fn, options, text...);
        if (r.ok()) return r;
        return Pages::twilio(r.error());
    }

    /** Starts a list: `fn(client, text..., options, &pages, &error)`. */
    template <class Fn, class... Text>
    Result<Pages> list(Fn fn, const Params &options, Text... text) const {
        if (options.error()) return Pages::twilio(*options.error());
        if (auto bad = detail::check_text({std::string_view(text)...})) {
            return Pages::twilio(std::move(*bad));
        }
        authy_pages *out = nullptr;
        authy_error *err = nullptr;
        const authy_result rc =
            fn(p_.get(), std::string(text).c_str()..., options.native(), &out, &err);
        if (rc != AUTHY_RESULT_OK) return Pages::twilio(detail::from_c(rc, err));
        return Pages(out);
    }

    detail::VerifyClientPtr p_;
};

/**
 * The options of a VerifyClient: Account SID + Auth Token, or an API key (`SK...` + secret)
 * of the account; base_url() is the Verify one (default `https://verify.twilio.com`),
 * lookups_base_url() the Lookup one; the other network setters are ClientBuilder's (one C
 * builder for both APIs). Move-only; setters never throw (see ClientBuilder).
 *
 * `authy::VerifyClientBuilder(account_sid, auth_token).base_url(url).lookups_base_url(url).build()`
 */
class VerifyClientBuilder : public detail::BuilderBase<VerifyClientBuilder> {
public:
    /** @param auth_token Copied; never in logs or error messages. */
    VerifyClientBuilder(std::string_view account_sid, std::string_view auth_token) {
        if (auto bad = detail::check_text({account_sid, auth_token})) {
            error_ = std::move(bad);
            return;
        }
        start([&](authy_client_builder **raw, authy_error **err) {
            return authy_client_builder_new_verify(std::string(account_sid).c_str(),
                                                   std::string(auth_token).c_str(), raw, err);
        });
    }
    /** An API key of the account `account_sid`. */
    static VerifyClientBuilder api_key(std::string_view api_key_sid, std::string_view secret,
                                       std::string_view account_sid) {
        VerifyClientBuilder b;
        if (auto bad = detail::check_text({api_key_sid, secret, account_sid})) {
            b.error_ = std::move(bad);
            return b;
        }
        b.start([&](authy_client_builder **raw, authy_error **err) {
            return authy_client_builder_new_verify_api_key(std::string(api_key_sid).c_str(),
                                                           std::string(secret).c_str(),
                                                           std::string(account_sid).c_str(),
                                                           raw, err);
        });
        return b;
    }
    /** The Lookup v2 base URL (default `https://lookups.twilio.com`). */
    VerifyClientBuilder &lookups_base_url(std::string_view url) {
        return text(&authy_client_builder_set_lookups_base_url, url);
    }
    /** Validates the options and builds a client (no I/O). */
    Result<VerifyClient> try_build() const {
        if (error_) return Pages::twilio(*error_);
        const authy_verify_client *out = nullptr;
        authy_error *err = nullptr;
        const authy_result rc = authy_client_builder_build_verify(p_.get(), &out, &err);
        if (rc != AUTHY_RESULT_OK) return Pages::twilio(detail::from_c(rc, err));
        return VerifyClient(out);
    }
#if AUTHY_HPP_EXCEPTIONS
    /** Same; throws authy::Error. */
    VerifyClient build() const { return try_build().value(); }
#endif

private:
    VerifyClientBuilder() = default;
};

/** Checks an `X-Twilio-Signature` offline, in constant time (authy_twilio_signature_verify):
 *  `url` is the full URL Twilio requested (query string included), `body` the raw body (`""`
 *  for a GET; JSON when `url` has `bodySHA256`). An empty Result (ok) means authentic;
 *  Code::signature_invalid (or invalid_argument) means reject. */
[[nodiscard]] inline Result<std::monostate> try_verify_twilio_signature(std::string_view auth_token,
                                                                      std::string_view url,
                                                                      std::string_view body,
                                                                      std::string_view signature) {
    if (auto bad = detail::check_text({auth_token, url, body, signature})) return Pages::twilio(*bad);
    authy_error *err = nullptr;
    const authy_result rc = authy_twilio_signature_verify(
        std::string(auth_token).c_str(), std::string(url).c_str(), std::string(body).c_str(),
        std::string(signature).c_str(), &err);
    if (rc != AUTHY_RESULT_OK) return Pages::twilio(detail::from_c(rc, err));
    return std::monostate{};
}
#if AUTHY_HPP_EXCEPTIONS
/** Same; throws authy::Error unless authentic. */
inline void verify_twilio_signature(std::string_view auth_token, std::string_view url,
                                    std::string_view body, std::string_view signature) {
    try_verify_twilio_signature(auth_token, url, body, signature).value();
}
#endif

// ------------------------------------------------------------------------------------------
// OneTouch callbacks
// ------------------------------------------------------------------------------------------

/**
 * The parameters of a OneTouch callback whose signature verified, exactly as libauthy parsed
 * them: read `status` and `uuid` here, never from your own parse of the body. Move-only; views
 * are valid until it is destroyed; const reads may run concurrently.
 */
class VerifiedCallback {
public:
    explicit VerifiedCallback(authy_callback *adopt) noexcept : p_(adopt) {}
    VerifiedCallback(VerifiedCallback &&) noexcept = default;
    VerifiedCallback &operator=(VerifiedCallback &&) noexcept = default;
    VerifiedCallback(const VerifiedCallback &) = delete;
    VerifiedCallback &operator=(const VerifiedCallback &) = delete;
    ~VerifiedCallback() = default;

    /** A parameter by JSON pointer (`"/status"`, `"/approval_request/transaction/details/
     *  Location"`) as text; nullopt when absent, an object or an array. Compare text:
     *  `status() == "approved"`. */
    std::optional<std::string_view> get(std::string_view json_pointer) const {
        if (detail::check_text({json_pointer})) return std::nullopt;
        const char *v = nullptr;
        if (authy_callback_get_string(p_.get(), std::string(json_pointer).c_str(), &v, nullptr) !=
            AUTHY_RESULT_OK) {
            return std::nullopt;
        }
        return detail::opt(v);
    }
    /** `"approved"` or `"denied"`. */
    std::optional<std::string_view> status() const { return get("/status"); }
    /** The approval request's uuid: act once per uuid (replays verify too). */
    std::optional<std::string_view> uuid() const { return get("/uuid"); }

    const authy_callback *native() const noexcept { return p_.get(); }

private:
    detail::CallbackPtr p_;
};

/**
 * Checks a OneTouch callback your web application received (offline, constant-time) and hands
 * out its verified parameters.
 *
 * @param api_key Your API key. @param method `"POST"` or `"GET"`. @param url The callback URL
 * as configured (public scheme, host, port, path). @param nonce The `X-Authy-Signature-Nonce`
 * header. @param signature The `X-Authy-Signature` header (`""` when missing). @param
 * body_or_query POST: the raw body; GET: the raw query string. @param max_age Replay window
 * (at most 300 s; 0 disables it, only for recorded callbacks). @param now_unix The current
 * Unix time for the window; 0 = the system clock.
 * A forged, tampered or stale callback is Code::signature_invalid: reject it.
 */
inline Result<VerifiedCallback> try_verify_callback(
    std::string_view api_key, std::string_view method, std::string_view url,
    std::string_view nonce, std::string_view signature, std::string_view body_or_query,
    std::chrono::seconds max_age = std::chrono::seconds(300), std::uint64_t now_unix = 0) {
    if (auto bad = detail::check_text({api_key, method, url, nonce, signature, body_or_query})) {
        return std::move(*bad);
    }
    if (max_age.count() < 0) {
        return detail::local_error(Code::invalid_argument, "max_age must not be negative");
    }
    authy_callback *out = nullptr;
    authy_error *err = nullptr;
    const authy_result rc = authy_callback_verify_params(
        std::string(api_key).c_str(), std::string(method).c_str(), std::string(url).c_str(),
        std::string(nonce).c_str(), std::string(signature).c_str(),
        std::string(body_or_query).c_str(), static_cast<std::uint64_t>(max_age.count()), now_unix,
        &out, &err);
    if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
    return VerifiedCallback(out);
}

/** Computes the `X-Authy-Signature` Authy would send (to sign test callbacks or debug a
 *  mismatch). */
inline Result<std::string> try_sign_callback(std::string_view api_key, std::string_view method,
                                             std::string_view url, std::string_view nonce,
                                             std::string_view body_or_query) {
    if (auto bad = detail::check_text({api_key, method, url, nonce, body_or_query})) {
        return std::move(*bad);
    }
    char buf[AUTHY_SIGNATURE_BUFFER_SIZE] = {};
    authy_error *err = nullptr;
    const authy_result rc = authy_callback_sign(
        std::string(api_key).c_str(), std::string(method).c_str(), std::string(url).c_str(),
        std::string(nonce).c_str(), std::string(body_or_query).c_str(), buf, sizeof buf, &err);
    if (rc != AUTHY_RESULT_OK) return detail::from_c(rc, err);
    return std::string(buf);
}

#if AUTHY_HPP_EXCEPTIONS
/** try_verify_callback(), throwing authy::Error (Code::signature_invalid for a bad callback). */
inline VerifiedCallback verify_callback(std::string_view api_key, std::string_view method,
                                        std::string_view url, std::string_view nonce,
                                        std::string_view signature,
                                        std::string_view body_or_query,
                                        std::chrono::seconds max_age = std::chrono::seconds(300),
                                        std::uint64_t now_unix = 0) {
    return try_verify_callback(api_key, method, url, nonce, signature, body_or_query, max_age,
                               now_unix)
        .value();
}
/** try_sign_callback(), throwing authy::Error. */
inline std::string sign_callback(std::string_view api_key, std::string_view method,
                                 std::string_view url, std::string_view nonce,
                                 std::string_view body_or_query) {
    return try_sign_callback(api_key, method, url, nonce, body_or_query).value();
}
#endif

}  // namespace authy

#endif  // AUTHY_HPP
