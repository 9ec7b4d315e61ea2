# frozen_string_literal: true

module Authy
  module Native
    # Turns a Ruby Hash of options into an `authy_params` set with Rack-style nested keys:
    #
    #   { force: true, details: { "Location" => "Paris" },
    #     logos: [{ res: "default", url: "https://..." }] }
    #   → force=true, details[Location]=Paris, logos[][res]=default, logos[][url]=https://...
    #
    # Values: String, Symbol, Integer, true/false (written "true"/"false"); nil entries are
    # skipped. Anything else is a TypeError. Keys the endpoint does not accept are refused by the
    # library (Authy::Native::InvalidArgument), never sent.
    module Params
      module_function

      # Yields an `authy_params` handle (or nil for no options) and frees it afterwards. `hash` is
      # a Hash as above, or an Array of [key, value] String pairs sent as they are.
      def with(hash)
        pairs = hash.is_a?(Array) ? hash : flatten(hash)
        return yield(nil) if pairs.empty?

        handle = build(pairs)
        begin
          yield handle
        ensure
          handle.free
        end
      end

      def build(pairs)
        ptr = C.authy_params_new
        raise InternalError.new("authy_params_new failed", code: 500) if ptr.null?

        handle = ParamsHandle.new(ptr)
        pairs.each do |key, value|
          Native.call { |err| C.authy_params_set(handle, key, value, err) }
        end
        handle
      rescue StandardError
        handle&.free
        raise
      end

      # [[key, value], ...] in order, nil values dropped.
      def flatten(hash, prefix = nil, out = [])
        return out if hash.nil?
        raise ::TypeError, "options must be a Hash, not #{hash.class}" unless hash.is_a?(Hash)

        hash.each do |key, value|
          name = key_text(key)
          full = prefix ? "#{prefix}[#{name}]" : name
          add(full, value, out)
        end
        out
      end

      def add(full, value, out)
        case value
        when nil then nil
        when Hash then flatten(value, full, out)
        when Array
          value.each do |element|
            raise ::TypeError, "#{full}: array elements must be Hashes, not #{element.class}" \
              unless element.is_a?(Hash)

            flatten(element, "#{full}[]", out)
          end
        else out << [full, scalar(value, full)]
        end
      end

      def key_text(key)
        raise ::TypeError, "option keys must be Strings or Symbols, not #{key.class}" \
          unless key.is_a?(String) || key.is_a?(Symbol)

        Native.text(key.to_s, "option key")
      end

      def scalar(value, name)
        case value
        when true, false, Integer then value.to_s
        when String, Symbol then Native.text(value, name)
        else raise ::TypeError, "option #{name} must be a String, Symbol, Integer or boolean, not #{value.class}"
        end
      end
    end
  end
end
