#include "models/ibert_kernels.hpp"

#include <algorithm>
#include <cmath>

#include "models/error.hpp"

namespace npusim::ibert {

namespace {

int64_t floor_of(double v) { return static_cast<int64_t>(std::floor(v)); }


}  // namespace

ScaledInts exp(const std::vector<int64_t>& q, double scale) {
  if (!(scale > 0)) throw Error("i-exp needs a positive scale");
  const int64_t x0 = floor_of(kExpX0 / scale);
  if (x0 >= 0) throw Error("i-exp: the scale is too coarse for ln 2");
  // The polynomial with its coefficients divided by the first: a (r^2 + (b/a) r + c/a).
  const int64_t b = floor_of(kExpB / kExpA / scale);
  const int64_t c = floor_of(kExpC / kExpA / (scale * scale));
  ScaledInts out;
  out.scale = kExpA * scale * scale / std::ldexp(1.0, kExpN);
  for (const int64_t v : q) {
    if (v > 0) throw Error("i-exp takes inputs <= 0 (subtract the row maximum first)");
    const int64_t halvings = floor_div(v, x0);        // x = halvings * x0 + r
    const int64_t r = v - x0 * halvings;              // r in (x0, 0]
    const int64_t poly = (r + b) * r + c;
    out.q.push_back(std::max<int64_t>(0, shift_floor(poly, kExpN - static_cast<int>(std::min<int64_t>(halvings, 62)))));
  }
  return out;
}

ScaledInts gelu(const std::vector<int64_t>& q, double scale) {
  const double s_in = scale / kErfK;  // erf's input x / sqrt 2 on the same integers
  const int64_t clip = floor_of(-kErfB / s_in);
  const int64_t b = floor_of(kErfB / s_in);
  const int64_t c = floor_of(kErfC / (kErfA * s_in * s_in));
  const double s_erf = kErfA * s_in * s_in * std::ldexp(1.0, kErfN);
  const int64_t one = floor_of(1.0 / s_erf);
  ScaledInts out;
  out.scale = scale * s_erf / 2;
  for (const int64_t v : q) {
    const int64_t sign = v < 0 ? -1 : 1;
    const int64_t magnitude = std::min(v < 0 ? -v : v, clip);
    const int64_t poly = (magnitude + b) * (magnitude + b) + c;  // a (|x| + b)^2 + c in units of a s_in^2
    const int64_t erf = floor_div(sign * poly, int64_t{1} << kErfN);
    out.q.push_back(v * (erf + one));
  }
  return out;
}

ScaledInts softmax(const std::vector<int64_t>& row, double scale, int output_bits) {
  if (row.empty()) throw Error("softmax of an empty row");
  const int64_t max = *std::max_element(row.begin(), row.end());
  std::vector<int64_t> shifted;
  for (const int64_t v : row) shifted.push_back(v - max);
  const ScaledInts e = exp(shifted, scale);
  int64_t sum = 0;
  for (const int64_t v : e.q) sum += v;
  const IntegerReciprocal r = integer_reciprocal(sum, 32, false);  // floor(2^32 / sum)
  ScaledInts out;
  out.scale = std::ldexp(1.0, -output_bits);
  for (const int64_t v : e.q) out.q.push_back(mul_shift_floor(v, r.factor, r.shift - output_bits));
  return out;
}

int64_t isqrt(int64_t n) {
  if (n < 0) throw Error("integer square root of a negative number");
  if (n == 0) return 0;
  int64_t x = int64_t{1} << ((bit_length(n) + 1) / 2);
  while (true) {
    const int64_t next = (x + n / x) / 2;
    if (next >= x) return x;
    x = next;
  }
}

ScaledInts layernorm(const std::vector<int64_t>& row, bool subtract_mean) {
  if (row.empty()) throw Error("layernorm of an empty row");
  return normalise_row(row, subtract_mean, isqrt);
}

}  // namespace npusim::ibert
