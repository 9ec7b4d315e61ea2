# frozen_string_literal: true

module Authy
  module Native
    # Base class of every failure libauthy reports. Carries what the C `authy_error` holds:
    #
    # - #code        the C result code (Integer, e.g. 307) and #code_name ("AUTHY_RESULT_TOKEN_INVALID")
    # - #http_status the HTTP status of the API's answer (nil when there was no answer)
    # - #authy_code  the API's error code of the answer (String: Authy `error_code`, e.g. "60020",
    #                or Twilio `code` for a VerifyClient, e.g. "20404"; nil when absent); #api_code
    #                is the same
    # - #more_info   Twilio's `more_info` URL (nil for Authy)
    # - #body        the raw body of the API's answer (nil when there was no answer)
    # - #attempts    how many attempts the call made (0: refused before any I/O; more than 1
    #                after a stale-connection resend or `retries:`)
    # - #request_sent? whether the request may have reached the server (false: it provably did
    #                not, so an SMS cannot have been sent and the call can be repeated)
    # - #retry_after the Retry-After of a 429/503 answer in seconds (Integer, or Float for a
    #                fraction), nil when there was none
    #
    # The message never contains the API key.
    class Error < StandardError
      attr_reader :code, :http_status, :authy_code, :body, :attempts, :retry_after, :more_info
      alias api_code authy_code

      def initialize(message = nil, code: nil, http_status: nil, authy_code: nil, body: nil,
                     attempts: 0, request_sent: false, retry_after: nil, more_info: nil)
        super(message)
        @code = code
        @http_status = http_status
        @authy_code = authy_code
        @more_info = more_info
        @body = body
        @attempts = attempts
        @request_sent = request_sent
        @retry_after = retry_after
      end

      # The same error as an instance of `klass` (a subclass naming its cause more precisely).
      def as(klass)
        klass.new(message, code: code, http_status: http_status, authy_code: authy_code, body: body,
                           attempts: attempts, request_sent: request_sent?, retry_after: retry_after,
                           more_info: more_info)
      end

      # May the request have reached the server in one of the attempts?
      def request_sent?
        @request_sent
      end

      # The C name of #code, e.g. "AUTHY_RESULT_TIMEOUT".
      def code_name
        code && Native.result_name(code)
      end

      # The offline catalog's meaning of #authy_code (e.g. "User not found"), or nil.
      def authy_meaning
        authy_code && Native.catalog_lookup(authy_code)&.first
      end

      def inspect
        parts = ["code=#{code_name || code.inspect}"]
        parts << "http_status=#{http_status}" if http_status
        parts << "authy_code=#{authy_code}" if authy_code
        parts << "attempts=#{attempts}" if attempts&.positive?
        parts << "request_sent=#{request_sent?}" if code && code >= 200
        parts << "retry_after=#{retry_after}" if retry_after
        "#<#{self.class.name}: #{message} (#{parts.join(', ')})>"
      end
    end

    # 1xx: the library refused an argument (nothing was sent). Ruby-level misuse (nil, a wrong
    # type, a NUL byte) raises ::ArgumentError / ::TypeError before any C call instead.
    class InvalidArgument < Error; end

    # 2xx: no (complete) answer from the API. TimeoutError: after the request was sent (it may
    # have reached the server); ConnectTimeoutError: before (nothing reached the server);
    # NoResponseError: closed or reset before any byte of the answer (the request may have had
    # its effect); TruncatedError: the answer was cut off (the server got the request);
    # CancelledError: the call was stopped (see Client.new's `cancellable:`; the exception that
    # stopped it is what the caller sees, this one only where the library reports it itself).
    class TransportError < Error; end
    class ConnectError < TransportError; end
    class DnsError < TransportError; end
    class TlsError < TransportError; end
    class TimeoutError < TransportError; end
    class IoError < TransportError; end
    class ConnectTimeoutError < TransportError; end
    class NoResponseError < TransportError; end
    class TruncatedError < TransportError; end
    class CancelledError < TransportError; end

    # 3xx: the API answered, unsuccessfully (#http_status, #authy_code and #body are set).
    class ApiError < Error; end
    class Unauthorized < ApiError; end
    class RateLimited < ApiError; end
    class NotFound < ApiError; end
    class InvalidParameters < ApiError; end
    class Conflict < ApiError; end
    class ServerError < ApiError; end
    # A wrong (60020) or reused (60019) token; for VerifyClient#check_verification a wrong code
    # (the check answered `pending`; #body holds the answer).
    class TokenInvalid < ApiError; end
    # Twilio Verify 60202: too many wrong codes for this verification (start a new one).
    class MaxCheckAttempts < RateLimited; end
    # Twilio Verify 60203: too many sends to this number (cancel the verification first).
    class MaxSendAttempts < RateLimited; end

    # 4xx: an answer that could not be decoded (not JSON, too large), or no value of that type.
    class DecodeError < Error; end
    class NoValue < DecodeError; end

    # 5xx: a bug in libauthy (including a panic caught at the C boundary).
    class InternalError < Error; end

    # 600: a OneTouch callback whose signature is missing, malformed, wrong or stale.
    class SignatureInvalid < Error; end

    # The client was closed (Client#close) before this call.
    class ClosedError < Error; end

    # The result codes of include/authy.h by name (lib/libauthy/enums.rb is generated from it).
    RESULT = C.enum_type(:authy_result)

    # The value of a result code's C name, e.g. result_code(:TIMEOUT) → AUTHY_RESULT_TIMEOUT.
    def self.result_code(name)
      RESULT[:"AUTHY_RESULT_#{name}"] or raise ::ArgumentError, "authy.h has no AUTHY_RESULT_#{name}"
    end

    ERROR_CLASSES = {
      INVALID_ARGUMENT: InvalidArgument, NULL_ARGUMENT: InvalidArgument, INVALID_UTF8: InvalidArgument,
      ERROR_SLOT_IN_USE: InvalidArgument,
      CONNECT: ConnectError, DNS: DnsError, TLS: TlsError, TIMEOUT: TimeoutError, IO: IoError,
      CONNECT_TIMEOUT: ConnectTimeoutError, NO_RESPONSE: NoResponseError, TRUNCATED: TruncatedError,
      CANCELLED: CancelledError,
      UNAUTHORIZED: Unauthorized, RATE_LIMITED: RateLimited, NOT_FOUND: NotFound,
      INVALID_PARAMETERS: InvalidParameters, CONFLICT: Conflict, SERVER_ERROR: ServerError, API_ERROR: ApiError,
      TOKEN_INVALID: TokenInvalid,
      DECODE: DecodeError, NO_VALUE: NoValue,
      INTERNAL: InternalError, PANIC: InternalError,
      SIGNATURE_INVALID: SignatureInvalid
    }.to_h { |name, klass| [result_code(name), klass] }.freeze

    # The exception class of a result code (codes added later fall back on their range, as the
    # header groups them: 1xx argument, 2xx transport, 3xx API, 4xx decoding, 5xx internal,
    # 6xx verification).
    def self.error_class_for(code)
      ERROR_CLASSES.fetch(code) do
        case code
        when 100..199 then InvalidArgument
        when 200..299 then TransportError
        when 300..399 then ApiError
        when 400..499 then DecodeError
        when 500..599 then InternalError
        when 600..699 then SignatureInvalid
        else Error
        end
      end
    end
  end
end
