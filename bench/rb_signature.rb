# frozen_string_literal: true

# bench/rb_signature.rb DIR RUNS: the offline signature checks as a Ruby program calls them
# through the Ruby binding (bindings/ruby, the ffi gem), for bench/run.sh (issue 14: what the
# binding adds to the C ABI). DIR holds the files examples/bench_signature.rs writes with
# BENCH_DUMP=DIR (POST.*, GET.*) and `bench/c_callback.c twilio-dump DIR` writes (twilio.*).
#
# Prints one line per check, "NAME MEDIAN_US": the median over RUNS runs of about 150 ms of
#   POST / GET     Authy::Native.verify_callback (authy_callback_verify_params: the verified
#                  parameters are built; VerifiedCallback reads status and uuid) and the handle
#                  released, as an application calls it (no replay window: a recorded callback)
#   POST-VALID / GET-VALID  Authy::Native.valid_callback? (yes or no: authy_callback_verify)
#   POST-FFI / GET-FFI  the bare ffi call of authy_callback_verify (yes or no, nothing built)
#   TWILIO         Authy::Native.verify_twilio_signature
# Needs the ffi gem; LIBAUTHY_PATH names the library (bench/run.sh sets it).
$LOAD_PATH.unshift File.expand_path("../bindings/ruby/lib", __dir__)
require "libauthy"

dir = ARGV.fetch(0)
runs = Integer(ARGV.fetch(1, "3"))
read = ->(name) { File.binread(File.join(dir, name)) }

def clock
  Process.clock_gettime(Process::CLOCK_MONOTONIC)
end

# Microseconds per call of the block over about 150 ms.
def us_per_call
  n = 0
  t0 = clock
  t = t0
  while t - t0 < 0.15
    64.times { yield }
    n += 64
    t = clock
  end
  (t - t0) * 1e6 / n
end

def median(xs)
  s = xs.sort
  s.size.odd? ? s[s.size / 2] : (s[s.size / 2 - 1] + s[s.size / 2]) / 2.0
end

checks = {}
%w[POST GET].each do |m|
  v = %w[key method url nonce sig params].to_h { |f| [f, read.call("#{m}.#{f}")] }
  checks[m] = lambda do
    cb = Authy::Native.verify_callback(api_key: v["key"], method: v["method"], url: v["url"],
                                       nonce: v["nonce"], signature: v["sig"], body: v["params"], max_age: 0)
    raise "#{m} does not verify" unless cb.status
  end
  checks["#{m}-VALID"] = lambda do
    ok = Authy::Native.valid_callback?(api_key: v["key"], method: v["method"], url: v["url"],
                                       nonce: v["nonce"], signature: v["sig"], body: v["params"], max_age: 0)
    raise "#{m} is not valid_callback?" unless ok
  end
  ffi = Authy::Native::C
  checks["#{m}-FFI"] = lambda do
    rc = ffi.authy_callback_verify(v["key"], v["method"], v["url"], v["nonce"], v["sig"], v["params"], 0, 0, nil)
    raise "#{m} does not verify through authy_callback_verify" unless rc.zero?
  end
end
if File.exist?(File.join(dir, "twilio.token"))
  t = %w[token url body sig].to_h { |f| [f, read.call("twilio.#{f}")] }
  checks["TWILIO"] = lambda do
    Authy::Native.verify_twilio_signature(auth_token: t["token"], url: t["url"], body: t["body"], signature: t["sig"])
  end
end

checks.each_value(&:call) # each verifies once before the timing
results = checks.transform_values { [] }
runs.times do
  checks.each { |name, check| results[name] << us_per_call(&check) }
end
results.each { |name, xs| puts format("%s %.3f", name, median(xs)) }
