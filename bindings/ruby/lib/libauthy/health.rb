# frozen_string_literal: true

module Authy
  module Native
    # The outcome of Client#health_check, copied out of the C `authy_health` (freed at once): a
    # frozen value any thread may read.
    #
    #   report.ok?         reachable, TLS verified (https), key accepted
    #   report.error_code  0, or the failing stage's result code (200 connect, 202 TLS, 300 key refused, ...)
    #   report.error_name  "AUTHY_RESULT_OK", "AUTHY_RESULT_UNAUTHORIZED", ...
    #   report.error       nil when healthy, else the Error subclass instance of that stage (not raised)
    #   report.latency     seconds (Float) the check's call took, connection and handshake included
    #   report.tls?        the base URL is https
    #   report.message     one sentence describing the outcome (never the API key)
    #   report.app_name    the application's name when healthy, nil otherwise
    class HealthReport
      attr_reader :error_code, :latency, :message, :app_name

      def initialize(ok:, error_code:, latency:, tls:, message:, app_name:)
        @ok = ok
        @error_code = error_code
        @latency = latency
        @tls = tls
        @message = message&.freeze
        @app_name = app_name&.freeze
        freeze
      end

      # Copies a C report (the handle stays owned by the caller).
      def self.from_handle(handle)
        new(ok: C.authy_health_ok(handle),
            error_code: C.authy_health_result(handle),
            latency: C.authy_health_latency_us(handle) / 1_000_000.0,
            tls: C.authy_health_tls(handle),
            message: Native.read_str(C.authy_health_message(handle)),
            app_name: Native.read_str(C.authy_health_app_name(handle)))
      end

      def ok?
        @ok
      end

      def tls?
        @tls
      end

      def error_name
        Native.result_name(@error_code)
      end

      # The exception this failure would raise as a call (nil when healthy); not raised.
      def error
        return nil if @ok

        Native.error_class_for(@error_code).new(@message || Native.result_str(@error_code), code: @error_code)
      end

      def to_h
        { ok: @ok, error_code: @error_code, error_name: error_name, latency: @latency, tls: @tls,
          message: @message, app_name: @app_name }
      end

      def inspect
        "#<#{self.class.name} #{@ok ? 'ok' : error_name} latency=#{format('%.3f', @latency)}s " \
          "tls=#{@tls}#{" app_name=#{@app_name.inspect}" if @app_name} message=#{@message.inspect}>"
      end
      alias to_s inspect
    end
  end
end
