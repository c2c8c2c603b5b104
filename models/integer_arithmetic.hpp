// Integer helpers of the I-BERT and I-ViT kernels: floor semantics on negative values throughout.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace npusim {

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

// The integer reciprocal the softmax and sigmoid kernels normalise with: factor = floor(N / d) with
// N = 2^bits (or 2^bits - 1), as SPEC 2.6 states it. When d is so large that the factor would keep
// fewer than 30 significant bits (the exponentials keep n fraction bits, and a long row sums many of
// them), the numerator gains the missing bits; `shift` is the numerator's exponent, to divide back by.
struct IntegerReciprocal {
  int64_t factor = 0;
  int shift = 0;
};
inline IntegerReciprocal integer_reciprocal(int64_t d, int bits, bool minus_one) {
  const int extra = bit_length(d) + 30 > bits ? bit_length(d) + 30 - bits : 0;
  const __int128 numerator = (static_cast<__int128>(1) << (bits + extra)) - (minus_one ? 1 : 0);
  return {static_cast<int64_t>(numerator / d), bits + extra};  // d > 0: the quotient is the floor
}

// floor(a * b / 2^shift) with a 128-bit product (the exponentials and factors each use up to 40 bits).
inline int64_t mul_shift_floor(int64_t a, int64_t b, int shift) {
  const __int128 product = static_cast<__int128>(a) * b;
  return static_cast<int64_t>(shift >= 0 ? product >> shift : product << (-shift));
}

// Integer values with one real scale: value = q * scale.
struct ScaledInts {
  std::vector<int64_t> q;
  double scale = 1.0;
};

// (x - mean) / std of one row in integers, as I-BERT and I-ViT both normalise: integer mean (floor),
// sum of squares, the kernel's integer square root, factor floor(2^31 / std), out = floor(d factor / 2)
// at scale sqrt(N) / 2^30. Without the mean it is RMSNorm's x / rms.
template <class IntegerSqrt>
ScaledInts normalise_row(const std::vector<int64_t>& row, bool subtract_mean, IntegerSqrt integer_sqrt) {
  const int64_t n = static_cast<int64_t>(row.size());
  int64_t sum = 0;
  for (const int64_t v : row) sum += v;
  const int64_t mean = subtract_mean ? floor_div(sum, n) : 0;
  int64_t squares = 0;
  for (const int64_t v : row) squares += (v - mean) * (v - mean);
  const int64_t std_int = std::max<int64_t>(1, integer_sqrt(squares));
  const int64_t factor = floor_div(int64_t{1} << 31, std_int);
  ScaledInts out;
  out.scale = std::sqrt(static_cast<double>(n)) / std::ldexp(1.0, 30);
  for (const int64_t v : row) out.q.push_back(floor_div((v - mean) * factor, 2));
  return out;
}

}  // namespace npusim
