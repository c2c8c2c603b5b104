// The LUT unit's datapath (SPEC 2.2/2.3 lookup): index, weight, two-point interpolation with a
// half-up rounding constant and an arithmetic shift. Shared by the reference, the timed model's
// functional mode and the golden-vector export, so they cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace npusim {

// Tables packed for lookup. base/dual keep the entries as stored; the pair forms hold L[j] in the low
// and L[j + 1] in the high 16 bits, so one 32-bit load fetches both interpolation end points.
struct PackedLutTables {
  std::vector<int16_t> base;         // 2^N + 1 entries
  std::vector<int16_t> dual;         // 17 entries, or empty when no dual-range table is attached
  std::vector<uint32_t> base_pairs;  // 2^N entries
  std::vector<uint32_t> dual_pairs;  // 16 entries, or empty
  int index_bits = 8;
  int base_shift = 8;                // 16 - N: input bits below the base index
  int dual_shift = 4;                // 12 - N: input bits below the dual-range index

  static PackedLutTables pack(const std::vector<int16_t>& base, const std::vector<int16_t>& dual, int index_bits);
};

// One lookup, written the way SPEC 2.2/2.3 states it.
int16_t interpolate_one(const PackedLutTables& tables, uint16_t code);

// The batch kernels; all are bit-identical to interpolate_one.
enum class LutKernel {
  scalar,  // portable C++
  avx2,    // 32-bit gathers of (L[j], L[j+1]) pairs; any index width
  avx512,  // AVX-512BW permutes over tables held in registers, no memory gathers; index bits <= 8
};
std::string_view lut_kernel_name(LutKernel kernel);
// Whether this CPU runs `kernel` for tables of `index_bits`.
bool lut_kernel_supported(LutKernel kernel, int index_bits);
// The fastest supported kernel for tables of `index_bits`.
LutKernel best_lut_kernel(int index_bits);

void interpolate_batch_with(LutKernel kernel, const PackedLutTables& tables, const uint16_t* codes, int16_t* out,
                            size_t n);

// n lookups with the best kernel for this CPU.
void interpolate_batch(const PackedLutTables& tables, const uint16_t* codes, int16_t* out, size_t n);

}  // namespace npusim
