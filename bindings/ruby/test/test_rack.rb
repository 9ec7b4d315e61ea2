# frozen_string_literal: true

require_relative "test_helper"
require "rack"
require "stringio"
require "libauthy/rack"

# OneTouch callbacks through the Rack helper and middleware: offline with signed envs, and end
# to end with the sandbox delivering a real signed callback to a Ruby HTTP server running in
# this very process (which only works because libauthy's calls release the GVL).
class TestRack < Minitest::Test
  N = Authy::Native
  URL = "https://app.example.com/authy/callback"

  def signed_env(method: "POST", url: URL, body: nil, query: nil, nonce: Time.now.to_i.to_s, headers: {})
    params = { "callback_action" => "approval_request_status", "status" => "approved", "uuid" => "u-42",
               "authy_id" => 7, "approval_request" => { "transaction" => { "details" => { "Location" => "Paris" } } } }
    payload = method == "GET" ? (query || ::Rack::Utils.build_nested_query(params)) : (body || JSON.generate(params))
    sig = N.sign_callback(api_key: api_key, method: method, url: url, nonce: nonce, body: payload)
    target = method == "GET" ? "#{url}?#{payload}" : url
    ::Rack::MockRequest.env_for(target, method: method, input: method == "GET" ? "" : payload,
                                        "CONTENT_TYPE" => "application/json",
                                        "HTTP_X_AUTHY_SIGNATURE" => sig, "HTTP_X_AUTHY_SIGNATURE_NONCE" => nonce,
                                        **headers)
  end

  def test_verifies_a_post_callback_and_rewinds_the_body
    env = signed_env
    cb = N::Rack.verify_callback(env, api_key: api_key)
    assert cb.approved?
    assert_equal "u-42", cb.uuid
    assert_equal "7", cb.authy_id
    assert_equal "approval_request_status", cb.callback_action
    assert_equal "Paris", cb.dig("approval_request", "transaction", "details", "Location")
    assert_equal "Paris", cb["/approval_request/transaction/details/Location"]
    assert_nil cb["absent"]
    refute_includes cb.inspect, "Paris"
    assert_equal "approved", JSON.parse(env["rack.input"].read)["status"], "the body is readable again"
  end

  # Rack 3 no longer requires rack.input to be rewindable: the helper then leaves a copy.
  class OneShotInput
    def initialize(text)
      @text = text
    end

    def read
      text = @text
      @text = nil
      text
    end
  end

  def test_non_rewindable_input_and_empty_body
    env = signed_env
    body = env["rack.input"].read
    env["rack.input"] = OneShotInput.new(body)
    assert N::Rack.verify_callback(env, api_key: api_key).approved?
    assert_equal body, env["rack.input"].read
    # An empty POST body cannot even be signed, and a callback with one is malformed (issue 8).
    assert_raises(N::SignatureInvalid) do
      N.sign_callback(api_key: api_key, method: "POST", url: URL, nonce: "1", body: "")
    end
    empty = signed_env
    empty["rack.input"] = OneShotInput.new(nil)
    assert_raises(N::SignatureInvalid) { N::Rack.verify_callback(empty, api_key: api_key) }
    assert_equal "", empty["rack.input"].read
  end

  def test_accepts_a_rack_request_and_a_get_callback
    assert_equal "u-42", N::Rack.verify_callback(::Rack::Request.new(signed_env), api_key: api_key).uuid
    cb = N::Rack.verify_callback(signed_env(method: "GET"), api_key: api_key)
    assert_equal "Paris", cb.dig("approval_request", "transaction", "details", "Location")
  end

  def test_rejects_tampering_wrong_key_missing_headers_and_stale_nonces
    env = signed_env
    env["rack.input"] = StringIO.new(env["rack.input"].read.sub("approved", "denied"))
    assert_raises(N::SignatureInvalid) { N::Rack.verify_callback(env, api_key: api_key) }
    assert_raises(N::SignatureInvalid) { N::Rack.verify_callback(signed_env, api_key: "#{api_key}x") }
    bare = signed_env.reject { |k, _| k.start_with?("HTTP_X_AUTHY") }
    assert_raises(N::SignatureInvalid) { N::Rack.verify_callback(bare, api_key: api_key) }
    old = signed_env(nonce: (Time.now.to_i - 3600).to_s)
    assert_raises(N::SignatureInvalid) { N::Rack.verify_callback(old, api_key: api_key) }
    assert N::Rack.verify_callback(old, api_key: api_key, max_age: 0).approved?, "max_age 0: recorded callbacks"
    assert N::Rack.verify_callback(old, api_key: api_key, now: Time.now - 3600).approved?
    refute N::Rack.valid_callback?(signed_env, api_key: api_key, public_url: "https://evil.example.com/authy/callback")
    assert_raises(TypeError) { N::Rack.verify_callback("env", api_key: api_key) }
  end

  def test_public_url_behind_a_tls_terminating_proxy
    env = signed_env
    behind = ::Rack::MockRequest.env_for("http://10.0.0.5:8080/authy/callback", method: "POST",
                                         input: env["rack.input"].read,
                                         "HTTP_X_AUTHY_SIGNATURE" => env["HTTP_X_AUTHY_SIGNATURE"],
                                         "HTTP_X_AUTHY_SIGNATURE_NONCE" => env["HTTP_X_AUTHY_SIGNATURE_NONCE"])
    refute N::Rack.valid_callback?(behind, api_key: api_key)
    assert N::Rack.verify_callback(behind, api_key: api_key, public_url: URL).approved?
  end

  # valid_callback? (no parameters built) answers as verify_callback does, for every case.
  def test_valid_callback_agrees_with_verify_callback
    tampered = signed_env
    tampered["rack.input"] = StringIO.new(tampered["rack.input"].read.sub("approved", "denied"))
    old = signed_env(nonce: (Time.now.to_i - 3600).to_s)
    cases = [
      [signed_env, {}], [signed_env(method: "GET"), {}], [tampered, {}],
      [signed_env, { api_key: "#{api_key}x" }], [old, {}], [old, { max_age: 0 }],
      [old, { now: Time.now - 3600 }], [signed_env, { public_url: "https://evil.example.com/authy/callback" }]
    ]
    verdicts = cases.map do |env, opts|
      kwargs = { api_key: api_key }.merge(opts)
      verified = begin
        N::Rack.verify_callback(env.dup.tap { |e| e["rack.input"].rewind }, **kwargs)
        true
      rescue N::SignatureInvalid
        false
      end
      env["rack.input"].rewind
      assert_equal verified, N::Rack.valid_callback?(env, **kwargs), opts.inspect
      verified
    end
    assert_equal [true, true, false, false, false, true, true, false], verdicts
  end

  def test_middleware
    seen = []
    inner = lambda do |env|
      seen << env[N::Rack::ENV_KEY]&.uuid
      [200, { "content-type" => "text/plain" }, ["ok"]]
    end
    app = N::Rack::CallbackVerifier.new(inner, api_key: api_key, path: "/authy/callback")
    status, = app.call(signed_env)
    assert_equal 200, status
    forged = signed_env
    forged["HTTP_X_AUTHY_SIGNATURE"] = "A" * 43 + "="
    status, headers, body = app.call(forged)
    assert_equal 401, status
    assert_equal "text/plain", headers["content-type"]
    assert_equal ["invalid Authy signature\n"], body
    status, = app.call(::Rack::MockRequest.env_for("/other"))
    assert_equal 200, status
    assert_equal ["u-42", nil], seen, "verified callbacks reach the app; forged ones never do"
    proc_url = N::Rack::CallbackVerifier.new(inner, api_key: api_key, path: %r{\A/authy/}, public_url: ->(_env) { URL })
    assert_equal 200, proc_url.call(signed_env).first
  end

  def test_plain_env_without_the_rack_gem
    env = signed_env
    plain = env.slice("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT",
                      "HTTP_X_AUTHY_SIGNATURE", "HTTP_X_AUTHY_SIGNATURE_NONCE")
    plain["rack.url_scheme"] = "https"
    plain["HTTP_HOST"] = "app.example.com"
    body = env["rack.input"].read
    lib = File.expand_path("../lib", __dir__)
    script = <<~RUBY
      require "stringio"
      require "json"
      require "libauthy/rack"
      abort "rack is loaded" if defined?(::Rack::Request)
      env = JSON.parse(ARGV[0]).merge("rack.input" => StringIO.new(ARGV[1]))
      cb = Authy::Native::Rack.verify_callback(env, api_key: ARGV[2])
      print cb.uuid
    RUBY
    out = IO.popen([RbConfig.ruby, "-I", lib, "-e", script, JSON.generate(plain), body, api_key], &:read)
    assert_equal "u-42", out
  end

  def test_end_to_end_sandbox_callback_into_an_in_process_rack_app
    received = Queue.new
    inner = lambda do |env|
      received << [env[N::Rack::ENV_KEY], env["REQUEST_METHOD"], env["rack.input"].read]
      [200, {}, ["thanks"]]
    end
    server = ::MiniServer.new(N::Rack::CallbackVerifier.new(inner, api_key: api_key, path: "/authy/callback"))
    url = "http://127.0.0.1:#{server.port}/authy/callback"
    id = fresh_user
    %w[POST GET].each do |method|
      sandbox_config(callback_url: url, callback_method: method)
      uuid = client.create_approval_request(authy_id: id, message: "Log in (#{method})?",
                                            details: { "Browser" => "Firefox" }).approval_uuid
      decision = decide(uuid, "approve") # blocks until the sandbox delivered the callback to us
      assert_equal 200, decision.dig("callback", "http_status"), decision.body
      cb, seen_method, body = received.pop
      assert_equal method, seen_method
      assert cb.approved?
      assert_equal uuid, cb.uuid
      assert_equal id, cb.authy_id
      assert_equal "Firefox", cb.dig("approval_request", "transaction", "details", "Browser")
      refute_empty body if method == "POST" # the middleware left the body readable
    end
  ensure
    sandbox_config(callback_url: "") rescue nil
    server&.stop
  end
end
