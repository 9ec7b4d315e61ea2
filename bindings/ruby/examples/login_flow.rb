#!/usr/bin/env ruby
# frozen_string_literal: true

# login_flow.rb — one login flow (send a code, check it) that runs on the Authy API and on
# Twilio Verify, chosen per user, against a local authy-sandbox (the Ruby twin of
# examples/login_flow.c). This is how a service moves off Authy one user at a time: each user
# record says which backend it is on, and flipping that flag (after storing the user's E.164
# number) is the whole migration of an SMS user.
#
#   1. carol is still on Authy (her record holds her Authy id)
#   2. bob is on Verify (his record holds his E.164 number; no registration call)
#   3. carol is migrated: her number is checked with Lookup v2, the flag flipped, and the same
#      login code serves her through Verify
#   4. dave, who uses an authenticator app, is migrated without re-enrolment: his TOTP secret
#      (as Authy's export gives it) becomes a Verify TOTP factor, verified once, and his app's
#      codes are then checked with a Challenge
#
# On both APIs a wrong code raises Authy::Native::TokenInvalid (Authy's 401 60020 as Verify's
# 200 "pending"), so the login code has one rescue for both.
#
# Usage:  ruby examples/login_flow.rb [BASE_URL [API_KEY]]   (or AUTHY_BASE_URL / AUTHY_API_KEY;
#         TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, default the sandbox's)
#
#   scripts/with-sandbox.sh ruby -Ibindings/ruby/lib bindings/ruby/examples/login_flow.rb
$LOAD_PATH.unshift File.expand_path("../lib", __dir__)
require "libauthy"

base_url = ARGV[0] || ENV["AUTHY_BASE_URL"] or abort "usage: login_flow.rb BASE_URL [API_KEY]   (or set AUTHY_BASE_URL)"
api_key = ARGV[1] || ENV.fetch("AUTHY_API_KEY", "sandbox-api-key-0123456789abcdef")

# What the service stores per user.
User = Struct.new(:name, :backend, :authy_id, :phone, :identity, :totp_factor, keyword_init: true)

# The service's 2FA entry point: one dispatch on the user's backend.
class TwoFactor
  attr_reader :authy, :verify, :service_sid

  def initialize(authy, verify, service_sid)
    @authy = authy
    @verify = verify
    @service_sid = service_sid
  end

  # Sends a login code by SMS.
  def send_code(user)
    if user.backend == :authy
      authy.request_sms(authy_id: user.authy_id, force: true)
    else
      verify.start_verification(service_sid: service_sid, to: user.phone, channel: "sms")
    end
  end

  # true for the right code, false for a wrong one; anything else raises.
  def right_code?(user, code)
    if user.backend == :authy
      authy.verify_token(authy_id: user.authy_id, token: code)
    else
      verify.check_verification(service_sid: service_sid, to: user.phone, code: code)
    end
    true
  rescue Authy::Native::TokenInvalid
    false
  end

  # An authenticator-app code: Authy checks it like any token, Verify with a TOTP Challenge.
  def right_app_code?(user, code)
    if user.backend == :authy
      authy.verify_token(authy_id: user.authy_id, token: code)
    else
      verify.create_challenge(service_sid: service_sid, identity: user.identity, factor_sid: user.totp_factor,
                              code: code)
    end
    true
  rescue Authy::Native::TokenInvalid
    false
  end
end

# ---- Plumbing of the example -------------------------------------------------------------------

