# frozen_string_literal: true

require_relative "lib/libauthy/version"

Gem::Specification.new do |spec|
  spec.name = "libauthy"
  spec.version = Authy::Native::VERSION
  spec.summary = "Ruby bindings of libauthy, a client for the Authy 2FA API, with an authy-ruby 3.x drop-in layer"
  spec.description = <<~TEXT
    Authy::Native wraps libauthy's C library (users, SMS/voice/e-mail tokens, token verification,
    OneTouch push approvals and their signed callbacks, phone verification) through the ffi gem:
    thread-safe clients that release the GVL during network calls, exceptions by cause, per-call
    timeouts, a Rack helper for OneTouch callbacks, and `require "authy"` compatibility with the
    official authy-ruby 3.x API. Needs libauthy.so (LIBAUTHY_PATH, or libauthy.so.0 on the system).
  TEXT
  spec.authors = ["libauthy contributors"]
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.required_ruby_version = ">= 2.7"
  spec.files = Dir[File.join(__dir__, "{lib,examples}/**/*.rb")].map { |f| f.delete_prefix("#{__dir__}/") } +
               %w[README.md libauthy.gemspec]
  spec.require_paths = ["lib"]
  spec.add_runtime_dependency "ffi", ">= 1.15", "< 2"
  spec.add_development_dependency "minitest", "~> 5.15"
  spec.add_development_dependency "rack", ">= 2.2", "< 4"
  spec.metadata["rubygems_mfa_required"] = "true"
end
