# frozen_string_literal: true

require_relative "test_helper"
require "authy" # this gem's drop-in entry point (lib/authy.rb → libauthy/compat)
require "ostruct"

# The drop-in against the public API of the official authy-ruby gem 3.0.1 (lib/authy.rb,
# lib/authy/{api,config,response,url_helpers,onetouch,phone_verification,version}.rb and
# lib/authy/models/user.rb) and of Authy::PhoneIntelligence of authy-ruby 2.7.x: every public
# method and constant exists with the gem's arity, and behaves as the gem's own specs
# (spec/authy/*_spec.rb) expect, replayed against the sandbox binary or, where a spec pins the
# exact request, against a local server that records what was sent.
class TestGemSurface < Minitest::Test
  # [receiver, method, arity] of authy-ruby's public singleton methods (Method#arity: 1 = one
  # required argument, -2 = one required and optional ones, -1 = only optional ones).
  GEM_METHODS = [
    [Authy, :api_key, 0], [Authy, :api_key=, 1], [Authy, :api_uri, 0], [Authy, :api_uri=, 1],
    [Authy, :api_url, 0], [Authy, :api_url=, 1], [Authy, :user_agent, 0], [Authy, :user_agent=, 1],
    [Authy::API, :register_user, 1], [Authy::API, :verify, 1], [Authy::API, :request_sms, 1],
    [Authy::API, :request_email, 1], [Authy::API, :update_user, 1], [Authy::API, :request_qr_code, 1],
    [Authy::API, :request_phone_call, 1], [Authy::API, :delete_user, 1], [Authy::API, :user_status, 1],
    [Authy::API, :post_request, -2], [Authy::API, :get_request, -2], [Authy::API, :build_error_response, -1],
    [Authy::API, :token_is_safe?, 1], [Authy::API, :is_digit?, 1], [Authy::API, :invalid_response, -1],
    [Authy::API, :verify_response, 1], [Authy::API, :default_header, -1], [Authy::API, :http_client, 0],
    # Authy::URL::ClassMethods, which Authy::API includes
    [Authy::API, :keys_to_verify, 2], [Authy::API, :clean_uri_params, 2], [Authy::API, :eval_uri, -2],
    [Authy::API, :validate_for_url, -2], [Authy::API, :escape_for_url, 1], [Authy::API, :to_param, 2],
    [Authy::API, :params_from_array, 2], [Authy::API, :escape_query, -2],
    [Authy::PhoneVerification, :start, 1], [Authy::PhoneVerification, :check, 1],
    [Authy::OneTouch, :send_approval_request, 1], [Authy::OneTouch, :approval_request_status, 1],
    [Authy::OneTouch, :clean_hash!, 1], [Authy::OneTouch, :clean_logos!, 1],
    # authy-ruby 2.7.x
    [Authy::PhoneIntelligence, :verification_start, 1], [Authy::PhoneIntelligence, :verification_check, 1],
    [Authy::PhoneIntelligence, :info, 1]
  ].freeze

  # Authy::Response / Authy::User instance methods and their arity.
  RESPONSE_METHODS = { id: 0, ok?: 0, code: 0, body: 0, errors: 0, error_msg: 0, raw_response: 0 }.freeze

  def setup
    Authy.api_key = api_key
    Authy.api_uri = base_url
    Authy.user_agent = nil
  end

  def teardown
    @server&.stop
  end

  # --- the surface ---------------------------------------------------------------------------

  def test_every_public_method_of_the_gem_exists_with_its_arity
    GEM_METHODS.each do |receiver, name, arity|
      assert receiver.respond_to?(name), "#{receiver}.#{name} is missing"
      assert_equal arity, receiver.method(name).arity, "#{receiver}.#{name} arity"
    end
    assert_equal [%i[key api_key], %i[key params]], Authy::API.method(:default_header).parameters
    RESPONSE_METHODS.each do |name, arity|
      [Authy::Response, Authy::User].each do |klass|
        assert klass.method_defined?(name), "#{klass}##{name} is missing"
        assert_equal arity, klass.instance_method(name).arity, "#{klass}##{name} arity"
      end
    end
    assert_equal 1, Authy::Response.instance_method(:initialize).arity
  end

  def test_constants_and_class_tree
    assert_equal "3.0.1", Authy::VERSION
    assert_equal 6, Authy::API::MIN_TOKEN_SIZE
    assert_equal 12, Authy::API::MAX_TOKEN_SIZE
    assert_equal 200, Authy::OneTouch::MAX_STRING_SIZE
    assert_kind_of Logger, Authy::AUTHY_LOGGER
    assert_operator Authy::Response, :<, Hash
    assert_operator Authy::User, :<, Authy::Response
    [Authy::PhoneVerification, Authy::OneTouch, Authy::PhoneIntelligence].each { |k| assert_operator k, :<, Authy::API }
    assert_includes Authy::API.included_modules, Authy::URL
    dummy = Class.new { include Authy::URL } # spec/authy/url_helpers_spec.rb's Dummy
    assert_equal "key=value", dummy.to_param("key", "value")
  end

  # --- spec/authy_spec.rb (configuration) ----------------------------------------------------

  def test_configuration_as_the_gem_spec
    Authy.api_key = nil
    ENV["AUTHY_API_KEY"] = "bar"
    assert_equal "bar", Authy.api_key
    Authy.api_key = "foo"
    assert_equal "foo", Authy.api_key
    Authy.api_url = "https://example.com/"
    assert_equal "https://example.com/", Authy.api_url, "the trailing slash is kept"
    assert_equal "https://example.com/", Authy.api_uri
    Authy.api_url = nil
    assert_equal "https://api.authy.com", Authy.api_url
    assert_equal "AuthyRuby/#{Authy::VERSION} (#{RUBY_PLATFORM}, Ruby #{RUBY_VERSION})", Authy.user_agent
    Authy.user_agent = "AuthyRuby NewUserAgent"
    assert_equal "AuthyRuby NewUserAgent", Authy.user_agent
  ensure
    ENV.delete("AUTHY_API_KEY")
  end

  def test_http_client_timeouts_and_proxy_apply
    id = fresh_user
    http = Authy::API.http_client
    assert_same http, Authy::OneTouch.http_client, "one shared client, as HTTPClient::IncludeClient"
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 1500)
    http.receive_timeout = 0.3
    assert_raises(Authy::Native::TimeoutError) { Authy::API.user_status(id: id) }
    http.receive_timeout = nil
    assert Authy::API.user_status(id: id).ok?
    http.proxy = "ftp://127.0.0.1:1" # reaches libauthy's client options, which refuse it
    e = assert_raises(Authy::Native::InvalidArgument) { Authy::API.user_status(id: id) }
    assert_match(/proxy/i, e.message)
  ensure
    http.receive_timeout = http.proxy = nil
  end

  def test_a_trailing_slash_on_the_url_still_reaches_the_api
    Authy.api_uri = "#{base_url}/"
    assert Authy::API.user_status(id: fresh_user).ok?
  end

  # --- spec/authy/response_spec.rb -------------------------------------------------------------

  def test_response_as_the_gem_spec
    fake = OpenStruct.new(body: { "v1" => "r1", "v2" => 42 }.to_json, status: 200)
    response = Authy::Response.new(fake)
    assert_equal 42, response["v2"]
    assert response.ok?
    assert_equal 200, response.code
    assert_equal "No error", response.error_msg
    assert_nil response.id, "the gem returns nil, not NoMethodError"
    assert_equal({}, response.errors)
    assert_equal "r1", response.v1
    assert_raises(NoMethodError) { response.v3 }
    fake.status = 401
    refute Authy::Response.new(fake).ok?
    fake.body = "invalid json"
    broken = Authy::Response.new(fake)
    assert_equal "invalid json", broken.error_msg
    assert_equal 401, broken.code
  end

  def test_user_as_the_gem_spec
    ok = Authy::User.new(OpenStruct.new(status: 200, body: '{"message":"User created successfully.","user":{"id":81547},"success":true}'))
    assert_equal 81_547, ok.id
    assert_equal({}, ok.errors)
    assert_nil Authy::User.new(OpenStruct.new(status: 400, body: "{}")).id
    garbage = Authy::User.new(OpenStruct.new(status: 502, body: "<html>Bad gateway</html>"))
    assert_empty garbage
    assert_equal({ "error" => "<html>Bad gateway</html>" }, garbage.errors)
  end

  # --- spec/authy/api_spec.rb ----------------------------------------------------------------

  def test_register_user_and_its_errors_as_the_api_returns_them
    user = Authy::API.register_user(email: "a#{rand(1 << 30)}@example.com", cellphone: fresh_phone, country_code: 1)
    assert_kind_of Authy::User, user
    assert_kind_of Integer, user.id
    assert_equal 200, user.code
    assert_equal "No error", user.error_msg

    bad = Authy::API.register_user(email: "not-an-email", cellphone: fresh_phone, country_code: 1)
    refute bad.ok?
    assert_empty bad, "a failed register_user keeps the user empty"
    assert_nil bad.id
    assert_equal 400, bad.code
    assert_equal({ "email" => "is invalid", "message" => "User was not valid" }, bad.errors)
    assert_equal bad.body, bad.error_msg, "error_msg is the raw body"
    assert_equal "60027", JSON.parse(bad.body)["error_code"]

    # Formats the API accepts are sent, not refused locally (issue #13 §1).
    assert Authy::API.register_user(email: "c@example.com", cellphone: "(555) 867-#{rand(1000..9999)}", country_code: 1).ok?

    wrong_key = Authy::API.register_user(email: "a@example.com", cellphone: fresh_phone, country_code: 1,
                                         api_key: "invalid_api_key")
    refute wrong_key.ok?
    assert_match(/invalid api key/i, wrong_key.errors["message"])
    assert Authy::API.register_user(email: "b@example.com", cellphone: fresh_phone, country_code: 1,
                                    send_install_link_via_sms: false).ok?
  end

  def test_verify_as_the_gem_spec
    id = fresh_user
    format = Authy::API.verify(token: "invalid_token", id: id)
    refute format.ok?
    assert_equal "Token format is invalid", format.errors["message"]
    assert_equal "Token format is invalid", Authy::API.verify(id: id)["message"]
    assert_equal "Token format is invalid", Authy::API.verify({}).message
    assert_equal "Token format is invalid", Authy::API.verify(token: "0000", id: id).errors["message"]
    Authy::API.verify(token: "[=#%@$&#(!@);.,", id: id)
    Authy::API.verify(token: "token with space", id: id)
    assert_equal "User id is invalid", Authy::API.verify(token: "123456", id: "tony").errors["message"]
    wrong_key = Authy::API.verify(token: "123456", id: id, api_key: "invalid_api_key")
    assert_match(/invalid api key/i, wrong_key.errors["message"])
    Authy::API.request_sms(id: id, force: true)
    code = last_code(id)
    assert Authy::API.verify(id: id, token: code).ok?
    assert Authy::API.verify("id" => id, "token" => code).ok?, "String keys, as the gem reads them"
    wrong = Authy::API.verify(id: id, token: wrong_token(code))
    refute wrong.ok?
    assert_equal 401, wrong.code
    assert_equal "Token is invalid", wrong.error_msg
  end

  def test_token_is_safe
    refute Authy::API.token_is_safe?("1")
    assert Authy::API.token_is_safe?("123456")
    refute Authy::API.token_is_safe?("123456a")
    assert Authy::API.token_is_safe?("123456789098")
    refute Authy::API.token_is_safe?("1234567890987")
    assert Authy::API.is_digit?(42)
    refute Authy::API.is_digit?("tony")
  end

  def test_qr_code_as_the_gem_spec
    id = fresh_user
    assert Authy::API.request_qr_code(id: id, qr_size: 300, qr_label: "example app name").ok?
    assert_equal "User id is invalid", Authy::API.request_qr_code(id: "tony").errors["message"]
    assert_equal "Qr image size is invalid", Authy::API.request_qr_code(id: id, qr_size: "notanumber").errors["message"]
  end

  def test_sms_and_phone_call_as_the_gem_spec
    id = fresh_user
    %i[request_sms request_phone_call].each do |method|
      assert Authy::API.public_send(method, id: id).ok?
      assert_match(/invalid api key/i, Authy::API.public_send(method, id: id, api_key: "invalid_api_key").errors["message"])
      custom = Authy::API.public_send(method, id: id, action: "custom action?", action_message: "Action message $%^?@#")
      assert custom.ok?, custom.body
      missing = Authy::API.public_send(method, id: "tony")
      refute missing.ok?
      assert_equal "User not found.", missing.errors["message"]
      assert_equal "user_id is blank.", Authy::API.public_send(method, id: nil).message
    end
  end

  def test_phone_call_locale_is_sent
    id = fresh_user
    call = Authy::API.request_phone_call(id: id, force: true, locale: "es")
    assert call.ok?, call.body
    assert_equal "call", control("GET", "/sandbox/users/#{id}/last_code")["via"]
  end

  def test_delete_user_and_user_status_as_the_gem_spec
    assert_equal "User not found.", Authy::API.delete_user(id: "tony").errors["message"]
    assert_equal "User not found.", Authy::API.user_status(id: "tony").errors["message"]
    assert_equal "user_id is blank.", Authy::API.delete_user(id: nil).message
    id = fresh_user
    status = Authy::API.user_status(id: id)
    assert status.ok?
    assert_kind_of Hash, status.status
    deleted = Authy::API.delete_user(id: id)
    assert deleted.ok?
    assert_equal "User removed from application", deleted.message
  end

  def test_email_and_update_user
    id = fresh_user
    assert_equal "User was updated successfully", Authy::API.update_user(id: id, email: "new-#{id}@example.com").message
    email = Authy::API.request_email(id: id)
    assert email.ok?
    assert_equal "new-#{id}@example.com", email.email
    assert_equal "User not found.", Authy::API.update_user(id: "999999999", email: "x@example.com").errors["message"]
  end

  def test_generic_requests_are_public
    details = Authy::API.get_request("protected/json/app/details")
    assert details.ok?
    assert_equal "Authy Sandbox", details.app["name"]
    id = fresh_user
    assert Authy::API.post_request("protected/json/users/:user_id/update", "user_id" => id, email: "g@example.com").ok?
    assert_equal "user_id is blank.", Authy::API.get_request("protected/json/users/:user_id/status", {}).message
    error = Authy::API.build_error_response("boom")
    assert_equal 400, error.status
    assert_equal({ "success" => false, "message" => "boom", "errors" => { "message" => "boom" } }, JSON.parse(error.body))
    assert_equal "Invalid resonse", Authy::API.invalid_response.message, "the gem's default text"
    assert_equal "Token is invalid", Authy::API.verify_response(Authy::Response.new(OpenStruct.new(status: 200, body: "{}"))).message
    assert_equal({ "X-Authy-API-Key" => "k2", "User-Agent" => Authy.user_agent },
                 Authy::API.default_header(api_key: "k1", params: { api_key: "k2" }))
  end

  def test_url_helpers
    assert_equal %w[token user_id], Authy::API.keys_to_verify("protected/json/verify/:token/:user_id", {})
    assert_equal "protected/json/sms/12", Authy::API.eval_uri("protected/json/sms/:user_id", "user_id" => " 12 ")
    assert_equal "a%20b%2F", Authy::API.escape_for_url("a b/")
    assert_equal [false, "user_id is blank."], Authy::API.validate_for_url(["user_id"], "user_id" => " ")
    assert_equal [true, ""], Authy::API.validate_for_url(["user_id"], "user_id" => 1)
    assert_equal({ force: true }, Authy::API.clean_uri_params(["user_id"], "user_id" => 1, force: true))
    assert_equal ["da+key%5B%5D=one", "da+key%5B%5D=two"], Authy::API.params_from_array("da key", %w[one two])
    assert_equal "user%5Bemail%5D=a%40b.c&user%5Bcellphone%5D=555+1&send_install_link_via_sms=true",
                 Authy::API.escape_query(user: { email: "a@b.c", cellphone: "555 1" }, send_install_link_via_sms: true)
    assert_equal "logos%5B%5D%5Bres%5D=low&logos%5B%5D%5Burl%5D=http%3A%2F%2Ffoo.bar",
                 Authy::API.escape_query(logos: [{ res: "low", url: "http://foo.bar" }])
  end

  # --- spec/authy/onetouch_spec.rb -----------------------------------------------------------

  def test_onetouch_as_the_gem_spec
    id = fresh_user
    full = Authy::OneTouch.send_approval_request(
      id: id, message: "You are moving 10 BTC from your account",
      details: { "Bank account" => "23527922", "Amount" => "10 BTC" }, hidden_details: { "IP Address" => "192.168.0.3" },
      logos: [{ res: "low", url: "http://foo.bar" }], seconds_to_expire: 150
    )
    assert full.ok?, full.body
    uuid = full.approval_request["uuid"]
    status = Authy::OneTouch.approval_request_status(uuid: uuid)
    assert status.ok?
    assert_equal "pending", status.approval_request["status"]
    assert Authy::OneTouch.send_approval_request(id: id, message: "You are moving 10 BTC from your account").ok?
    assert_equal "message cannot be blank", Authy::OneTouch.send_approval_request(id: id, details: { "a" => "b" }).message
    assert_equal "message cannot be blank", Authy::OneTouch.send_approval_request(id: "x").message, "checked first"
    assert_equal "user id is invalid", Authy::OneTouch.send_approval_request(id: "x", message: "m").message
    assert_equal "Invalid parameters: Array expected. Got String",
                 Authy::OneTouch.send_approval_request(id: id, message: "m", logos: "logo.png").message
    assert_equal "Invalid parameters: Hash expected. Got: String",
                 Authy::OneTouch.send_approval_request(id: id, message: "m", details: "d").message
    assert_equal "Invalid parameters: Logo should include res and url",
                 Authy::OneTouch.send_approval_request(id: id, message: "m", logos: [{ res: "low" }]).message
    unknown = Authy::OneTouch.approval_request_status(uuid: "00000000-0000-0000-0000-000000000000")
    refute unknown.ok?
    assert_equal 404, unknown.code
  end

  # --- spec/authy/phone_verification_spec.rb and 2.7.x phone_intelligence_spec.rb -------------

  def test_phone_verification_as_the_gem_spec
    phone = fresh_phone
    sms = Authy::PhoneVerification.start(via: "sms", country_code: "1", phone_number: phone, code_length: "4")
    assert sms.ok?, sms.body
    assert_match(/Text message sent to \+1/, sms.message)
    required = Authy::PhoneVerification.start(via: "sms", phone_number: phone)
    refute required.ok?
    assert_match(/country_code - Parameter is required/, required.errors["message"])
    invalid = Authy::PhoneVerification.start(via: "sms", country_code: "1", phone_number: "123")
    assert_equal "Phone number is invalid", invalid.errors["message"]
    code = phone_code("1", phone)
    wrong = Authy::PhoneVerification.check(country_code: "1", phone_number: phone, verification_code: code == "1234" ? "4321" : "1234")
    assert_equal "Verification code is incorrect", wrong.message
    assert_equal "Verification code is correct.", Authy::PhoneVerification.check(country_code: "1", phone_number: phone, verification_code: code).message
    none = Authy::PhoneVerification.check(country_code: "1", phone_number: fresh_phone, verification_code: "1234")
    assert_equal 404, none.code
    assert_match(/No pending verifications/, none.message)
    assert_equal "Phone number is invalid", Authy::PhoneVerification.check(country_code: "1", phone_number: "123", verification_code: "1234").message
  end

  def test_phone_intelligence_of_authy_ruby_2_7
    phone = fresh_phone
    call = Authy::PhoneIntelligence.verification_start(via: "call", country_code: 1, phone_number: phone)
    assert call.ok?, call.body
    code = phone_code("1", phone)
    assert Authy::PhoneIntelligence.verification_check(country_code: 1, phone_number: phone, verification_code: code).ok?
    info = Authy::PhoneIntelligence.info(country_code: 1, phone_number: phone)
    assert info.ok?, info.body
    assert_match(/Phone number information/, info.message)
    assert_includes %w[cellphone landline voip unknown], info.type
    refute_nil info.provider
    assert_includes [true, false], info.ported
    required = Authy::PhoneIntelligence.verification_start(via: "sms", phone_number: phone)
    refute required.ok?
    assert_match(/country_code/, required.errors["message"])
    refute Authy::PhoneIntelligence.verification_start(via: "sms", country_code: "1", phone_number: "123").ok?
  end

  # --- what goes on the wire (a local server records the requests) ---------------------------

  def recorder(answers)
    requests = Queue.new
    @server = MiniServer.new(lambda do |env|
      requests << { method: env["REQUEST_METHOD"], path: env["PATH_INFO"], query: env["QUERY_STRING"],
                    body: env["rack.input"].read, key: env["HTTP_X_AUTHY_API_KEY"], agent: env["HTTP_USER_AGENT"] }
      answers.shift || [200, { "content-type" => "application/json" }, ['{"success":true}']]
    end)
    Authy.api_uri = "http://127.0.0.1:#{@server.port}/"
    requests
  end

  def test_requests_are_the_gems_requests
    requests = recorder([])
    Authy.user_agent = "DeviseAuthy/2.3.1 - #{Authy.user_agent}"
    Authy::API.register_user(email: "a@b.c", cellphone: "555 123", country_code: 1)
    sent = requests.pop
    assert_equal ["POST", "/protected/json/users/new", api_key], sent.values_at(:method, :path, :key)
    assert_equal Authy::API.escape_query(user: { email: "a@b.c", cellphone: "555 123", country_code: 1 },
                                         send_install_link_via_sms: true), sent[:body]
    assert sent[:agent].end_with?(" #{Authy.user_agent}"), sent[:agent]

    Authy::API.request_sms(id: 81_547, api_key: "other-key", unknown_option: "kept")
    sent = requests.pop
    assert_equal ["GET", "/protected/json/sms/81547", "unknown_option=kept", "other-key"],
                 sent.values_at(:method, :path, :query, :key)
    Authy::API.verify(id: 81_547, token: "1234567", action: "login")
    assert_equal ["/protected/json/verify/1234567/81547", "action=login&force=true"], requests.pop.values_at(:path, :query)
    Authy::API.request_qr_code(id: 81_547, qr_size: 300, qr_label: "example app name")
    assert_equal ["/protected/json/users/81547/secret", "qr_size=300&label=example+app+name"],
                 requests.pop.values_at(:path, :body)
    params = { message: "You are moving 10 BTC from your account", details: { "Bank account" => "23527922" },
               logos: [{ res: "low", url: "http://foo.bar" }], seconds_to_expire: 150 }
    Authy::OneTouch.send_approval_request(params.merge(id: 81_547))
    sent = requests.pop
    assert_equal "/onetouch/json/users/81547/approval_requests", sent[:path]
    assert_equal Authy::API.escape_query(params), sent[:body]
    Authy::PhoneVerification.check(country_code: "1", phone_number: "201-555-0123", verification_code: "0000")
    assert_equal "country_code=1&phone_number=201-555-0123&verification_code=0000", requests.pop[:query]
  end

  def test_raw_response_has_the_answers_headers
    recorder([[200, { "content-type" => "application/json", "x-request-id" => "req-42" }, ['{"success":true}']]])
    response = Authy::API.user_status(id: 1)
    assert_equal "req-42", response.raw_response.headers["x-request-id"]
    assert_equal ["req-42"], response.raw_response.header["X-Request-Id"], "as HTTP::Message#header[name]"
    assert_equal [], response.raw_response.http_header["X-Absent"]
    assert_equal 200, response.raw_response.status
    assert response.raw_response.ok?
    assert_equal({}, Authy::API.verify(id: 1, token: "1").raw_response.headers, "a client-side refusal has none")
  end

  def test_a_verification_cut_off_or_not_json_fails_closed_without_raising
    ['{"token":"is va', "<html>maintenance</html>", "", '{"token":"is invalid"}', "[]"].each do |body|
      recorder([[200, { "content-type" => "application/json" }, [body]]])
      response = Authy::API.verify(id: 81_547, token: "1234567")
      refute response.ok?, body
      assert_equal "Token is invalid", response.errors["message"]
      @server.stop
      @server = nil
    end
    recorder([[200, {}, ["<html>ok</html>"]]])
    other = Authy::API.request_sms(id: 1)
    assert other.ok?, "authy-ruby: a 200 is ok? even when its body is not JSON"
    assert_equal "invalid json", other.message
  end
end
