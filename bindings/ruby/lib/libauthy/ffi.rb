# frozen_string_literal: true

require "ffi"

module Authy
  module Native
    # The raw C functions of include/authy.h, attached with the ffi gem. Internal: use
    # Authy::Native::Client and friends.
    #
    # Rules kept here:
    # - every function that can touch the network (or wait for one) is attached with
    #   `blocking: true`, so the GVL is released and other Ruby threads run meanwhile;
    # - no returned `const char *` is declared `:string`: they are `:pointer`s, read with
    #   Native.read_str while the handle that owns them is alive and copied into Ruby Strings;
    # - `:string` is used only for arguments (ffi copies them into NUL-terminated temporaries
    #   for the duration of the call, which is all the library needs).
    module C
      extend FFI::Library

      # Where the shared library is looked for, in order:
      # 1. ENV["LIBAUTHY_PATH"] (a path to libauthy.so; when set, nothing else is tried);
      # 2. the build tree of the repository this gem lives in (../../target/release/libauthy.so);
      # 3. the system library (libauthy.so.0, then libauthy.so, through the dynamic loader).
      def self.library_candidates
        explicit = ENV["LIBAUTHY_PATH"]
        return [explicit] if explicit && !explicit.empty?

        gem_root = File.expand_path("../..", __dir__)
        build_tree = File.expand_path("../../target/release/libauthy.so", gem_root)
        candidates = []
        candidates << build_tree if File.exist?(build_tree)
        candidates + ["libauthy.so.0", "authy"]
      end

      begin
        ffi_lib library_candidates
      rescue LoadError => e
        raise LoadError, "libauthy: cannot load the C library (tried #{library_candidates.join(', ')}); " \
                         "set LIBAUTHY_PATH to the path of libauthy.so (#{e.message})"
      end

      # Network calls: blocking (GVL released).
      NET = { blocking: true }.freeze

      typedef :pointer, :client
      typedef :pointer, :builder
      typedef :pointer, :params
      typedef :pointer, :response
      typedef :pointer, :error_slot
      typedef :uint32, :result

      # Version and result codes (static strings, still read as pointers).
      attach_function :authy_version, [], :pointer
      attach_function :authy_version_number, [], :uint32
      attach_function :authy_result_str, [:uint32], :pointer
      attach_function :authy_result_name, [:uint32], :pointer
      attach_function :authy_catalog_lookup, %i[uint32 pointer pointer error_slot], :result
      attach_function :authy_endpoint_is_read, %i[string string], :bool

      # Builder (no I/O).
      attach_function :authy_client_builder_new, %i[string pointer error_slot], :result
      attach_function :authy_client_builder_set_base_url, %i[builder string error_slot], :result
      attach_function :authy_client_builder_set_secondary_base_url, %i[builder string error_slot], :result
      attach_function :authy_client_builder_set_connect_timeout_ms, %i[builder uint64 error_slot], :result
      attach_function :authy_client_builder_set_timeout_ms, %i[builder uint64 error_slot], :result
      attach_function :authy_client_builder_set_max_idle_connections_per_host,
                      %i[builder uint32 error_slot], :result
      attach_function :authy_client_builder_set_allow_insecure_http, %i[builder bool error_slot], :result
      attach_function :authy_client_builder_set_user_agent_suffix, %i[builder string error_slot], :result
      attach_function :authy_client_builder_set_root_ca_pem, %i[builder string error_slot], :result
      attach_function :authy_client_builder_set_proxy, %i[builder string error_slot], :result
      attach_function :authy_client_builder_set_retries, %i[builder uint32 uint64 uint64 error_slot], :result
      attach_function :authy_client_builder_set_tls_roots, %i[builder uint32 error_slot], :result
      attach_function :authy_client_builder_set_proxy_from_env, %i[builder bool error_slot], :result
      attach_function :authy_client_builder_build, %i[builder pointer error_slot], :result
      attach_function :authy_client_builder_free, [:builder], :void
      attach_function :authy_client_free, [:client], :void

      # The per-call deadline (a cheap client sharing the pool, with another overall timeout).
      attach_function :authy_client_with_timeout_ms, %i[client uint64 pointer error_slot], :result

      # Cancel tokens (no I/O; authy_cancel_cancel may be called while a call runs). Attached
      # only when the loaded library has them.
      begin
        attach_function :authy_cancel_new, [], :pointer
        attach_function :authy_cancel_cancel, %i[pointer error_slot], :result
        attach_function :authy_cancel_is_cancelled, [:pointer], :bool
        attach_function :authy_cancel_free, [:pointer], :void
        attach_function :authy_client_with_cancel, %i[client pointer pointer error_slot], :result
      rescue FFI::NotFoundError
        nil
      end

      # Parameters.
      attach_function :authy_params_new, [], :params
      attach_function :authy_params_set, %i[params string string error_slot], :result
      attach_function :authy_params_free, [:params], :void

      # Errors.
      attach_function :authy_error_code, [:pointer], :result
      attach_function :authy_error_message, [:pointer], :pointer
      attach_function :authy_error_http_status, [:pointer], :uint16
      attach_function :authy_error_authy_code, [:pointer], :pointer
      attach_function :authy_error_api_code, [:pointer], :pointer
      attach_function :authy_error_more_info, [:pointer], :pointer
      attach_function :authy_error_body, [:pointer], :pointer
      attach_function :authy_error_retry_after_ms, [:pointer], :uint64
      attach_function :authy_error_attempts, [:pointer], :uint32
      attach_function :authy_error_request_sent, [:pointer], :bool
      attach_function :authy_error_free, [:pointer], :void

      # Health check (blocks on the network) and its report (no I/O).
      attach_function :authy_client_health_check, %i[client pointer error_slot], :result, **NET
      attach_function :authy_health_ok, [:pointer], :bool
      attach_function :authy_health_result, [:pointer], :uint32
      attach_function :authy_health_latency_us, [:pointer], :uint64
      attach_function :authy_health_tls, [:pointer], :bool
      attach_function :authy_health_message, [:pointer], :pointer
      attach_function :authy_health_app_name, [:pointer], :pointer
      attach_function :authy_health_free, [:pointer], :void

      # Responses (no I/O).
      attach_function :authy_response_status, [:response], :uint16
      attach_function :authy_response_body, [:response], :pointer
      attach_function :authy_response_ok, [:response], :bool
      attach_function :authy_response_ignored, [:response], :bool
      attach_function :authy_response_check, %i[response error_slot], :result
      attach_function :authy_response_message, [:response], :pointer
      attach_function :authy_response_authy_code, [:response], :pointer
      attach_function :authy_response_user_id, [:response], :pointer
      attach_function :authy_response_approval_uuid, [:response], :pointer
      attach_function :authy_response_approval_status, [:response], :pointer
      attach_function :authy_response_verification_uuid, [:response], :pointer
      attach_function :authy_response_cellphone, [:response], :pointer
      attach_function :authy_response_qr_code, [:response], :pointer
      attach_function :authy_response_seconds_to_expire, %i[response pointer error_slot], :result
      attach_function :authy_response_get_string, %i[response string pointer error_slot], :result
      attach_function :authy_response_get_i64, %i[response string pointer error_slot], :result
      attach_function :authy_response_get_bool, %i[response string pointer error_slot], :result
      attach_function :authy_response_header_count, [:response], :size_t
      attach_function :authy_response_header_name, %i[response size_t], :pointer
      attach_function :authy_response_header_value, %i[response size_t], :pointer
      attach_function :authy_response_free, [:response], :void

      # Callbacks (offline, CPU only).
      attach_function :authy_callback_verify,
                      %i[string string string string string string uint64 uint64 error_slot], :result
      attach_function :authy_callback_verify_params,
                      %i[string string string string string string uint64 uint64 pointer error_slot],
                      :result
      attach_function :authy_callback_get_string, %i[pointer string pointer error_slot], :result
      attach_function :authy_callback_free, [:pointer], :void
      attach_function :authy_callback_sign,
                      %i[string string string string string pointer size_t error_slot], :result

      # Endpoints: every one blocks on the network.
      attach_function :authy_client_request, %i[client string string params pointer error_slot], :result, **NET
      attach_function :authy_client_app_details, %i[client params pointer error_slot], :result, **NET
      attach_function :authy_client_app_stats, %i[client params pointer error_slot], :result, **NET
      attach_function :authy_client_create_user, %i[client string string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_user_status, %i[client string params pointer error_slot], :result, **NET
      attach_function :authy_client_delete_user, %i[client string params pointer error_slot], :result, **NET
      attach_function :authy_client_update_user_email, %i[client string string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_request_email, %i[client string params pointer error_slot], :result, **NET
      attach_function :authy_client_register_activity,
                      %i[client string string params pointer error_slot], :result, **NET
      attach_function :authy_client_generate_qr_code, %i[client string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_registration_status, %i[client string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_request_sms, %i[client string params pointer error_slot], :result, **NET
      attach_function :authy_client_request_call, %i[client string params pointer error_slot], :result, **NET
      attach_function :authy_client_verify_token, %i[client string string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_verify_token_fail_open,
                      %i[client string string params uint32 pointer error_slot], :result, **NET
      attach_function :authy_client_start_phone_verification,
                      %i[client string string params pointer error_slot], :result, **NET
      attach_function :authy_client_check_phone_verification,
                      %i[client string string string params pointer error_slot], :result, **NET
      attach_function :authy_client_phone_verification_status,
                      %i[client string string string params pointer error_slot], :result, **NET
      attach_function :authy_client_phone_info, %i[client string string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_create_approval_request,
                      %i[client string string params pointer error_slot], :result, **NET
      attach_function :authy_client_approval_request_status, %i[client string params pointer error_slot],
                      :result, **NET
      attach_function :authy_client_wait_for_approval,
                      %i[client string params pointer pointer error_slot], :result, **NET

      # Twilio Verify v2 / Lookup v2: a Verify client from the same builder; list pages.
      attach_function :authy_client_builder_new_verify, %i[string string pointer error_slot], :result
      attach_function :authy_client_builder_new_verify_api_key, %i[string string string pointer error_slot],
                      :result
      attach_function :authy_client_builder_set_lookups_base_url, %i[builder string error_slot], :result
      attach_function :authy_client_builder_build_verify, %i[builder pointer error_slot], :result
      attach_function :authy_verify_client_free, [:pointer], :void
      attach_function :authy_verify_client_create_service, %i[pointer string params pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_fetch_service, %i[pointer string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_update_service, %i[pointer string params pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_delete_service, %i[pointer string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_list_services, %i[pointer uint32 pointer error_slot], :result
      attach_function :authy_pages_next, %i[pointer pointer error_slot], :result, **NET
      attach_function :authy_pages_free, [:pointer], :void
      attach_function :authy_verify_client_create_verification,
                      %i[pointer string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_verification, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_update_verification,
                      %i[pointer string string string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_check_verification,
                      %i[pointer string string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_lookup_phone_number, %i[pointer string params pointer error_slot],
                      :result, **NET
      # Verify TOTP and Push: Entities, Factors, Challenges; X-Twilio-Signature (offline).
      attach_function :authy_verify_client_create_entity, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_fetch_entity, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_delete_entity, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_list_entities, %i[pointer string uint32 pointer error_slot], :result
      attach_function :authy_verify_client_create_factor,
                      %i[pointer string string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_verify_factor,
                      %i[pointer string string string string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_update_factor,
                      %i[pointer string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_factor, %i[pointer string string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_delete_factor, %i[pointer string string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_list_factors,
                      %i[pointer string string uint32 pointer error_slot], :result
      attach_function :authy_verify_client_create_challenge,
                      %i[pointer string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_challenge,
                      %i[pointer string string string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_update_challenge,
                      %i[pointer string string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_list_challenges,
                      %i[pointer string string params uint32 pointer error_slot], :result
      attach_function :authy_twilio_signature_verify, %i[string string string string error_slot], :result
      # Webhooks, Rate Limits and Buckets, Attempts.
      attach_function :authy_verify_client_create_webhook,
                      %i[pointer string string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_webhook, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_update_webhook, %i[pointer string string params pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_delete_webhook, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_list_webhooks, %i[pointer string uint32 pointer error_slot], :result
      attach_function :authy_verify_client_create_rate_limit,
                      %i[pointer string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_rate_limit, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_update_rate_limit,
                      %i[pointer string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_delete_rate_limit, %i[pointer string string pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_list_rate_limits, %i[pointer string uint32 pointer error_slot],
                      :result
      attach_function :authy_verify_client_create_bucket,
                      %i[pointer string string uint32 uint32 pointer error_slot], :result, **NET
      attach_function :authy_verify_client_fetch_bucket,
                      %i[pointer string string string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_update_bucket,
                      %i[pointer string string string params pointer error_slot], :result, **NET
      attach_function :authy_verify_client_delete_bucket,
                      %i[pointer string string string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_list_buckets,
                      %i[pointer string string uint32 pointer error_slot], :result
      attach_function :authy_verify_client_list_attempts, %i[pointer params uint32 pointer error_slot], :result
      attach_function :authy_verify_client_fetch_attempt, %i[pointer string pointer error_slot], :result, **NET
      attach_function :authy_verify_client_attempts_summary, %i[pointer params pointer error_slot],
                      :result, **NET
      attach_function :authy_verify_client_with_timeout_ms, %i[pointer uint64 pointer error_slot], :result
      attach_function :authy_verify_client_with_cancel, %i[pointer pointer pointer error_slot], :result
    end

    # The handles, released by the garbage collector if nobody frees them first. Deterministic
    # release is `handle.free` and nothing else: FFI::AutoPointer#free calls `release` itself,
    # so also calling the C free function would free twice.
    class ClientHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_client_free(ptr)
      end
    end

    class BuilderHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_client_builder_free(ptr)
      end
    end

    class ParamsHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_params_free(ptr)
      end
    end

    class ResponseHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_response_free(ptr)
      end
    end

    class ErrorHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_error_free(ptr)
      end
    end

    class VerifyClientHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_verify_client_free(ptr)
      end
    end

    class PagesHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_pages_free(ptr)
      end
    end

    class HealthHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_health_free(ptr)
      end
    end

    class CallbackHandle < FFI::AutoPointer
      def self.release(ptr)
        C.authy_callback_free(ptr)
      end
    end
  end
end
