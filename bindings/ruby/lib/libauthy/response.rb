# frozen_string_literal: true

require "json"

module Authy
  module Native
    # One answer of the Authy API, copied out of the C `authy_response` (which is freed at once):
    # a plain, frozen Ruby value that any thread may read.
    #
    #   resp.ok?        status 200 (and, for a token verification, "token":"is valid")
    #   resp.status     HTTP status (Integer)          resp.body     raw JSON text
    #   resp["message"] hash access to the parsed body (String or Symbol keys)
    #   resp.errors     the body's "errors" object ({} when ok)
    #   resp.ignored?   an SMS/call the API did not send because the user has the app
    #   resp.headers    the answer's HTTP headers: { "content-type" => "application/json", ... }
    #                   (lower-case names; repeated headers joined with ", ")
    #
    # The endpoint methods of Client only return successful answers (they raise otherwise);
    # Client#request returns whatever the server answered.
    class Response
      FIELDS = %i[message authy_code user_id approval_uuid approval_status verification_uuid
                  cellphone qr_code].freeze

      attr_reader :status, :body, :data, :headers, *FIELDS, :seconds_to_expire

      # Copies a C response (the handle stays owned by the caller).
      def self.from_handle(handle)
        fields = FIELDS.to_h { |f| [f, Native.read_str(C.public_send(:"authy_response_#{f}", handle))] }
        secs = FFI::MemoryPointer.new(:uint64)
        rc = Native.call { |err| C.authy_response_seconds_to_expire(handle, secs, err) }
        new(status: C.authy_response_status(handle),
            body: Native.read_str(C.authy_response_body(handle)) || "",
            ok: C.authy_response_ok(handle),
            ignored: C.authy_response_ignored(handle),
            seconds_to_expire: rc == :ok ? secs.read_uint64 : nil,
            headers: read_headers(handle),
            **fields)
      end

      # { name => value } of a C response's headers (repeated names joined with ", ").
      def self.read_headers(handle)
        Array.new(C.authy_response_header_count(handle)) do |i|
          [Native.read_str(C.authy_response_header_name(handle, i)), Native.read_str(C.authy_response_header_value(handle, i))]
        end.each_with_object({}) do |(name, value), all|
          all[name] = all.key?(name) ? "#{all[name]}, #{value}" : value
        end
      end
      private_class_method :read_headers

      # Takes ownership of a C response pointer: copies it, then frees it.
      def self.consume(ptr)
        handle = ResponseHandle.new(ptr)
        begin
          from_handle(handle)
        ensure
          handle.free
        end
      end

      def initialize(status:, body:, ok:, ignored: false, seconds_to_expire: nil, headers: {}, **fields)
        @status = status
        @headers = headers.transform_values(&:freeze).freeze
        @body = body.frozen? ? body : body.dup.freeze
        @ok = ok
        @ignored = ignored
        @seconds_to_expire = seconds_to_expire
        FIELDS.each { |f| instance_variable_set(:"@#{f}", fields[f]&.freeze) }
        @data = parse(@body)
        freeze
      end

      def ok?
        @ok
      end
      alias success? ok?

      def ignored?
        @ignored
      end

      # The body's `errors` object when the answer is not a success, else {}.
      def errors
        return {} if ok?

        value = @data["errors"]
        value.is_a?(Hash) ? value : {}
      end

      # Hash access to the parsed JSON body: resp["user"]["id"], resp[:message].
      def [](key)
        @data[key.to_s]
      end

      def dig(*keys)
        @data.dig(*keys.map { |k| k.is_a?(Symbol) ? k.to_s : k })
      end

      def key?(key)
        @data.key?(key.to_s)
      end

      # A deep copy of the parsed body.
      def to_h
        JSON.parse(@body)
      rescue JSON::ParserError
        {}
      end

      def inspect
        "#<#{self.class.name} status=#{status} ok=#{ok?} message=#{message.inspect}>"
      end
      alias to_s inspect

      private

      def parse(body)
        value = JSON.parse(body, freeze: true)
        value.is_a?(Hash) ? value : {}
      rescue JSON::ParserError
        {}.freeze
      end
    end

    # What Client#wait_for_approval ended with: #status is :approved, :denied, :expired or
    # :timed_out (still pending when the budget ran out); #response the last status answer.
    ApprovalWait = Struct.new(:status, :response) do
      def approved?
        status == :approved
      end

      def denied?
        status == :denied
      end
    end
  end
end
