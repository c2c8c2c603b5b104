// Verilog $readmemh files: one two's-complement word per line, 4 hex digits for 16-bit words and
// 8 for 32-bit words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

std::string format_readmemh(const std::vector<int16_t>& words);
std::string format_readmemh32(const std::vector<int32_t>& words);

// Strict readers: each non-blank line holds one hex word of 1..4 (1..8) digits (a trailing // comment
// is allowed); anything else throws npusim::Error "source:line:column: ...".
std::vector<int16_t> parse_readmemh(const std::string& text, const std::string& source_name);
std::vector<int32_t> parse_readmemh32(const std::string& text, const std::string& source_name);

// Words of exactly word_bits / 4 hex digits (word_bits 16 or 32), as npusim writes them: a file of
// 16-bit words read as 32-bit ones (or the reverse) is an error at its first word, not a silent
// zero-extension. Values are sign-extended from word_bits.
std::vector<int32_t> parse_readmemh_exact(const std::string& text, const std::string& source_name, int word_bits);

}  // namespace npusim
