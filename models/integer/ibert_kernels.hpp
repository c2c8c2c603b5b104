// I-BERT's integer-only kernels (Kim et al., ICML 2021) as published (IntSoftmax, IntGELU, IntLayerNorm
// of its quantization modules), written from their description and SPEC 2.6; no code is copied.
// The published kernels hold integers in floating-point tensors; here every step is exact integer
// arithmetic (128 bits where the values exceed 64), with floor and round exactly where the original
// floors and rounds (torch.round: ties to even).
#pragma once

#include <cstdint>
#include <vector>

#include "models/integer/integer_arithmetic.hpp"

namespace npusim::ibert {

constexpr double kExpX0 = -0.6931;      // -ln 2
constexpr int kExpN = 30;
constexpr double kExpA = 0.35815147, kExpB = 0.96963238, kExpC = 1.0;  // a x^2 + b x + c
constexpr double kErfK = 1.4142, kErfA = -0.2888, kErfB = -1.769, kErfC = 1.0;
constexpr int kErfN = 14;
constexpr int kExpRequantBits = 16;     // QuantAct(16) between i-exp and the normalisation
constexpr int kSoftmaxOutputBits = 8;   // IntSoftmax(output_bit = 8)
constexpr int kLayerNormInputBits = 22; // ln_input_bit: the residual sum LayerNorm reads
// The softmax and GELU inputs are the INT32 accumulator of the preceding matmul. For INT8 x INT8
// operands over a 64-element head whose ranges sit at 4 standard deviations, the largest |logit|
// lands near 127^2 * sqrt(64) / 4 ~ 2^15 accumulator codes: the accumulator scale is max|x| / 2^15.
constexpr double kAccumulatorCodes = 32768.0;

// i-exp's integers for input scale S: x0 = floor(-ln2 / S), b = floor((b/a) / S), c = floor((c/a) / S^2);
// results have scale a S^2 / 2^30. Throws npusim::Error when S is outside the kernel's integer domain:
// c = 0 (exp(0) would be 0: S above sqrt(1 / a) ~ 1.67) or c beyond 2^62 (S below ~8e-10).
struct ExpConstants {
  int64_t x0 = 0, b = 0, c = 0;
  double scale = 0.0;
};
ExpConstants exp_constants(double scale);

// exp(q S) for q <= 0: q clamped to 30 x0, q = x0 * k + r, poly = r (r + b) + c, max(0, poly << (30 - k)).
int128 exp_int(int64_t q, const ExpConstants& k);

// GELU(q S) = x (1 + erf(x / sqrt 2)) / 2 with i-erf: s = S / 1.4142, b = floor(-1.769 / s),
// c = floor((1 / -0.2888) / s^2), y = sign(q) (min(|q|, -b) + b)^2 + c, erf = floor(y / 2^14) at scale
// -0.2888 s^2 2^14, out = q (erf + floor(1 / that scale)) at scale S * (that scale) / 2.
ScaledInts gelu(const std::vector<int64_t>& q, double scale);

// Softmax of `rows` rows of `cols` integers at scale S, as IntSoftmax: x - max, i-exp, QuantAct(16) on
// exp (symmetric, its range calibrated on this tensor, fixed-point multiplier with ties to even),
// factor = floor(2^32 / sum), out = floor(e * factor / 2^(32 - 8)) at scale 2^-8.
ScaledInts softmax(const std::vector<int64_t>& values, int64_t rows, int64_t cols, double scale);

// floor(sqrt(n)) by Newton: start 2^ceil(bits(n) / 2), x <- floor((x + floor(n / x)) / 2) while it decreases.
int64_t isqrt(int64_t n);

// IntLayerNorm on `rows` rows of `cols` integers: mean rounded (ties to even), y = x - mean, the overflow
// shift k of the tensor (smallest k >= 0 with sum(y^2) <= 2^(32 + 2k) in every row), var = sum(floor(y /
// 2^k)^2), std = isqrt(var) 2^k, factor = floor(2^31 / (std + 0.0001)), out = floor(y factor / 2) at
// scale sqrt(cols) / 2^30. Without the mean it is RMSNorm's x / rms (not part of I-BERT).
int layernorm_shift(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean);
ScaledInts layernorm(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean);

}  // namespace npusim::ibert
