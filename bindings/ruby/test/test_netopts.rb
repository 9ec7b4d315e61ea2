# frozen_string_literal: true

require_relative "test_helper"
require "rbconfig"
require "tmpdir"

# tls_roots: and proxy_from_env: against the sandbox binary. The platform trust store is read
# once per process, so that check runs in a child Ruby whose SSL_CERT_FILE is the CA of an
# HTTPS sandbox; proxy variables are read by Client.new only, so the proxy checks set ENV here.
class TestNetopts < Minitest::Test
  N = Authy::Native
  PROXY_VARS = %w[http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY].freeze

  def with_https_sandbox
    Dir.mktmpdir do |dir|
      ca = File.join(dir, "ca.pem")
      bin = ENV.fetch("AUTHY_SANDBOX_BIN", File.join(SandboxProcess::ROOT, "target/release/authy-sandbox"))
      reader, writer = IO.pipe
      pid = Process.spawn(bin, "--port", "0", "--api-key", api_key, "--quiet", "--tls-self-signed", "--ca-out", ca,
                          out: writer, err: File::NULL)
      writer.close
      begin
        assert IO.select([reader], nil, nil, 10), "the HTTPS sandbox printed no URL"
        url = reader.gets.to_s.strip
        assert url.start_with?("https://"), url
        yield url, ca, dir
      ensure
        Process.kill("TERM", pid)
        Process.wait(pid)
        reader.close
      end
    end
  end

  CHILD = <<~'RUBY'
    require "libauthy"
    url, key = ARGV
    platform = Authy::Native::Client.new(key, base_url: url, tls_roots: :platform)
    abort "platform roots: not ok" unless platform.app_details.ok?
    report = platform.health_check
    abort "health: #{report.inspect}" unless report.ok? && report.tls?
    bundled = Authy::Native::Client.new(key, base_url: url, tls_roots: :bundled)
    begin
      bundled.app_details
      abort "bundled roots trusted the sandbox's self-signed CA"
    rescue Authy::Native::TlsError
      nil
    end
    abort "health, bundled: #{bundled.health_check.inspect}" unless bundled.health_check.error_code == 202
    puts "child: ok"
  RUBY

  def test_platform_roots_in_a_child_process
    with_https_sandbox do |url, ca, dir|
      empty = File.join(dir, "empty")
      Dir.mkdir(empty)
      env = { "SSL_CERT_FILE" => ca, "SSL_CERT_DIR" => empty }
      lib = File.expand_path("../lib", __dir__)
      out = IO.popen(env, [RbConfig.ruby, "-I", lib, "-e", CHILD, url, api_key], err: %i[child out], &:read)
      assert $?.success? && out.include?("child: ok"), out
    end
  end

  def test_tls_roots_values_are_checked
    assert_raises(ArgumentError) { N::Client.new(api_key, base_url: base_url, tls_roots: :system) }
    assert_raises(TypeError) { N::Client.new(api_key, base_url: base_url, proxy_from_env: "yes") }
    N::Client.new(api_key, base_url: base_url, tls_roots: :platform, proxy_from_env: false).close
  end

  def test_proxy_from_env
    saved = PROXY_VARS.to_h { |v| [v, ENV[v]] }
    PROXY_VARS.each { |v| ENV.delete(v) }
    down = TCPServer.new("127.0.0.1", 0).then { |s| port = s.addr[1]; s.close; "http://127.0.0.1:#{port}" }
    ENV["http_proxy"] = down
    # The sandbox (on 127.0.0.1) as 0.0.0.0: not loopback by name, so the proxy applies.
    remote = { base_url: base_url.sub("127.0.0.1", "0.0.0.0"), allow_insecure_http: true }
    assert N::Client.new(api_key, **remote).app_details.ok?, "read without the option"
    e = assert_raises(N::ConnectError) { N::Client.new(api_key, **remote, proxy_from_env: true).app_details }
    refute e.request_sent?
    ENV["no_proxy"] = "0.0.0.0"
    assert N::Client.new(api_key, **remote, proxy_from_env: true).app_details.ok?, "no_proxy"
    ENV.delete("no_proxy")
    # A loopback base URL never goes through a proxy from the environment (Go's net/http rule).
    assert N::Client.new(api_key, base_url: base_url, proxy_from_env: true).app_details.ok?, "loopback"
    ENV.delete("http_proxy")
    ENV["HTTP_PROXY"] = down # never used (httpoxy)
    assert N::Client.new(api_key, **remote, proxy_from_env: true).app_details.ok?, "HTTP_PROXY used"
    ENV["http_proxy"] = "socks5://user:pr0xy-secret@127.0.0.1:1080"
    e = assert_raises(N::InvalidArgument) { N::Client.new(api_key, **remote, proxy_from_env: true) }
    assert_includes e.message, "http_proxy"
    refute_includes e.message + e.inspect, "pr0xy-secret"
  ensure
    saved&.each { |k, v| v.nil? ? ENV.delete(k) : ENV[k] = v }
  end
end
