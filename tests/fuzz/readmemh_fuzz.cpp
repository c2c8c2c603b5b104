// $readmemh files in every width: what reads formats back to words that read the same.
#include "common/error.hpp"
#include "common/readmemh.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void readmemh(std::string_view data) {
  const std::string text(data);
  try {
    const std::vector<int16_t> words = parse_readmemh(text, "fuzz.hex");
    if (parse_readmemh(format_readmemh(words), "again.hex") != words) invariant_broken("16-bit words read back differently");
  } catch (const Error&) {
  }
  try {
    const std::vector<int32_t> words = parse_readmemh32(text, "fuzz.hex");
    if (parse_readmemh32(format_readmemh32(words), "again.hex") != words) invariant_broken("32-bit words read back differently");
  } catch (const Error&) {
  }
  for (const int bits : {16, 32}) {
    try {
      parse_readmemh_exact(text, "fuzz.hex", bits);
    } catch (const Error&) {
    }
  }
}

}  // namespace npusim::fuzz
