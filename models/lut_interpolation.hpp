// The LUT unit's datapath (SPEC 2.2/2.3 lookup): index, weight, two-point interpolation with a
// half-up rounding constant and an arithmetic shift. Shared by the reference, the timed model's
// functional mode and the golden-vector export, so they cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace npusim {

// Tables packed for lookup: entry j holds L[j] in its low and L[j + 1] in its high 16 bits, so one
// 32-bit load fetches both interpolation end points.
struct PackedLutTables {
  std::vector<uint32_t> base_pairs;  // 2^N entries
  std::vector<uint32_t> dual_pairs;  // 16 entries, or empty when no dual-range table is attached
  int base_shift = 8;                // 16 - N: input bits below the base index
  int dual_shift = 4;                // 12 - N: input bits below the dual-range index

  static PackedLutTables pack(const std::vector<int16_t>& base, const std::vector<int16_t>& dual, int index_bits);
};

// One lookup, written the way SPEC 2.2/2.3 states it.
int16_t interpolate_one(const PackedLutTables& tables, uint16_t code);

// n lookups; uses AVX2 gathers where the CPU has them, the scalar path otherwise (bit-identical).
void interpolate_batch(const PackedLutTables& tables, const uint16_t* codes, int16_t* out, size_t n);

// The portable path on its own, for tests and for the benchmark's comparison.
void interpolate_batch_scalar(const PackedLutTables& tables, const uint16_t* codes, int16_t* out, size_t n);

// True when interpolate_batch runs the AVX2 kernel on this machine.
bool lut_simd_available();

}  // namespace npusim
