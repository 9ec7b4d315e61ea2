# frozen_string_literal: true

require "libauthy"

module Authy
  module Native
    # OneTouch callbacks in any Rack application (Rails, Sinatra, Roda, plain Rack), without
    # depending on a framework — nor on the rack gem itself: a Rack env Hash is enough, and a
    # Rack::Request (or ActionDispatch::Request) is accepted too.
    #
    #   # Rails controller
    #   cb = Authy::Native::Rack.verify_callback(request, api_key: ENV["AUTHY_API_KEY"],
    #                                            public_url: "https://example.com/authy/callback")
    #   session_approved!(cb.uuid) if cb.approved?
    #
    #   # config.ru / Rails middleware stack
    #   use Authy::Native::Rack::CallbackVerifier, api_key: ENV["AUTHY_API_KEY"], path: "/authy/callback"
    #   # the app then finds the verified parameters in env["authy.callback"]
    module Rack
      ENV_KEY = "authy.callback"

      module_function

      # Verifies the callback in a Rack env (or request object): method, public URL,
      # X-Authy-Signature / X-Authy-Signature-Nonce headers and body (POST; the body is read and
      # rewound, so the application can read it again) or query string (GET). Returns a
      # VerifiedCallback; raises SignatureInvalid.
      #
      # `public_url`: the callback URL exactly as configured in Authy. Recommended: behind a
      # proxy or TLS terminator the URL the application sees differs from the one Authy signed.
      # Without it the URL is rebuilt from the request (Rack::Request#base_url + #path when the
      # rack gem is loaded, which follows X-Forwarded-* headers as Rack does; else the env).
      def verify_callback(request_or_env, api_key:, public_url: nil, max_age: Native::MAX_CALLBACK_AGE, now: nil)
        Native.verify_callback(**callback_of(request_or_env, api_key, public_url, max_age, now))
      end

      # true / false; the check of #verify_callback without building the parameters.
      def valid_callback?(request_or_env, api_key:, public_url: nil, max_age: Native::MAX_CALLBACK_AGE, now: nil)
        Native.valid_callback?(**callback_of(request_or_env, api_key, public_url, max_age, now))
      rescue SignatureInvalid, InvalidArgument
        false
      end

      # Verifies a Twilio webhook (X-Twilio-Signature: HMAC-SHA1 of the URL and the sorted form
      # parameters, or the bodySHA256 variant for a JSON body) with the account's Auth Token,
      # offline and in constant time. The URL is `public_url` (as configured in Twilio, without
      # the query string; default: rebuilt from the request as for #verify_callback) plus the
      # request's query string; the body is read and rewound. Returns true; raises
      # SignatureInvalid (or InvalidArgument).
      def verify_twilio_webhook(request_or_env, auth_token:, public_url: nil)
        env = env_of(request_or_env)
        url = public_url || request_url(request_or_env, env)
        query = env["QUERY_STRING"].to_s
        url = "#{url}?#{query}" unless query.empty? || url.include?("?")
        Native.verify_twilio_signature(auth_token: auth_token, url: url, body: read_body(env),
                                       signature: env["HTTP_X_TWILIO_SIGNATURE"] || "")
      end

      def valid_twilio_webhook?(request_or_env, **kwargs)
        verify_twilio_webhook(request_or_env, **kwargs)
      rescue SignatureInvalid, InvalidArgument
        false
      end

      # The arguments of Native.verify_callback / valid_callback? for a Rack request.
      def callback_of(request_or_env, api_key, public_url, max_age, now)
        env = env_of(request_or_env)
        method = env["REQUEST_METHOD"].to_s.upcase
        {
          api_key: api_key, method: method, url: public_url || request_url(request_or_env, env),
          nonce: env["HTTP_X_AUTHY_SIGNATURE_NONCE"] || "", signature: env["HTTP_X_AUTHY_SIGNATURE"] || "",
          body: method == "GET" ? env["QUERY_STRING"].to_s : read_body(env),
          max_age: max_age, now: now
        }
      end

      def env_of(obj)
        return obj if obj.is_a?(Hash)
        return obj.env if obj.respond_to?(:env)

        raise ::TypeError, "expected a Rack env Hash or a request object, not #{obj.class}"
      end

      # The raw body, leaving rack.input rewound for whoever reads it next (a non-rewindable
      # Rack 3 input is replaced by a StringIO holding the same bytes).
      def read_body(env)
        input = env["rack.input"]
        return "" if input.nil?

        rewindable = input.respond_to?(:rewind)
        input.rewind if rewindable
        body = String.new(input.read.to_s)
        if rewindable
          input.rewind
        else
          require "stringio"
          env["rack.input"] = StringIO.new(body.dup)
        end
        body.force_encoding(Encoding::UTF_8)
      end

      # scheme://host[:port]/script_name+path_info (no query string: it is not signed as URL).
      def request_url(obj, env)
        req = if obj.respond_to?(:base_url) && obj.respond_to?(:path) then obj
              elsif defined?(::Rack::Request) then ::Rack::Request.new(env)
              end
        return req.base_url + req.path if req

        scheme = env["rack.url_scheme"] || (env["HTTPS"] == "on" ? "https" : "http")
        host = env["HTTP_HOST"] || begin
          port = env["SERVER_PORT"].to_s
          default = (scheme == "https" && port == "443") || (scheme == "http" && port == "80")
          default || port.empty? ? env["SERVER_NAME"].to_s : "#{env['SERVER_NAME']}:#{port}"
        end
        "#{scheme}://#{host}#{env['SCRIPT_NAME']}#{env['PATH_INFO']}"
      end

      # Rack middleware: requests to `path` (a String, a Regexp, or nil for every request) must
      # carry a valid OneTouch signature. Verified ones reach the app with the VerifiedCallback
      # in env["authy.callback"]; others get `401 invalid Authy signature` and never reach it.
      #
      # Options: api_key: (required), path:, public_url: (a String, or a Proc taking the env),
      # max_age: (default 300).
      class CallbackVerifier
        def initialize(app, api_key:, path: nil, public_url: nil, max_age: Native::MAX_CALLBACK_AGE)
          @app = app
          @api_key = Native.text(api_key, "api_key")
          @path = path
          @public_url = public_url
          @max_age = max_age
        end

        def call(env)
          return @app.call(env) unless applies?(env)

          verified = verify(env)
          return [401, { "content-type" => "text/plain" }, ["invalid Authy signature\n"]] unless verified

          env[ENV_KEY] = verified
          @app.call(env)
        end

        def inspect
          "#<#{self.class.name} path=#{@path.inspect}>"
        end

        private

        def verify(env)
          url = @public_url.respond_to?(:call) ? @public_url.call(env) : @public_url
          Rack.verify_callback(env, api_key: @api_key, public_url: url, max_age: @max_age)
        rescue SignatureInvalid, InvalidArgument
          nil
        end

        def applies?(env)
          path = "#{env['SCRIPT_NAME']}#{env['PATH_INFO']}"
          case @path
          when nil then true
          when Regexp then @path.match?(path)
          else path == @path
          end
        end
      end
    end
  end
end
