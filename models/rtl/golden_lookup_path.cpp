#include "models/rtl/golden_lookup_path.hpp"

#include "models/core/golden_functions.hpp"
#include "common/error.hpp"
#include "models/lut/range_reduced_lut.hpp"

namespace npusim {

namespace {

// SPEC 2.2/2.3: u >> (16 - N) selects the base interval; with a dual-range table, codes whose base
// index is 0 use the 17-entry table with 16 times finer steps (u >> (12 - N)).
LookupPath bespoke_path(uint16_t code, int index_bits, bool has_dual) {
  const uint32_t u = code;
  const int base_shift = 16 - index_bits, dual_shift = 12 - index_bits;
  LookupPath path;
  path.table_code = u;
  if (has_dual && (u >> base_shift) == 0) {
    path.table = "dual";
    path.interval = u >> dual_shift;
    path.weight = u & ((1u << dual_shift) - 1);
  } else {
    path.table = "base";
    path.interval = u >> base_shift;
    path.weight = u & ((1u << base_shift) - 1);
  }
  return path;
}

}  // namespace

LookupPath golden_lookup_path(const GoldenSet& set, int32_t input) {
  const GoldenManifest& m = set.manifest;
  if (m.unit == "bespoke_lut") return bespoke_path(static_cast<uint16_t>(input), m.index_bits, m.files.count("dual") > 0);
  if (m.unit == "bespoke_rr_lut") {
    const RangeReducedLut::Split split = RangeReducedLut::split(parse_function(m.function), static_cast<uint32_t>(input));
    LookupPath path = bespoke_path(split.code, m.index_bits, false);
    path.exponent = split.shift;
    return path;
  }
  if (m.unit == "nnlut") {
    LookupPath path;
    path.table = "segments";
    for (const int32_t b : set.breakpoints) path.interval += b <= input ? 1 : 0;  // k = breakpoints <= x
    return path;
  }
  throw Error("no lookup path for unit '" + m.unit + "'");
}

}  // namespace npusim
