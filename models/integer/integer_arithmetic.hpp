// Integer helpers of the I-BERT and I-ViT kernels: floor semantics on negative values throughout, the
// round-half-to-even of PyTorch's torch.round, 128-bit intermediates where the published kernels rely on
// floating-point tensors to hold integers beyond 64 bits.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace npusim {

using int128 = __int128;

// floor(a / b) for b != 0, also when a or b is negative.
inline int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// floor(a * 2^shift) for shift >= 0, floor(a / 2^-shift) otherwise (arithmetic shift).
inline int64_t shift_floor(int64_t a, int shift) { return shift >= 0 ? a * (int64_t{1} << shift) : a >> (-shift); }

inline int bit_length(int64_t n) {
  int bits = 0;
  for (; n > 0; n >>= 1) ++bits;
  return bits;
}

// round(v) with ties to even, as torch.round and numpy.round do.
inline double round_half_even(double v) {
  const double r = std::floor(v + 0.5);
  return (r - v == 0.5 && std::fmod(r, 2.0) != 0.0) ? r - 1.0 : r;
}

// round(a / b) with ties to even, exactly, for b > 0.
inline int64_t round_half_even_div(int64_t a, int64_t b) {
  const int64_t q = floor_div(a, b);
  const int64_t twice_remainder = 2 * (a - q * b);  // in [0, 2b)
  return (twice_remainder > b || (twice_remainder == b && (q & 1) != 0)) ? q + 1 : q;
}

// round(v / 2^k) with ties to even, exactly, for k >= 0.
inline int128 shift_round_half_even(int128 v, int k) {
  if (k == 0) return v;
  const int128 q = v >> k;  // floor
  const int128 remainder = v - (q << k);
  const int128 half = int128{1} << (k - 1);
  return (remainder > half || (remainder == half && (q & 1) != 0)) ? q + 1 : q;
}

// floor(a / 2^k) for k >= 0 on 128 bits.
inline int128 shift_floor128(int128 a, int k) { return a >> k; }

inline int64_t clamp64(int128 v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : static_cast<int64_t>(v));
}

// Symmetric quantization as the I-BERT and I-ViT code bases do it: scale = max|x| / (2^(b-1) - 1) (never
// below `min_scale`), q = clamp(round_half_even(x / scale), -2^(b-1), 2^(b-1) - 1).
inline double symmetric_scale(double max_abs, int bits, double min_scale) {
  return std::max(max_abs / static_cast<double>((int64_t{1} << (bits - 1)) - 1), min_scale);
}
inline int64_t quantize_symmetric(double x, double scale, int bits) {
  const double limit = std::ldexp(1.0, bits - 1);
  const double q = std::min(std::max(round_half_even(x / scale), -limit), limit - 1);
  return static_cast<int64_t>(q);
}

// The fixed-point multiplier with which the I-BERT / I-ViT code bases requantise (fixedpoint_mul):
// ratio = m / 2^shift with m = round_half_up(mantissa * 2^31), mantissa in [0.5, 1) from frexp.
struct FixedPointMultiplier {
  int64_t m = 0;
  int shift = 0;
};
inline FixedPointMultiplier fixed_point_multiplier(double ratio) {
  int exponent = 0;
  const double mantissa = std::frexp(ratio, &exponent);
  return {static_cast<int64_t>(std::floor(mantissa * 2147483648.0 + 0.5)), 31 - exponent};
}
// clamp(round_half_even(z * m / 2^shift), -2^(bits-1), 2^(bits-1) - 1); z * m must fit 127 bits.
inline int64_t requantize(int128 z, const FixedPointMultiplier& f, int bits) {
  const int128 product = z * f.m;
  const int128 rounded = f.shift >= 0 ? shift_round_half_even(product, f.shift) : product << (-f.shift);
  return clamp64(rounded, -(int64_t{1} << (bits - 1)), (int64_t{1} << (bits - 1)) - 1);
}

// The integer reciprocal of the widened I-ViT variant (ivit+): factor = floor(N / d) with N = 2^bits
// (or 2^bits - 1); when d is so large that the factor would keep fewer than 30 significant bits, the
// numerator gains the missing bits; `shift` is the numerator's exponent, to divide back by. d > 0.
struct IntegerReciprocal {
  int64_t factor = 0;
  int shift = 0;
};
inline IntegerReciprocal integer_reciprocal(int64_t d, int bits, bool minus_one) {
  const int extra = bit_length(d) + 30 > bits ? bit_length(d) + 30 - bits : 0;
  const int128 numerator = (static_cast<int128>(1) << (bits + extra)) - (minus_one ? 1 : 0);
  return {static_cast<int64_t>(numerator / d), bits + extra};
}

// floor(a * b / 2^shift) with a 128-bit product.
inline int64_t mul_shift_floor(int64_t a, int64_t b, int shift) {
  const int128 product = static_cast<int128>(a) * b;
  return static_cast<int64_t>(shift >= 0 ? product >> shift : product << (-shift));
}

// Integer values with one real scale: value = q * scale.
struct ScaledInts {
  std::vector<int64_t> q;
  double scale = 1.0;
};

}  // namespace npusim
