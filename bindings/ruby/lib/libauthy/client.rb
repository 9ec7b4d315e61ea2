# frozen_string_literal: true

module Authy
  module Native
    # A client of the Authy API over libauthy's C client: immutable once built, safe to share
    # between any number of Ruby threads (one keep-alive pool inside), and every call releases
    # the GVL while it waits for the network.
    #
    #   client = Authy::Native::Client.new(ENV.fetch("AUTHY_API_KEY"), timeout: 5)
    #   user = client.create_user(email: "a@example.com", cellphone: "555-123-4567", country_code: "1")
    #   client.verify_token(authy_id: user.user_id, token: params[:token])   # raises TokenInvalid
    #
    # Durations are seconds (Numeric). Every endpoint method takes keyword arguments and an
    # optional `timeout:` (seconds) that bounds that call only. Successful answers come back as
    # Authy::Native::Response; anything else raises an Authy::Native::Error subclass.
    class Client
      include Lifecycle

      # The C functions #with_handle derives per-call handles with (see Lifecycle).
      DERIVE = { timeout: :authy_client_with_timeout_ms, cancel: :authy_client_with_cancel,
                 free: :authy_client_free, handle: ClientHandle }.freeze

      # { :timed_out => 0, ... } from a C enum of include/authy.h (members without their prefix).
      def self.c_enum(type, prefix)
        C.enum_type(type).to_h.to_h { |name, value| [name.to_s.delete_prefix(prefix).downcase.to_sym, value] }.freeze
      end
      private_class_method :c_enum

      WAIT_STATUS = c_enum(:authy_wait_status, "AUTHY_WAIT_STATUS_").invert.freeze
      VERDICT = c_enum(:authy_verdict, "AUTHY_VERDICT_").invert.freeze
      TLS_ROOTS = Builder::TLS_ROOTS
      FAIL_OPEN = c_enum(:authy_fail_open, "AUTHY_FAIL_OPEN_").merge(none: 0).freeze

      attr_reader :base_url

      # Builds a client (no network I/O). Only `api_key` is required; every option left nil keeps
      # the library's default (https://api.authy.com, connect 5 s, overall 15 s, pool of 32, one
      # attempt).
      #
      # `retries:` opts into retries: `retries: 3`, or `retries: { attempts: 3,
      # initial_backoff: 0.05, max_backoff: 1 }` (seconds; defaults 0.1 and 2). Reads (the calls
      # without a side effect: Native.read?(method, path) tells which, from the library's
      # endpoint table) are retried after transient failures; calls with a side effect only when
      # their request provably never reached the server. Error#attempts and
      # Error#request_sent? tell what happened.
      #
      # `tls_roots: :platform` trusts the system's certificate store instead of the bundled roots
      # (`:bundled`, the default; `root_ca_pem:` wins over both). `proxy_from_env: true` reads
      # https_proxy / http_proxy / all_proxy / no_proxy here (never HTTP_PROXY); `proxy:` wins.
      #
      # `cancellable: true` (the default): an exception raised into the calling thread while a
      # call waits for the network — Timeout.timeout, Thread#raise, Thread#kill — stops the call
      # within milliseconds (its connection is shut down and never reused) and propagates then,
      # instead of when the server answers. (A thread of the library looks every 5 ms, while
      # calls run, for threads with an exception pending — also one deferred by
      # Thread.handle_interrupt.) `cancellable: false` leaves calls alone: such an exception then
      # arrives once the call has returned.
      def initialize(api_key, base_url: nil, timeout: nil, connect_timeout: nil,
                     secondary_base_url: nil, allow_insecure_http: nil, user_agent_suffix: nil,
                     root_ca_pem: nil, proxy: nil, max_idle_connections_per_host: nil, retries: nil,
                     tls_roots: nil, proxy_from_env: nil, cancellable: true)
        settings = Builder.settings(
          base_url: base_url, secondary_base_url: secondary_base_url, timeout: timeout,
          connect_timeout: connect_timeout, allow_insecure_http: allow_insecure_http,
          user_agent_suffix: user_agent_suffix, root_ca_pem: root_ca_pem, proxy: proxy,
          max_idle_connections_per_host: max_idle_connections_per_host, retries: retries,
          tls_roots: tls_roots, proxy_from_env: proxy_from_env
        )
        key = Native.text(api_key, "api_key")
        @handle = Builder.build(settings, ClientHandle, :authy_client_builder_build) do |slot, err|
          C.authy_client_builder_new(key, slot, err)
        end
        @base_url = base_url || "https://api.authy.com"
        start_lifecycle
        @cancellable = Native.bool(cancellable, "cancellable") && C.respond_to?(:authy_client_with_cancel)
      end

      def inspect
        "#<#{self.class.name} base_url=#{@base_url.inspect}#{' closed' if @closed}>"
      end
      alias to_s inspect

      # --- users ---------------------------------------------------------------------------

      # Registers a user; the Authy id is `resp.user_id`.
      def create_user(email:, cellphone:, country_code: nil, send_install_link_via_sms: nil, timeout: nil)
        opts = { country_code: country_code && Native.text(country_code, "country_code", integer: true),
                 send_install_link_via_sms: bool_opt(send_install_link_via_sms, "send_install_link_via_sms") }
        endpoint(:authy_client_create_user, Native.text(email, "email"), Native.text(cellphone, "cellphone"),
                 options: opts, timeout: timeout)
      end
      alias register_user create_user

      def user_status(authy_id:, timeout: nil)
        endpoint(:authy_client_user_status, Native.id(authy_id), timeout: timeout)
      end

      def delete_user(authy_id:, timeout: nil)
        endpoint(:authy_client_delete_user, Native.id(authy_id), timeout: timeout)
      end

      def update_user_email(authy_id:, email:, timeout: nil)
        endpoint(:authy_client_update_user_email, Native.id(authy_id), Native.text(email, "email"),
                 timeout: timeout)
      end

      # `type`: "password_reset", "banned", "unbanned" or "cookie_login"; `data`: a flat Hash.
      def register_activity(authy_id:, type:, user_ip: nil, data: nil, timeout: nil)
        endpoint(:authy_client_register_activity, Native.id(authy_id), Native.text(type, "type"),
                 options: { user_ip: user_ip, data: kind(data, Hash, "data") }, timeout: timeout)
      end

      # A QR code for third-party authenticator apps; the image URL is `resp.qr_code`.
      def generate_qr_code(authy_id:, qr_size: nil, label: nil, timeout: nil)
        endpoint(:authy_client_generate_qr_code, Native.id(authy_id),
                 options: { qr_size: qr_size, label: label }, timeout: timeout)
      end

      def registration_status(custom_user_id:, timeout: nil)
        endpoint(:authy_client_registration_status, Native.text(custom_user_id, "custom_user_id", integer: true),
                 timeout: timeout)
      end

      # --- tokens --------------------------------------------------------------------------

      # Sends a code by SMS. `resp.ignored?` when the user has the app (pass `force: true`).
      def request_sms(authy_id:, force: nil, action: nil, action_message: nil, locale: nil, timeout: nil)
        endpoint(:authy_client_request_sms, Native.id(authy_id),
                 options: { force: bool_opt(force, "force"), action: action, action_message: action_message,
                            locale: locale },
                 timeout: timeout)
      end

      def request_call(authy_id:, force: nil, action: nil, action_message: nil, timeout: nil)
        endpoint(:authy_client_request_call, Native.id(authy_id),
                 options: { force: bool_opt(force, "force"), action: action, action_message: action_message },
                 timeout: timeout)
      end
      alias request_phone_call request_call

      def request_email(authy_id:, timeout: nil)
        endpoint(:authy_client_request_email, Native.id(authy_id), timeout: timeout)
      end

      # Verifies a token. Returns the answer when the token is valid; a wrong or reused token
      # raises TokenInvalid, any other failure its own Error. Never returns for an invalid token.
      def verify_token(authy_id:, token:, force: nil, action: nil, timeout: nil)
        endpoint(:authy_client_verify_token, Native.id(authy_id), Native.text(token, "token", integer: true),
                 options: { force: bool_opt(force, "force"), action: action }, timeout: timeout)
      end

      # true for a valid token, false for a wrong or reused one (TokenInvalid); every other
      # failure (unknown user, transport, ...) still raises: a login must not treat "the API
      # could not say" as "wrong token" nor as "valid".
      def valid_token?(authy_id:, token:, force: nil, action: nil, timeout: nil)
        verify_token(authy_id: authy_id, token: token, force: force, action: action, timeout: timeout)
        true
      rescue TokenInvalid
        false
      end

      # Verification with an explicit fail-open policy (opt-in). Returns :valid or
      # :accepted_api_unreachable (log it: that is not a valid token); a refused token or a
      # failure the policy does not accept raises. `policy`: :default (transport errors and
      # non-Authy 5xx), :transport_error, :server_error, :rate_limit, an Array of those, or an
      # Integer of AUTHY_FAIL_OPEN_* flags.
      def verify_token_fail_open(authy_id:, token:, policy: :default, force: nil, action: nil, timeout: nil)
        id = Native.id(authy_id)
        tok = Native.text(token, "token", integer: true)
        flags = fail_open_flags(policy)
        verdict = FFI::MemoryPointer.new(:uint32)
        Params.with(force: bool_opt(force, "force"), action: action) do |params|
          with_handle(timeout) do |h|
            Native.call(allow_no_value: false) do |err|
              C.authy_client_verify_token_fail_open(h, id, tok, params, flags, verdict, err)
            end
          end
        end
        VERDICT.fetch(verdict.read_uint32)
      end

      # --- phone verification and intelligence ---------------------------------------------

      def start_phone_verification(country_code:, phone_number:, via: nil, locale: nil, code_length: nil,
                                   custom_message: nil, custom_code: nil, timeout: nil)
        endpoint(:authy_client_start_phone_verification,
                 Native.text(country_code, "country_code", integer: true), Native.text(phone_number, "phone_number"),
                 options: { via: via, locale: locale, code_length: code_length, custom_message: custom_message,
                            custom_code: custom_code },
                 timeout: timeout)
      end

      # Succeeds only for the right code; a wrong one raises Unauthorized (Authy 60022), no
      # pending verification NotFound (60023).
      def check_phone_verification(country_code:, phone_number:, code:, timeout: nil)
        endpoint(:authy_client_check_phone_verification,
                 Native.text(country_code, "country_code", integer: true), Native.text(phone_number, "phone_number"),
                 Native.text(code, "code", integer: true), timeout: timeout)
      end

      # Either `uuid:` or `country_code:` + `phone_number:`.
      def phone_verification_status(uuid: nil, country_code: nil, phone_number: nil, timeout: nil)
        endpoint(:authy_client_phone_verification_status, Native.opt_text(uuid, "uuid"),
                 Native.opt_text(country_code, "country_code", integer: true),
                 Native.opt_text(phone_number, "phone_number"), timeout: timeout)
      end

      def phone_info(country_code:, phone_number:, timeout: nil)
        endpoint(:authy_client_phone_info, Native.text(country_code, "country_code", integer: true),
                 Native.text(phone_number, "phone_number"), timeout: timeout)
      end

      # --- OneTouch ------------------------------------------------------------------------

      # `details`/`hidden_details`: flat Hashes; `logos`: [{res: "default", url: "https://..."}, ...];
      # `seconds_to_expire`: Integer (0 = never). The uuid is `resp.approval_uuid`.
      def create_approval_request(authy_id:, message:, details: nil, hidden_details: nil, logos: nil,
                                  seconds_to_expire: nil, timeout: nil)
        endpoint(:authy_client_create_approval_request, Native.id(authy_id), Native.text(message, "message"),
                 options: { details: kind(details, Hash, "details"), hidden_details: kind(hidden_details, Hash, "hidden_details"),
                            logos: kind(logos, Array, "logos"), seconds_to_expire: seconds_to_expire },
                 timeout: timeout)
      end
      alias send_approval_request create_approval_request

      def approval_request_status(uuid:, timeout: nil)
        endpoint(:authy_client_approval_request_status, Native.text(uuid, "uuid"), timeout: timeout)
      end

      # Polls until the user decides, the request expires or `max_wait` seconds pass (releases
      # the GVL meanwhile). Returns an ApprovalWait (#status, #response, #approved?).
      def wait_for_approval(uuid:, interval: nil, max_wait: nil, timeout: nil)
        id = Native.text(uuid, "uuid")
        opts = { interval_ms: interval && Native.millis(interval, "interval"),
                 timeout_ms: max_wait && Native.millis(max_wait, "max_wait") }
        status = FFI::MemoryPointer.new(:uint32)
        out = FFI::MemoryPointer.new(:pointer)
        Params.with(opts) do |params|
          with_handle(timeout) do |h|
            Native.call(allow_no_value: false) { |err| C.authy_client_wait_for_approval(h, id, params, status, out, err) }
          end
        end
        ApprovalWait.new(WAIT_STATUS.fetch(status.read_uint32, :timed_out), Response.consume(out.read_pointer))
      end
      alias wait_for_approval_request wait_for_approval

      # --- application ---------------------------------------------------------------------

      def app_details(timeout: nil)
        endpoint(:authy_client_app_details, timeout: timeout)
      end

      def app_stats(timeout: nil)
        endpoint(:authy_client_app_stats, timeout: timeout)
      end

      # Checks the key, connectivity, TLS and latency with one call without side effect (app
      # details), for a readiness probe. Returns a frozen HealthReport, healthy or not: an
      # unhealthy API does not raise (only a closed client or bad arguments do).
      def health_check(timeout: nil)
        out = FFI::MemoryPointer.new(:pointer)
        with_handle(timeout) do |h|
          Native.call(allow_no_value: false) { |err| C.authy_client_health_check(h, out, err) }
        end
        handle = HealthHandle.new(out.read_pointer)
        begin
          HealthReport.from_handle(handle)
        ensure
          handle.free
        end
      end

      # The raw escape hatch: any path (also the sandbox's /sandbox/... control API). Every HTTP
      # answer is returned (check `resp.ok?`); only "no answer" raises.
      def request(method, path, params = nil, timeout: nil)
        m = Native.text(method.is_a?(Symbol) ? method.to_s.upcase : method, "method")
        p = Native.text(path, "path")
        out = FFI::MemoryPointer.new(:pointer)
        Params.with(params) do |handle|
          with_handle(timeout) do |h|
            Native.call(allow_no_value: false) { |err| C.authy_client_request(h, m, p, handle, out, err) }
          end
        end
        Response.consume(out.read_pointer)
      end

      private

      # Runs a `authy_client_<endpoint>(client, args..., options, out, error)` function.
      def endpoint(fn, *args, options: nil, timeout: nil)
        out = FFI::MemoryPointer.new(:pointer)
        Params.with(options) do |params|
          with_handle(timeout) do |h|
            Native.call(allow_no_value: false) { |err| C.public_send(fn, h, *args, params, out, err) }
          end
        end
        Response.consume(out.read_pointer)
      end

      def kind(value, klass, name)
        return value if value.nil? || value.is_a?(klass)

        raise ::TypeError, "#{name} must be a #{klass}, not #{value.class}"
      end

      def bool_opt(value, name)
        value.nil? ? nil : Native.bool(value, name)
      end

      def fail_open_flags(policy)
        case policy
        when Integer then Native.uint32(policy, "policy")
        when Symbol then FAIL_OPEN.fetch(policy) { raise ::ArgumentError, "unknown fail-open policy #{policy.inspect}" }
        when Array then policy.reduce(0) { |acc, p| acc | fail_open_flags(p) }
        else raise ::TypeError, "policy must be a Symbol, an Array of Symbols or an Integer, not #{policy.class}"
        end
      end
    end
  end
end
