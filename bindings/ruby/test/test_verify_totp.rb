# frozen_string_literal: true

require_relative "test_helper"
require "openssl"
require_relative "test_verify"

# Authy::Native::VerifyClient's Entities, Factors and Challenges (Verify TOTP and Push) against
# the sandbox: a TOTP factor enrolled, its code computed here from the binding secret (RFC 6238
# with OpenSSL::HMAC, at the sandbox clock's time) and checked against the sandbox's own, the
# factor verified, wrong codes told apart (TokenInvalid), TOTP and push challenges, the
# Enumerators over pages, deletes.
class TestVerifyTotp < Minitest::Test
  N = Authy::Native

  def verify
    $verify_client ||= N::VerifyClient.new(account_sid: TestVerify::ACCOUNT_SID, auth_token: TestVerify::AUTH_TOKEN,
                                           base_url: base_url, lookups_base_url: base_url, timeout: 10)
  end

  def setup
    @service = verify.create_service(friendly_name: "ruby totp", totp: { issuer: "Acme" })["sid"]
    @identity = "ruby-user-#{rand(1 << 30)}"
  end

  def teardown
    verify.delete_service(sid: @service) if @service
  end

  def ids
    { service_sid: @service, identity: @identity }
  end

  BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

  # RFC 6238 (HMAC-SHA1, 30 s steps, 6 digits) over a Base32 secret at Unix time `at`.
  def totp(secret, at, step: 30, digits: 6)
    bits = secret.upcase.delete("=").chars.map { |c| format("%05b", BASE32.index(c)) }.join
    key = [bits[0, bits.size / 8 * 8]].pack("B*")
    mac = OpenSSL::HMAC.digest("SHA1", key, [at.to_i / step].pack("Q>"))
    offset = mac.bytes.last & 0x0f
    value = (mac[offset, 4].unpack1("N") & 0x7fff_ffff) % (10**digits)
    format("%0#{digits}d", value)
  end

  # The sandbox's current code for a factor, and its clock (Unix seconds).
  def sandbox_code(factor_sid)
    c = control("GET", "/sandbox/verify/Services/#{@service}/Entities/#{@identity}/Factors/#{factor_sid}/Code")
    [c["code"], c["now"]]
  end

  def wrong(code)
    code.tr("0123456789", "1234567890")
  end

  # Enrols a verified TOTP factor; returns [sid, secret].
  def enrol
    f = verify.create_factor(**ids, friendly_name: "phone", factor_type: "totp")
    secret = f.dig("binding", "secret")
    _, now = sandbox_code(f["sid"])
    verify.verify_factor(**ids, factor_sid: f["sid"], code: totp(secret, now))
    [f["sid"], secret]
  end

  def test_rfc6238_vector
    # RFC 6238 Appendix B, SHA-1, T = 59 s: 94287082 (8 digits) for the ASCII secret
    # "12345678901234567890" (Base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ).
    assert_equal "94287082", totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59, digits: 8)
  end

  def test_entities
    e = verify.create_entity(**ids)
    assert_equal [201, @identity], [e.status, e["identity"]]
    assert_match(/\AYE\h{32}\z/, e["sid"])
    assert_equal e["sid"], verify.fetch_entity(**ids)["sid"]
    others = Array.new(3) { |i| verify.create_entity(service_sid: @service, identity: "#{@identity}-#{i}")["sid"] }
    enum = verify.each_entity(service_sid: @service, page_size: 2)
    assert_kind_of Enumerator, enum
    assert_equal [e["sid"], *others].sort, enum.map { |r| r["sid"] }.sort
    assert_equal 204, verify.delete_entity(**ids).status
    err = assert_raises(N::NotFound) { verify.fetch_entity(**ids) }
    assert_equal "20404", err.api_code
    assert_raises(N::InvalidArgument) { verify.fetch_entity(service_sid: "nope", identity: @identity) }
  end

  def test_totp_factor_enrol_verify_and_wrong_code
    f = verify.create_factor(**ids, friendly_name: "phone", factor_type: "totp", config: { code_length: 6 })
    assert_equal [201, "totp", "unverified"], [f.status, f["factor_type"], f["status"]]
    secret = f.dig("binding", "secret")
    assert_match(/\A[A-Z2-7]+=*\z/, secret)
    assert_match(%r{\Aotpauth://totp/Acme:}, f.dig("binding", "uri"))
    assert_includes f.dig("binding", "uri"), "secret=#{secret.delete('=')}"

    code, now = sandbox_code(f["sid"])
    assert_equal code, totp(secret, now), "our RFC 6238 code equals the sandbox's"

    err = assert_raises(N::TokenInvalid) { verify.verify_factor(**ids, factor_sid: f["sid"], code: wrong(code)) }
    assert_equal "unverified", JSON.parse(err.body)["status"]
    v = verify.verify_factor(**ids, factor_sid: f["sid"], code: totp(secret, now))
    assert_equal "verified", v["status"]

    fetched = verify.fetch_factor(**ids, factor_sid: f["sid"])
    assert_equal "verified", fetched["status"]
    assert_nil fetched["binding"], "a fetch never carries the secret"
    assert_equal "laptop", verify.update_factor(**ids, factor_sid: f["sid"], friendly_name: "laptop")["friendly_name"]
    assert_equal [f["sid"]], verify.each_factor(**ids).map { |r| r["sid"] }
    assert_equal 204, verify.delete_factor(**ids, factor_sid: f["sid"]).status
    assert_raises(N::NotFound) { verify.fetch_factor(**ids, factor_sid: f["sid"]) }
  end

  def test_moved_secret
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    f = verify.create_factor(**ids, friendly_name: "moved", binding: { secret: secret },
                                    config: { time_step: 30, code_length: 6 })
    _, now = sandbox_code(f["sid"])
    assert_equal "verified", verify.verify_factor(**ids, factor_sid: f["sid"], code: totp(secret, now))["status"]
  end

  def test_totp_challenges
    sid, secret = enrol
    _, now = sandbox_code(sid)
    c = verify.create_challenge(**ids, factor_sid: sid, code: totp(secret, now))
    assert_equal [201, "approved"], [c.status, c["status"]]
    assert_match(/\AYC\h{32}\z/, c["sid"])

    err = assert_raises(N::TokenInvalid) do
      verify.create_challenge(**ids, factor_sid: sid, code: wrong(totp(secret, now)))
    end
    pending = JSON.parse(err.body)
    assert_equal "pending", pending["status"]
    err = assert_raises(N::TokenInvalid) do
      verify.answer_challenge(**ids, challenge_sid: pending["sid"], code: wrong(totp(secret, now)))
    end
    assert_equal "pending", JSON.parse(err.body)["status"]
    _, now = sandbox_code(sid)
    answered = verify.answer_challenge(**ids, challenge_sid: pending["sid"], code: totp(secret, now))
    assert_equal "approved", answered["status"]
    err = assert_raises(N::Error) { verify.answer_challenge(**ids, challenge_sid: pending["sid"], code: "123456") }
    assert_equal "60322", err.api_code

    assert_equal "approved", verify.fetch_challenge(**ids, challenge_sid: c["sid"])["status"]
    listed = verify.each_challenge(**ids, page_size: 1).to_a
    assert_equal [pending["sid"], c["sid"]].sort, listed.map { |r| r["sid"] }.sort
    assert_equal 2, verify.each_challenge(**ids, factor_sid: sid, status: "approved").count
    assert_equal 0, verify.each_challenge(**ids, status: "denied").count
  end

  def test_push_challenge_with_details
    push = client.request("POST", "/sandbox/verify/Services/#{@service}/Entities/#{@identity}/PushFactors",
                          { FriendlyName: "phone" })
    assert_equal [201, "verified"], [push.status, push["status"]]
    c = verify.create_challenge(**ids, factor_sid: push["sid"],
                                       details: { message: "Log in to Acme?",
                                                  fields: [{ label: "IP", value: "192.0.2.1" },
                                                           { label: "City", value: "Lisbon" }] },
                                       "HiddenDetails" => { "ip" => "192.0.2.1" })
    assert_equal [201, "pending"], [c.status, c["status"]]
    assert_equal "Log in to Acme?", c.dig("details", "message")
    assert_equal [{ "label" => "IP", "value" => "192.0.2.1" }, { "label" => "City", "value" => "Lisbon" }],
                 c.dig("details", "fields")
    assert_equal({ "ip" => "192.0.2.1" }, c["hidden_details"])
    control("POST", "/sandbox/verify/Services/#{@service}/Entities/#{@identity}/Challenges/#{c['sid']}/Deny")
    assert_equal "denied", verify.fetch_challenge(**ids, challenge_sid: c["sid"])["status"]

    err = assert_raises(N::Error) { verify.create_challenge(**ids, factor_sid: push["sid"]) }
    assert_equal "60368", err.api_code, "a push challenge needs Details.Message"
  end

  def test_unverified_factor_cannot_be_challenged
    f = verify.create_factor(**ids, friendly_name: "phone")
    err = assert_raises(N::Error) { verify.create_challenge(**ids, factor_sid: f["sid"], code: "123456") }
    assert_equal "60318", err.api_code
  end
end
