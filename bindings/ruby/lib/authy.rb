# frozen_string_literal: true

# `require "authy"` for applications moving from the official authy-ruby gem to libauthy: loads
# the drop-in Authy::API layer. (Install one of the two gems, not both: both provide this file.)
require "libauthy/compat"
