// Where a golden expected value comes from: which table of the unit, which interval, which weight,
// so a check-rtl mismatch points at the datapath step to look at.
#pragma once

#include <cstdint>
#include <string>

#include "models/rtl/golden_vectors.hpp"

namespace npusim {

struct LookupPath {
  std::string table;      // "base" or "dual" (Bespoke), "segments" (NN-LUT)
  int64_t interval = 0;   // j, the table interval (k, the segment, for NN-LUT)
  int64_t weight = -1;    // w, the interpolation weight; -1 where the unit has none (NN-LUT)
  int64_t exponent = -1;  // e, the exponent bespoke-rr split off; -1 for the other units
  int64_t table_code = -1;  // u, the 16-bit code the table saw (bespoke-rr: the mantissa's code)
};

// The path of one stimulus word through the unit the golden set describes (its manifest's unit,
// index bits, dual-range table, function and, for NN-LUT, breakpoints).
LookupPath golden_lookup_path(const GoldenSet& set, int32_t input);

}  // namespace npusim
