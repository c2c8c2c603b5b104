// Table lookups and their accumulation (SPEC 2.7), bit-exact. For output row n and column m:
//
//   block b      the codebooks c in [128 b, min(128 b + 128, C));
//   INT16 sum    p_b = sum over c in block b of T[c][code[n][c]][m], added in 16-bit two's complement
//                with saturation at [-32768, 32767]; entries lie in [-127, 127], so |p_b| <= 128 * 127
//                = 16256 and the saturation is never reached (the result does not depend on the order);
//   INT32 sum    acc = sum_b p_b, exact (|acc| <= C * 127 < 2^31 for every layer npusim accepts);
//   output       y[n][m] = float32(acc * s_m): the product is exact in double (acc needs at most 28
//                bits, s_m 24) and rounded once to the nearest float32, ties to even.
#pragma once

#include <cstdint>
#include <vector>

#include "models/lutnn/lut_tables.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

constexpr int64_t kCodebooksPerInt16Block = 128;

// 16-bit saturating addition, the block accumulator's adder.
int16_t add_saturating_int16(int16_t a, int16_t b);

// The INT32 sums acc, [N][M], of `rows` rows of codes ([N][C]).
std::vector<int32_t> lookup_accumulate(const LutTables& tables, const std::vector<uint8_t>& codes, int64_t rows);

// y = float32(acc * s_m), [N][M].
Matrix scale_output(const LutTables& tables, const std::vector<int32_t>& sums, int64_t rows);

// The layer's output from codes with float tables ([C][K][M] in double, summed in double): the
// approximation without INT8 tables.
Matrix lookup_float(const std::vector<double>& tables, int64_t codebooks, int64_t centroids, int64_t out_features,
                    const std::vector<uint8_t>& codes, int64_t rows);

}  // namespace npusim::lutnn
