# frozen_string_literal: true

# GENERATED from include/authy.h by script/generate_enums.rb: do not edit by hand.
module Authy
  module Native
    module C
      enum :authy_result, [
        :AUTHY_RESULT_OK, 0,
        :AUTHY_RESULT_INVALID_ARGUMENT, 100,
        :AUTHY_RESULT_NULL_ARGUMENT, 101,
        :AUTHY_RESULT_INVALID_UTF8, 102,
        :AUTHY_RESULT_ERROR_SLOT_IN_USE, 103,
        :AUTHY_RESULT_CONNECT, 200,
        :AUTHY_RESULT_DNS, 201,
        :AUTHY_RESULT_TLS, 202,
        :AUTHY_RESULT_TIMEOUT, 203,
        :AUTHY_RESULT_IO, 204,
        :AUTHY_RESULT_CONNECT_TIMEOUT, 205,
        :AUTHY_RESULT_NO_RESPONSE, 206,
        :AUTHY_RESULT_TRUNCATED, 207,
        :AUTHY_RESULT_CANCELLED, 208,
        :AUTHY_RESULT_UNAUTHORIZED, 300,
        :AUTHY_RESULT_RATE_LIMITED, 301,
        :AUTHY_RESULT_NOT_FOUND, 302,
        :AUTHY_RESULT_INVALID_PARAMETERS, 303,
        :AUTHY_RESULT_CONFLICT, 304,
        :AUTHY_RESULT_SERVER_ERROR, 305,
        :AUTHY_RESULT_API_ERROR, 306,
        :AUTHY_RESULT_TOKEN_INVALID, 307,
        :AUTHY_RESULT_DECODE, 400,
        :AUTHY_RESULT_NO_VALUE, 401,
        :AUTHY_RESULT_INTERNAL, 500,
        :AUTHY_RESULT_PANIC, 501,
        :AUTHY_RESULT_SIGNATURE_INVALID, 600
      ]
      enum :authy_verdict, [
        :AUTHY_VERDICT_INVALID, 0,
        :AUTHY_VERDICT_VALID, 1,
        :AUTHY_VERDICT_ACCEPTED_API_UNREACHABLE, 2
      ]
      enum :authy_wait_status, [
        :AUTHY_WAIT_STATUS_TIMED_OUT, 0,
        :AUTHY_WAIT_STATUS_APPROVED, 1,
        :AUTHY_WAIT_STATUS_DENIED, 2,
        :AUTHY_WAIT_STATUS_EXPIRED, 3
      ]
      enum :authy_fail_open, [
        :AUTHY_FAIL_OPEN_TRANSPORT_ERROR, 1,
        :AUTHY_FAIL_OPEN_SERVER_ERROR, 2,
        :AUTHY_FAIL_OPEN_RATE_LIMIT, 4,
        :AUTHY_FAIL_OPEN_DEFAULT, 3
      ]
      enum :authy_tls_roots, [
        :AUTHY_TLS_ROOTS_BUNDLED, 0,
        :AUTHY_TLS_ROOTS_PLATFORM, 1
      ]
    end
    SIGNATURE_BUFFER_SIZE = 45
  end
end
