#!/usr/bin/env ruby
# frozen_string_literal: true

# verify_login.rb — a Twilio Verify login with the libauthy gem, against a local authy-sandbox:
#
#   1. create a Verify Service (once per application)
#   2. send a code to the user's phone by SMS
#   3. the user reads it (here the sandbox's control API plays the phone)
#   4. a mistyped code is refused (TokenInvalid), the right one approves the login
#
# Usage:  ruby examples/verify_login.rb [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY;
#         TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, default the sandbox's)
#
#   scripts/with-sandbox.sh ruby -Ibindings/ruby/lib bindings/ruby/examples/verify_login.rb
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
require "libauthy"

base_url = ARGV[0] || ENV["AUTHY_BASE_URL"] or abort "usage: verify_login.rb BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)"
api_key = ARGV[1] || ENV.fetch("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef")

# One client for the program; Verify and Lookup are both on the sandbox's port.
verify = Authy::Native::VerifyClient.new(
  account_sid: ENV.fetch("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
  auth_token: ENV.fetch("TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd"),
  base_url: base_url, lookups_base_url: base_url, timeout: 10
)

service = verify.create_service(friendly_name: "Example login", code_length: 6)
sid = service["sid"]
puts "1. service #{sid} (#{service['friendly_name']})"

phone = "+14155550123"
v = verify.start_verification(service_sid: sid, to: phone, channel: "sms")
puts "2. code sent to #{v['to']} by #{v['channel']}: verification #{v['sid']} is #{v['status']}"

# The user's phone: the sandbox's control API, opened by the Authy key. With the real API the
# user reads the SMS.
control = Authy::Native::Client.new(api_key, base_url: base_url, timeout: 10)
delivered = control.request("GET", "/sandbox/verify/code", { "To" => phone, "ServiceSid" => sid })
abort "verify_login: no code: HTTP #{delivered.status} #{delivered.body}" unless delivered.ok?
code = delivered["code"]
puts "3. the user reads #{code}"

wrong = code == "000000" ? "111111" : "000000"
begin
  verify.check_verification(service_sid: sid, to: phone, code: wrong)
  abort "verify_login: a wrong code was accepted"
rescue Authy::Native::TokenInvalid => e
  puts "4. wrong code #{wrong} refused: #{e.class.name.split('::').last}, status #{JSON.parse(e.body)['status']}"
end

approved = verify.check_verification(service_sid: sid, to: phone, code: code)
puts "5. right code: #{approved['status']}, valid #{approved['valid']} -> logged in"
verify.delete_service(sid: sid)
puts "verify_login: done"
