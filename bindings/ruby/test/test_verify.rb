# frozen_string_literal: true

require_relative "test_helper"
require "openssl"
require "timeout"
require "uri"

# Authy::Native::VerifyClient against the sandbox's Twilio Verify v2 / Lookup v2 emulation
# (its default credentials): services CRUD and the list Enumerator across pages, start/check
# right and wrong, the causes told apart (20404, 60202, 60203, 20003), cancel, Lookup, bad
# input refused before I/O, close, GC.stress on a short path.
class TestVerify < Minitest::Test
  N = Authy::Native
  ACCOUNT_SID = "AC00000000000000000000000000000000"
  AUTH_TOKEN = "sandbox-auth-token-0123456789abcd"
  VA0 = "VA#{'0' * 32}".freeze
  VE0 = "VE#{'0' * 32}".freeze

  def verify
    $verify_client ||= N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN,
                                           base_url: base_url, lookups_base_url: base_url, timeout: 10)
  end

  def fresh_e164
    "+1775#{format('%03d', 200 + rand(800))}#{format('%04d', PHONES.pop(true))}"
  end

  def with_service(**params)
    sid = verify.create_service(friendly_name: "ruby test", **params)["sid"]
    yield sid
  ensure
    verify.delete_service(sid: sid) if sid
  end

  def delivered_code(service_sid, to)
    control("GET", "/sandbox/verify/code", To: to, ServiceSid: service_sid)["code"]
  end

  def wrong(code)
    code.tr("0123456789", "1234567890")
  end

  def test_services_crud
    created = verify.create_service(friendly_name: "My App", code_length: 4, lookup_enabled: true,
                                    totp: { issuer: "Acme" })
    sid = created["sid"]
    assert_equal 201, created.status
    assert_match(/\AVA\h{32}\z/, sid)
    assert_equal [4, true, "Acme"], [created["code_length"], created["lookup_enabled"], created.dig("totp", "issuer")]
    assert_equal "My App", verify.fetch_service(sid: sid)["friendly_name"]
    assert_equal "Renamed", verify.update_service(sid: sid, friendly_name: "Renamed")["friendly_name"]
    e = assert_raises(N::InvalidParameters) { verify.update_service(sid: sid, code_length: 42) }
    assert_equal "60200", e.api_code
    assert_equal 204, verify.delete_service(sid: sid).status
    e = assert_raises(N::NotFound) { verify.fetch_service(sid: sid) }
    assert_equal ["20404", 404], [e.api_code, e.http_status]
    assert_includes e.more_info, "20404"
  end

  def test_each_service_is_an_enumerator_across_pages
    mine = Array.new(5) { verify.create_service(friendly_name: "listed")["sid"] }
    enum = verify.each_service(page_size: 2)
    assert_kind_of Enumerator, enum
    sids = enum.map { |s| s["sid"] }
    assert_equal sids.uniq, sids
    assert_empty mine - sids
    pages = verify.each_service_page(page_size: 2).to_a
    assert_operator pages.size, :>=, 3
    assert_equal [2], pages.map { |p| p.dig("meta", "page_size") }.uniq
    assert_equal 1, verify.each_service(page_size: 1).first(1).size # stops early, pages freed
    assert_raises(N::InvalidArgument) { verify.each_service(page_size: 5000).first }
  ensure
    mine&.each { |sid| verify.delete_service(sid: sid) }
  end

  def test_start_and_check
    with_service do |sid|
      to = fresh_e164
      v = verify.start_verification(service_sid: sid, to: to, channel: "sms", locale: "en")
      assert_equal ["pending", to, "sms", 201], [v["status"], v["to"], v["channel"], v.status]
      code = delivered_code(sid, to)
      e = assert_raises(N::TokenInvalid) { verify.check_verification(service_sid: sid, to: to, code: wrong(code)) }
      assert_equal "pending", JSON.parse(e.body)["status"]
      refute verify.valid_code?(service_sid: sid, verification_sid: v["sid"], code: wrong(code))
      assert_equal "pending", verify.fetch_verification(service_sid: sid, sid: v["sid"])["status"]
      ok = verify.check_verification(service_sid: sid, verification_sid: v["sid"], code: code)
      assert_equal ["approved", true], [ok["status"], ok["valid"]]
      e = assert_raises(N::NotFound) { verify.check_verification(service_sid: sid, to: to, code: code) }
      assert_equal "20404", e.api_code
      refute_kind_of N::TokenInvalid, e
    end
  end

  def test_cancel
    with_service do |sid|
      to = fresh_e164
      v = verify.start_verification(service_sid: sid, to: to, channel: "call")
      code = delivered_code(sid, to)
      assert_equal "canceled", verify.cancel_verification(service_sid: sid, sid: v["sid"])["status"]
      assert_raises(N::NotFound) { verify.valid_code?(service_sid: sid, to: to, code: code) }
      assert_raises(N::NotFound) { verify.fetch_verification(service_sid: sid, sid: v["sid"]) }
      e = assert_raises(N::InvalidArgument) { verify.update_verification(service_sid: sid, sid: v["sid"], status: :paused) }
      assert_equal 0, e.attempts
    end
  end

  def test_limits_are_distinct_exceptions
    with_service do |sid|
      to = fresh_e164
      verify.start_verification(service_sid: sid, to: to)
      code = delivered_code(sid, to)
      5.times { refute verify.valid_code?(service_sid: sid, to: to, code: wrong(code)) }
      e = assert_raises(N::MaxCheckAttempts) { verify.check_verification(service_sid: sid, to: to, code: code) }
      assert_kind_of N::RateLimited, e
      assert_equal ["60202", 429], [e.api_code, e.http_status]

      to = fresh_e164
      first = verify.start_verification(service_sid: sid, to: to)["sid"]
      4.times { assert_equal first, verify.start_verification(service_sid: sid, to: to)["sid"] }
      e = assert_raises(N::MaxSendAttempts) { verify.start_verification(service_sid: sid, to: to) }
      assert_equal "60203", e.api_code
    end
  end

  def test_lookup
    r = verify.lookup_phone_number(number: "+14159929960", fields: %w[line_type_intelligence])
    assert_equal [true, "+14159929960", "US"], [r["valid"], r["phone_number"], r["country_code"]]
    refute_nil r["line_type_intelligence"]
    assert_nil r["caller_name"]
    bad = verify.lookup_phone_number(number: "+1415")
    assert_equal false, bad["valid"]
    refute_empty bad["validation_errors"]
    assert_equal "+14159929960", verify.lookup_phone_number(number: "4159929960", country_code: "US")["phone_number"]
  end

  def test_credentials
    bad = N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: "wrong-token-0123456789", base_url: base_url)
    e = assert_raises(N::Unauthorized) { bad.create_service(friendly_name: "x") }
    assert_equal ["20003", 401], [e.api_code, e.http_status]
    refute_includes e.message + e.inspect + bad.inspect, "wrong-token"
    key = N::VerifyClient.new(api_key_sid: "SK#{'0' * 32}", api_key_secret: "s", account_sid: ACCOUNT_SID,
                              base_url: base_url)
    assert_raises(N::Unauthorized) { key.fetch_service(sid: VA0) }
    assert_raises(N::InvalidArgument) { N::VerifyClient.new(account_sid: "AC123", auth_token: "t") }
    assert_raises(ArgumentError) do # Authy only
      N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: "t", secondary_base_url: base_url)
    end
    assert_raises(ArgumentError) { N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: "t", nope: 1) }
    assert_raises(ArgumentError) { N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: "t\0") }
    assert_raises(ArgumentError) { N::Client.new(api_key, lookups_base_url: base_url) } # Verify only
  end

  def test_bad_input_is_refused_before_io
    {
      "short SID" => -> { verify.fetch_service(sid: "VA123") },
      "wrong prefix" => -> { verify.fetch_service(sid: VE0) },
      "To not E.164" => -> { verify.start_verification(service_sid: VA0, to: "4155550100") },
      "channel" => -> { verify.start_verification(service_sid: VA0, to: "+14155550100", channel: "SMS!") },
      "both to and sid" => -> { verify.check_verification(service_sid: VA0, to: "+14155550100", verification_sid: VE0, code: "1234") },
      "neither" => -> { verify.check_verification(service_sid: VA0, code: "1234") },
      "short code" => -> { verify.check_verification(service_sid: VA0, verification_sid: VE0, code: "12") },
      "invalid UTF-8" => -> { verify.create_service(friendly_name: "\xff\xfe".b.force_encoding("UTF-8")) },
      "snake option" => -> { verify.create_service(friendly_name: "x", "code_length" => "4") }
    }.each do |name, call|
      e = assert_raises(N::InvalidArgument, name) { call.call }
      assert_equal 0, e.attempts, name
    end
    assert_raises(ArgumentError) { verify.fetch_service(sid: "VA\0") }
    assert_raises(TypeError) { verify.create_service(friendly_name: "x", code_length: Object.new) }
    assert_raises(ArgumentError) { verify.fetch_service(sid: nil) }
  end

  def test_close
    c = N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN, base_url: base_url)
    c.close
    c.close
    assert c.closed?
    assert_raises(N::ClosedError) { c.fetch_service(sid: VA0) }
    assert_raises(N::ClosedError) { c.each_service.first }
  end

  def test_threads_share_one_client
    with_service do |sid|
      results = Array.new(8) { Thread.new { Array.new(5) { verify.fetch_service(sid: sid)["sid"] } } }.flat_map(&:value)
      assert_equal [sid] * 40, results
    end
  end

  def test_gc_stress_short_path
    sid = verify.create_service(friendly_name: "gc")["sid"]
    results = []
    GC.stress = 0x01
    begin
      5.times do
        c = N::VerifyClient.new(account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN, base_url: base_url,
                                lookups_base_url: base_url, timeout: 10)
        results << c.fetch_service(sid: sid)["sid"]
        results << c.each_service(page_size: 1).first["sid"].start_with?("VA")
        results << c.lookup_phone_number(number: "+1415")["valid"]
        begin
          c.fetch_service(sid: VA0)
        rescue N::NotFound => e
          results << e.api_code
        end
      end
    ensure
      GC.stress = false
    end
    GC.start
    assert_equal [sid, true, false, "20404"] * 5, results
  ensure
    verify.delete_service(sid: sid) if sid
  end
