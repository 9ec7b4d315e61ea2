# frozen_string_literal: true

require "json"
require "logger"
require "libauthy"

# A drop-in layer for applications written against the official authy-ruby gem (3.0.1, plus the
# Authy::PhoneIntelligence class of 2.7.x): the same module methods, arities, constants, requests
# and return objects, running on libauthy.
#
#   require "libauthy/compat"      # or: require "authy" (this gem ships lib/authy.rb)
#   Authy.api_key = ENV["AUTHY_API_KEY"]
#   Authy.api_uri = "https://api.authy.com"
#   user = Authy::API.register_user(email: "a@example.com", cellphone: "555-123-4567", country_code: "1")
#   user.ok? ? user.id : user.errors
#
# As in authy-ruby, every call sends what authy-ruby sends (all the parameters given, the API key
# in the X-Authy-API-Key header) after authy-ruby's own client-side checks, and returns what it
# returns: an Authy::Response (Authy::User for register_user) for every HTTP answer, `ok?` being
# status 200; a value its checks refuse is a synthetic 400 answer ("Token format is invalid").
# A verification whose 200 answer does not say "token":"is valid" (cut off, not JSON) is "Token
# is invalid", never valid. No answer at all (connection refused, timeout, TLS), where
# authy-ruby let the HTTP client's exception escape, raises Authy::Native::TransportError.
#
# Differences (none changes a request the API receives from an application): `nil` parameters
# are left out instead of being sent empty; a path parameter libauthy cannot send safely
# (characters other than letters, digits and "-._~", an empty segment) is a synthetic 400 answer
# carrying libauthy's reason; authy-ruby's `http_client` (an HTTPClient) is a stand-in that
# takes its timeouts and proxy only; nothing is printed on stdout.
module Authy
  # The authy-ruby release whose API this layer reproduces (libauthy's own version is
  # Authy::Native::VERSION).
  VERSION = "3.0.1"

  # authy-ruby's logger (it logs nothing in this layer).
  AUTHY_LOGGER = Logger.new($stdout)

  DEFAULT_API_URI = "https://api.authy.com"

  class << self
    attr_writer :api_key, :user_agent

    # The API key: set with Authy.api_key=, else ENV["AUTHY_API_KEY"].
    def api_key
      @api_key || ENV["AUTHY_API_KEY"]
    end

    # The base URL, as set (a trailing "/" is kept), else https://api.authy.com.
    def api_uri
      @api_uri || DEFAULT_API_URI
    end

    attr_writer :api_uri

    alias api_url api_uri
    alias api_url= api_uri=

    # Sent after libauthy's own User-Agent (printable ASCII, cut at 128 characters).
    def user_agent
      @user_agent || "AuthyRuby/#{Authy::VERSION} (#{RUBY_PLATFORM}, Ruby #{RUBY_VERSION})"
    end

    # Overall timeout of each call in seconds (libauthy's default, 15 s, when nil). authy-ruby
    # had none of its own.
    attr_accessor :timeout
  end

  # The HTTP answer under a Response (#raw_response): status and body as authy-ruby's HTTP client
  # gave them, and the answer's headers ({} for an answer made up by a client-side check).
  class RawResponse
    attr_reader :status, :body, :headers

    def initialize(status, body, headers = {})
      @status = status
      @body = body
      @headers = headers
    end

    alias code status
    alias status_code status
    alias content body

    # A successful (2xx) status, as HTTP::Message#ok?.
    def ok?
      (200..299).cover?(status)
    end

    # The headers as HTTP::Message#header gives them: header["Content-Type"] is the Array of
    # that header's values (any case of the name).
    def header
      HeaderValues.new(headers)
    end
    alias http_header header

    # Case-insensitive lookup of header values.
    class HeaderValues
      def initialize(headers)
        @headers = headers
      end

      def [](name)
        value = @headers.find { |k, _| k.casecmp?(name.to_s) }&.last
        value.nil? ? [] : [value]
      end
    end
    private_constant :HeaderValues
  end

  # The answer of a call: a Hash of the parsed JSON body, with ok?, errors, error_msg and method
  # access to its keys (response.message, response.approval_request), as in authy-ruby.
  class Response < Hash
    attr_reader :raw_response

    # `raw_response`: anything with #status and #body (an Authy::RawResponse, or the OpenStruct
    # authy-ruby's own specs pass).
    def initialize(raw_response)
      super()
      @raw_response = raw_response
      parse_body
    end

    def id
      self["id"]
    end

    def ok?
      @raw_response.status == 200
    end
    alias success? ok?

    def code
      @raw_response.status
    end

    def body
      @raw_response.body
    end

    def errors
      self["errors"] || {}
    end

    # "No error" when ok; else the answer's message, or its raw body when it had none.
    def error_msg
      return "No error" if ok?

      self["message"] || body
    end

    def respond_to_missing?(name, include_private = false)
      key?(name.to_s) || super
    end

    protected

    def method_missing(name, *args, &block)
      key = name.to_s
      return self[key] if key?(key)

      super
    end

    private

    def parse_json
      value = JSON.parse(body.to_s)
      value.is_a?(Hash) ? value : nil
    rescue JSON::ParserError
      nil
    end

    def parse_body
      parsed = parse_json
      parsed ? replace(parsed) : self["message"] = "invalid json"
    end
  end

  # The answer of Authy::API.register_user: when ok, the fields of its `user` object (user.id);
  # otherwise empty, with the answer's `errors` in #errors.
  class User < Response
    def errors
      return {} if ok?
      return @errors unless @errors.nil? || @errors.empty?

      { "error" => error_msg }
    end

    private

    def parse_body
      parsed = parse_json
      if !ok?
        @errors = parsed && (parsed["errors"].is_a?(Hash) ? parsed["errors"] : parsed)
      elsif parsed
        replace(parsed["user"].is_a?(Hash) ? parsed["user"] : parsed)
      end
    end
  end

  # authy-ruby's URL helpers (Authy::API and its subclasses have them as class methods).
  module URL
    def self.included(receiver)
      receiver.extend ClassMethods
    end

    module ClassMethods
      UNRESERVED = /[^A-Za-z0-9\-._~]/.freeze
      FORM_SAFE = /[^ A-Za-z0-9_.\-~]/n.freeze

      # The names of the ":param" placeholders of a path template.
      def keys_to_verify(uri, _params)
        uri.scan(/:(\w+)/).flatten
      end

      # `params` without the path's placeholders.
      def clean_uri_params(uri_params, params)
        params.reject { |k, _| uri_params.include?(k) }
      end

      # The path with its placeholders replaced by the (escaped) values of `params`.
      def eval_uri(uri, params = {})
        uri.gsub(/:(\w+)/) { escape_for_url(params[Regexp.last_match(1)]) }
      end

      # [true, ""], or [false, "<name> is blank."] for the first blank placeholder value.
      def validate_for_url(names, to_validate = {})
        blank = names.find { |name| to_validate[name].to_s.strip.empty? }
        blank ? [false, "#{blank} is blank."] : [true, ""]
      end

      # A path segment: stripped, every byte but letters, digits and "-._~" percent-encoded.
      def escape_for_url(field)
        field.to_s.strip.b.gsub(UNRESERVED) { |c| format("%%%02X", c.ord) }
      end

      # "left=right", form-encoded (space as "+").
      def to_param(left, right)
        "#{form_escape(left)}=#{form_escape(right.to_s)}"
      end

      # ["left[]=v1", "left[]=v2"] (Hashes inside as left[][key]=...).
      def params_from_array(left, values)
        values.map { |value| value_pairs(left, [value]).map { |k, v| to_param(k, v) }.join("&") }
      end

      # A form body / query string of a (nested) Hash, with Rack-style keys.
      def escape_query(query, namespace = nil)
        query_pairs(query, namespace).map { |k, v| to_param(k, v) }.join("&")
      end

      # The [name, value] pairs escape_query encodes: Rack-style names (user[email],
      # logos[][res]), values as given.
      def query_pairs(query, namespace = nil)
        query.flat_map { |attr, value| value_pairs(namespace ? "#{namespace}[#{attr}]" : attr.to_s, value) }
      end

      private

      def value_pairs(left, value)
        value = value.read if value.respond_to?(:read)
        if (values = Array.try_convert(value))
          values.flat_map { |v| v.is_a?(Hash) ? query_pairs(v, "#{left}[]") : value_pairs("#{left}[]", v) }
        elsif (hash = Hash.try_convert(value))
          query_pairs(hash, left)
        else
          [[left, value]]
        end
      end

      def form_escape(text)
        text.to_s.b.gsub(FORM_SAFE) { |c| format("%%%02X", c.ord) }.tr(" ", "+")
      end
    end
  end

  # What authy-ruby's Authy::API.http_client (an HTTPClient) was set for: its timeouts (seconds)
  # and proxy, which the calls then use (receive_timeout bounds each call as a whole, unless
  # Authy.timeout is set; send_timeout is covered by it).
  class HTTPClientSettings
    attr_accessor :connect_timeout, :send_timeout, :receive_timeout, :proxy
  end

  # Internal plumbing: one shared, thread-safe libauthy client per (API key, URL, User-Agent,
  # timeout), and the request every method ends in.
  module Compat
    @clients = {}
    @lock = Mutex.new

    class << self
      def client(api_key)
        http = API.http_client
        settings = { base_url: Authy.api_uri.to_s.sub(%r{/+\z}, ""), user_agent_suffix: user_agent_suffix,
                     timeout: Authy.timeout || http.receive_timeout, connect_timeout: http.connect_timeout,
                     proxy: http.proxy&.to_s }
        @lock.synchronize do
          @clients.clear if @clients.size > 16
          @clients[[api_key, settings]] ||= Authy::Native::Client.new(api_key, **settings)
        end
      end

      # Sends `method` `path` with `params` (a Hash, nested as in a form) using `api_key`, and
      # returns the answer as a `klass` (Authy::Response or Authy::User).
      def send_request(method, path, params, api_key, klass = Response)
        c = client(api_key.to_s) # a key or URL libauthy refuses raises: configuration, not an answer
        raw = begin
          resp = c.request(method, path, pairs(params))
          RawResponse.new(resp.status, resp.body, resp.headers)
        rescue Authy::Native::DecodeError => e
          # An answer that is not JSON: authy-ruby kept it ("invalid json"); a 200 of a token
          # verification then fails the "token":"is valid" check.
          raise unless e.http_status

          RawResponse.new(e.http_status, e.body.to_s)
        rescue Authy::Native::InvalidArgument => e
          API.build_error_response(e.message)
        end
        klass.new(raw)
      end

      # The [key, value] Strings of a nested Hash as authy-ruby's form encoding makes them (nil
      # values left out).
      def pairs(params)
        API.query_pairs(params).filter_map { |k, v| [k, v.to_s] unless v.nil? }
      end

      # Authy.user_agent as libauthy accepts it: printable ASCII, at most 128 characters.
      def user_agent_suffix
        ua = Authy.user_agent.to_s.encode(Encoding::US_ASCII, invalid: :replace, undef: :replace)
                  .gsub(/[^ -~]/, "?").strip[0, 128]
        ua.empty? ? nil : ua
      end
    end
  end

  # Authy::API of authy-ruby 3.0.1. Every method takes a Hash (Symbol or String keys) and returns
  # an Authy::Response (Authy::User for register_user).
  class API
    include Authy::URL

    MIN_TOKEN_SIZE = 6
    MAX_TOKEN_SIZE = 12
    # authy-ruby 2.7.x's constant (3.x reads Authy.user_agent).
    USER_AGENT = "AuthyRuby/#{Authy::VERSION} (#{RUBY_PLATFORM}, Ruby #{RUBY_VERSION})"

    # The calls about one user: name → [HTTP method, path template]. Each takes a Hash with `id`,
    # an optional `api_key` and the endpoint's parameters, sent as given: request_sms and
    # request_phone_call force, action, action_message, locale; update_user email; delete_user
    # user_ip.
    USER_CALLS = {
      request_sms: ["GET", "protected/json/sms/:user_id"],
      request_phone_call: ["GET", "protected/json/call/:user_id"],
      request_email: ["POST", "protected/json/email/:user_id"],
      update_user: ["POST", "protected/json/users/:user_id/update"],
      delete_user: ["POST", "protected/json/users/delete/:user_id"],
      user_status: ["GET", "protected/json/users/:user_id/status"]
    }.freeze

    USER_CALLS.each do |name, (method, uri)|
      define_singleton_method(name) { |params| user_request(method, uri, params) }
    end

    HTTP_CLIENT = HTTPClientSettings.new
    private_constant :HTTP_CLIENT

    class << self
      # The stand-in for authy-ruby's shared HTTPClient: `connect_timeout=`, `receive_timeout=`,
      # `send_timeout=` and `proxy=` apply to the calls made after them.
      def http_client
        HTTP_CLIENT
      end

      # email, cellphone, country_code, send_install_link_via_sms (default true), api_key.
      def register_user(attributes)
        user = attributes.dup
        api_key = take(user, :api_key) || Authy.api_key
        send_link = user.key?(:send_install_link_via_sms) || user.key?("send_install_link_via_sms") ? take(user, :send_install_link_via_sms) : true
        params = { user: user, send_install_link_via_sms: send_link }
        Compat.send_request("POST", "/protected/json/users/new", params, api_key, Authy::User)
      end

      # id, token, force (default true), action, api_key.
      def verify(params)
        params = params.dup
        token = take(params, :token)
        user_id = take(params, :id)
        return invalid_response("Token format is invalid") unless token_is_safe?(token)
        return invalid_response("User id is invalid") unless is_digit?(user_id)

        params[:force] = true if params[:force].nil? && params["force"].nil?
        response = get_request("protected/json/verify/:token/:user_id",
                               params.merge("token" => token, "user_id" => user_id))
        response.ok? ? verify_response(response) : response
      end

      # id, qr_size (default 300), qr_label (default ""), api_key.
      def request_qr_code(params)
        params = params.dup
        user_id = take(params, :id)
        qr_size = take(params, :qr_size) || 300
        qr_label = take(params, :qr_label) || ""
        return invalid_response("User id is invalid") unless is_digit?(user_id)
        return invalid_response("Qr image size is invalid") unless is_digit?(qr_size)

        post_request("protected/json/users/:user_id/secret",
                     params.merge("user_id" => user_id, "qr_size" => qr_size, "label" => qr_label))
      end

      # POST to a path template ("protected/json/users/:user_id/update"): its placeholders come
      # from `params` (a blank one is a 400 "<name> is blank."), the rest is the form body.
      def post_request(uri, params = {})
        request("POST", uri, params)
      end

      # GET, as post_request with the rest of `params` as the query string.
      def get_request(uri, params = {})
        request("GET", uri, params)
      end

      # The HTTP answer of a value refused before sending: 400 with {"success":false,
      # "message":error,"errors":{"message":error}}.
      def build_error_response(error = "blank uri param found")
        body = { "success" => false, "message" => error, "errors" => { "message" => error } }
        RawResponse.new(400, JSON.generate(body))
      end

      def token_is_safe?(token)
        /\A\d{#{MIN_TOKEN_SIZE},#{MAX_TOKEN_SIZE}}\Z/.match?(token.to_s)
      end

      def is_digit?(str)
        /^\d+$/.match?(str.to_s)
      end

      def invalid_response(str = "Invalid resonse")
        Authy::Response.new(build_error_response(str))
      end

      # A verification answer is valid only when it says "token":"is valid".
      def verify_response(response)
        return response if response["token"] == "is valid"

        invalid_response("Token is invalid")
      end

      # The request headers authy-ruby sends (libauthy adds its own User-Agent before this one).
      # An `api_key` in `params` is removed from them and wins.
      def default_header(api_key: nil, params: {})
        key = take(params, :api_key)
        { "X-Authy-API-Key" => key.to_s.strip.empty? ? api_key || Authy.api_key : key,
          "User-Agent" => Authy.user_agent }
      end

      private

      def request(method, uri, params)
        params = params.dup
        api_key = default_header(params: params)["X-Authy-API-Key"]
        names = keys_to_verify(uri, params)
        valid, error = validate_for_url(names, params)
        return Authy::Response.new(build_error_response(error)) unless valid

        Compat.send_request(method, "/#{eval_uri(uri, params)}", clean_uri_params(names, params), api_key)
      end

      def user_request(method, uri, params)
        params = params.dup
        user_id = take(params, :id)
        request(method, uri, params.merge("user_id" => user_id))
      end

      # Removes and returns params[name] or params[name.to_s].
      def take(params, name)
        first = params.delete(name)
        second = params.delete(name.to_s)
        first.nil? ? second : first
      end
    end
  end

  # Phone verification (Verify v1), as in authy-ruby 3.0.1.
  class PhoneVerification < API
    class << self
      # via ("sms" or "call"; anything else is "sms"), country_code, phone_number, code_length,
      # locale, custom_message, custom_code, api_key.
      def start(params)
        post_request("protected/json/phones/verification/start", with_via(params))
      end

      # country_code, phone_number, verification_code, api_key.
      def check(params)
        get_request("protected/json/phones/verification/check", params)
      end

      private

      def with_via(params)
        params = params.dup
        params[:via] = take(params, :via).to_s == "call" ? "call" : "sms"
        params
      end
    end
  end

  # Phone verification and phone information as authy-ruby 2.7.x had them (3.0 removed it).
  class PhoneIntelligence < PhoneVerification
    class << self
      # As PhoneVerification.start.
      def verification_start(params)
        start(params)
      end

      # As PhoneVerification.check.
      def verification_check(params)
        check(params)
      end

      # country_code, phone_number, api_key: the phone's type and carrier.
      def info(params)
        get_request("protected/json/phones/info", params)
      end
    end
  end

  # OneTouch (push) approval requests, as in authy-ruby 3.0.1.
  class OneTouch < API
    # Longest message, logo res and logo url sent (longer ones are cut).
    MAX_STRING_SIZE = 200

    class << self
      # id, message, details ({}), hidden_details ({}), logos ([{res:, url:}]), seconds_to_expire,
      # api_key.
      def send_approval_request(params)
        params = params.dup
        user_id = take(params, :id)
        message = take(params, :message).to_s
        details = take(params, :details)
        hidden_details = take(params, :hidden_details)
        logos = take(params, :logos)
        seconds_to_expire = take(params, :seconds_to_expire)
        return invalid_response("message cannot be blank") if message.empty?
        return invalid_response("user id is invalid") unless is_digit?(user_id)

        begin
          clean_hash!(details)
          clean_hash!(hidden_details)
          logos = clean_logos!(logos)
        rescue StandardError => e
          return invalid_response("Invalid parameters: #{e.message}")
        end
        post_request("onetouch/json/users/:user_id/approval_requests",
                     { message: message[0, MAX_STRING_SIZE], details: details, hidden_details: hidden_details,
                       logos: logos, seconds_to_expire: seconds_to_expire,
                       "user_id" => user_id, api_key: params[:api_key] || params["api_key"] })
      end

      # uuid, api_key.
      def approval_request_status(params)
        params = params.dup
        uuid = take(params, :uuid)
        get_request("onetouch/json/approval_requests/#{escape_for_url(uuid)}",
                    { api_key: params[:api_key] || params["api_key"] })
      end

      # Checks a details Hash (nil allowed).
      def clean_hash!(test_hash)
        return if test_hash.nil?
        raise "Hash expected. Got: #{test_hash.class}" unless test_hash.is_a?(Hash)

        test_hash.to_h { |k, v| [k, v.to_s] }
      end

      # Checks logos (nil allowed) and returns them with only res and url, cut at
      # MAX_STRING_SIZE.
      def clean_logos!(logos)
        return if logos.nil?
        raise "Array expected. Got #{logos.class}" unless logos.is_a?(Array)

        logos.map do |logo|
          raise "Invalid logo format: #{logo}" unless logo.is_a?(Hash)

          res = logo[:res] || logo["res"]
          url = logo[:url] || logo["url"]
          raise "Logo should include res and url" if res.nil? || url.nil?

          { res: res.to_s[0, MAX_STRING_SIZE], url: url.to_s[0, MAX_STRING_SIZE] }
        end
      end
    end
  end
end
