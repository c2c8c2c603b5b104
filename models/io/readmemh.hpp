// Verilog $readmemh files of 16-bit words: one two's-complement word per line, 4 hex digits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

std::string format_readmemh(const std::vector<int16_t>& words);

// Strict reader: each non-blank line holds one hex word of 1..4 digits (a trailing // comment is
// allowed); anything else throws npusim::Error "source:line:column: ...".
std::vector<int16_t> parse_readmemh(const std::string& text, const std::string& source_name);

}  // namespace npusim
