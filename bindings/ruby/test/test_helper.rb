# frozen_string_literal: true

# Shared by every test: one authy-sandbox BINARY for the whole run (started on --port 0, its
# first stdout line is the base URL), a client on it, and helpers that play the user's phone
# through the sandbox's /sandbox/... control API.
#
# Environment: AUTHY_SANDBOX_BIN (default ../../target/release/authy-sandbox from this gem),
# LIBAUTHY_PATH (the library; default: the build tree), AUTHY_API_KEY.
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
require "minitest/autorun"
require "json"
require "socket"
require "stringio"
require "libauthy"

module SandboxProcess
  ROOT = File.expand_path("../../..", __dir__)
  KEY = ENV.fetch("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef")

  class << self
    attr_reader :url, :pid

    def start
      return @url if @url

      bin = ENV.fetch("AUTHY_SANDBOX_BIN", File.join(ROOT, "target/release/authy-sandbox"))
      raise "authy-sandbox not found at #{bin} (cargo build --release --workspace)" unless File.executable?(bin)

      reader, writer = IO.pipe
      @pid = Process.spawn(bin, "--port", "0", "--api-key", KEY, "--quiet", out: writer, err: File::NULL)
      writer.close
      raise "authy-sandbox did not print its URL within 10 s" unless IO.select([reader], nil, nil, 10)

      @url = reader.gets&.strip
      raise "authy-sandbox printed no URL" if @url.nil? || @url.empty?

      @reader = reader # kept open: the sandbox may still write to stdout
      Minitest.after_run { stop }
      @url
    end

    def stop
      return unless @pid && Process.pid == @owner_pid

      Process.kill("TERM", @pid)
      Process.wait(@pid)
    rescue Errno::ESRCH, Errno::ECHILD
      nil
    end

    def owner!
      @owner_pid ||= Process.pid
    end
  end
end
SandboxProcess.owner!
SandboxProcess.start

module SandboxHelpers
  KEY = SandboxProcess::KEY

  def base_url
    SandboxProcess.url
  end

  def api_key
    KEY
  end

  # One client per test process, shared by every test (it is thread-safe).
  def client
    $shared_client ||= Authy::Native::Client.new(KEY, base_url: base_url, timeout: 10)
  end

  # A phone number no other test uses (area code 2xx-9xx: a valid North American number).
  PHONES = Queue.new.tap { |q| (0...10_000).to_a.shuffle.each { |n| q << n } }

  def fresh_phone
    format("%<a>03d-%<b>03d-%<c>04d", a: 200 + rand(800), b: 200 + rand(800), c: PHONES.pop(true))
  end

  def fresh_user(email: nil)
    phone = fresh_phone
    resp = client.create_user(email: email || "u#{rand(1 << 40)}@example.com", cellphone: phone, country_code: "1")
    resp.user_id
  end

  def control(method, path, params = nil)
    resp = client.request(method, path, params)
    assert resp.ok?, "#{method} #{path}: #{resp.status} #{resp.body}"
    resp
  end

  def last_code(authy_id)
    control("GET", "/sandbox/users/#{authy_id}/last_code")["code"]
  end

  def phone_code(country_code, phone)
    control("GET", "/sandbox/phones/last_code", country_code: country_code, phone_number: phone)["code"]
  end

  def register_device(authy_id)
    control("POST", "/sandbox/users/#{authy_id}/devices", device: "android")
  end

  def app_token(authy_id)
    control("GET", "/sandbox/users/#{authy_id}/app_token")["token"]
  end

  def decide(uuid, decision)
    control("POST", "/sandbox/approval_requests/#{uuid}/#{decision}")
  end

  # Arms a fault on the next `count` requests whose path starts with `path_prefix`.
  def arm_fault(kind, path_prefix:, count: 1, **extra)
    control("POST", "/sandbox/faults", { kind: kind, count: count, path_prefix: path_prefix }.merge(extra))
  end

  def sandbox_config(callback_url:, callback_method: "POST")
    control("POST", "/sandbox/config", callback_url: callback_url, callback_method: callback_method)
  end

  def callbacks
    control("GET", "/sandbox/callbacks")["callbacks"]
  end

  # A token that is certainly not the user's current code.
  def wrong_token(right)
    right == "1234567" ? "7654321" : "1234567"
  end
end

# A minimal HTTP/1.1 server over TCPServer that turns each request into a Rack env (the
# Rack app's headers are sent back, then Content-Length and Connection: close).
class MiniServer
  attr_reader :port

  def initialize(app)
    @app = app
    @server = TCPServer.new("127.0.0.1", 0)
    @port = @server.addr[1]
    @thread = Thread.new { loop { serve(@server.accept) } rescue IOError }
  end

  def stop
    @server.close
    @thread.join
  end

  private

  def serve(sock)
    request_line = sock.gets("\r\n").to_s.strip
    method, target, = request_line.split(" ")
    headers = {}
    while (line = sock.gets("\r\n")) && line != "\r\n"
      name, value = line.split(":", 2)
      headers[name.strip.downcase] = value.to_s.strip
    end
    body = sock.read(headers["content-length"].to_i).to_s
    path, query = target.to_s.split("?", 2)
    env = {
      "REQUEST_METHOD" => method, "SCRIPT_NAME" => "", "PATH_INFO" => path, "QUERY_STRING" => query.to_s,
      "SERVER_NAME" => "127.0.0.1", "SERVER_PORT" => @port.to_s, "rack.url_scheme" => "http",
      "rack.input" => StringIO.new(body), "CONTENT_LENGTH" => body.bytesize.to_s
    }
    headers.each do |name, value|
      key = name.upcase.tr("-", "_")
      env[%w[CONTENT_TYPE CONTENT_LENGTH].include?(key) ? key : "HTTP_#{key}"] = value
    end
    status, response_headers, chunks = @app.call(env)
    out = +""
    chunks.each { |c| out << c }
    extra = response_headers.reject { |name, _| %w[content-length connection].include?(name.to_s.downcase) }
                            .map { |name, value| "#{name}: #{value}\r\n" }.join
    sock.write("HTTP/1.1 #{status} X\r\n#{extra}Content-Length: #{out.bytesize}\r\nConnection: close\r\n\r\n#{out}")
  ensure
    sock.close
  end
end

class Minitest::Test
  include SandboxHelpers
end
