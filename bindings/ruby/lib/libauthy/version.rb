# frozen_string_literal: true

module Authy
  module Native
    # Version of the libauthy Ruby gem (the C library reports its own: Authy::Native.library_version).
    VERSION = "0.1.0"
  end
end
