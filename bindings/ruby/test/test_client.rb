# frozen_string_literal: true

require_relative "test_helper"

# Every endpoint of Authy::Native::Client against the sandbox binary, success and failure.
class TestClient < Minitest::Test
  N = Authy::Native

  def test_library_version_and_result_codes
    assert_match(/\A\d+\.\d+\.\d+\z/, N.library_version)
    assert_equal "AUTHY_RESULT_TOKEN_INVALID", N.result_name(307)
    assert_equal "AUTHY_RESULT_UNKNOWN", N.result_name(9999)
    refute_empty N.result_str(203)
    assert_equal ["User not found", 404], N.catalog_lookup("60026")
    assert_nil N.catalog_lookup("1")
    assert_nil N.catalog_lookup("not a number")
  end

  def test_reads_come_from_the_library_endpoint_table
    assert Authy::Native.read?("GET", "/protected/json/users/42/status")
    assert Authy::Native.read?("GET", "/onetouch/json/approval_requests/abc-123")
    refute Authy::Native.read?("GET", "/protected/json/sms/42")
    refute Authy::Native.read?("POST", "/protected/json/users/42/status")
    refute Authy::Native.read?("GET", "/sandbox/requests")
  end

  def test_create_user_is_idempotent_and_status_reads_back
    phone = fresh_phone
    first = client.create_user(email: "alice@example.com", cellphone: phone, country_code: "1")
    assert first.ok?
    assert_equal 200, first.status
    assert_match(/\A\d+\z/, first.user_id)
    assert_equal first.user_id.to_i, first["user"]["id"]
    again = client.register_user(email: "alice@example.com", cellphone: phone, country_code: 1,
                                 send_install_link_via_sms: false)
    assert_equal first.user_id, again.user_id

    status = client.user_status(authy_id: first.user_id.to_i)
    assert_equal first.user_id, status.user_id
    assert_equal "XXX-XXX-#{phone[-4..]}", status.dig(:status, :phone_number)
    assert_equal({}, status.errors)
    assert_equal "User status.", status.message
  end

  # Issue 13: what the API judges (an e-mail, a phone number) is sent, and its own refusal
  # comes back; only what cannot be sent safely is refused before sending.
  def test_invalid_user_is_refused_by_the_api
    before = control("GET", "/sandbox/requests")["requests"]["POST /protected/json/users/new"].to_i
    e = assert_raises(N::InvalidParameters) do
      client.create_user(email: "not-an-email", cellphone: fresh_phone, country_code: "1")
    end
    assert_equal 303, e.code
    assert_equal 400, e.http_status
    assert_equal "60027", e.authy_code
    assert_raises(N::InvalidParameters) { client.create_user(email: "a@example.com", cellphone: "12") }
    assert_raises(N::InvalidArgument) { client.create_user(email: "a@example.com\r\n", cellphone: "12") }
    after = control("GET", "/sandbox/requests")["requests"]["POST /protected/json/users/new"].to_i
    assert_equal before + 2, after, "nothing may be sent for a refused argument"
  end

  def test_sms_then_verify
    id = fresh_user
    sms = client.request_sms(authy_id: id, force: true)
    refute sms.ignored?
    assert_match(/\A\+1-XXX-XXX-XX\d\d\z/, sms.cellphone)
    code = last_code(id)
    valid = client.verify_token(authy_id: id, token: code)
    assert valid.ok?
    assert_equal "is valid", valid["token"]
    assert client.valid_token?(authy_id: id, token: code)
    refute client.valid_token?(authy_id: id, token: wrong_token(code))
  end

  def test_wrong_token_raises_token_invalid_with_details
    id = fresh_user
    client.request_sms(authy_id: id, force: true)
    code = last_code(id)
    e = assert_raises(N::TokenInvalid) { client.verify_token(authy_id: id, token: wrong_token(code)) }
    assert_equal 307, e.code
    assert_equal "AUTHY_RESULT_TOKEN_INVALID", e.code_name
    assert_equal 401, e.http_status
    assert_equal "60020", e.authy_code
    assert_equal "is invalid", JSON.parse(e.body)["token"]
    assert_kind_of N::ApiError, e
    assert_kind_of N::Error, e
    assert_kind_of StandardError, e
    assert_includes e.inspect, "60020"
  end

  def test_sms_and_call_are_ignored_for_app_users_unless_forced
    id = fresh_user
    register_device(id)
    assert client.request_sms(authy_id: id).ignored?
    refute client.request_sms(authy_id: id, force: true).ignored?
    assert client.request_call(authy_id: id).ignored?
    call = client.request_phone_call(authy_id: id, force: true)
    refute call.ignored?
    assert_equal "call", control("GET", "/sandbox/users/#{id}/last_code")["via"]
    assert client.valid_token?(authy_id: id, token: app_token(id))
  end

  def test_custom_action_code_only_verifies_with_its_action
    id = fresh_user
    client.request_sms(authy_id: id, force: true, action: "login", action_message: "Log in", locale: "en")
    code = last_code(id)
    refute client.valid_token?(authy_id: id, token: code)
    assert client.valid_token?(authy_id: id, token: code, action: "login")
  end

  def test_email_token_and_update_email
    id = fresh_user
    updated = client.update_user_email(authy_id: id, email: "new-#{id}@example.com")
    assert_equal "User was updated successfully", updated.message
    sent = client.request_email(authy_id: id)
    assert_equal "new-#{id}@example.com", sent["email"]
    assert client.valid_token?(authy_id: id, token: last_code(id))
  end

  def test_register_activity
    id = fresh_user
    resp = client.register_activity(authy_id: id, type: "password_reset", user_ip: "192.0.2.1",
                                    data: { "reason" => "forgot" })
    assert_equal "Activity was created.", resp.message
    assert_raises(N::Error) { client.register_activity(authy_id: id, type: "dancing") }
  end

  def test_qr_code_and_registration_status
    id = fresh_user
    qr = client.generate_qr_code(authy_id: id, qr_size: 250, label: "Example")
    assert_match(%r{\Ahttps?://}, qr.qr_code)
    reg = client.registration_status(custom_user_id: id)
    assert reg.ok?
    assert_raises(N::NotFound) { client.registration_status(custom_user_id: "999999999") }
  end

  def test_delete_user_then_not_found
    id = fresh_user
    assert_equal "User removed from application", client.delete_user(authy_id: id).message
    e = assert_raises(N::NotFound) { client.user_status(authy_id: id) }
    assert_equal 404, e.http_status
    assert_equal "60026", e.authy_code
    assert_equal "User not found", e.authy_meaning
  end

  def test_phone_verification_flow
    phone = fresh_phone
    start = client.start_phone_verification(country_code: 1, phone_number: phone, via: "sms", code_length: 6)
    assert start.verification_uuid
    assert_operator start.seconds_to_expire, :>, 0
    status = client.phone_verification_status(uuid: start.verification_uuid)
    assert_equal "pending", status["status"]
    code = phone_code("1", phone)
    assert_equal 6, code.size
    wrong = code == "123456" ? "654321" : "123456"
    e = assert_raises(N::Unauthorized) { client.check_phone_verification(country_code: "1", phone_number: phone, code: wrong) }
    assert_equal "60022", e.authy_code
    ok = client.check_phone_verification(country_code: "1", phone_number: phone, code: code)
    assert_equal "Verification code is correct.", ok.message
    by_number = client.phone_verification_status(country_code: "1", phone_number: phone)
    assert_equal "verified", by_number["status"]
    e = assert_raises(N::NotFound) { client.check_phone_verification(country_code: "1", phone_number: phone, code: code) }
    assert_equal "60023", e.authy_code
    assert_raises(N::InvalidArgument) { client.phone_verification_status }
  end

  def test_phone_info
    info = client.phone_info(country_code: "1", phone_number: fresh_phone)
    assert_includes %w[cellphone landline voip unknown], info["type"]
    assert_match(/Phone number information as of/, info.message)
  end

  def test_onetouch_approve_and_wait
    id = fresh_user
    req = client.create_approval_request(
      authy_id: id, message: "Log in to Example?",
      details: { "Location" => "Paris, France" }, hidden_details: { session: "s-1" },
      logos: [{ res: "default", url: "https://example.com/logo.png" }], seconds_to_expire: 300
    )
    uuid = req.approval_uuid
    assert_match(/\A[0-9a-f-]{36}\z/, uuid)
    assert_equal "pending", client.approval_request_status(uuid: uuid).approval_status
    decide(uuid, "approve")
    wait = client.wait_for_approval(uuid: uuid, interval: 0.05, max_wait: 10)
    assert wait.approved?
    assert_equal :approved, wait.status
    assert_equal "approved", wait.response.approval_status
  end

  def test_onetouch_denied_and_timed_out
    id = fresh_user
    denied = client.send_approval_request(authy_id: id, message: "Pay 10 EUR?").approval_uuid
    decide(denied, "deny")
    assert client.wait_for_approval_request(uuid: denied, interval: 0.05, max_wait: 10).denied?
    pending = client.create_approval_request(authy_id: id, message: "Still there?").approval_uuid
    assert_equal :timed_out, client.wait_for_approval(uuid: pending, interval: 0.02, max_wait: 0.1).status
    e = assert_raises(N::NotFound) { client.approval_request_status(uuid: "00000000-0000-0000-0000-000000000000") }
    assert_equal "60049", e.authy_code
  end

  def test_app_details_and_stats
    details = client.app_details
    refute_nil details.dig("app", "name")
    assert_match(%r{\Aapplication/json}, details.headers["content-type"])
    assert_equal details.body.bytesize.to_s, details.headers["content-length"]
    assert details.headers.frozen?
    stats = client.app_stats
    assert_kind_of Array, stats["stats"]
    assert_kind_of Integer, stats.dig("stats", 0, "users_count")
  end

  def test_raw_request_returns_any_answer
    resp = client.request("GET", "/protected/json/no/such/route")
    refute resp.ok?
    assert_equal 404, resp.status
    assert_match(/Requested URL was not found/, resp.errors["message"])
    assert_equal resp.data, resp.to_h
    ok = client.request(:get, "/protected/json/app/details")
    assert ok.ok?
    assert resp.frozen?
  end

  def test_unauthorized_key_never_leaks
    secret = "wrong-key-#{rand(1 << 30)}-secret"
    bad = N::Client.new(secret, base_url: base_url)
    e = assert_raises(N::Unauthorized) { bad.app_details }
    assert_equal 401, e.http_status
    assert_equal "60001", e.authy_code
    [e.message, e.inspect, e.body.to_s, bad.inspect, bad.to_s].each { |text| refute_includes text, secret }
    refute bad.instance_variables.any? { |iv| bad.instance_variable_get(iv).to_s.include?(secret) }
  end

  def test_fail_open_verdicts
    id = fresh_user
    client.request_sms(authy_id: id, force: true)
    code = last_code(id)
    assert_equal :valid, client.verify_token_fail_open(authy_id: id, token: code)
    assert_raises(N::TokenInvalid) { client.verify_token_fail_open(authy_id: id, token: wrong_token(code)) }
    arm_fault("close", path_prefix: "/protected/json/verify/#{wrong_token(code)}/#{id}")
    assert_equal :accepted_api_unreachable,
                 client.verify_token_fail_open(authy_id: id, token: wrong_token(code), policy: %i[transport_error])
    arm_fault("close", path_prefix: "/protected/json/verify/#{wrong_token(code)}/#{id}")
    assert_raises(N::TransportError) do
      client.verify_token_fail_open(authy_id: id, token: wrong_token(code), policy: :none)
    end
    assert_raises(ArgumentError) { client.verify_token_fail_open(authy_id: id, token: code, policy: :sometimes) }
  end

  def test_faults_map_to_their_exceptions
    id = fresh_user
    prefix = "/protected/json/users/#{id}/status"
    arm_fault("rate_limit", path_prefix: prefix)
    e = assert_raises(N::RateLimited) { client.user_status(authy_id: id) }
    assert_equal 429, e.http_status
    arm_fault("status_5xx", path_prefix: prefix, status: 502)
    e = assert_raises(N::ServerError) { client.user_status(authy_id: id) }
    assert_equal 502, e.http_status
    arm_fault("invalid_json", path_prefix: prefix)
    assert_raises(N::DecodeError) { client.user_status(authy_id: id) }
    # ("close" on a read may be resent at once, as on a stale keep-alive connection:
    # test_reliability.rb checks it on a call with a side effect.)
    arm_fault("truncated", path_prefix: prefix)
    assert_raises(N::TruncatedError) { client.user_status(authy_id: id) }
    assert_equal id, client.user_status(authy_id: id).user_id
  end

  def test_client_timeout_and_connect_errors
    id = fresh_user
    quick = N::Client.new(api_key, base_url: base_url, timeout: 0.3, connect_timeout: 0.3)
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 2000)
    e = assert_raises(N::TimeoutError) { quick.user_status(authy_id: id) }
    assert_equal 203, e.code
    assert_kind_of N::TransportError, e
    closed_port = TCPServer.new("127.0.0.1", 0).then { |s| port = s.addr[1]; s.close; port }
    refused = N::Client.new(api_key, base_url: "http://127.0.0.1:#{closed_port}")
    assert_raises(N::ConnectError) { refused.app_details }
  end

  def test_secondary_base_url_is_used_when_primary_refuses
    closed_port = TCPServer.new("127.0.0.1", 0).then { |s| port = s.addr[1]; s.close; port }
    failover = N::Client.new(api_key, base_url: "http://127.0.0.1:#{closed_port}", secondary_base_url: base_url,
                                      user_agent_suffix: "libauthy-ruby-test/1", max_idle_connections_per_host: 4,
                                      allow_insecure_http: false)
    assert failover.app_details.ok?
  end

  def test_per_call_timeout
    id = fresh_user
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 2000)
    assert_raises(N::TimeoutError) { client.user_status(authy_id: id, timeout: 0.3) }
    assert_equal id, client.user_status(authy_id: id, timeout: 5).user_id
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 300)
    assert_equal id, client.user_status(authy_id: id, timeout: 5).user_id # longer than nothing, shorter than 10 s
  end

  def test_close_is_idempotent_and_waits_for_calls_in_flight
    c = N::Client.new(api_key, base_url: base_url)
    id = fresh_user
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 500)
    in_flight = Thread.new { c.user_status(authy_id: id) }
    Thread.pass until c.instance_variable_get(:@in_flight) == 1 || !in_flight.alive?
    assert in_flight.alive?, "the call is still waiting for its 500 ms answer"
    c.close # returns only once the C call in flight has returned
    assert_equal id, in_flight.value.user_id # the call finished on a live client
    assert c.closed?
    c.close
    e = assert_raises(N::ClosedError) { c.app_details }
    assert_kind_of N::Error, e
  end

  def test_exception_hierarchy
    assert_operator N::Error, :<, StandardError
    [N::InvalidArgument, N::TransportError, N::ApiError, N::DecodeError, N::InternalError,
     N::SignatureInvalid].each { |k| assert_operator k, :<, N::Error }
    [N::ConnectError, N::DnsError, N::TlsError, N::TimeoutError, N::IoError].each { |k| assert_operator k, :<, N::TransportError }
    [N::Unauthorized, N::RateLimited, N::NotFound, N::InvalidParameters, N::Conflict, N::ServerError,
     N::TokenInvalid].each { |k| assert_operator k, :<, N::ApiError }
    assert_equal N::TransportError, N.error_class_for(299)
    assert_equal N::ApiError, N.error_class_for(306)
    assert_equal N::Error, N.error_class_for(999)
  end
end
