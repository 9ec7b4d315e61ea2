#!/usr/bin/env ruby
# frozen_string_literal: true

# Writes lib/libauthy/enums.rb from the enums of include/authy.h (result codes, verdicts, wait
# statuses, fail-open flags, TLS roots), so that no number of the C ABI is copied by hand into
# the Ruby binding. Run it after `make header`; test/test_ffi_surface.rb fails when the committed
# file differs from what this script generates.
#
#   ruby script/generate_enums.rb [path/to/authy.h] [output.rb]      (default: the repository's)
module EnumGenerator
  module_function

  # { "authy_result" => [["AUTHY_RESULT_OK", 0], ...], ... } in header order.
  def parse(header)
    text = header.gsub(%r{/\*.*?\*/}m, "").gsub(%r{//[^\n]*}, "")
    text.scan(/^enum\s+(authy_\w+)\b[^{]*\{([^}]*)\}/m).to_h do |name, body|
      members = body.scan(/^\s*(AUTHY_\w+)\s*=\s*(\d+)\s*,?/).map { |member, value| [member, Integer(value, 10)] }
      raise "enum #{name}: no members found" if members.empty?

      [name, members]
    end
  end

  # The integer constants of the header other than its version: [["AUTHY_SIGNATURE_BUFFER_SIZE", 45]].
  def defines(header)
    header.scan(/^#define\s+(AUTHY_\w+)\s+(\d+)\s*$/).reject { |name, _| name.start_with?("AUTHY_VERSION_") }
          .map { |name, value| [name, Integer(value, 10)] }
  end

  def render(enums, defines = [])
    lines = ["# frozen_string_literal: true", "",
             "# GENERATED from include/authy.h by script/generate_enums.rb: do not edit by hand.",
             "module Authy", "  module Native", "    module C"]
    enums.each do |name, members|
      lines << "      enum :#{name}, ["
      members.each { |member, value| lines << "        :#{member}, #{value}," }
      lines[-1] = lines[-1].chomp(",")
      lines << "      ]"
    end
    lines << "    end"
    defines.each { |name, value| lines << "    #{name.delete_prefix('AUTHY_')} = #{value}" }
    lines.push("  end", "end")
    "#{lines.join("\n")}\n"
  end
end

if $PROGRAM_NAME == __FILE__
  here = File.expand_path("..", __dir__)
  header = ARGV[0] || File.expand_path("../../include/authy.h", here)
  output = ARGV[1] || File.join(here, "lib/libauthy/enums.rb")
  text = File.read(header)
  File.write(output, EnumGenerator.render(EnumGenerator.parse(text), EnumGenerator.defines(text)))
  puts "wrote #{output}"
end
