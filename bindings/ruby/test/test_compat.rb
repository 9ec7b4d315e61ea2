# frozen_string_literal: true

require_relative "test_helper"
require "authy" # this gem's drop-in entry point (lib/authy.rb → libauthy/compat)

# The authy-ruby 3.x drop-in layer: same module methods, argument names and return objects.
# API errors are response objects with ok? false, as in authy-ruby; only "no answer" raises.
class TestCompat < Minitest::Test
  def setup
    Authy.api_key = api_key
    Authy.api_uri = "#{base_url}/" # authy-ruby users often configure a trailing slash
  end

  def test_configuration
    assert_equal "#{base_url}/", Authy.api_uri, "kept as set, like authy-ruby"
    assert_equal "#{base_url}/", Authy.api_url
    assert_equal api_key, Authy.api_key
    Authy.api_key = nil
    ENV["AUTHY_API_KEY"] = "from-env"
    assert_equal "from-env", Authy.api_key
  ensure
    ENV.delete("AUTHY_API_KEY")
  end

  def test_register_user_returns_a_user_hash_with_id
    phone = fresh_phone
    user = Authy::API.register_user(email: "bob@example.com", cellphone: phone, country_code: "1")
    assert_kind_of Authy::User, user
    assert_kind_of Hash, user
    assert user.ok?
    assert user.success?
    assert_kind_of Integer, user.id
    assert_equal user["id"], user.id
    assert_equal({}, user.errors)
    assert_equal({ "id" => user.id }, user.to_h, "the fields of the answer's user object, as authy-ruby")
    same = Authy::API.register_user(email: "bob@example.com", cellphone: phone, country_code: 1,
                                    send_install_link_via_sms: false)
    assert_equal user.id, same.id
    string_keys = Authy::API.register_user("email" => "bob@example.com", "cellphone" => phone, "country_code" => "1")
    assert_equal user.id, string_keys.id
  end

  def test_register_user_refused
    user = Authy::API.register_user(email: "bob@example.com", cellphone: "12", country_code: "1")
    refute user.ok?
    assert_equal 400, user.raw_response.status
    assert_equal "User was not valid", user.errors["message"]
    assert_equal "is invalid", user.errors["cellphone"]
    bad_email = Authy::API.register_user(email: nil, cellphone: fresh_phone, country_code: "1")
    refute bad_email.ok?
  end

  def test_verify
    id = fresh_user
    Authy::API.request_sms(id: id, force: true)
    code = last_code(id)
    good = Authy::API.verify(id: id, token: code)
    assert good.ok?
    assert_equal "is valid", good["token"]
    assert_equal "is valid", good.token
    wrong = Authy::API.verify(id: id, token: wrong_token(code))
    refute wrong.ok?
    assert_equal "Token is invalid", wrong.errors["message"]
    assert_equal "60020", wrong["error_code"]
    assert_equal 401, wrong.raw_response.status
    assert_equal "Token is invalid", wrong.error_msg
    format = Authy::API.verify(id: id, token: "12ab")
    refute format.ok?
    assert_equal "Token format is invalid", format.errors["message"]
    assert_equal "User id is invalid", Authy::API.verify(id: "abc", token: code).errors["message"]
    assert Authy::API.verify("id" => id.to_i, "token" => code.to_i.to_s.rjust(7, "0"), "force" => true).ok?
  end

  def test_sms_call_email_update_status_delete
    id = fresh_user
    register_device(id)
    ignored = Authy::API.request_sms(id: id)
    assert ignored.ok?
    assert ignored["ignored"]
    assert Authy::API.request_sms(id: id, force: true, locale: "es").ok?
    assert Authy::API.request_phone_call(id: id, force: true).ok?
    assert_equal "call", control("GET", "/sandbox/users/#{id}/last_code")["via"]
    assert Authy::API.update_user(id: id, email: "carol-#{id}@example.com").ok?
    email = Authy::API.request_email(id: id)
    assert email.ok?
    assert_equal "carol-#{id}@example.com", email["email"]
    status = Authy::API.user_status(id: id)
    assert status.ok?
    assert_equal id.to_i, status["status"]["authy_id"]
    assert_equal id.to_i, status.status["authy_id"], "method access goes to the body like authy-ruby"
    assert Authy::API.delete_user(id: id).ok?
    gone = Authy::API.user_status(id: id)
    refute gone.ok?
    assert_equal "User not found.", gone.errors["message"]
    assert_equal "user_id is blank.", Authy::API.request_sms(id: nil).errors["message"]
  end

  def test_qr_code
    id = fresh_user
    qr = Authy::API.request_qr_code(id: id, qr_size: 300, qr_label: "Example app")
    assert qr.ok?
    assert_match(%r{\Ahttps?://}, qr.qr_code)
    assert_equal "Qr image size is invalid", Authy::API.request_qr_code(id: id, qr_size: "big").errors["message"]
    assert_equal "User id is invalid", Authy::API.request_qr_code(id: "x").errors["message"]
  end

  def test_phone_verification
    phone = fresh_phone
    start = Authy::PhoneVerification.start(via: "carrier-pigeon", country_code: 1, phone_number: phone)
    assert start.ok?, start.body
    assert_match(/Text message sent/, start.message) # an unknown `via` means sms, as in authy-ruby
    code = phone_code("1", phone)
    wrong = Authy::PhoneVerification.check(verification_code: code == "1234" ? "4321" : "1234",
                                           country_code: 1, phone_number: phone)
    refute wrong.ok?
    assert_equal "60022", wrong["error_code"]
    assert Authy::PhoneVerification.check(verification_code: code, country_code: 1, phone_number: phone).ok?
    missing = Authy::PhoneVerification.start(via: "sms", phone_number: phone)
    refute missing.ok?
  end

  def test_onetouch
    id = fresh_user
    req = Authy::OneTouch.send_approval_request(
      id: id, message: "Login requested" + ("!" * 300),
      details: { "Email Address" => "x@example.com", "Long" => "v" * 500 },
      hidden_details: { ip: "192.0.2.1" },
      logos: [{ res: "default", url: "https://example.com/logo.png", extra: "dropped" }],
      seconds_to_expire: 300
    )
    assert req.ok?, req.body # the message cut at 200 characters, details sent as given, like authy-ruby
    uuid = req["approval_request"]["uuid"]
    assert_equal uuid, req.approval_request["uuid"]
    status = Authy::OneTouch.approval_request_status(uuid: uuid)
    assert status.ok?
    assert_equal "pending", status["approval_request"]["status"]
    decide(uuid, "approve")
    assert_equal "approved", Authy::OneTouch.approval_request_status(uuid: uuid)["approval_request"]["status"]
    assert_equal "message cannot be blank", Authy::OneTouch.send_approval_request(id: id, message: "").errors["message"]
    assert_equal "user id is invalid", Authy::OneTouch.send_approval_request(id: nil, message: "m").errors["message"]
    bad_logo = Authy::OneTouch.send_approval_request(id: id, message: "m", logos: [{ res: "default" }])
    assert_equal "Invalid parameters: Logo should include res and url", bad_logo.errors["message"]
    unknown = Authy::OneTouch.approval_request_status(uuid: "00000000-0000-0000-0000-000000000000")
    refute unknown.ok?
    assert_equal "60049", unknown["error_code"]
  end

  def test_per_call_api_key_and_wrong_key
    id = fresh_user
    assert Authy::API.user_status(id: id, api_key: api_key).ok?
    wrong = Authy::API.user_status(id: id, api_key: "not-the-key")
    refute wrong.ok?
    assert_equal 401, wrong.raw_response.status
    assert_equal "Invalid API key", wrong.errors["message"]
  end

  def test_other_options_are_sent_as_given_without_output
    id = fresh_user
    out, err = capture_io do
      assert Authy::API.user_status(id: id, user_ip: "192.0.2.1").ok?
      assert Authy::API.delete_user(id: id, user_ip: "192.0.2.1").ok?
    end
    assert_equal ["", ""], [out, err]
  end

  def test_no_answer_raises_like_an_http_client_would
    closed_port = TCPServer.new("127.0.0.1", 0).then { |s| port = s.addr[1]; s.close; port }
    Authy.api_uri = "http://127.0.0.1:#{closed_port}"
    assert_raises(Authy::Native::ConnectError) { Authy::API.user_status(id: 1) }
    Authy.api_uri = "http://example.com"
    assert_raises(Authy::Native::InvalidArgument) { Authy::API.user_status(id: 1) } # cleartext refused
  end

  def test_threads_share_the_compat_client
    ids = Array.new(8) { fresh_user }
    results = ids.map { |id| Thread.new { Array.new(5) { Authy::API.user_status(id: id)["status"]["authy_id"] } } }.map(&:value)
    assert_equal(ids.map { |id| [id.to_i] * 5 }, results)
  end
end
