// I-ViT's integer-only kernels (Li and Gu, ICCV 2023) as published (IntSoftmax = Shiftmax, IntGELU =
// ShiftGELU, IntLayerNorm = I-LayerNorm of its quantization modules), written from their description
// and SPEC 2.6; no code is copied. Every step is exact integer arithmetic with floor and round exactly
// where the original floors and rounds (torch.round: ties to even); the original keeps integers in
// floating-point tensors, so 128 bits are used where values exceed 64.
#pragma once

#include <cstdint>
#include <vector>

#include "models/integer/integer_arithmetic.hpp"

namespace npusim::ivit {

constexpr int kShiftmaxN = 15;
constexpr int kShiftGeluN = 23;
constexpr int kSoftmaxOutputBits = 16;  // IntSoftmax(16): outputs at scale 2^-15
constexpr int kGeluOutputBits = 8;      // IntGELU(output_bit = 8): sigmoid at scale 2^-7
constexpr double kGeluSigmoidFactor = 1.702;  // x sigmoid(1.702 x), folded into the exponent's scale
// Input widths of the published model: softmax and GELU read INT8 (QuantAct()), LayerNorm the INT16
// residual (QuantAct(16)); its quantizer never uses a scale below float32's epsilon.
constexpr int kSoftmaxInputBits = 8;
constexpr int kGeluInputBits = 8;
constexpr int kLayerNormInputBits = 16;
constexpr double kMinScale = 1.1920928955078125e-07;

// The shift exponential of x = q S at n fraction bits: q' = q + floor(q/2) - floor(q/16) (q log2 e),
// x0 = floor(-1 / S), q' = max(q', n x0), k = floor(q' / x0), r = q' - x0 k, e = max(0, floor((r/2 - x0)
// 2^(n - k))) at scale S / 2^n. q may be positive (ShiftGELU's e^(-max) of a negative row); results
// saturate at 2^62, above which every use of them saturates anyway. Throws npusim::Error for S below
// 2^-36 (x0 would not fit the integers).
int64_t shift_exp(int64_t q, double scale, int n);

// Shiftmax of `rows` rows of `cols` integers at scale S: x - max, shift_exp with n = 15, sum clamped to
// 2^31 - 1, factor = floor((2^31 - 1) / sum), out = floor(e factor / 2^(31 - 16 + 1)) at scale 2^-15.
ScaledInts shiftmax(const std::vector<int64_t>& values, int64_t rows, int64_t cols, double scale);

// ShiftGELU of integers at scale S whose row maximum is `row_max`: x sigmoid(1.702 x) with the sigmoid
// e^(x - m) / (e^(x - m) + e^(-m)) from shift_exp at scale 1.702 S (n = 23), the sum clamped to 2^31 - 1,
// factor = floor((2^31 - 1) / sum), sigmoid = floor(e factor / 2^(31 - 8 + 1)) at scale 2^-7, out = q sigmoid
// at scale S 2^-7.
ScaledInts shift_gelu(const std::vector<int64_t>& q, double scale, int64_t row_max);

// floor(sqrt(n))-ish by exactly 10 Newton iterations k <- floor((k + floor(n / k)) / 2) from 2^16 (far from
// 2^32 it has not converged: that is the published algorithm).
int64_t isqrt10(int64_t n);

// I-LayerNorm on `rows` rows of `cols` integers: mean rounded (ties to even), y = x - mean,
// std = isqrt10(sum(y^2)), factor = floor((2^31 - 1) / std), out = floor(y factor / 2) at scale
// sqrt(cols) / 2^30. Without the mean it is RMSNorm's x / rms (not part of I-ViT).
ScaledInts layernorm(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean);

}  // namespace npusim::ivit
