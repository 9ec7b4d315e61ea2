# frozen_string_literal: true

require_relative "test_helper"

# The reliability surface: the new transport codes, Error#attempts / #request_sent? /
# #retry_after, the retries: option and Client#health_check, against the sandbox binary.
class TestReliability < Minitest::Test
  N = Authy::Native

  def closed_port_url
    port = TCPServer.new("127.0.0.1", 0).then { |s| p = s.addr[1]; s.close; p }
    "http://127.0.0.1:#{port}"
  end

  def requests_total
    control("GET", "/sandbox/requests")["total"]
  end

  def test_new_codes_have_names_and_classes
    { 103 => ["AUTHY_RESULT_ERROR_SLOT_IN_USE", N::InvalidArgument],
      205 => ["AUTHY_RESULT_CONNECT_TIMEOUT", N::ConnectTimeoutError],
      206 => ["AUTHY_RESULT_NO_RESPONSE", N::NoResponseError],
      207 => ["AUTHY_RESULT_TRUNCATED", N::TruncatedError] }.each do |code, (name, klass)|
      assert_equal name, N.result_name(code)
      refute_match(/unknown/, N.result_str(code))
      assert_equal klass, N.error_class_for(code)
      assert_operator klass, :<, N::TransportError if code >= 200
    end
    refute_operator N::ConnectTimeoutError, :<=, N::TimeoutError, "a connect timeout is not 'sent, then timed out'"
  end

  def test_faults_on_request_sms
    id = fresh_user
    prefix = "/protected/json/sms/"
    [["close", {}, N::NoResponseError, nil],
     ["truncated", {}, N::TruncatedError, nil],
     ["rate_limit", { retry_after: 2 }, N::RateLimited, 2]].each do |kind, extra, klass, retry_after|
      arm_fault(kind, path_prefix: prefix, **extra)
      before = requests_total
      e = assert_raises(klass, kind) { client.request_sms(authy_id: id, force: true) }
      assert e.request_sent?, "#{kind}: request_sent?"
      assert_equal 1, e.attempts, "#{kind}: attempts"
      if retry_after
        assert_equal retry_after, e.retry_after
        assert_kind_of Integer, e.retry_after
        assert_equal 429, e.http_status
      else
        assert_nil e.retry_after
        assert_kind_of N::TransportError, e
      end
      assert_equal 1, requests_total - before, "#{kind}: reached the sandbox once"
      assert_match(/attempts=1/, e.inspect)
      refute_includes e.inspect + e.message, api_key
      assert client.request_sms(authy_id: id, force: true).ok?, "#{kind}: the next call works"
    end
  end

  def test_error_before_io_and_api_answer
    e = assert_raises(N::InvalidArgument) { client.user_status(authy_id: "../1") }
    assert_equal 0, e.attempts
    refute e.request_sent?
    e = assert_raises(N::NotFound) { client.user_status(authy_id: "987654321") }
    assert_equal 1, e.attempts
    assert e.request_sent?
  end

  def test_retries_against_a_closed_port
    url = closed_port_url
    c = N::Client.new(api_key, base_url: url, retries: { attempts: 3, initial_backoff: 0.001, max_backoff: 0.005 })
    [-> { c.app_details }, -> { c.request_sms(authy_id: "1") }].each do |call|
      e = assert_raises(N::ConnectError) { call.call }
      assert_equal 3, e.attempts
      refute e.request_sent?
    end
    c.close
    flat = N::Client.new(api_key, base_url: url, retries: 2)
    assert_equal 2, assert_raises(N::ConnectError) { flat.app_details }.attempts
    none = N::Client.new(api_key, base_url: url)
    assert_equal 1, assert_raises(N::ConnectError) { none.app_details }.attempts
  end

  def test_retries_only_where_safe
    c = N::Client.new(api_key, base_url: base_url, retries: { attempts: 3, initial_backoff: 0.001, max_backoff: 0.01 })
    id = fresh_user
    arm_fault("status_5xx", path_prefix: "/protected/json/app/stats")
    assert c.app_stats.ok?, "a read recovers from one 503"
    arm_fault("status_5xx", path_prefix: "/protected/json/sms/")
    e = assert_raises(N::ServerError) { c.request_sms(authy_id: id, force: true) }
    assert_equal 1, e.attempts
    assert e.request_sent?
  ensure
    c&.close
  end

  def test_retries_option_is_checked
    assert_raises(N::InvalidArgument) { N::Client.new(api_key, base_url: base_url, retries: 0) }
    assert_raises(N::InvalidArgument) { N::Client.new(api_key, base_url: base_url, retries: 11) }
    assert_raises(N::InvalidArgument) do
      N::Client.new(api_key, base_url: base_url, retries: { attempts: 3, initial_backoff: 2, max_backoff: 1 })
    end
    assert_raises(ArgumentError) { N::Client.new(api_key, base_url: base_url, retries: -1) }
    assert_raises(ArgumentError) { N::Client.new(api_key, base_url: base_url, retries: { tries: 3 }) }
    assert_raises(ArgumentError) { N::Client.new(api_key, base_url: base_url, retries: { initial_backoff: 1 }) }
    assert_raises(ArgumentError) do
      N::Client.new(api_key, base_url: base_url, retries: { attempts: 2, initial_backoff: -1 })
    end
    assert_raises(TypeError) { N::Client.new(api_key, base_url: base_url, retries: "3") }
    assert_raises(TypeError) { N::Client.new(api_key, base_url: base_url, retries: { attempts: 2, max_backoff: "1" }) }
    # A long first wait lifts the default ceiling.
    N::Client.new(api_key, base_url: base_url, retries: { attempts: 2, initial_backoff: 5 }).close
  end

  def test_health_check_healthy
    r = client.health_check
    assert r.frozen?
    assert r.ok?
    assert_equal 0, r.error_code
    assert_equal "AUTHY_RESULT_OK", r.error_name
    assert_nil r.error
    refute r.tls?
    assert_kind_of Float, r.latency
    assert_operator r.latency, :>, 0
    refute_nil r.app_name
    refute_empty r.message
    assert_equal r.app_name, r.to_h[:app_name]
    assert_equal r.ok?, client.health_check(timeout: 5).ok?
  end

  def test_health_check_wrong_key
    key = "wrong-key-ruby-health-0000"
    c = N::Client.new(key, base_url: base_url)
    r = c.health_check
    refute r.ok?
    assert_equal 300, r.error_code
    assert_equal "AUTHY_RESULT_UNAUTHORIZED", r.error_name
    assert_kind_of N::Unauthorized, r.error
    assert_nil r.app_name
    refute_includes r.message, key
    refute_includes r.inspect, key
  ensure
    c&.close
  end

  def test_health_check_closed_port_and_closed_client
    c = N::Client.new(api_key, base_url: closed_port_url)
    r = c.health_check
    refute r.ok?
    assert_equal 200, r.error_code
    assert_kind_of N::ConnectError, r.error
    assert_kind_of N::TransportError, r.error
    c.close
    assert_raises(N::ClosedError) { c.health_check }
  end
end
