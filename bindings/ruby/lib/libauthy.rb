# frozen_string_literal: true

# libauthy: Ruby bindings of libauthy (the Authy two-factor authentication API client with a C
# ABI), over the ffi gem. Everything lives in Authy::Native, so this gem can sit next to code
# written for the official `authy` gem; `require "libauthy/compat"` (or `require "authy"`)
# adds a drop-in Authy::API for applications written against authy-ruby 3.x.
require "libauthy/version"
require "libauthy/ffi"
require "libauthy/enums"
require "libauthy/errors"
require "libauthy/native"
require "libauthy/params"
require "libauthy/response"
require "libauthy/health"
require "libauthy/interrupts"
require "libauthy/builder"
require "libauthy/client"
require "libauthy/verify_client"
require "libauthy/callback"
