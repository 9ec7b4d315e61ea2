# frozen_string_literal: true

require "json"
require "libauthy"

# A drop-in layer for applications written against the official authy-ruby 3.x gem: the same
# module methods, argument names and return objects, running on libauthy.
#
#   require "libauthy/compat"      # or: require "authy" (this gem ships lib/authy.rb)
#   Authy.api_key = ENV["AUTHY_API_KEY"]
#   Authy.api_uri = "https://api.authy.com"
#   user = Authy::API.register_user(email: "a@example.com", cellphone: "555-123-4567", country_code: "1")
#   user.ok? ? user.id : user.errors
#
# As in authy-ruby, an unsuccessful API answer is a response object with `ok?` false (and
# `errors`, hash access), never an exception; so is a value refused before sending (a synthetic
# 400 such as "Token format is invalid"). What authy-ruby let escape as HTTP client exceptions —
# no answer at all (connection refused, timeout, TLS, an undecodable body) — raises an
# Authy::Native::TransportError / Authy::Native::DecodeError.
module Authy
  DEFAULT_API_URI = "https://api.authy.com"

  class << self
    attr_writer :api_key, :user_agent

    # The API key: set with Authy.api_key=, else ENV["AUTHY_API_KEY"].
    def api_key
      @api_key || ENV["AUTHY_API_KEY"]
    end

    # The base URL (default https://api.authy.com); a trailing "/" is accepted.
    def api_uri
      @api_uri || DEFAULT_API_URI
    end

    def api_uri=(uri)
      @api_uri = uri&.to_s&.sub(%r{/+\z}, "")
    end
    alias api_url api_uri
    alias api_url= api_uri=

    # Appended to libauthy's User-Agent (printable ASCII, at most 128 characters).
    def user_agent
      @user_agent || "authy-ruby-compat/#{Authy::Native::VERSION}"
    end

    # Overall timeout of each call in seconds (libauthy's default, 15 s, when nil). authy-ruby
    # had none of its own.
    attr_accessor :timeout
  end

  # The answer of a call: a Hash of the parsed JSON body, plus ok?, errors and method access
  # to the keys (response.message, response.approval_request), as in authy-ruby.
  class Response < Hash
    # The HTTP status and raw body of the answer (#status, #body).
    RawResponse = Struct.new(:status, :body)

    attr_reader :raw_response

    def initialize(raw_response)
      super()
      @raw_response = raw_response
      parse_body
    end

    # A synthetic 400 answer for a value refused before anything was sent.
    def self.invalid(message)
      body = JSON.generate("success" => false, "message" => message, "errors" => { "message" => message })
      new(RawResponse.new(400, body))
    end

    def body
      @raw_response.body
    end

    def ok?
      @raw_response.status == 200
    end
    alias success? ok?

    def errors
      self["errors"] || {}
    end

    def error_msg
      ok? ? "No error" : (self["message"] || "invalid json")
    end

    def method_missing(name, *args, &block)
      key = name.to_s
      return self[key] if args.empty? && block.nil? && key?(key)

      super
    end

    def respond_to_missing?(name, include_private = false)
      key?(name.to_s) || super
    end

    private

    def parse_body
      parsed = JSON.parse(body.to_s)
      parsed.is_a?(Hash) ? replace(parsed) : self["message"] = "invalid json"
    rescue JSON::ParserError
      self["message"] = "invalid json"
    end
  end

  # The answer of Authy::API.register_user: the `user` object is merged into the hash, so the
  # Authy id is `user.id` (or user["id"]).
  class User < Response
    def initialize(raw_response)
      super
      inner = delete("user")
      merge!(inner) if inner.is_a?(Hash)
    end

    def errors
      return {} if ok?
      return self["errors"] if self["errors"].is_a?(Hash)

      empty? ? { "error" => error_msg } : to_hash
    end
  end

  # Internal plumbing of the compat layer: one shared, thread-safe libauthy client per
  # (API key, URL, User-Agent, timeout); no logic of its own beyond authy-ruby's behaviour.
  module Compat
    TOKEN_FORMAT = /\A\d{6,12}\Z/.freeze
    DIGITS = /\A\d+\z/.freeze
    MAX_STRING_SIZE = 200
    @clients = {}
    @lock = Mutex.new
    @warned = {}

    class << self
      def client(api_key = nil)
        key = api_key || Authy.api_key
        settings = [key, Authy.api_uri, Authy.user_agent, Authy.timeout]
        @lock.synchronize do
          @clients.clear if @clients.size > 16
          @clients[settings] ||= Authy::Native::Client.new(
            key, base_url: settings[1], user_agent_suffix: settings[2], timeout: settings[3]
          )
        end
      end

      # Runs a libauthy call on the client for `api_key` and turns its outcome into an
      # authy-ruby response object. A client that cannot be built (no key, a refused URL) raises:
      # that is a configuration error, not an answer.
      def perform(api_key, klass = Response)
        c = client(api_key)
        begin
          resp = yield c
        rescue Authy::Native::ApiError => e
          return klass.new(Response::RawResponse.new(e.http_status || 400, e.body || error_body(e.message)))
        rescue Authy::Native::InvalidArgument => e
          return klass.invalid(e.message)
        end
        klass.new(Response::RawResponse.new(resp.status, resp.body))
      end

      def error_body(message)
        JSON.generate("success" => false, "message" => message, "errors" => { "message" => message })
      end

      # Merges a positional Hash and keywords, with String keys turned into Symbols.
      def options(params, kwargs)
        raise ::TypeError, "params must be a Hash, not #{params.class}" unless params.is_a?(Hash)

        params.merge(kwargs).each_with_object({}) { |(k, v), h| h[k.to_s.to_sym] = v }
      end

      def take(opts, *names)
        names.each { |n| return opts.delete(n) if opts.key?(n) }
        nil
      end

      # What libauthy does not know is dropped with one warning per option (authy-ruby sent
      # any extra parameter to the API as it was).
      def ignore_rest(method, opts)
        opts.each_key do |k|
          first = @lock.synchronize { @warned[[method, k]] ? false : (@warned[[method, k]] = true) }
          warn "libauthy compat: #{method}: option #{k.inspect} is not supported and was ignored" if first
        end
      end

      def flag(value)
        case value
        when nil then nil
        when true, "true", "True", "1", 1 then true
        else false
        end
      end

      def blank?(value)
        value.nil? || value.to_s.strip.empty?
      end

      def str(value)
        value.nil? ? "" : value.to_s
      end

      def truncate(value)
        value.to_s[0, MAX_STRING_SIZE]
      end

      def clean_hash(hash)
        return nil if hash.nil? || hash.empty?
        raise ArgumentError, "Hash expected" unless hash.is_a?(Hash)

        hash.to_h { |k, v| [truncate(k), truncate(v)] }
      end

      def clean_logos(logos)
        return nil if logos.nil?
        raise ArgumentError, "Array expected" unless logos.is_a?(Array)

        logos.map do |logo|
          raise ArgumentError, "Logo should be a Hash" unless logo.is_a?(Hash)

          res = logo[:res] || logo["res"]
          url = logo[:url] || logo["url"]
          raise ArgumentError, "Logo should include res and url" if blank?(res) || blank?(url)

          { res: truncate(res), url: truncate(url) }
        end
      end
    end
  end

  # Authy::API as in authy-ruby 3.x. Every method takes a Hash (or keywords) with the same keys
  # and returns an Authy::Response (Authy::User for register_user).
  class API
    class << self
      # email:, cellphone:, country_code:, send_install_link_via_sms: (default true), api_key:
      # (or the same inside user: {...}).
      def register_user(attributes = {}, **kw)
        opts = Compat.options(attributes, kw)
        api_key = Compat.take(opts, :api_key)
        send_link = Compat.flag(Compat.take(opts, :send_install_link_via_sms))
        user = Compat.take(opts, :user)
        user = user.is_a?(Hash) ? Compat.options(user, {}) : opts
        email = Compat.take(user, :email)
        cellphone = Compat.take(user, :cellphone)
        country = Compat.take(user, :country_code)
        Compat.ignore_rest("register_user", user)
        Compat.ignore_rest("register_user", opts) unless user.equal?(opts)
        Compat.perform(api_key, User) do |c|
          c.create_user(
            email: Compat.str(email), cellphone: Compat.str(cellphone),
            country_code: country.nil? ? nil : country.to_s, send_install_link_via_sms: send_link
          )
        end
      end

      # id:, token:, force: (default true), action:, api_key:
      def verify(params = {}, **kw)
        opts = Compat.options(params, kw)
        token = Compat.take(opts, :token)
        id = Compat.take(opts, :id)
        api_key = Compat.take(opts, :api_key)
        force = Compat.take(opts, :force)
        action = Compat.take(opts, :action)
        Compat.ignore_rest("verify", opts)
        return Response.invalid("Token format is invalid") unless token.to_s =~ Compat::TOKEN_FORMAT
        return Response.invalid("User id is invalid") unless id.to_s =~ Compat::DIGITS

        resp = Compat.perform(api_key) do |c|
          c.verify_token(
            authy_id: id.to_s, token: token.to_s.strip,
            force: force.nil? ? true : Compat.flag(force), action: action&.to_s
          )
        end
        # authy-ruby: a 200 that does not say "token":"is valid" is not a valid token.
        return Response.invalid("Token is invalid") if resp.ok? && resp["token"] != "is valid"

        resp
      end

      # id:, force:, action:, action_message:, locale:, api_key:
      def request_sms(params = {}, **kw)
        token_request(:request_sms, Compat.options(params, kw), locale: true)
      end

      # id:, force:, action:, action_message:, api_key:
      def request_phone_call(params = {}, **kw)
        token_request(:request_call, Compat.options(params, kw), locale: false)
      end

      # id:, qr_size: (default 300), qr_label:, api_key:
      def request_qr_code(params = {}, **kw)
        opts = Compat.options(params, kw)
        id = Compat.take(opts, :id)
        api_key = Compat.take(opts, :api_key)
        size = Compat.take(opts, :qr_size) || 300
        label = Compat.take(opts, :qr_label, :label)
        Compat.ignore_rest("request_qr_code", opts)
        return Response.invalid("User id is invalid") unless id.to_s =~ Compat::DIGITS
        return Response.invalid("Qr image size is invalid") unless size.to_s =~ Compat::DIGITS

        Compat.perform(api_key) do |c|
          c.generate_qr_code(authy_id: id.to_s, qr_size: size.to_i,
                                                  label: Compat.blank?(label) ? nil : label.to_s)
        end
      end

      # id:, api_key:
      def request_email(params = {}, **kw)
        user_call(:request_email, Compat.options(params, kw))
      end

      # id:, email: (or user: {email:}), api_key:
      def update_user(params = {}, **kw)
        opts = Compat.options(params, kw)
        user = Compat.take(opts, :user)
        email = Compat.take(opts, :email) || (user.is_a?(Hash) && (user[:email] || user["email"]))
        user_call(:update_user_email, opts, email: Compat.str(email))
      end

      # id:, api_key:
      def delete_user(params = {}, **kw)
        opts = Compat.options(params, kw)
        Compat.take(opts, :user_ip)
        user_call(:delete_user, opts)
      end

      # id:, api_key:
      def user_status(params = {}, **kw)
        user_call(:user_status, Compat.options(params, kw))
      end

      private

      def token_request(method, opts, locale:)
        id = Compat.take(opts, :id)
        api_key = Compat.take(opts, :api_key)
        args = { force: Compat.flag(Compat.take(opts, :force)) }
        action = Compat.take(opts, :action)
        action_message = Compat.take(opts, :action_message)
        args[:action] = action.to_s unless action.nil?
        args[:action_message] = action_message.to_s unless action_message.nil?
        if locale
          loc = Compat.take(opts, :locale)
          args[:locale] = loc.to_s unless loc.nil?
        end
        Compat.ignore_rest(method.to_s, opts)
        return Response.invalid("user_id is blank.") if Compat.blank?(id)

        Compat.perform(api_key) { |c| c.public_send(method, authy_id: id.to_s, **args) }
      end

      def user_call(method, opts, **args)
        id = Compat.take(opts, :id)
        api_key = Compat.take(opts, :api_key)
        Compat.ignore_rest(method.to_s, opts)
        return Response.invalid("user_id is blank.") if Compat.blank?(id)

        Compat.perform(api_key) { |c| c.public_send(method, authy_id: id.to_s, **args) }
      end
    end
  end

  # Phone verification (Verify v1), as in authy-ruby 3.x.
  class PhoneVerification < API
    class << self
      # via: ("sms" or "call"; anything else means "sms"), country_code:, phone_number:,
      # code_length:, locale:, custom_message:, custom_code:, api_key:
      def start(params = {}, **kw)
        opts = Compat.options(params, kw)
        api_key = Compat.take(opts, :api_key)
        via = Compat.take(opts, :via).to_s
        via = "sms" unless %w[sms call].include?(via)
        country = Compat.take(opts, :country_code)
        phone = Compat.take(opts, :phone_number)
        extra = {}
        %i[code_length locale custom_message custom_code].each do |k|
          v = Compat.take(opts, k)
          extra[k] = (k == :code_length ? v.to_i : v.to_s) unless v.nil?
        end
        Compat.ignore_rest("PhoneVerification.start", opts)
        Compat.perform(api_key) do |c|
          c.start_phone_verification(country_code: Compat.str(country),
                                                          phone_number: Compat.str(phone), via: via, **extra)
        end
      end

      # verification_code:, country_code:, phone_number:, api_key:
      def check(params = {}, **kw)
        opts = Compat.options(params, kw)
        api_key = Compat.take(opts, :api_key)
        code = Compat.take(opts, :verification_code)
        country = Compat.take(opts, :country_code)
        phone = Compat.take(opts, :phone_number)
        Compat.ignore_rest("PhoneVerification.check", opts)
        Compat.perform(api_key) do |c|
          c.check_phone_verification(country_code: Compat.str(country),
                                                          phone_number: Compat.str(phone), code: Compat.str(code))
        end
      end
    end
  end

  # OneTouch (push) approval requests, as in authy-ruby 3.x.
  class OneTouch < API
    class << self
      # id:, message:, details: {}, hidden_details: {}, logos: nil, seconds_to_expire: nil,
      # api_key:. Message, detail keys and values are truncated to 200 characters like authy-ruby.
      def send_approval_request(params = {}, **kw)
        opts = Compat.options(params, kw)
        id = Compat.take(opts, :id)
        message = Compat.take(opts, :message)
        api_key = Compat.take(opts, :api_key)
        seconds = Compat.take(opts, :seconds_to_expire)
        details_in = Compat.take(opts, :details)
        hidden_in = Compat.take(opts, :hidden_details)
        logos_in = Compat.take(opts, :logos)
        Compat.ignore_rest("OneTouch.send_approval_request", opts)
        return Response.invalid("User id is invalid") unless id.to_s =~ Compat::DIGITS
        return Response.invalid("message cannot be blank") if Compat.blank?(message)

        begin
          details = Compat.clean_hash(details_in)
          hidden = Compat.clean_hash(hidden_in)
          logos = Compat.clean_logos(logos_in)
          ttl = seconds.nil? || seconds.to_s.empty? ? nil : Integer(seconds.to_s, 10)
        rescue ArgumentError => e
          return Response.invalid("Invalid parameters: #{e.message}")
        end
        Compat.perform(api_key) do |c|
          c.create_approval_request(
            authy_id: id.to_s, message: Compat.truncate(message), details: details, hidden_details: hidden,
            logos: logos, seconds_to_expire: ttl
          )
        end
      end

      # uuid:, api_key:
      def approval_request_status(params = {}, **kw)
        opts = Compat.options(params, kw)
        uuid = Compat.take(opts, :uuid)
        api_key = Compat.take(opts, :api_key)
        Compat.ignore_rest("OneTouch.approval_request_status", opts)
        return Response.invalid("uuid is blank.") if Compat.blank?(uuid)

        Compat.perform(api_key) { |c| c.approval_request_status(uuid: uuid.to_s) }
      end
    end
  end
end
