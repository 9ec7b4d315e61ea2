# frozen_string_literal: true

module Authy
  module Native
    # The network options of both clients (Client for Authy, VerifyClient for Twilio Verify):
    # in C they are one `authy_client_builder` with one set of setters, so here too.
    module Builder
      TLS_ROOTS = C.enum_type(:authy_tls_roots).to_h
                   .to_h { |name, value| [name.to_s.delete_prefix("AUTHY_TLS_ROOTS_").downcase.to_sym, value] }
                   .freeze
      RETRY_DEFAULTS = { initial_backoff: 0.1, max_backoff: 2 }.freeze

      module_function

      # [[setter, value], ...] for the options given (nil: the library's default). Ruby misuse
      # (a wrong type, a NUL byte) raises here; the C builder checks the values.
      def settings(base_url: nil, secondary_base_url: nil, lookups_base_url: nil, timeout: nil,
                   connect_timeout: nil, allow_insecure_http: nil, user_agent_suffix: nil,
                   root_ca_pem: nil, proxy: nil, max_idle_connections_per_host: nil, retries: nil,
                   tls_roots: nil, proxy_from_env: nil)
        [
          [:authy_client_builder_set_base_url, Native.opt_text(base_url, "base_url")],
          [:authy_client_builder_set_secondary_base_url, Native.opt_text(secondary_base_url, "secondary_base_url")],
          [:authy_client_builder_set_lookups_base_url, Native.opt_text(lookups_base_url, "lookups_base_url")],
          [:authy_client_builder_set_timeout_ms, timeout && Native.millis(timeout, "timeout")],
          [:authy_client_builder_set_connect_timeout_ms,
           connect_timeout && Native.millis(connect_timeout, "connect_timeout")],
          [:authy_client_builder_set_allow_insecure_http,
           allow_insecure_http.nil? ? nil : Native.bool(allow_insecure_http, "allow_insecure_http")],
          [:authy_client_builder_set_user_agent_suffix, Native.opt_text(user_agent_suffix, "user_agent_suffix")],
          [:authy_client_builder_set_root_ca_pem, Native.opt_text(root_ca_pem, "root_ca_pem")],
          [:authy_client_builder_set_proxy, Native.opt_text(proxy, "proxy")],
          [:authy_client_builder_set_max_idle_connections_per_host,
           max_idle_connections_per_host && Native.uint32(max_idle_connections_per_host,
                                                          "max_idle_connections_per_host")],
          [:authy_client_builder_set_retries, retry_settings(retries)],
          [:authy_client_builder_set_tls_roots, tls_roots.nil? ? nil : TLS_ROOTS.fetch(tls_roots) {
            raise ::ArgumentError, "tls_roots must be :bundled or :platform (got #{tls_roots.inspect})"
          }],
          [:authy_client_builder_set_proxy_from_env,
           proxy_from_env.nil? ? nil : Native.bool(proxy_from_env, "proxy_from_env")]
        ]
      end

      # Starts a C builder (the block: `|slot, err|` → the authy_client_builder_new* call),
      # applies the settings, builds with `build_fn` and wraps the client in `handle_class`.
      def build(settings, handle_class, build_fn)
        slot = FFI::MemoryPointer.new(:pointer)
        Native.call { |err| yield slot, err }
        builder = BuilderHandle.new(slot.read_pointer)
        begin
          settings.each do |fn, value|
            next if value.nil?

            Native.call { |err| C.public_send(fn, builder, *value, err) }
          end
          out = FFI::MemoryPointer.new(:pointer)
          Native.call { |err| C.public_send(build_fn, builder, out, err) }
          handle_class.new(out.read_pointer)
        ensure
          builder.free
        end
      end

      # `retries:` → [attempts, initial ms, max ms], or nil.
      def retry_settings(retries)
        case retries
        when nil then nil
        when Integer then retry_settings(attempts: retries)
        when Hash
          unknown = retries.keys - %i[attempts initial_backoff max_backoff]
          raise ::ArgumentError, "retries: unknown key(s) #{unknown.map(&:inspect).join(', ')}" unless unknown.empty?

          attempts = retries.fetch(:attempts) { raise ::ArgumentError, "retries: needs attempts:" }
          opts = RETRY_DEFAULTS.merge(retries.slice(:initial_backoff, :max_backoff))
          # An initial wait above the default ceiling raises the ceiling unless one is given.
          opts[:max_backoff] = [opts[:max_backoff], opts[:initial_backoff]].max \
            if !retries.key?(:max_backoff) && opts[:initial_backoff].is_a?(Numeric) && opts[:initial_backoff].real?
          [Native.uint32(attempts, "retries attempts"),
           Native.millis_or_zero(opts[:initial_backoff], "retries initial_backoff"),
           Native.millis_or_zero(opts[:max_backoff], "retries max_backoff")]
        else
          raise ::TypeError, "retries must be an Integer or a Hash, not #{retries.class}"
        end
      end
    end

    # Close and in-flight accounting shared by the clients: #close waits for the calls running
    # on other threads, later calls raise ClosedError; a forked child starts with none in flight.
    # Per-call handles (#with_handle): a `timeout:` and, when @cancellable, a cancel token that
    # Interrupts trips. The including class sets @handle (an FFI::AutoPointer) and
    # @cancellable, calls #start_lifecycle, and names its C functions in DERIVE.
    module Lifecycle
      # Releases the C client. Waits for calls running on other threads to return; later calls
      # raise ClosedError. Idempotent. (Without it the garbage collector frees the client.)
      def close
        @lock.synchronize do
          return if @closed

          @closed = true
          reset_after_fork
          @idle.wait(@lock) while @in_flight.positive?
          @handle.free
        end
        nil
      end

      def closed?
        @closed
      end

      private

      def start_lifecycle
        @lock = Mutex.new
        @idle = ConditionVariable.new
        @in_flight = 0
        @pid = Process.pid
        @closed = false
      end

      def enter
        @lock.synchronize do
          raise ClosedError.new("the client is closed", code: nil) if @closed

          reset_after_fork
          @in_flight += 1
        end
      end

      def leave
        @lock.synchronize do
          @in_flight -= 1 if @in_flight.positive?
          @idle.broadcast if @in_flight.zero?
        end
      end

      # Yields the C client to use for one call: ours, or, with a per-call `timeout`, a cheap
      # derived client sharing our pool (DERIVE[:timeout]); see #interruptible.
      # Counts the call in flight so that #close waits for it.
      def with_handle(timeout, &call)
        ms = timeout && Native.millis(timeout, "timeout")
        enter
        begin
          return interruptible(@handle, &call) if ms.nil?

          derived = derive(ms)
          begin
            interruptible(derived, &call)
          ensure
            derived.free
          end
        ensure
          leave
        end
      end

      # Runs the C call (the block) with `handle`, or, when the client is cancellable, with a
      # handle bound to a cancel token that Interrupts cancels as soon as an exception is pending
      # for this thread (Timeout.timeout, Thread#raise, Thread#kill): the call then returns within
      # milliseconds and Ruby raises the pending exception.
      def interruptible(handle)
        return yield(handle) unless @cancellable

        token = C.authy_cancel_new
        raise InternalError.new("authy_cancel_new failed", code: 500) if token.null?

        begin
          out = FFI::MemoryPointer.new(:pointer)
          Native.call { |err| C.public_send(self.class::DERIVE[:cancel], handle, token, out, err) }
          bound = out.read_pointer
          begin
            Interrupts.watch(token) { yield bound }
          ensure
            C.public_send(self.class::DERIVE[:free], bound)
          end
        ensure
          C.authy_cancel_free(token)
        end
      end

      # A handle with another overall timeout (DERIVE[:timeout]).
      def derive(ms)
        out = FFI::MemoryPointer.new(:pointer)
        Native.call { |err| C.public_send(self.class::DERIVE[:timeout], @handle, ms, out, err) }
        self.class::DERIVE[:handle].new(out.read_pointer)
      end

      # Calls that were running in other threads of the parent do not exist in a forked child.
      def reset_after_fork
        return if @pid == Process.pid

        @pid = Process.pid
        @in_flight = 0
      end
    end
  end
end
