# frozen_string_literal: true

require_relative "test_helper"

# The binding against include/authy.h: every C function is attached; every function that takes
# a client (and so may touch the network) is attached with blocking: true; no attached function
# returns :string (Rust-owned text is read from :pointer and copied).
class TestFfiSurface < Minitest::Test
  HEADER = File.expand_path("../../../include/authy.h", __dir__)
  SOURCE = File.read(File.expand_path("../lib/libauthy/ffi.rb", __dir__))
  NO_IO = %w[authy_client_free authy_client_with_timeout_ms authy_client_with_cancel].freeze

  def header_functions
    skip "include/authy.h not found (gem used outside the repository)" unless File.exist?(HEADER)

    File.read(HEADER).scan(/^[a-z][\w ]*?\**\s*(authy_\w+)\(([^)]*)\)/m).to_h
  end

  def attachments
    SOURCE.scan(/attach_function\s+:(\w+),(.*?)(?=\n\s*(?:attach_function|#|end|rescue|begin)\b)/m).to_h
  end

  def test_every_header_function_is_attached
    missing = header_functions.keys - attachments.keys
    assert_empty missing, "functions of authy.h without attach_function"
    header_functions.each_key do |fn|
      assert Authy::Native::C.respond_to?(fn), "#{fn} is not attached in the loaded library"
    end
  end

  def test_network_functions_are_blocking
    network = header_functions.select { |fn, args| args.strip.start_with?("const authy_client *client") && !NO_IO.include?(fn) }
    refute_empty network
    network.each_key { |fn| assert_includes attachments.fetch(fn), "**NET", "#{fn} must be attached with blocking: true" }
  end

  # lib/libauthy/enums.rb is what script/generate_enums.rb makes of the header today, and every
  # result code of the header maps to an exception class of its own range.
  def test_enums_are_generated_from_the_header
    header_functions # the header is there
    require_relative "../script/generate_enums"
    text = File.read(HEADER)
    fresh = EnumGenerator.render(EnumGenerator.parse(text), EnumGenerator.defines(text))
    assert_equal fresh, File.read(File.expand_path("../lib/libauthy/enums.rb", __dir__)),
                 "lib/libauthy/enums.rb is stale: run `ruby script/generate_enums.rb` in bindings/ruby"
    codes = Authy::Native::RESULT.to_h
    assert_operator codes.size, :>=, 25
    codes.each do |name, value|
      next if value.zero?

      assert Authy::Native::ERROR_CLASSES.key?(value), "#{name} has no exception class"
      assert_equal Authy::Native.result_name(value), name.to_s, "the library names #{value} as the header does"
    end
  end

  def test_no_function_returns_string
    attachments.each do |fn, rest|
      refute_match(/\]\s*,\s*:string\b/, rest, "#{fn} returns :string")
    end
  end
end
