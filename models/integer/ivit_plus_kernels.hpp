// ivit+: the I-ViT variant npusim carried before its baselines were made faithful (ours, not published).
// It departs from the published I-ViT (models/integer/ivit_kernels) where it is more accurate: a widened integer
// reciprocal (the numerator gains bits until the factor keeps 30 significant bits), the shift
// exponential's r/2 floored before the shift, 16-bit output fractions for GELU's sigmoid, 1.702 x taken
// as x + x/2 + x/8 + x/16 = 1.6875 x by shifts, and the LayerNorm mean floored with factor floor(2^31 / std).
// Kept under its own name so that the comparison shows what such changes buy.
#pragma once

#include <cstdint>
#include <vector>

#include "models/integer/integer_arithmetic.hpp"

namespace npusim::ivit_plus {

constexpr int kShiftmaxN = 15;
constexpr int kShiftGeluN = 23;

// exp(x) for x = q S <= 0 by shifts: x log2(e) ~ x + x/2 - x/16, then 2^r ~ 1 + r/2 on (-1, 0] and a
// shift for the integer part; values keep n fraction bits (scale S / 2^n).
ScaledInts shift_exp(const std::vector<int64_t>& q, double scale, int n);

// One row; outputs with `output_bits` fraction bits.
ScaledInts shiftmax(const std::vector<int64_t>& row, double scale, int output_bits = 16);

// x * sigmoid(1.6875 x), the row maximum taken over `q`.
ScaledInts shift_gelu(const std::vector<int64_t>& q, double scale, int output_bits = 8);

// floor(sqrt(n)) by exactly 10 Newton iterations from 2^16, never below 1.
int64_t isqrt10(int64_t n);

// (x - floor(mean)) / std of one row (RMSNorm's x / rms without the mean): factor floor(2^31 / std),
// out = floor(d factor / 2) at scale sqrt(N) / 2^30.
ScaledInts layernorm(const std::vector<int64_t>& row, bool subtract_mean = true);

}  // namespace npusim::ivit_plus