end

# Per-call timeout and interrupts on a Verify call; the X-Twilio-Signature check (plain and Rack).
class TestVerifyCallsAndWebhooks < Minitest::Test
  N = Authy::Native

  def verify
    TestVerify.allocate.verify
  end

  def test_timeout_and_interrupt
    sid = verify.create_service(friendly_name: "deadline")["sid"]
    arm_fault("latency", path_prefix: "/v2/Services/#{sid}", latency_ms: 3000)
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    e = assert_raises(N::TimeoutError) { verify.fetch_service(sid: sid, timeout: 0.3) }
    assert e.request_sent?
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :<, 1.5
    arm_fault("latency", path_prefix: "/v2/Services/#{sid}", latency_ms: 3000)
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(Timeout::Error) { Timeout.timeout(0.3) { verify.fetch_service(sid: sid) } }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :<, 0.35 + 0.05
    assert_equal sid, verify.fetch_service(sid: sid)["sid"]
  ensure
    control("DELETE", "/sandbox/faults")
    verify.delete_service(sid: sid) if sid
  end

  def sign(token, url, params)
    data = url + params.sort.map { |k, v| "#{k}#{v}" }.join
    [OpenSSL::HMAC.digest("SHA1", token, data)].pack("m0")
  end

  def test_twilio_signature
    token = "12345"
    url = "https://mycompany.com/myapp?foo=1&bar=2"
    params = { "CallSid" => "CA1234567890ABCDE", "Digits" => "1234", "To" => "+18005551212" }
    body = URI.encode_www_form(params)
    sig = sign(token, url, params)
    assert N.verify_twilio_signature(auth_token: token, url: url, body: body, signature: sig)
    assert_raises(N::SignatureInvalid) { N.verify_twilio_signature(auth_token: "54321", url: url, body: body, signature: sig) }
    assert_raises(N::SignatureInvalid) { N.verify_twilio_signature(auth_token: token, url: url, body: body.sub("1234", "1235"), signature: sig) }
    assert_raises(N::SignatureInvalid) { N.verify_twilio_signature(auth_token: token, url: url, body: body, signature: "") }

    require "libauthy/rack"
    env = { "REQUEST_METHOD" => "POST", "QUERY_STRING" => "foo=1&bar=2", "rack.input" => StringIO.new(body),
            "HTTP_X_TWILIO_SIGNATURE" => sig }
    assert N::Rack.verify_twilio_webhook(env, auth_token: token, public_url: "https://mycompany.com/myapp")
    assert_equal body, env["rack.input"].read # rewound for the app
    env["rack.input"] = StringIO.new(body.sub("1234", "9999"))
    refute N::Rack.valid_twilio_webhook?(env, auth_token: token, public_url: "https://mycompany.com/myapp")
  end
end
