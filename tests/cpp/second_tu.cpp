// A second translation unit that includes authy.hpp, linked into test_authy_hpp: the header
// links without duplicate symbols, and its inline objects (the error category) are one object
// per program, so std::error_code comparisons work across translation units.
#include "authy.hpp"

const std::error_category *category_from_second_tu();

const std::error_category *category_from_second_tu() { return &authy::error_category(); }
