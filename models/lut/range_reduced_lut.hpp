// bespoke-rr: the range-reduced Bespoke LUT for reciprocal and rsqrt (beyond the Bespoke paper).
//
// A per-layer uniform table over a range that spans decades spends its 256 intervals where the function
// is flat and has too few where it bends (near the range start); range reduction removes the range from
// the table altogether. The integer arithmetic, exactly:
//
//   input   an unsigned 32-bit code X standing for x = X * s_in (s_in is the caller's scale); X = 0 is read
//           as X = 1 (the pole saturates).
//   LOD     p = floor(log2 X) in 0..31 (the position of the leading one).
//   reciprocal: e = p; u = floor(X * 2^(16 - p)) - 2^16 in 0..65535 (the 16 bits after the leading one; for
//           p > 16 the bits below are truncated, a right shift); the mantissa m = 1 + u / 2^16 is in [1, 2).
//   rsqrt:  q = p rounded down to even, e = q / 2; M = floor(X * 2^(14 - q)) in [2^14, 2^16) (the leading one
//           at bit 14 or 15, truncation below for q > 14); m = M / 2^14 in [1, 4); u = floor((4 (M - 2^14) + 1) / 3),
//           which is rha((m - 1) / D) with D = 3 / 65536 exactly (4t / 3 never ties).
//   table   the SPEC 2.2 Bespoke LUT of f over [1, 2] (reciprocal) or [1, 4] (rsqrt): 257 INT16 entries
//           L[j] = Q(f(1 + 256 j D)), s_out = 1 / 32767 (max |f| = f(1) = 1), no dual-range table;
//           y = ((256 - w) L[j] + w L[j + 1] + 128) >> 8 with j = u >> 8, w = u & 255.
//   output  the INT16 y and the shift e: f(X) = y * s_out * 2^-e, and f(x) = that / s_in (reciprocal) or
//           / sqrt(s_in) (rsqrt). The unit hands (y, e) on; the consumer's multiply-and-requantise shifter
//           applies 2^-e to its product, so the shift loses no bits in the unit (the reference applies it
//           exactly with ldexp).
//
// One table per function serves every layer: the mantissa domain does not depend on the calibrated range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/lut/bespoke_lut.hpp"

namespace npusim {

class RangeReducedLut {
 public:
  // Throws npusim::Error for a function other than reciprocal and rsqrt.
  static RangeReducedLut build(Function f);
  // Reassembles one from a stored base table (257 entries); checks the function and the size.
  static RangeReducedLut from_table(Function f, std::vector<int16_t> base);

  static bool supports(Function f) { return f == Function::reciprocal || f == Function::rsqrt; }

  Function function() const { return table_.function(); }
  const BespokeLut& table() const { return table_; }  // over [1, 2] or [1, 4]
  double out_scale() const { return table_.out_scale(); }
  size_t table_bytes() const { return table_.table_bytes(); }

  struct Split {
    uint16_t code = 0;  // u: the mantissa's 16-bit table code
    int shift = 0;      // e
  };
  Split split(uint32_t x) const { return split(function(), x); }
  static Split split(Function f, uint32_t x);  // f: reciprocal or rsqrt

  struct Output {
    int16_t y = 0;
    int shift = 0;
  };
  Output lookup(uint32_t x) const {
    const Split s = split(x);
    return {table_.lookup(s.code), s.shift};
  }
  // f(X) for the integer code X: y * s_out * 2^-e.
  double value(uint32_t x) const;

  // The unit's output word: e in bits 20..16, y in bits 15..0 (golden vectors, RTL).
  static uint32_t pack(Output o) { return (static_cast<uint32_t>(o.shift) << 16) | static_cast<uint16_t>(o.y); }

  bool operator==(const RangeReducedLut& other) const { return table_ == other.table_; }

 private:
  explicit RangeReducedLut(BespokeLut table) : table_(std::move(table)) {}
  BespokeLut table_;
};

// The scale s_in = 2^E that maps [0, range_max] onto 32-bit codes (range_max / s_in < 2^32), with E even
// for rsqrt so that sqrt(s_in) is a power of two.
double range_reduced_input_scale(Function f, double range_max);

// Corner codes of the input: 0, every power of two and its neighbours, the largest code, X in [2^14, 2^18)
// in steps of 16 with each step's last code (mantissa codes of both functions with 0 to 2 truncated bits),
// then `random_codes` seeded random codes.
std::vector<uint32_t> range_reduced_stimulus(int64_t random_codes, uint64_t seed);

// Export like the other tables: <stem>_base.hex ($readmemh, 257 INT16 words) and <stem>.json (format
// "npusim-lut-export" with a "range_reduction" section stating the arithmetic above). Atomic writes.
struct ExportedRangeReducedFiles {
  std::string manifest_path;
  std::string base_path;
};
ExportedRangeReducedFiles export_range_reduced_lut(const RangeReducedLut& lut, const std::string& dir, const std::string& stem);

// Golden vectors for the RTL unit (hw/rtl/bespoke_rr_lut_unit.v): base.hex, stimulus.hex (32-bit codes),
// expected.hex (32-bit packed outputs) and manifest.json (format "npusim-golden", unit "bespoke_rr_lut",
// word_bits 32), as `npusim check-rtl` reads them.
struct RangeReducedGoldenFiles {
  std::string manifest_path;
  std::string stimulus_path;
  std::string expected_path;
  int64_t count = 0;
};
RangeReducedGoldenFiles write_range_reduced_golden(const RangeReducedLut& lut, const std::vector<uint32_t>& stimulus,
                                                   const std::string& dir);

}  // namespace npusim
