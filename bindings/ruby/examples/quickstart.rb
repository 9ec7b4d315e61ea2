#!/usr/bin/env ruby
# frozen_string_literal: true

# quickstart.rb — the whole two-factor flow with the libauthy gem, against a local authy-sandbox:
#
#   1. register a user            5. send a OneTouch (push) approval request
#   2. send a code by SMS         6. the user approves it (simulated by the sandbox)
#   3. read it from the handset   7. wait for the decision
#   4. verify the code            8. verify the signed callback Authy sent to your server
#
# Usage:  ruby examples/quickstart.rb [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY)
#
#   scripts/with-sandbox.sh ruby -Ibindings/ruby/lib bindings/ruby/examples/quickstart.rb
#
# Steps 3 and 6 use the sandbox's control API (/sandbox/...) to play the user's phone; with the
# real API the user reads the SMS and taps "Approve" in the Authy app.
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
require "libauthy"

base_url = ARGV[0] || ENV["AUTHY_BASE_URL"] or abort "usage: quickstart.rb BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)"
api_key = ARGV[1] || ENV.fetch("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef")
puts "libauthy #{Authy::Native.library_version} (gem #{Authy::Native::VERSION}), API at #{base_url}", ""

# A client is built once and shared by every thread of your program.
# Reads are retried after transient failures; calls with a side effect (an SMS) only when their
# request provably never reached the server.
client = Authy::Native::Client.new(api_key, base_url: base_url, timeout: 10, retries: { attempts: 3 })

# A readiness probe: an unhealthy API is a report, not an exception.
health = client.health_check
abort "quickstart: unhealthy: #{health.error_name}: #{health.message}" unless health.ok?
puts "0. healthy: application #{health.app_name} answered in #{(health.latency * 1000).round(1)} ms"

# The sandbox's control API through the raw escape hatch.
sandbox = lambda do |method, path, params = nil|
  resp = client.request(method, path, params)
  abort "quickstart: #{path}: HTTP #{resp.status} #{resp.body}" unless resp.ok?
  resp
end

begin
  # 1. Register the user: e-mail, phone, country code.
  user = client.create_user(email: "alice@example.com", cellphone: "555-867-5309", country_code: "1")
  authy_id = user.user_id
  puts "1. registered alice@example.com, +1 555-867-5309 -> Authy id #{authy_id}"

  # 2. Send a code by SMS (force: even if the user has the Authy app).
  sms = client.request_sms(authy_id: authy_id, force: true)
  puts "2. SMS sent to #{sms.cellphone}"

  # 3. The user reads the code on the phone (here: the sandbox's handset).
  code = sandbox.call("GET", "/sandbox/users/#{authy_id}/last_code")["code"]
  puts "3. the user types the code #{code}"

  # 4. Verify it. A wrong code raises Authy::Native::TokenInvalid (Authy code 60020).
  begin
    client.verify_token(authy_id: authy_id, token: code == "0000001" ? "0000002" : "0000001")
    abort "quickstart: verify_token accepted a wrong code"
  rescue Authy::Native::TokenInvalid => e
    puts "4. a wrong code is refused: #{e.code_name} (Authy #{e.authy_code}, HTTP #{e.http_status})"
  end
  puts "   the right code is accepted: #{client.verify_token(authy_id: authy_id, token: code).message}"

  # Where the sandbox sends OneTouch callbacks (with the real API: set in the Twilio console).
  # Nothing needs to listen there: the sandbox records every callback it signs and sends.
  callback_url = ENV.fetch("AUTHY_CALLBACK_URL", "http://127.0.0.1:9/authy/callback")
  sandbox.call("POST", "/sandbox/config", callback_url: callback_url, callback_method: "POST")

  # 5. Ask for approval on the user's phone, with details shown in the app.
  request = client.create_approval_request(
    authy_id: authy_id, message: "Log in to Example?",
    details: { "Location" => "Paris, France", "Browser" => "Firefox" },
    hidden_details: { "session" => "s-1234" }, seconds_to_expire: 300
  )
  uuid = request.approval_uuid
  puts "5. OneTouch request #{uuid} sent"

  # 6. The user taps "Approve" (here: the sandbox).
  sandbox.call("POST", "/sandbox/approval_requests/#{uuid}/approve")
  puts "6. the user approves it on the phone"

  # 7. Wait for the decision (poll every 0.5 s, at most 30 s; other Ruby threads keep running).
  wait = client.wait_for_approval(uuid: uuid, interval: 0.5, max_wait: 30)
  puts "7. decision: #{wait.response.approval_status}"
  abort "quickstart: the request was not approved (#{wait.status})" unless wait.approved?

  # 8. Authy also called the callback URL. Your web handler verifies the signature before
  #    trusting the body (Authy::Native::Rack does it from a Rack request): here we take what
  #    the sandbox sent from its record.
  sent = sandbox.call("GET", "/sandbox/callbacks")["callbacks"].last or abort "quickstart: no callback was recorded"
  verified = Authy::Native.verify_callback(
    api_key: api_key, method: "POST", url: callback_url,
    nonce: sent["headers"]["X-Authy-Signature-Nonce"], signature: sent["headers"]["X-Authy-Signature"],
    body: sent["body"], max_age: 300
  )
  puts "8. callback signature is authentic: status #{verified.status}, uuid #{verified.uuid}"
rescue Authy::Native::Error => e
  meaning = e.authy_meaning
  abort "quickstart: #{e.class}: #{e.message}#{" (Authy #{e.authy_code}: #{meaning})" if meaning}"
ensure
  client.close
end

puts "", "quickstart: done"
