# frozen_string_literal: true

module Authy
  module Native
    # The parameters of a OneTouch callback whose signature was verified, read from what the
    # signature covered (never from another parse of the body). Values are Strings (numbers and
    # booleans as their JSON text, null as ""), nil when absent or not a scalar.
    #
    #   cb.status            # "approved" / "denied"
    #   cb.uuid              # the approval request: act once per uuid (replays verify too)
    #   cb["authy_id"]
    #   cb.dig("approval_request", "transaction", "details", "Location")
    #   cb["/approval_request/logos/0/url"]   # or an RFC 6901 JSON pointer
    class VerifiedCallback
      def initialize(handle)
        @handle = handle
        @lock = Mutex.new
        @cache = {}
        @status = self["status"]
        @uuid = self["uuid"]
      end

      attr_reader :status, :uuid

      def approved?
        @status == "approved"
      end

      def denied?
        @status == "denied"
      end

      def authy_id
        self["authy_id"]
      end

      def callback_action
        self["callback_action"]
      end

      # A top-level key, or a JSON pointer when it starts with "/".
      def [](key)
        key = key.to_s
        get(key.start_with?("/") ? key : pointer([key]))
      end

      def dig(*keys)
        get(pointer(keys))
      end

      def inspect
        # Values stay out of logs (like the core's Debug output).
        "#<#{self.class.name} status=#{@status.inspect}>"
      end
      alias to_s inspect

      private

      def pointer(keys)
        keys.map { |k| "/" + k.to_s.gsub("~", "~0").gsub("/", "~1") }.join
      end

      def get(ptr_text)
        ptr_text = Native.text(ptr_text, "key")
        @lock.synchronize do
          return @cache[ptr_text] if @cache.key?(ptr_text)

          out = FFI::MemoryPointer.new(:pointer)
          rc = Native.call { |err| C.authy_callback_get_string(@handle, ptr_text, out, err) }
          @cache[ptr_text] = rc == :ok ? Native.read_str(out.read_pointer).freeze : nil
        end
      end
    end

    MAX_CALLBACK_AGE = 300

    class << self
      # Verifies a OneTouch callback offline (HMAC-SHA256 with the API key, constant-time) and
      # returns its VerifiedCallback; raises SignatureInvalid (or InvalidArgument for a bad
      # method/URL/key). `url` is the public callback URL as configured in Authy; `body` is the
      # raw POST body, or the raw query string of a GET. `max_age` (seconds, at most 300; 0 only
      # for recorded callbacks) is the replay window around `now` (a Unix time, default: now).
      def verify_callback(api_key:, method:, url:, nonce:, signature:, body:, max_age: MAX_CALLBACK_AGE, now: nil)
        args = callback_args(api_key, method, url, nonce, signature, body, max_age, now)
        out = FFI::MemoryPointer.new(:pointer)
        call(allow_no_value: false) { |err| C.authy_callback_verify_params(*args, out, err) }
        VerifiedCallback.new(CallbackHandle.new(out.read_pointer))
      end

      # true / false instead of raising for a callback that does not verify. The same check
      # as #verify_callback without building the verified parameters (authy_callback_verify).
      def valid_callback?(api_key:, method:, url:, nonce:, signature:, body:, max_age: MAX_CALLBACK_AGE, now: nil)
        args = callback_args(api_key, method, url, nonce, signature, body, max_age, now)
        call(allow_no_value: false) { |err| C.authy_callback_verify(*args, err) }
        true
      rescue SignatureInvalid, InvalidArgument
        false
      end

      # The X-Authy-Signature Authy would send (to sign test callbacks or debug a mismatch).
      def sign_callback(api_key:, method:, url:, nonce:, body:)
        buf = FFI::MemoryPointer.new(:char, SIGNATURE_BUFFER_SIZE)
        key = text(api_key, "api_key")
        m = text(method.is_a?(Symbol) ? method.to_s.upcase : method, "method")
        u = text(url, "url")
        n = text(nonce, "nonce", integer: true)
        b = text(body || "", "body")
        call(allow_no_value: false) { |err| C.authy_callback_sign(key, m, u, n, b, buf, buf.size, err) }
        buf.read_string.force_encoding(Encoding::US_ASCII)
      end

      private

      def callback_args(api_key, method, url, nonce, signature, body, max_age, now)
        age = Integer === max_age ? max_age : raise(::TypeError, "max_age must be an Integer, not #{max_age.class}")
        raise ::ArgumentError, "max_age must be between 0 and #{MAX_CALLBACK_AGE}" unless age.between?(0, MAX_CALLBACK_AGE)

        now_unix = case now
                   when nil then 0
                   when Time then now.to_i
                   when Integer then now
                   else raise ::TypeError, "now must be a Time or an Integer Unix time, not #{now.class}"
                   end
        raise ::ArgumentError, "now must be a positive Unix time" unless now_unix.between?(0, UINT64_MAX)

        [text(api_key, "api_key"), text(method.is_a?(Symbol) ? method.to_s.upcase : method, "method"),
         text(url, "url"), text(nonce || "", "nonce", integer: true), text(signature || "", "signature"),
         text(body || "", "body"), age, now_unix]
      end
    end
  end
end
