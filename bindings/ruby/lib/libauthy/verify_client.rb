# frozen_string_literal: true

require "json"

module Authy
  module Native
    # A client of Twilio Verify v2 and Lookup v2 over libauthy's C client (authy_verify_client):
    # the same transport as Client (timeouts, TLS roots, proxies, pool, opt-in retries that never
    # repeat a side effect), immutable once built, safe to share between threads; every call
    # releases the GVL while it waits for the network.
    #
    #   verify = Authy::Native::VerifyClient.new(account_sid: ENV["TWILIO_ACCOUNT_SID"],
    #                                            auth_token: ENV["TWILIO_AUTH_TOKEN"], timeout: 5)
    #   verify.start_verification(service_sid: sid, to: "+14155550123", channel: "sms")
    #   verify.check_verification(service_sid: sid, to: "+14155550123", code: params[:code])
    #   # => Response (status "approved"); a wrong code raises TokenInvalid
    #
    # Answers are Authy::Native::Response (`resp["sid"]`, `resp.dig("lookup", "carrier")`,
    # `resp.body`); failures raise the Error subclass of their cause, with Twilio's code in
    # #api_code and #more_info: NotFound (20404: also "nothing pending" on a check),
    # TokenInvalid (a wrong code), MaxCheckAttempts (60202), MaxSendAttempts (60203), both
    # RateLimited, Unauthorized (20003, bad credentials), InvalidParameters (60200...),
    # InvalidArgument (a SID, number, code or channel of the wrong shape: nothing sent).
    #
    # Optional parameters are keyword arguments named after the API's (`code_length: 6` is sent
    # as `CodeLength`, `totp: { issuer: "Acme" }` as `Totp.Issuer`; a String key is sent as
    # written); true/false and Integers become text, an Array is joined with commas, and a Hash
    # under a String key (e.g. "RateLimits") becomes its JSON.
    #
    # As with Client, every method takes an optional `timeout:` (seconds) bounding that call only,
    # and an exception raised into the calling thread (Timeout.timeout, Thread#raise) stops a
    # call within milliseconds unless the client was built with `cancellable: false`. The pages
    # of #each_service are bounded by the client's `timeout:` only.
    # Checks an X-Twilio-Signature offline, in constant time (authy_twilio_signature_verify):
    # `url` is the full URL Twilio requested (query string included), `body` the raw body ("" for
    # a GET). Returns true; raises SignatureInvalid, or InvalidArgument for an empty token/URL.
    # Rack: Authy::Native::Rack.verify_twilio_webhook (require "libauthy/rack").
    def self.verify_twilio_signature(auth_token:, url:, body:, signature:)
      args = [Native.text(auth_token, "auth_token"), Native.text(url, "url"), Native.text(body, "body"),
              Native.text(signature, "signature")]
      call { |err| C.authy_twilio_signature_verify(*args, err) }
      true
    end

    class VerifyClient
      include Lifecycle

      # The C functions #with_handle derives per-call handles with (see Lifecycle).
      DERIVE = { timeout: :authy_verify_client_with_timeout_ms, cancel: :authy_verify_client_with_cancel,
                 free: :authy_verify_client_free, handle: VerifyClientHandle }.freeze

      attr_reader :base_url

      # Account SID + Auth Token (`account_sid:`, `auth_token:`), or an API key of the account
      # (`api_key_sid:`, `api_key_secret:`, `account_sid:`). `base_url:` is the Verify base URL
      # (default https://verify.twilio.com), `lookups_base_url:` the Lookup one; the other
      # network options are Client.new's (timeout:, connect_timeout:, retries:, proxy:, ...).
      # No network I/O; the token or secret is never in a message or #inspect.
      def initialize(account_sid:, auth_token: nil, api_key_sid: nil, api_key_secret: nil, cancellable: true,
                     **net_options)
        unknown = net_options.keys - NET_OPTIONS
        raise ::ArgumentError, "unknown keyword(s): #{unknown.map(&:inspect).join(', ')}" unless unknown.empty?

        settings = Builder.settings(**net_options)
        account = Native.text(account_sid, "account_sid")
        @handle =
          if api_key_sid.nil?
            raise ::ArgumentError, "api_key_secret: needs api_key_sid:" unless api_key_secret.nil?

            token = Native.text(auth_token, "auth_token")
            Builder.build(settings, VerifyClientHandle, :authy_client_builder_build_verify) do |slot, err|
              C.authy_client_builder_new_verify(account, token, slot, err)
            end
          else
            raise ::ArgumentError, "give auth_token: or api_key_sid: + api_key_secret:, not both" unless auth_token.nil?

            sid = Native.text(api_key_sid, "api_key_sid")
            secret = Native.text(api_key_secret, "api_key_secret")
            Builder.build(settings, VerifyClientHandle, :authy_client_builder_build_verify) do |slot, err|
              C.authy_client_builder_new_verify_api_key(sid, secret, account, slot, err)
            end
          end
        @base_url = net_options[:base_url] || "https://verify.twilio.com"
        start_lifecycle
        @cancellable = Native.bool(cancellable, "cancellable")
      end

      NET_OPTIONS = %i[base_url lookups_base_url timeout connect_timeout allow_insecure_http user_agent_suffix
                       root_ca_pem proxy max_idle_connections_per_host retries tls_roots proxy_from_env].freeze

      def inspect
        "#<#{self.class.name} base_url=#{@base_url.inspect}#{' closed' if closed?}>"
      end
      alias to_s inspect

      # --- services ------------------------------------------------------------------------

      # POST /v2/Services (201): `code_length:`, `lookup_enabled:`, `totp: { issuer: }`, ...
      def create_service(friendly_name:, timeout: nil, **params)
        endpoint(:authy_verify_client_create_service, Native.text(friendly_name, "friendly_name"),
                 params: params, timeout: timeout)
      end

      # An unknown service raises NotFound (20404).
      def fetch_service(sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_service, Native.text(sid, "sid"), timeout: timeout)
      end

      def update_service(sid:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_service, Native.text(sid, "sid"), params: params, timeout: timeout)
      end

      # 204 with an empty body; everything under the service goes with it.
      def delete_service(sid:, timeout: nil)
        endpoint(:authy_verify_client_delete_service, Native.text(sid, "sid"), timeout: timeout)
      end

      # Yields every service (a Hash of the JSON record), fetching one page of `page_size`
      # records (default 50) per request as the iteration needs it; without a block, an
      # Enumerator (`verify.each_service.first(3)` sends one request). `next_page_url` is
      # followed only on the base URL.
      def each_service(page_size: nil, &block)
        return enum_for(:each_service, page_size: page_size) unless block

        each_record("services", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_services(@handle, size, slot, err)
        end
      end

      # Yields each page of the services list (a Response with `meta`); Enumerator without a block.
      def each_service_page(page_size: nil, &block)
        return enum_for(:each_service_page, page_size: page_size) unless block

        each_page(page_size, &block)
      end

      # --- verifications -------------------------------------------------------------------

      # Sends a code to `to` (E.164, or an e-mail for channel "email") by `channel` (sms, call,
      # email, whatsapp, sna, auto). A resend within 10 minutes reuses the verification and its
      # code; the 6th send raises MaxSendAttempts (60203). `locale:`, `custom_friendly_name:`,
      # `custom_code:`, `amount:`, `payee:`, "RateLimits" => { ... }, ...
      def start_verification(service_sid:, to:, channel: "sms", timeout: nil, **params)
        endpoint(:authy_verify_client_create_verification, Native.text(service_sid, "service_sid"),
                 Native.text(to, "to"), Native.text(channel, "channel"), params: params, timeout: timeout)
      end
      alias create_verification start_verification

      # A pending verification; an approved, expired or canceled one raises NotFound (20404).
      def fetch_verification(service_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_verification, Native.text(service_sid, "service_sid"),
                 Native.text(sid, "sid"), timeout: timeout)
      end

      # `status`: "canceled" or "approved" (anything else: InvalidArgument, nothing sent).
      def update_verification(service_sid:, sid:, status:, timeout: nil)
        endpoint(:authy_verify_client_update_verification, Native.text(service_sid, "service_sid"),
                 Native.text(sid, "sid"), Native.text(status.to_s, "status"), timeout: timeout)
      end

      def cancel_verification(service_sid:, sid:, timeout: nil)
        update_verification(service_sid: service_sid, sid: sid, status: "canceled", timeout: timeout)
      end

      # Checks a code against the verification of `to:` or `verification_sid:` (exactly one).
      # Returns the answer only when it is approved; a wrong code raises TokenInvalid (its
      # #body is the `pending` answer), nothing pending NotFound (20404), too many wrong codes
      # MaxCheckAttempts (60202). `amount:`, `payee:` for PSD2.
      def check_verification(service_sid:, code:, to: nil, verification_sid: nil, timeout: nil, **params)
        endpoint(:authy_verify_client_check_verification, Native.text(service_sid, "service_sid"),
                 Native.opt_text(to, "to"), Native.opt_text(verification_sid, "verification_sid"),
                 Native.text(code, "code", integer: true), params: params, timeout: timeout)
      end

      # true for a right code, false for a wrong one (TokenInvalid); every other failure still
      # raises (nothing pending, too many attempts, transport...).
      def valid_code?(service_sid:, code:, to: nil, verification_sid: nil, timeout: nil, **params)
        check_verification(service_sid: service_sid, code: code, to: to, verification_sid: verification_sid,
                           timeout: timeout, **params)
        true
      rescue TokenInvalid
        false
      end

      # --- Verify TOTP and Push: Entities, Factors, Challenges ----------------------------

      # Creating an existing identity answers it again (201).
      def create_entity(service_sid:, identity:, timeout: nil)
        endpoint(:authy_verify_client_create_entity, *entity_path(service_sid, identity), timeout: timeout)
      end

      def fetch_entity(service_sid:, identity:, timeout: nil)
        endpoint(:authy_verify_client_fetch_entity, *entity_path(service_sid, identity), timeout: timeout)
      end

      # 204; its factors and challenges go with it.
      def delete_entity(service_sid:, identity:, timeout: nil)
        endpoint(:authy_verify_client_delete_entity, *entity_path(service_sid, identity), timeout: timeout)
      end

      # Yields every Entity of a service (Enumerator without a block), one page per request.
      def each_entity(service_sid:, page_size: nil, &block)
        return enum_for(:each_entity, service_sid: service_sid, page_size: page_size) unless block

        sid = Native.text(service_sid, "service_sid")
        each_record("entities", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_entities(@handle, sid, size, slot, err)
        end
      end

      # Creates a Factor (and the Entity if needed). A TOTP factor's answer carries
      # `resp.dig("binding", "secret")` and `resp.dig("binding", "uri")` this once; it stays
      # `unverified` until #verify_factor. `config: { time_step: 30, code_length: 6, skew: 1,
      # alg: "sha1" }`, `binding: { secret: "BASE32" }` (move an existing secret over), push:
      # `binding: { alg: "ES256", public_key: }`, `config: { notification_platform:, ... }`.
      def create_factor(service_sid:, identity:, friendly_name:, factor_type: "totp", timeout: nil, **params)
        endpoint(:authy_verify_client_create_factor, *entity_path(service_sid, identity),
                 Native.text(friendly_name, "friendly_name"), Native.text(factor_type.to_s, "factor_type"),
                 params: params, timeout: timeout)
      end

      # Verifies a new factor with its first code (AuthPayload). Returns the answer only when it
      # is `verified`; a wrong code raises TokenInvalid (its #body is the `unverified` answer),
      # too many wrong codes RateLimited (60310).
      def verify_factor(service_sid:, identity:, factor_sid:, code:, timeout: nil)
        endpoint(:authy_verify_client_verify_factor, *entity_path(service_sid, identity),
                 Native.text(factor_sid, "factor_sid"), Native.text(code, "code", integer: true), timeout: timeout)
      end

      # `friendly_name:`, `config: { ... }` of its type (a code: #verify_factor).
      def update_factor(service_sid:, identity:, factor_sid:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_factor, *entity_path(service_sid, identity),
                 Native.text(factor_sid, "factor_sid"), params: params, timeout: timeout)
      end

      # Never carries the secret.
      def fetch_factor(service_sid:, identity:, factor_sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_factor, *entity_path(service_sid, identity),
                 Native.text(factor_sid, "factor_sid"), timeout: timeout)
      end

      def delete_factor(service_sid:, identity:, factor_sid:, timeout: nil)
        endpoint(:authy_verify_client_delete_factor, *entity_path(service_sid, identity),
                 Native.text(factor_sid, "factor_sid"), timeout: timeout)
      end

      def each_factor(service_sid:, identity:, page_size: nil, &block)
        return enum_for(:each_factor, service_sid: service_sid, identity: identity, page_size: page_size) unless block

        path = entity_path(service_sid, identity)
        each_record("factors", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_factors(@handle, *path, size, slot, err)
        end
      end

      # A Challenge for a verified factor. With `code:` (TOTP) it is a code check: the answer
      # only when `approved`, a wrong code raises TokenInvalid (its #body the `pending`
      # challenge). Without (push): the `pending` challenge; `details: { message: "Log in?",
      # fields: [{ label: "IP", value: "…" }] }`, "HiddenDetails" => { ... }, `expiration_date:`.
      def create_challenge(service_sid:, identity:, factor_sid:, code: nil, timeout: nil, **params)
        params = params.merge(auth_payload: Native.text(code, "code", integer: true)) unless code.nil?
        endpoint(:authy_verify_client_create_challenge, *entity_path(service_sid, identity),
                 Native.text(factor_sid, "factor_sid"), params: params, timeout: timeout)
      end

      # `status` is pending, approved, denied or expired.
      def fetch_challenge(service_sid:, identity:, challenge_sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_challenge, *entity_path(service_sid, identity),
                 Native.text(challenge_sid, "challenge_sid"), timeout: timeout)
      end

      # Answers a pending TOTP challenge with a code: the answer when `approved`; a wrong code
      # raises TokenInvalid, too many RateLimited (60308); an answered or expired challenge
      # Error with api_code 60322 / 60323. `metadata:` as the API's.
      def answer_challenge(service_sid:, identity:, challenge_sid:, code:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_challenge, *entity_path(service_sid, identity),
                 Native.text(challenge_sid, "challenge_sid"), Native.text(code, "code", integer: true),
                 params: params, timeout: timeout)
      end
      alias update_challenge answer_challenge

      # Newest first; filters `factor_sid:`, `status:`, `order:` ("asc"/"desc").
      def each_challenge(service_sid:, identity:, page_size: nil, **filters, &block)
        unless block
          return enum_for(:each_challenge, service_sid: service_sid, identity: identity, page_size: page_size,
                                           **filters)
        end

        path = entity_path(service_sid, identity)
        Params.with(self.class.twilio_pairs(filters)) do |options|
          each_record("challenges", page_size, block) do |size, slot, err|
            C.authy_verify_client_list_challenges(@handle, *path, options, size, slot, err)
          end
        end
      end

      # --- Webhooks, Rate Limits and Buckets, Attempts ------------------------------------

      # `event_types:` an Array (or comma-separated String) of factor.created, factor.verified,
      # factor.deleted, challenge.approved, challenge.denied or "*"; `status:`, `version:`.
      # Check the deliveries' X-Twilio-Signature with Native.verify_twilio_signature.
      def create_webhook(service_sid:, friendly_name:, event_types:, webhook_url:, timeout: nil, **params)
        events = event_types.is_a?(Array) ? event_types.map(&:to_s).join(",") : event_types
        endpoint(:authy_verify_client_create_webhook, Native.text(service_sid, "service_sid"),
                 Native.text(friendly_name, "friendly_name"), Native.text(events, "event_types"),
                 Native.text(webhook_url, "webhook_url"), params: params, timeout: timeout)
      end

      def fetch_webhook(service_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_webhook, *child_path(service_sid, sid), timeout: timeout)
      end

      def update_webhook(service_sid:, sid:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_webhook, *child_path(service_sid, sid), params: params, timeout: timeout)
      end

      def delete_webhook(service_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_delete_webhook, *child_path(service_sid, sid), timeout: timeout)
      end

      def each_webhook(service_sid:, page_size: nil, &block)
        return enum_for(:each_webhook, service_sid: service_sid, page_size: page_size) unless block

        sid = Native.text(service_sid, "service_sid")
        each_record("webhooks", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_webhooks(@handle, sid, size, slot, err)
        end
      end

      # `description:`; a taken unique_name is InvalidParameters (60208).
      def create_rate_limit(service_sid:, unique_name:, timeout: nil, **params)
        endpoint(:authy_verify_client_create_rate_limit, *child_path(service_sid, unique_name),
                 params: params, timeout: timeout)
      end

      def fetch_rate_limit(service_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_rate_limit, *child_path(service_sid, sid), timeout: timeout)
      end

      def update_rate_limit(service_sid:, sid:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_rate_limit, *child_path(service_sid, sid),
                 params: params, timeout: timeout)
      end

      def delete_rate_limit(service_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_delete_rate_limit, *child_path(service_sid, sid), timeout: timeout)
      end

      def each_rate_limit(service_sid:, page_size: nil, &block)
        return enum_for(:each_rate_limit, service_sid: service_sid, page_size: page_size) unless block

        sid = Native.text(service_sid, "service_sid")
        each_record("rate_limits", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_rate_limits(@handle, sid, size, slot, err)
        end
      end

      # `max:` hits per `interval:` seconds.
      def create_bucket(service_sid:, rate_limit_sid:, max:, interval:, timeout: nil)
        endpoint(:authy_verify_client_create_bucket, *child_path(service_sid, rate_limit_sid),
                 Native.uint32(max, "max"), Native.uint32(interval, "interval"), timeout: timeout)
      end

      def fetch_bucket(service_sid:, rate_limit_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_bucket, *child_path(service_sid, rate_limit_sid),
                 Native.text(sid, "sid"), timeout: timeout)
      end

      # `max:`, `interval:`.
      def update_bucket(service_sid:, rate_limit_sid:, sid:, timeout: nil, **params)
        endpoint(:authy_verify_client_update_bucket, *child_path(service_sid, rate_limit_sid),
                 Native.text(sid, "sid"), params: params, timeout: timeout)
      end

      def delete_bucket(service_sid:, rate_limit_sid:, sid:, timeout: nil)
        endpoint(:authy_verify_client_delete_bucket, *child_path(service_sid, rate_limit_sid),
                 Native.text(sid, "sid"), timeout: timeout)
      end

      def each_bucket(service_sid:, rate_limit_sid:, page_size: nil, &block)
        unless block
          return enum_for(:each_bucket, service_sid: service_sid, rate_limit_sid: rate_limit_sid, page_size: page_size)
        end

        path = child_path(service_sid, rate_limit_sid)
        each_record("buckets", page_size, block) do |size, slot, err|
          C.authy_verify_client_list_buckets(@handle, *path, size, slot, err)
        end
      end

      # The account's Verification Attempts (one per message sent); filters `verify_service_sid:`,
      # `verification_sid:`, `channel:`, `status:`, `country:`, "ChannelData.To" => ...,
      # `date_created_after:` ...
      def each_attempt(page_size: nil, **filters, &block)
        return enum_for(:each_attempt, page_size: page_size, **filters) unless block

        Params.with(self.class.twilio_pairs(filters)) do |options|
          each_record("attempts", page_size, block) do |size, slot, err|
            C.authy_verify_client_list_attempts(@handle, options, size, slot, err)
          end
        end
      end

      def fetch_attempt(sid:, timeout: nil)
        endpoint(:authy_verify_client_fetch_attempt, Native.text(sid, "sid"), timeout: timeout)
      end

      # `total_attempts`, `total_converted`, `total_unconverted`, `conversion_rate_percentage`;
      # the filters of #each_attempt and `destination_prefix:`.
      def attempts_summary(timeout: nil, **filters)
        endpoint(:authy_verify_client_attempts_summary, params: filters, timeout: timeout)
      end

      # --- Lookup v2 -----------------------------------------------------------------------

      # An invalid number is an answer with `resp["valid"] == false` and `validation_errors`.
      # `fields:` a String or an Array ("line_type_intelligence", "caller_name", ...);
      # `country_code:` for a national number.
      def lookup_phone_number(number:, fields: nil, country_code: nil, timeout: nil)
        endpoint(:authy_verify_client_lookup_phone_number, Native.text(number, "number"),
                 params: { fields: fields, country_code: country_code }, timeout: timeout)
      end

      private

      # Runs `authy_verify_client_<endpoint>(client, args..., [options,] out, error)`.
      def endpoint(fn, *args, params: nil, timeout: nil)
        out = FFI::MemoryPointer.new(:pointer)
        pairs = params && self.class.twilio_pairs(params)
        Params.with(pairs) do |options|
          c_args = params.nil? ? args : [*args, options]
          with_handle(timeout) do |h|
            refine_errors { Native.call(allow_no_value: false) { |err| C.public_send(fn, h, *c_args, out, err) } }
          end
        end
        Response.consume(out.read_pointer)
      end

      # Verify's errors refined by their API code.
      def refine_errors
        yield
      rescue RateLimited => e
        refined = REFINED[e.api_code]
        raise refined ? e.as(refined) : e
      end

      REFINED = { "60202" => MaxCheckAttempts, "60203" => MaxSendAttempts }.freeze

      def entity_path(service_sid, identity)
        child_path(service_sid, identity, "identity")
      end

      def child_path(service_sid, sid, name = "sid")
        [Native.text(service_sid, "service_sid"), Native.text(sid, name)]
      end

      # Calls `block` with each record under `key` of the pages `start` (|size, slot, err|) opens.
      def each_record(key, page_size, block, &start)
        each_page(page_size, start) do |page|
          records = page[page.dig("meta", "key") || key]
          records.each(&block) if records.is_a?(Array)
        end
      end

      def each_page(page_size, start = nil)
        size = page_size.nil? ? 0 : Native.uint32(page_size, "page_size")
        slot = FFI::MemoryPointer.new(:pointer)
        start ||= ->(n, out, err) { C.authy_verify_client_list_services(@handle, n, out, err) }
        enter
        begin
          Native.call { |err| start.call(size, slot, err) }
        ensure
          leave
        end
        pages = PagesHandle.new(slot.read_pointer)
        begin
          loop do
            out = FFI::MemoryPointer.new(:pointer)
            rc = Native.call { |err| C.authy_pages_next(pages, out, err) }
            break if rc == :no_value

            yield Response.consume(out.read_pointer)
          end
        ensure
          pages.free
        end
        nil
      end

      class << self
        # { code_length: 6, totp: { issuer: "x" }, "RateLimits" => {...} } →
        # [["CodeLength", "6"], ["Totp.Issuer", "x"], ["RateLimits", "{...}"]] (nil values dropped).
        def twilio_pairs(params, prefix = nil, out = [])
          raise ::TypeError, "parameters must be a Hash, not #{params.class}" unless params.is_a?(Hash)

          params.each do |key, value|
            next if value.nil?

            name = twilio_name(key)
            full = prefix ? "#{prefix}.#{name}" : name
            if value.is_a?(Hash) && key.is_a?(Symbol)
              twilio_pairs(value, full, out)
            else
              out << [full, twilio_value(value, full)]
            end
          end
          out
        end

        private

        def twilio_name(key)
          case key
          when Symbol then key.to_s.split("_").map { |w| w[0].upcase + w[1..] }.join
          when String then Native.text(key, "parameter name")
          else raise ::TypeError, "parameter names must be Symbols or Strings, not #{key.class}"
          end
        end

        def twilio_value(value, name)
          case value
          when true, false, Integer then value.to_s
          when Array
            # [{ label:, value: }, ...] (Details.Fields) is one JSON array; other lists comma-joined.
            return JSON.generate(value) if !value.empty? && value.all?(Hash)

            value.map { |v| twilio_value(v, name) }.join(",")
          when Hash then JSON.generate(value)
          else Native.text(value, name)
          end
        end
      end
    end
  end
end