authy = Authy::Native::Client.new(api_key, base_url: base_url, timeout: 10)
verify = Authy::Native::VerifyClient.new(
  account_sid: ENV.fetch("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
  auth_token: ENV.fetch("TWILIO_AUTH_TOKEN", "sandbox-auth-token-0123456789abcd"),
  base_url: base_url, lookups_base_url: base_url, timeout: 10
)
puts "libauthy #{Authy::Native.library_version}, Authy and Verify at #{base_url}\n\n"

# The Verify Service takes the place of the Authy application (usually created once).
service_sid = ENV["VERIFY_SERVICE_SID"] || verify.create_service(friendly_name: "Example login")["sid"]
tf = TwoFactor.new(authy, verify, service_sid)
puts "Verify Service #{service_sid}\n\n"

# The sandbox's control API stands in for the user's phone and app (the Authy key opens it).
def sandbox_code(authy, path, params = nil)
  resp = authy.request("GET", path, params)
  abort "login_flow: #{path}: HTTP #{resp.status} #{resp.body}" unless resp.ok?
  resp["code"]
end

def delivered_code(tf, user)
  if user.backend == :authy
    sandbox_code(tf.authy, "/sandbox/users/#{user.authy_id}/last_code")
  else
    sandbox_code(tf.authy, "/sandbox/verify/code", { "To" => user.phone, "ServiceSid" => tf.service_sid })
  end
end

def app_code(tf, user)
  sandbox_code(tf.authy, "/sandbox/verify/Services/#{tf.service_sid}/Entities/#{user.identity}/Factors/" \
                         "#{user.totp_factor}/Code")
end

def wrong(code)
  code[0..-2] + (code[-1] == "9" ? "0" : code[-1].succ)
end

def login(tf, user)
  tf.send_code(user)
  code = delivered_code(tf, user)
  puts "   #{user.name} (#{user.backend == :authy ? "Authy #{user.authy_id}" : "Verify #{user.phone}"}): " \
       "code #{code} sent by SMS"
  abort "login_flow: a wrong code was accepted" if tf.right_code?(user, wrong(code))
  puts "   wrong code #{wrong(code)}: refused"
  abort "login_flow: the right code was refused" unless tf.right_code?(user, code)
  puts "   right code #{code}: accepted -> #{user.name} is logged in"
end

carol_id = authy.create_user(email: "carol@example.com", cellphone: "415-555-0142", country_code: "1").user_id
carol = User.new(name: "carol", backend: :authy, authy_id: carol_id)
bob = User.new(name: "bob", backend: :verify, phone: "+14155550199")

puts "1. carol logs in through Authy"
login(tf, carol)
puts "2. bob logs in through Verify"
login(tf, bob)

carol.phone = "+14155550142"
lookup = verify.lookup_phone_number(number: carol.phone, fields: "line_type_intelligence")
puts "3. carol's number #{carol.phone}: valid #{lookup['valid']}, line type " \
     "#{lookup.dig('line_type_intelligence', 'type') || 'unknown'}"
abort "login_flow: carol's number is not valid" unless lookup["valid"]
carol.backend = :verify
puts "   carol is moved to Verify and logs in again"
login(tf, carol)

# dave's exported app secret (Authy's secret export is not emulated: a constant here) becomes a
# Verify TOTP factor with Authy's parameters.
dave = User.new(name: "dave", backend: :verify, identity: "user-0004-dave")
factor = verify.create_factor(service_sid: service_sid, identity: dave.identity, friendly_name: "dave's authenticator",
                              factor_type: "totp", binding: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
                              config: { alg: "sha1", time_step: 30, code_length: 6, skew: 1 })
dave.totp_factor = factor["sid"]
puts "4. dave's exported app secret -> Verify TOTP factor #{dave.totp_factor} (entity #{dave.identity})"
code = app_code(tf, dave)
begin
  verify.verify_factor(service_sid: service_sid, identity: dave.identity, factor_sid: dave.totp_factor,
                       code: wrong(code))
  abort "login_flow: a wrong code verified the factor"
rescue Authy::Native::TokenInvalid => e
  puts "   verifying it with a wrong code #{wrong(code)}: TokenInvalid (HTTP #{e.http_status})"
end
verify.verify_factor(service_sid: service_sid, identity: dave.identity, factor_sid: dave.totp_factor, code: code)
puts "   verified with the app's code #{code}"
code = app_code(tf, dave)
abort "login_flow: a wrong app code was accepted" if tf.right_app_code?(dave, wrong(code))
puts "   login, wrong app code #{wrong(code)}: refused"
abort "login_flow: the app code was refused" unless tf.right_app_code?(dave, code)
puts "   login, app code #{code}: accepted -> dave is logged in, no re-enrolment"

verify.delete_service(sid: service_sid) unless ENV["VERIFY_SERVICE_SID"]
puts "\nlogin_flow: done"
