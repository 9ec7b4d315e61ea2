# frozen_string_literal: true

require_relative "test_helper"

# Bad input from Ruby: nil and wrong types are ::ArgumentError / ::TypeError before any C call;
# values the library refuses are Authy::Native::InvalidArgument; nothing ever crashes.
class TestBadInput < Minitest::Test
  N = Authy::Native
  ALLOWED = [ArgumentError, TypeError, N::Error].freeze

  def test_client_options
    assert_raises(ArgumentError) { N::Client.new(nil) }
    assert_raises(TypeError) { N::Client.new(123) }
    assert_raises(ArgumentError) { N::Client.new("a\0b") }
    assert_raises(TypeError) { N::Client.new(api_key, base_url: 5) }
    assert_raises(TypeError) { N::Client.new(api_key, timeout: "5") }
    assert_raises(ArgumentError) { N::Client.new(api_key, timeout: -1) }
    assert_raises(ArgumentError) { N::Client.new(api_key, timeout: 0) }
    assert_raises(ArgumentError) { N::Client.new(api_key, timeout: Float::NAN) }
    assert_raises(ArgumentError) { N::Client.new(api_key, timeout: Float::INFINITY) }
    assert_raises(ArgumentError) { N::Client.new(api_key, connect_timeout: 1e30) }
    assert_raises(TypeError) { N::Client.new(api_key, timeout: Complex(1, 1)) }
    assert_raises(ArgumentError) { N::Client.new(api_key, max_idle_connections_per_host: -1) }
    assert_raises(ArgumentError) { N::Client.new(api_key, max_idle_connections_per_host: 2**40) }
    assert_raises(TypeError) { N::Client.new(api_key, max_idle_connections_per_host: "3") }
    assert_raises(TypeError) { N::Client.new(api_key, allow_insecure_http: "yes") }
    assert_raises(ArgumentError) { N::Client.new(api_key, base_url: nil, bogus: 1) }
  end

  def test_client_values_the_library_refuses
    [
      { base_url: "ftp://example.com" },
      { base_url: "http://example.com" },          # cleartext to a non-loopback host
      { base_url: "https://example.com/path" },
      { secondary_base_url: "nonsense" },
      { root_ca_pem: "-----BEGIN GARBAGE-----" },
      { proxy: "not a url" },
      { user_agent_suffix: "caf\u00e9" },
      { user_agent_suffix: "x" * 500 },
      { max_idle_connections_per_host: 100_000 }
    ].each do |opts|
      e = assert_raises(N::InvalidArgument, opts.inspect) { N::Client.new(api_key, **opts) }
      assert_equal 100, e.code
    end
    assert_raises(N::InvalidArgument) { N::Client.new("") }
    assert_raises(N::InvalidArgument) { N::Client.new("key with\nnewline") }
    assert N::Client.new(api_key, base_url: "http://example.com", allow_insecure_http: true)
  end

  def test_endpoint_arguments
    assert_raises(ArgumentError) { client.user_status(authy_id: nil) }
    assert_raises(TypeError) { client.user_status(authy_id: []) }
    assert_raises(TypeError) { client.user_status(authy_id: {}) }
    assert_raises(TypeError) { client.user_status(authy_id: 1.5) }
    assert_raises(ArgumentError) { client.user_status(authy_id: "1\0") }
    assert_raises(ArgumentError) { client.user_status }
    assert_raises(N::InvalidArgument) { client.user_status(authy_id: "..") } # path syntax: never sent
    assert_raises(N::InvalidArgument) { client.user_status(authy_id: "") }
    assert_raises(N::InvalidArgument) { client.verify_token(authy_id: "1", token: "12") }
    assert_raises(N::InvalidArgument) { client.verify_token(authy_id: "1", token: "12345678901234") }
    assert_raises(ArgumentError) { client.verify_token(authy_id: "1", token: nil) }
    assert_raises(TypeError) { client.create_user(email: 5, cellphone: "555-123-4567") }
    assert_raises(TypeError) { client.request_sms(authy_id: "1", force: "yes") }
    assert_raises(TypeError) { client.create_approval_request(authy_id: "1", message: "m", details: "x") }
    assert_raises(TypeError) { client.create_approval_request(authy_id: "1", message: "m", details: { a: Object.new }) }
    assert_raises(TypeError) { client.create_approval_request(authy_id: "1", message: "m", logos: ["x"]) }
    assert_raises(TypeError) { client.create_approval_request(authy_id: "1", message: "m", details: { 1 => "x" }) }
    assert_raises(N::InvalidArgument) { client.create_approval_request(authy_id: "1", message: "a\nb") }
    assert_raises(N::InvalidArgument) { client.create_approval_request(authy_id: "1", message: "m" * 4097) }
    assert_raises(N::InvalidArgument) do
      client.create_approval_request(authy_id: "1", message: "m", logos: [{ res: "huge", url: "https://x.example\r\n" }])
    end
    assert_raises(N::InvalidArgument) { client.request("BREW", "/x") }
    assert_raises(N::InvalidArgument) { client.request("GET", "no-slash") }
    assert_raises(TypeError) { client.request("GET", "/x", "a=b") }
    assert_raises(ArgumentError) { client.wait_for_approval(uuid: "u", interval: 0) }
    assert_raises(TypeError) { client.app_details(timeout: "soon") }
  end

  def test_encodings
    invalid_utf8 = "\xff\xfe".b
    e = assert_raises(N::InvalidArgument) { client.user_status(authy_id: invalid_utf8) }
    assert_equal 102, e.code
    latin1 = (+"caf\xe9@example.com").force_encoding(Encoding::ISO_8859_1)
    assert_raises(N::InvalidParameters) { client.create_user(email: latin1, cellphone: "12") } # converted, sent, refused by the API
    assert_raises(ArgumentError) { client.user_status(authy_id: (+"\xff").force_encoding(Encoding::ISO_2022_JP)) }
  end

  def test_huge_values_are_refused_not_crashes
    big = "9" * 2_000_000
    assert_raises(N::Error) { client.user_status(authy_id: big) }
    assert_raises(N::Error) { client.create_approval_request(authy_id: "1", message: "m", details: { "k" => "v" * 100_000 }) }
    many = (1..1500).to_h { |i| ["k#{i}", "v"] }
    assert_raises(N::InvalidArgument) { client.create_approval_request(authy_id: "1", message: "m", details: many) }
  end

  def test_callback_arguments
    assert_raises(N::SignatureInvalid) do
      N.verify_callback(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: nil, signature: nil, body: "{}")
    end
    assert_raises(ArgumentError) do
      N.verify_callback(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: "1", signature: "x",
                        body: "{}", max_age: 301)
    end
    assert_raises(TypeError) do
      N.verify_callback(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: "1", signature: "x",
                        body: "{}", now: "now")
    end
    assert_raises(N::InvalidArgument) do
      N.verify_callback(api_key: api_key, method: "PUT", url: "https://example.com/cb", nonce: "1", signature: "x", body: "")
    end
    assert_raises(ArgumentError) do
      N.verify_callback(api_key: nil, method: "POST", url: "https://example.com/cb", nonce: "1", signature: "x", body: "")
    end
    refute N.valid_callback?(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: "1",
                             signature: "x" * 44, body: '{"a":1}', max_age: 0)
  end

  # A sweep of odd values through every endpoint: each call either succeeds or raises one of
  # the allowed exception classes — never anything else, never a crash.
  def test_sweep_of_odd_values
    odd = [nil, "", " ", "0", "-1", "1" * 40, "abc", "\u00e9", "\xff".b, "a\0", :sym, 0, -5, 2**70, 1.5, [], {}, Object.new]
    calls = {
      user_status: ->(v) { client.user_status(authy_id: v) },
      delete_user: ->(v) { client.delete_user(authy_id: v) },
      request_sms: ->(v) { client.request_sms(authy_id: v) },
      verify_token: ->(v) { client.verify_token(authy_id: "1", token: v) },
      create_user: ->(v) { client.create_user(email: v, cellphone: v) },
      phone_info: ->(v) { client.phone_info(country_code: v, phone_number: v) },
      approval_status: ->(v) { client.approval_request_status(uuid: v) },
      approval: ->(v) { client.create_approval_request(authy_id: "1", message: v, seconds_to_expire: v) },
      qr: ->(v) { client.generate_qr_code(authy_id: "1", qr_size: v) },
      start: ->(v) { client.start_phone_verification(country_code: "1", phone_number: "555-123-4567", via: v) }
    }
    tried = 0
    calls.each do |name, call|
      odd.each do |v|
        tried += 1
        begin
          call.call(v)
        rescue *ALLOWED
          nil
        rescue Exception => e # rubocop:disable Lint/RescueException
          flunk "#{name}(#{v.inspect}) raised #{e.class}: #{e.message}"
        end
      end
    end
    assert_equal calls.size * odd.size, tried
    assert client.app_details.ok?, "the client still works after the sweep"
  end
end
