# frozen_string_literal: true

module Authy
  # Everything of the libauthy gem lives here (the top-level Authy::API & co. of authy-ruby are
  # only defined by `require "libauthy/compat"`).
  module Native
    UINT32_MAX = 0xFFFF_FFFF
    UINT64_MAX = 0xFFFF_FFFF_FFFF_FFFF
    NO_VALUE = C.enum_value(:AUTHY_RESULT_NO_VALUE)

    class << self
      # The C library's version, e.g. "0.1.0".
      def library_version
        read_str(C.authy_version)
      end

      # A short description of a result code ("timed out").
      def result_str(code)
        read_str(C.authy_result_str(Integer(code) & UINT32_MAX))
      end

      # The C name of a result code ("AUTHY_RESULT_TIMEOUT").
      def result_name(code)
        read_str(C.authy_result_name(Integer(code) & UINT32_MAX))
      end

      # Whether a request (method in upper case, path below the base URL without a query string)
      # is a read of the API: no side effect, so the library may send it again after any failure
      # when retries are on. Any path outside the library's endpoint table is not a read. The
      # rule is the C library's (authy_endpoint_is_read), which also classifies Client#request.
      def read?(method, path)
        C.authy_endpoint_is_read(method.to_s, path.to_s)
      end

      # Offline meaning of an Authy error code: [meaning, http_status or nil], or nil if unknown.
      def catalog_lookup(authy_code)
        code = Integer(authy_code.to_s, 10)
        return nil if code.negative? || code > UINT32_MAX

        meaning = FFI::MemoryPointer.new(:pointer)
        status = FFI::MemoryPointer.new(:uint16)
        rc = call { |err| C.authy_catalog_lookup(code, meaning, status, err) }
        return nil if rc == :no_value

        http = status.read_uint16
        [read_str(meaning.read_pointer), http.zero? ? nil : http]
      rescue ::ArgumentError
        nil
      end

      # Copies a NUL-terminated UTF-8 string the library owns (nil for NULL). Call it only while
      # the owning handle is alive.
      def read_str(ptr)
        return nil if ptr.nil? || ptr.null?

        ptr.read_string.force_encoding(Encoding::UTF_8)
      end

      # Runs a fallible C call with a fresh (NULL) `authy_error *` slot. Returns :ok, or :no_value
      # for AUTHY_RESULT_NO_VALUE when `allow_no_value`; raises the matching Native::Error
      # otherwise (after copying the details and freeing the C error).
      def call(allow_no_value: true)
        slot = FFI::MemoryPointer.new(:pointer) # zeroed: *error == NULL on entry
        rc = yield slot
        return :ok if rc.zero?

        raise_error(rc, slot.read_pointer) unless allow_no_value && rc == NO_VALUE

        free_error(slot.read_pointer)
        :no_value
      end

      # Raises the exception of a failed call (consumes the C error, which may be NULL).
      def raise_error(rc, err_ptr)
        raise build_error(rc, err_ptr)
      end

      def build_error(rc, err_ptr)
        if err_ptr.nil? || err_ptr.null?
          return error_class_for(rc).new(result_str(rc), code: rc)
        end

        handle = ErrorHandle.new(err_ptr)
        begin
          status = C.authy_error_http_status(handle)
          error_class_for(rc).new(
            read_str(C.authy_error_message(handle)) || result_str(rc),
            code: rc,
            http_status: status.zero? ? nil : status,
            authy_code: read_str(C.authy_error_api_code(handle)),
            more_info: read_str(C.authy_error_more_info(handle)),
            body: read_str(C.authy_error_body(handle)),
            attempts: C.authy_error_attempts(handle),
            request_sent: C.authy_error_request_sent(handle),
            retry_after: seconds_from_ms(C.authy_error_retry_after_ms(handle))
          )
        ensure
          handle.free
        end
      end

      # Milliseconds → seconds: nil for 0, an Integer when whole, else a Float.
      def seconds_from_ms(ms)
        return nil if ms.zero?

        (ms % 1000).zero? ? ms / 1000 : ms / 1000.0
      end

      def free_error(err_ptr)
        C.authy_error_free(err_ptr) unless err_ptr.nil? || err_ptr.null?
      end

      # --- argument checks: Ruby misuse raises ::ArgumentError / ::TypeError, never reaches C ---

      # A required text argument: a String (any encoding convertible to UTF-8) without NUL bytes.
      def text(value, name, integer: false)
        raise ::ArgumentError, "#{name} is required (got nil)" if value.nil?

        value = value.to_s if integer && value.is_a?(Integer)
        value = value.to_s if value.is_a?(Symbol)
        unless value.is_a?(String)
          kinds = integer ? "a String or an Integer" : "a String"
          raise ::TypeError, "#{name} must be #{kinds}, not #{value.class}"
        end
        value = utf8(value, name)
        raise ::ArgumentError, "#{name} contains a NUL byte" if value.b.include?("\0")

        value
      end

      # An optional text argument (nil stays nil).
      def opt_text(value, name, integer: false)
        value.nil? ? nil : text(value, name, integer: integer)
      end

      # An Authy id: digits as a String, or an Integer.
      def id(value, name = "authy_id")
        text(value, name, integer: true)
      end

      # Seconds (Numeric, > 0, finite) → whole milliseconds (rounded up), for uint64 setters.
      def millis(seconds, name)
        unless seconds.is_a?(Numeric) && seconds.real?
          raise ::TypeError, "#{name} must be a number of seconds, not #{seconds.class}"
        end
        raise ::ArgumentError, "#{name} must be finite and greater than 0 (got #{seconds})" \
          unless seconds.positive? && seconds.to_f.finite?

        ms = (seconds * 1000).ceil
        raise ::ArgumentError, "#{name} is too large (#{seconds} s)" if ms > UINT64_MAX

        ms
      end

      # Seconds (Numeric, >= 0, finite) → whole milliseconds (rounded up); 0 allowed.
      def millis_or_zero(seconds, name)
        return 0 if seconds.is_a?(Numeric) && seconds.real? && seconds.zero?

        millis(seconds, name)
      end

      def uint32(value, name)
        raise ::TypeError, "#{name} must be an Integer, not #{value.class}" unless value.is_a?(Integer)
        raise ::ArgumentError, "#{name} must be between 0 and #{UINT32_MAX} (got #{value})" \
          unless value.between?(0, UINT32_MAX)

        value
      end

      def bool(value, name)
        return value if [true, false].include?(value)

        raise ::TypeError, "#{name} must be true or false, not #{value.class}"
      end

      private

      def utf8(value, name)
        return value if value.encoding == Encoding::UTF_8 || value.encoding == Encoding::BINARY ||
                        value.encoding == Encoding::US_ASCII

        value.encode(Encoding::UTF_8)
      rescue EncodingError => e
        raise ::ArgumentError, "#{name} cannot be converted to UTF-8 (#{e.message})"
      end
    end
  end
end
