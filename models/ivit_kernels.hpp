// I-ViT's integer-only kernels (Li and Gu, ICCV 2023), written from SPEC 2.6's description: Shiftmax
// (exp by shifts and a linear 2^r), ShiftGELU (x * sigmoid(1.702 x) through the same shift exponential)
// and I-LayerNorm (10 Newton iterations of the integer square root). Inputs are integers q with a real
// scale S (x = q S); intermediate products use 64 bits.
#pragma once

#include <cstdint>
#include <vector>

#include "models/integer_arithmetic.hpp"

namespace npusim::ivit {

constexpr int kShiftmaxN = 15;
constexpr int kShiftGeluN = 23;

// exp(x) for x = q S <= 0 by shifts: x log2(e) ~ x + x/2 - x/16, then 2^r ~ 1 + r/2 on (-1, 0] and a
// shift for the integer part; values keep n fraction bits (scale S / 2^n).
ScaledInts shift_exp(const std::vector<int64_t>& q, double scale, int n);

ScaledInts shiftmax(const std::vector<int64_t>& row, double scale, int output_bits = 8);

// x * sigmoid(1.702 x), 1.702 x ~ x + x/2 + x/8 + x/16.
ScaledInts shift_gelu(const std::vector<int64_t>& q, double scale, int output_bits = 8);

// floor(sqrt(n)) by exactly 10 Newton iterations from 2^16.
int64_t isqrt10(int64_t n);

ScaledInts layernorm(const std::vector<int64_t>& row, bool subtract_mean = true);

}  // namespace npusim::ivit
