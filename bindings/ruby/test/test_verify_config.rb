# frozen_string_literal: true

require_relative "test_helper"
require_relative "test_verify"

# Webhooks, Rate Limits and Buckets, Attempts (Authy::Native::VerifyClient) against the sandbox.
class TestVerifyConfig < Minitest::Test
  N = Authy::Native

  def verify
    $verify_client ||= N::VerifyClient.new(account_sid: TestVerify::ACCOUNT_SID, auth_token: TestVerify::AUTH_TOKEN,
                                           base_url: base_url, lookups_base_url: base_url, timeout: 10)
  end

  def setup
    @service = verify.create_service(friendly_name: "ruby config")["sid"]
  end

  def teardown
    verify.delete_service(sid: @service) if @service
  end

  def test_webhooks_and_signed_deliveries
    w = verify.create_webhook(service_sid: @service, friendly_name: "events", event_types: %w[factor.created],
                              webhook_url: "http://127.0.0.1:9/hook", version: "v2")
    assert_equal [201, "enabled", ["factor.created"]], [w.status, w["status"], w["event_types"]]
    assert_match(/\AYW\h{32}\z/, w["sid"])
    assert_equal "http://127.0.0.1:9/hook",
                 verify.fetch_webhook(service_sid: @service, sid: w["sid"])["webhook_url"]
    assert_equal "disabled",
                 verify.update_webhook(service_sid: @service, sid: w["sid"], status: "disabled")["status"]
    verify.update_webhook(service_sid: @service, sid: w["sid"], status: "enabled")
    assert_equal [w["sid"]], verify.each_webhook(service_sid: @service).map { |r| r["sid"] }
    err = assert_raises(N::Error) do
      verify.create_webhook(service_sid: @service, friendly_name: "x", event_types: "nope",
                            webhook_url: "http://127.0.0.1:9/")
    end
    assert_equal "60306", err.api_code

    client.request("POST", "/sandbox/verify/Webhooks/Settings", { TotpEvents: "true" })
    identity = "ruby-hook-#{rand(1 << 30)}"
    factor = verify.create_factor(service_sid: @service, identity: identity, friendly_name: "phone")
    delivery = nil
    50.times do
      deliveries = control("GET", "/sandbox/verify/Webhooks/Deliveries", { Type: "factor.created" })["deliveries"]
      delivery = deliveries.find { |d| d["webhook_sid"] == w["sid"] && d.dig("params", "factor_sid") == factor["sid"] }
      break if delivery

      sleep 0.1
    end
    refute_nil delivery, "the factor.created event was sent to the webhook"
    assert N.verify_twilio_signature(auth_token: TestVerify::AUTH_TOKEN, url: delivery["url"],
                                     body: delivery["body"], signature: delivery["signature"])
    assert_raises(N::SignatureInvalid) do
      N.verify_twilio_signature(auth_token: TestVerify::AUTH_TOKEN, url: delivery["url"],
                                body: "#{delivery['body']}&x=1", signature: delivery["signature"])
    end
    assert_equal 204, verify.delete_webhook(service_sid: @service, sid: w["sid"]).status
    assert_raises(N::NotFound) { verify.fetch_webhook(service_sid: @service, sid: w["sid"]) }
  ensure
    client.request("POST", "/sandbox/verify/Webhooks/Settings", { TotpEvents: "false" })
  end

  def test_rate_limits_and_buckets
    rl = verify.create_rate_limit(service_sid: @service, unique_name: "end_user_ip", description: "per IP")
    assert_equal [201, "end_user_ip", "per IP"], [rl.status, rl["unique_name"], rl["description"]]
    err = assert_raises(N::InvalidParameters) do
      verify.create_rate_limit(service_sid: @service, unique_name: "end_user_ip")
    end
    assert_equal "60208", err.api_code
    updated = verify.update_rate_limit(service_sid: @service, sid: rl["sid"], description: "by IP")
    assert_equal "by IP", updated["description"]
    assert_equal rl["sid"], verify.fetch_rate_limit(service_sid: @service, sid: rl["sid"])["sid"]
    assert_equal [rl["sid"]], verify.each_rate_limit(service_sid: @service).map { |r| r["sid"] }

    ids = { service_sid: @service, rate_limit_sid: rl["sid"] }
    b = verify.create_bucket(**ids, max: 2, interval: 60)
    assert_equal [201, 2, 60], [b.status, b["max"], b["interval"]]
    err = assert_raises(N::InvalidParameters) { verify.create_bucket(**ids, max: 5, interval: 60) }
    assert_equal "60211", err.api_code
    assert_equal 3, verify.update_bucket(**ids, sid: b["sid"], max: 3)["max"]
    assert_equal 3, verify.fetch_bucket(**ids, sid: b["sid"])["max"]
    assert_equal [b["sid"]], verify.each_bucket(**ids).map { |r| r["sid"] }
    assert_equal 204, verify.delete_bucket(**ids, sid: b["sid"]).status
    assert_equal 204, verify.delete_rate_limit(service_sid: @service, sid: rl["sid"]).status
    assert_raises(N::NotFound) { verify.fetch_rate_limit(service_sid: @service, sid: rl["sid"]) }
  end

  def test_attempts
    to = "+1775#{format('%03d', 200 + rand(800))}#{format('%04d', rand(10_000))}"
    v = verify.start_verification(service_sid: @service, to: to)
    code = control("GET", "/sandbox/verify/code", To: to, ServiceSid: @service)["code"]
    verify.check_verification(service_sid: @service, to: to, code: code)
    mine = verify.each_attempt(verify_service_sid: @service, page_size: 1).to_a
    assert_equal [v["sid"]], mine.map { |a| a["verification_sid"] }
    attempt = verify.fetch_attempt(sid: mine.first["sid"])
    assert_equal [true, "sms"], [attempt["conversion_status"] == "converted", attempt["channel"]]
    summary = verify.attempts_summary(verify_service_sid: @service)
    assert_equal [1, 1], [summary["total_attempts"], summary["total_converted"]]
  end
end
