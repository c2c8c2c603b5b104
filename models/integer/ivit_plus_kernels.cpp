#include "models/integer/ivit_plus_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace npusim::ivit_plus {

ScaledInts shift_exp(const std::vector<int64_t>& q, double scale, int n) {
  if (!(scale > 0)) throw Error("shift exp needs a positive scale");
  const double x0_real = std::floor(-1.0 / scale);
  if (x0_real < -std::ldexp(1.0, 40)) throw Error("ivit+ shift exp: input scale " + std::to_string(scale) + " is too fine");
  const int64_t x0 = static_cast<int64_t>(x0_real);  // -1 in base-2 exponent units
  ScaledInts out;
  out.scale = scale / std::ldexp(1.0, n);
  for (const int64_t v : q) {
    if (v > 0) throw Error("shift exp takes inputs <= 0");
    int64_t x = v + (v >> 1) - (v >> 4);  // x log2(e)
    x = std::max(x, n * x0);              // below 2^-n everything rounds to zero anyway
    const int64_t halvings = floor_div(x, x0);
    const int64_t r = x - x0 * halvings;    // r in (x0, 0]
    const int64_t fraction = (r >> 1) - x0; // (1 + r S / 2) / S
    out.q.push_back(shift_floor(fraction, n - static_cast<int>(halvings)));
  }
  return out;
}

ScaledInts shiftmax(const std::vector<int64_t>& row, double scale, int output_bits) {
  if (row.empty()) throw Error("shiftmax of an empty row");
  const int64_t max = *std::max_element(row.begin(), row.end());
  std::vector<int64_t> shifted;
  for (const int64_t v : row) shifted.push_back(v - max);
  const ScaledInts e = shift_exp(shifted, scale, kShiftmaxN);
  int64_t sum = 0;
  for (const int64_t v : e.q) sum += v;
  const IntegerReciprocal r = integer_reciprocal(sum, 31, true);  // floor((2^31 - 1) / sum), widened
  ScaledInts out;
  out.scale = std::ldexp(1.0, -output_bits);
  for (const int64_t v : e.q) out.q.push_back(mul_shift_floor(v, r.factor, r.shift - output_bits));
  return out;
}

ScaledInts shift_gelu(const std::vector<int64_t>& q, double scale, int output_bits) {
  ScaledInts out;
  out.scale = scale * std::ldexp(1.0, -output_bits);
  if (q.empty()) return out;
  std::vector<int64_t> z;
  for (const int64_t v : q) z.push_back(v + (v >> 1) + (v >> 3) + (v >> 4));  // 1.702 x ~ 1.6875 x
  const int64_t z_max = std::max<int64_t>(0, *std::max_element(z.begin(), z.end()));
  // sigmoid(z) = e^(z - m) / (e^(z - m) + e^(-m)), m the largest z (or 0), both through shift_exp.
  std::vector<int64_t> shifted, minus_max(1, -z_max);
  for (const int64_t v : z) shifted.push_back(v - z_max);
  const ScaledInts e = shift_exp(shifted, scale, kShiftGeluN);
  const int64_t e_zero = shift_exp(minus_max, scale, kShiftGeluN).q[0];
  for (size_t i = 0; i < q.size(); ++i) {
    const IntegerReciprocal r = integer_reciprocal(std::max<int64_t>(1, e.q[i] + e_zero), 31, true);
    const int64_t sigmoid = mul_shift_floor(e.q[i], r.factor, r.shift - output_bits);
    out.q.push_back(q[i] * sigmoid);
  }
  return out;
}

int64_t isqrt10(int64_t n) {
  if (n < 0) throw Error("integer square root of a negative number");
  if (n == 0) return 0;
  int64_t x = int64_t{1} << 16;
  for (int i = 0; i < 10; ++i) x = std::max<int64_t>(1, (x + n / x) / 2);
  return x;
}

ScaledInts layernorm(const std::vector<int64_t>& row, bool subtract_mean) {
  if (row.empty()) throw Error("layernorm of an empty row");
  const int64_t n = static_cast<int64_t>(row.size());
  int64_t sum = 0;
  for (const int64_t v : row) sum += v;
  const int64_t mean = subtract_mean ? floor_div(sum, n) : 0;
  int128 squares = 0;
  for (const int64_t v : row) squares += static_cast<int128>(v - mean) * (v - mean);
  const int64_t std_int = std::max<int64_t>(1, isqrt10(clamp64(squares, 0, INT64_MAX)));
  const int64_t factor = floor_div(int64_t{1} << 31, std_int);
  ScaledInts out;
  out.scale = std::sqrt(static_cast<double>(n)) / std::ldexp(1.0, 30);
  for (const int64_t v : row) out.q.push_back(floor_div((v - mean) * factor, 2));
  return out;
}

}  // namespace npusim::ivit_plus
